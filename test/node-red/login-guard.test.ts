// The operators' login guard in front of Node-RED (config/node-red/login-guard.cjs), on a test
// clock: failures are counted per client with a growing wait, and a right password is accepted
// from any client that is not itself waiting. Against a real Node-RED: login.process.test.ts.
import { describe, it, expect } from 'vitest';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type Result = { ok: true } | { ok: false; retryAfterS?: number };
interface Guard {
  attempt: (client: string, username: unknown, password: unknown) => Promise<Result>;
  clients: Map<string, unknown>;
}
const { createLoginGuard } = require('../../config/node-red/login-guard.cjs') as {
  createLoginGuard: (o: Record<string, unknown>) => Guard;
};

function guard(extra: Record<string, unknown> = {}) {
  const clock = { t: 1_000_000 };
  const checked: string[] = [];
  const g = createLoginGuard({
    users: [{ username: 'operator', password: 'hash:right-password' }],
    // A stand-in for bcrypt.compare: the "hash" is the password with a prefix.
    compare: (pw: string, hash: string) => {
      checked.push(pw);
      return Promise.resolve(hash === `hash:${pw}`);
    },
    now: () => clock.t,
    ...extra,
  });
  const wrong = (client: string) => g.attempt(client, 'operator', 'guess');
  const right = (client: string) => g.attempt(client, 'operator', 'right-password');
  return { g, clock, checked, wrong, right };
}

describe('Node-RED login guard', () => {
  it('five failures are free; then the client waits 30 s, doubling, up to 15 minutes', async () => {
    const { clock, wrong, right } = guard();
    for (let i = 0; i < 5; i++) expect(await wrong('A')).toEqual({ ok: false });
    expect(await wrong('A')).toEqual({ ok: false }); // the sixth is checked, and starts the wait
    expect(await right('A')).toEqual({ ok: false, retryAfterS: 30 });
    clock.t += 29_000;
    expect(await right('A')).toEqual({ ok: false, retryAfterS: 1 });
    const waits: Result[] = [];
    for (let i = 0; i < 8; i++) {
      clock.t += 15 * 60_000; // past any wait
      expect(await wrong('A')).toEqual({ ok: false });
      waits.push(await wrong('A'));
    }
    expect(waits.map((r) => !r.ok && r.retryAfterS)).toEqual([60, 120, 240, 480, 900, 900, 900, 900]);
  });

  it('the right password from another client logs in while one client waits, and from that client once its wait is over', async () => {
    const { clock, wrong, right } = guard();
    for (let i = 0; i < 6; i++) await wrong('A');
    expect((await right('A')).ok).toBe(false);
    expect(await right('B')).toEqual({ ok: true });
    expect(await right('B')).toEqual({ ok: true });
    clock.t += 30_000;
    expect(await right('A')).toEqual({ ok: true });
    // A right password clears the client's count: five free failures again.
    for (let i = 0; i < 5; i++) await wrong('A');
    expect(await right('A')).toEqual({ ok: true });
  });

  it('a waiting client is refused without its password being checked; parallel guesses count as sequential ones', async () => {
    const { checked, g } = guard();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => g.attempt('A', 'operator', `guess-${i}`)));
    expect(checked).toHaveLength(6);
    expect(results.filter((r) => !r.ok && r.retryAfterS)).toHaveLength(14);
  });

  it('an unknown user name or a missing password is a failure of that client, checked as long as a known one', async () => {
    const { g, checked, right } = guard();
    expect(await g.attempt('A', 'root', 'right-password')).toEqual({ ok: false });
    expect(checked).toEqual(['right-password']);
    expect(await g.attempt('A', 'operator', undefined)).toEqual({ ok: false });
    expect(await g.attempt('A', ['operator'], 'right-password')).toEqual({ ok: false });
    for (let i = 0; i < 3; i++) await g.attempt('A', 'nobody', 'x');
    expect((await right('A')).ok).toBe(false);
  });

  it('a client is forgotten an hour after its last failure; no more than maxClients are remembered', async () => {
    const { g, clock, wrong, right } = guard({ maxClients: 3 });
    for (let i = 0; i < 5; i++) await wrong('A');
    clock.t += 3600_001;
    for (let i = 0; i < 5; i++) await wrong('A');
    expect(await right('A')).toEqual({ ok: true });
    for (const c of ['A', 'B', 'C', 'D', 'E']) await wrong(c);
    expect(g.clients.size).toBe(3);
  });
});
