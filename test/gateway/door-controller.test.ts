import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DoorController, FORCED_CONFIRM_MS } from '../../gateway/door/door-controller.ts';
import { SimLock } from '../../gateway/drivers/sim/sim-lock.ts';
import { SimDoorContact } from '../../gateway/drivers/sim/sim-door-contact.ts';
import type { DoorState } from '../../contracts/payloads.ts';

describe('door controller', () => {
  let lock: SimLock;
  let contact: SimDoorContact;
  let door: DoorController;
  let states: DoorState[];
  let activity: string[];

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    lock = new SimLock('front-lock');
    contact = new SimDoorContact('front-contact');
    lock.start();
    contact.start();
    door = new DoorController({ id: 'front', unlockMs: 5000, heldOpenMs: 30_000, lock, contact });
    states = [];
    activity = [];
    door.on('state', (s) => states.push(s));
    door.on('activity', (k) => activity.push(k));
    door.start();
  });

  afterEach(() => {
    door.stop();
    vi.useRealTimers();
  });

  it('unlocks on a grant and relocks after unlockMs', () => {
    door.grant();
    expect(lock.state).toBe('unlocked');
    expect(states.at(-1)).toMatchObject({ door: 'front', lock: 'unlocked', contact: 'closed', mode: 'normal', relockAt: Date.now() + 5000 });
    vi.advanceTimersByTime(4999);
    expect(lock.state).toBe('unlocked');
    vi.advanceTimersByTime(1);
    expect(lock.state).toBe('locked');
    expect(states.at(-1)).toMatchObject({ lock: 'locked', alarms: [] });
    expect(states.at(-1)?.relockAt).toBeUndefined();
  });

  it('a new grant while unlocked extends the unlock', () => {
    door.grant();
    vi.advanceTimersByTime(4000);
    door.grant();
    vi.advanceTimersByTime(4000);
    expect(lock.state).toBe('unlocked');
    vi.advanceTimersByTime(1000);
    expect(lock.state).toBe('locked');
  });

  it('relocks early when the door closes after being opened', () => {
    door.grant();
    vi.advanceTimersByTime(1000);
    contact.set(true);
    expect(states.at(-1)).toMatchObject({ lock: 'unlocked', contact: 'open' });
    contact.set(false);
    expect(lock.state).toBe('locked');
    expect(states.at(-1)).toMatchObject({ lock: 'locked', contact: 'closed' });
    const ops = lock.operations;
    vi.advanceTimersByTime(10_000);
    expect(lock.operations).toBe(ops); // the relock timer is gone
  });

  it('a door opened while locked is forced open once it stays open, cleared when it closes', () => {
    contact.set(true);
    expect(activity).toEqual([]); // a bouncing contact is not a break-in: wait for the confirmation
    vi.advanceTimersByTime(FORCED_CONFIRM_MS);
    expect(activity).toEqual(['forced-open']);
    expect(states.at(-1)).toMatchObject({ lock: 'locked', contact: 'open', alarms: ['forced-open'] });
    contact.set(false);
    expect(states.at(-1)).toMatchObject({ alarms: [] });
  });

  it('a contact that bounces open for less than the confirmation raises nothing', () => {
    contact.set(true);
    vi.advanceTimersByTime(FORCED_CONFIRM_MS - 100);
    contact.set(false);
    vi.advanceTimersByTime(10_000);
    expect(activity).toEqual([]);
  });

  it('a push on the door just before the exit button is not forced', () => {
    contact.set(true);
    vi.advanceTimersByTime(100);
    door.exitRequest();
    vi.advanceTimersByTime(FORCED_CONFIRM_MS * 2);
    expect(activity).toEqual([]);
    expect(lock.state).toBe('unlocked');
    contact.set(false);
    expect(lock.state).toBe('locked'); // relocked as soon as it closed
  });

  it('held open past heldOpenMs raises held-open once; closing clears it', () => {
    door.grant();
    contact.set(true);
    vi.advanceTimersByTime(29_999);
    expect(activity).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(activity).toEqual(['held-open']);
    expect(states.at(-1)).toMatchObject({ contact: 'open', alarms: ['held-open'] });
    vi.advanceTimersByTime(120_000);
    expect(activity).toEqual(['held-open']);
    contact.set(false);
    expect(states.at(-1)).toMatchObject({ contact: 'closed', alarms: [], lock: 'locked' });
  });

  it('a door held by command may stand open: no held-open alarm', () => {
    door.hold();
    contact.set(true);
    vi.advanceTimersByTime(120_000);
    expect(activity).toEqual([]);
    expect(door.state()).toMatchObject({ mode: 'held', lock: 'unlocked', alarms: [] });
  });

  it('lockdown: locked, grants and holds refused, the exit button still opens; release restores normal', () => {
    door.grant();
    door.lockdown();
    expect(door.state()).toMatchObject({ mode: 'lockdown', lock: 'locked' });
    expect(door.grant()).toBe(false);
    expect(door.hold()).toBe(false);
    expect(lock.state).toBe('locked');
    door.exitRequest();
    expect(lock.state).toBe('unlocked');
    vi.advanceTimersByTime(5000);
    expect(door.state()).toMatchObject({ mode: 'lockdown', lock: 'locked' });
    door.release();
    expect(door.state()).toMatchObject({ mode: 'normal', lock: 'locked' });
    expect(door.grant()).toBe(true);
    expect(lock.state).toBe('unlocked');
  });

  it('hold keeps it unlocked until release; lock relocks at once', () => {
    door.hold();
    vi.advanceTimersByTime(60_000);
    expect(lock.state).toBe('unlocked');
    expect(door.state().mode).toBe('held');
    door.release();
    expect(lock.state).toBe('locked');
    door.grant();
    door.lockNow();
    expect(lock.state).toBe('locked');
    expect(door.state()).toMatchObject({ mode: 'normal', lock: 'locked' });
  });

  it('stop relocks and is safe twice', () => {
    door.grant();
    door.stop();
    door.stop();
    expect(lock.state).toBe('locked');
    vi.advanceTimersByTime(10_000);
  });

  it('without a contact the state says unknown', () => {
    const l = new SimLock('x');
    const d = new DoorController({ id: 'meeting', unlockMs: 3000, lock: l });
    d.start();
    expect(d.state()).toMatchObject({ lock: 'locked', contact: 'unknown' });
    d.stop();
  });
});
