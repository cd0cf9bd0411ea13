// The login limiter alone: doubling waits per account, failures per client, bounded memory.
import { describe, it, expect } from 'vitest';
import { LoginLimiter, accountKey } from '../../services/auth/login-limiter.ts';

describe('LoginLimiter', () => {
  it('waits 1, 2, 4 … seconds after five failures, up to the cap; forgets after an hour without one', () => {
    const l = new LoginLimiter({ maxDelayMs: 8000 });
    let now = 0;
    const waits: (number | null)[] = [];
    for (let i = 0; i < 9; i++) {
      expect(l.before('a@x.org', now)).toBeNull();
      l.failed('a@x.org', '1.2.3.4', now);
      waits.push(l.before('a@x.org', now)?.retryAfterS ?? null);
      now += 60_000;
    }
    expect(waits).toEqual([null, null, null, null, 1, 2, 4, 8, 8]);
    now += 3600_000;
    l.failed('a@x.org', '1.2.3.4', now);
    expect(l.before('a@x.org', now)).toBeNull();
  });

  it('treats an e-mail the same however it is typed', () => {
    expect(accountKey('  Jonas@Kystkontor.DK ')).toBe('jonas@kystkontor.dk');
    const l = new LoginLimiter({ freeFailures: 1 });
    l.failed('JONAS@kystkontor.dk', '1.2.3.4', 0);
    expect(l.before(' jonas@kystkontor.dk', 0)).toMatchObject({ reason: 'account' });
    expect(l.before('sofie@kystkontor.dk', 0)).toBeNull();
  });

  it('keeps at most maxEntries accounts and clients, whatever an attacker invents', () => {
    const l = new LoginLimiter({ maxEntries: 50 });
    for (let i = 0; i < 10_000; i++) l.failed(`user-${i}@example.org`, `198.51.${i >> 8}.${i & 255}`, i);
    expect(l.size).toEqual({ accounts: 50, clients: 50 });
  });
});
