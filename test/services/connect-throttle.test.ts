// MQTT login throttling (services/broker/connect-throttle.ts) on a clock the test moves: the
// delays, which keys block, the known-address exemption and the memory bound. Through the broker
// with real CONNECTs: broker.test.ts.
import { describe, it, expect } from 'vitest';
import { ConnectThrottle } from '../../services/broker/connect-throttle.ts';

describe('ConnectThrottle', () => {
  const make = () => {
    const clock = { now: 0 };
    const th = new ConnectThrottle({ freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000, forgetMs: 60_000, maxEntries: 100, now: () => clock.now });
    return { clock, th };
  };

  it('blocks an address after the free failures, for a delay that doubles up to the cap', () => {
    const { clock, th } = make();
    for (let i = 0; i < 2; i++) expect(th.failed('services', '10.0.0.66')).toEqual([]);
    expect(th.blocked('services', '10.0.0.66')).toBeNull();
    expect(th.failed('services', '10.0.0.66')).toEqual(['address', 'username', 'pair']);
    expect(th.blocked('services', '10.0.0.66')).toEqual({ by: 'address', retryInMs: 1000 });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      clock.now += th.blocked('services', '10.0.0.66')!.retryInMs;
      expect(th.blocked('services', '10.0.0.66')).toBeNull();
      th.failed('services', '10.0.0.66');
      delays.push(th.blocked('services', '10.0.0.66')!.retryInMs);
    }
    expect(delays).toEqual([2000, 4000, 8000, 8000, 8000]);
  });

  it("one address's guesses do not block another address or another username", () => {
    const { th } = make();
    for (let i = 0; i < 3; i++) th.failed(`guess-${i}`, '10.0.0.66');
    expect(th.blocked('guess-9', '10.0.0.66')?.by).toBe('address');
    expect(th.blocked('services', '10.0.0.2')).toBeNull();
  });

  it('guesses at one username from many addresses block it, except from an address it logged in from', () => {
    const { th } = make();
    th.succeeded('gateway:gw-main', '10.0.0.2');
    for (let i = 0; i < 3; i++) th.failed('gateway:gw-main', `10.0.1.${i}`);
    expect(th.blocked('gateway:gw-main', '10.0.1.200')?.by).toBe('username');
    expect(th.blocked('gateway:gw-main', '10.0.0.2')).toBeNull();
    expect(th.blocked('automation', '10.0.1.200')).toBeNull();
  });

  it('a known username+address is exempt from the address block but throttled on its own', () => {
    const { th } = make();
    th.succeeded('services', '127.0.0.1');
    for (let i = 0; i < 3; i++) th.failed('automation', '127.0.0.1');
    expect(th.blocked('automation', '127.0.0.1')?.by).toBe('address');
    expect(th.blocked('services', '127.0.0.1')).toBeNull();
    for (let i = 0; i < 3; i++) th.failed('services', '127.0.0.1');
    expect(th.blocked('services', '127.0.0.1')?.by).toBe('pair');
  });

  it('forgets failures after a quiet while, and a login clears its address', () => {
    const { clock, th } = make();
    for (let i = 0; i < 2; i++) th.failed('services', '10.0.0.5');
    clock.now += 61_000;
    for (let i = 0; i < 2; i++) th.failed('services', '10.0.0.5');
    expect(th.blocked('services', '10.0.0.5')).toBeNull();
    th.succeeded('services', '10.0.0.5');
    for (let i = 0; i < 2; i++) th.failed('services', '10.0.0.5');
    // The address starts from zero (2 < 3); the username counts on (4), but this address is known.
    expect(th.blocked('services', '10.0.0.5')).toBeNull();
    expect(th.blocked('services', '10.0.0.6')?.by).toBe('username');
  });

  it('holds at most maxEntries keys per table, whatever the number of addresses and usernames', () => {
    const { th } = make();
    for (let i = 0; i < 10_000; i++) {
      th.failed(`user-${i}`, `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
      th.succeeded(`user-${i}`, `10.9.${(i >> 8) & 255}.${i & 255}`);
    }
    expect(th.size).toBeLessThanOrEqual(400);
  });
});
