// Offline-first (issue 3, item 6): "time since last contact with the services", kept across a
// reboot, decides when only offline-capable credentials open doors.
import { afterEach, describe, expect, it } from 'vitest';
import { ContactClock } from '../../gateway/access/contact-clock.ts';

const HOUR = 3_600_000;

describe('contact clock', () => {
  let now = 1_700_000_000_000;
  let stored: number | undefined;
  let clocks: ContactClock[] = [];
  const store = { read: () => stored, write: (at: number) => void (stored = at) };
  const clock = (fallback?: () => number | undefined) => {
    const c = new ContactClock({ offlineAfterMs: 36 * HOUR, store, fallback, now: () => now });
    c.start();
    clocks.push(c);
    return c;
  };
  afterEach(() => {
    for (const c of clocks) c.stop();
    clocks = [];
    stored = undefined;
  });

  it('never restricts while in contact, however old the access list', () => {
    const c = clock(() => now - 100 * HOUR);
    c.setInContact(true);
    now += 100 * HOUR;
    expect(c.offlineOnly(now)).toBe(false);
    expect(c.lastContact()).toBe(now);
  });

  it('restricts once offlineAfter has passed since contact was lost, and the limit survives a reboot', () => {
    const c = clock();
    c.setInContact(true);
    now += 10 * HOUR;
    c.setInContact(false);
    const lost = now;
    now += 30 * HOUR;
    expect(c.offlineOnly(now)).toBe(false);
    c.stop();
    // Reboot 30 h into the outage: the count goes on from the stored time, not from zero.
    const after = clock();
    expect(after.lastContact()).toBe(lost);
    now += 7 * HOUR;
    expect(after.offlineOnly(now)).toBe(true);
    after.setInContact(true);
    expect(after.offlineOnly(now)).toBe(false);
  });

  it('with nothing stored yet, the stored access list issue time counts as contact', () => {
    const c = clock(() => now - 37 * HOUR);
    expect(c.offlineOnly(now)).toBe(true);
    c.touch(); // a freshly signed list arrived
    expect(c.offlineOnly(now)).toBe(false);
    expect(stored).toBe(now);
  });

  it('a gateway that never had contact nor a list is not restricted (it has no list to decide from)', () => {
    expect(clock().offlineOnly(now)).toBe(false);
  });
});
