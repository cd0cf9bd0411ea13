import { describe, expect, it, vi } from 'vitest';
import { applyLive, EMPTY_STATE, FEED_LIMIT, isLiveMessage, Store } from '../../dashboard/src/data/store.ts';
import { doorStatus } from '../../dashboard/src/data/door-status.ts';
import { device, faultyReader } from './device-fixture.ts';
import { accessEvent, desk, door, doorState, gateway, T0 } from './fixtures.ts';

const snapshot = () =>
  applyLive(EMPTY_STATE, {
    type: 'snapshot',
    doors: [door(), door({ id: 'meeting', name: 'Meeting room' })],
    desks: [desk('d01', 'open-space', 120, 140, false), desk('d02', 'open-space', 270, 140, null)],
    events: [accessEvent({ id: 'ev-old00001', ts: T0 - 60_000 }), accessEvent({ id: 'ev-new00001', ts: T0 })],
    gateways: [gateway()],
  });

describe('applyLive', () => {
  it('applies a snapshot: doors, desks, gateways, events newest first', () => {
    const s = snapshot();
    expect(s.live).toBe(true);
    expect(s.doors.map((d) => d.id)).toEqual(['front', 'meeting']);
    expect(s.desks.map((d) => d.occupied)).toEqual([false, null]);
    expect(s.events.map((e) => e.id)).toEqual(['ev-new00001', 'ev-old00001']);
    expect(s.gateways).toHaveLength(1);
  });

  it('replaces a door on a door delta and leaves the others as they were', () => {
    const s0 = snapshot();
    const s1 = applyLive(s0, { type: 'door', door: door({ state: doorState({ lock: 'unlocked', ts: T0 + 1 }) }) });
    expect(s1.doors[0]?.state?.lock).toBe('unlocked');
    expect(s1.doors[1]).toBe(s0.doors[1]);
    expect(s1.desks).toBe(s0.desks);
    expect(s0.doors[0]?.state?.lock).toBe('locked'); // the old state is not mutated
  });

  it('updates a desk on a desk delta', () => {
    const s = applyLive(snapshot(), { type: 'desk', desk: desk('d02', 'open-space', 270, 140, true) });
    expect(s.desks.find((d) => d.id === 'd02')?.occupied).toBe(true);
    expect(s.desks).toHaveLength(2);
  });

  it('adds a door or desk it did not know', () => {
    const s = applyLive(snapshot(), { type: 'desk', desk: desk('d03', 'open-space', 420, 140, false) });
    expect(s.desks.map((d) => d.id)).toEqual(['d01', 'd02', 'd03']);
  });

  it('puts new events first, ignores repeats and keeps the feed short', () => {
    let s = snapshot();
    s = applyLive(s, { type: 'event', event: accessEvent({ id: 'ev-newest01', ts: T0 + 1000 }) });
    expect(s.events[0]?.id).toBe('ev-newest01');
    const again = applyLive(s, { type: 'event', event: accessEvent({ id: 'ev-newest01', ts: T0 + 1000 }) });
    expect(again).toBe(s);
    // an offline decision delivered late sorts by when it happened
    s = applyLive(s, { type: 'event', event: accessEvent({ id: 'ev-late0001', ts: T0 - 30_000, offline: true }) });
    expect(s.events.map((e) => e.id)).toEqual(['ev-newest01', 'ev-new00001', 'ev-late0001', 'ev-old00001']);
    for (let i = 0; i < FEED_LIMIT + 5; i++) {
      s = applyLive(s, { type: 'event', event: accessEvent({ id: `ev-bulk${String(i).padStart(4, '0')}`, ts: T0 + 2000 + i }) });
    }
    expect(s.events).toHaveLength(FEED_LIMIT);
    expect(s.events[0]?.id).toBe(`ev-bulk${String(FEED_LIMIT + 4).padStart(4, '0')}`);
  });

  it('makes the doors of a gateway that goes offline unknown, never locked', () => {
    const s0 = snapshot();
    expect(s0.doors.map(doorStatus)).toEqual(['locked', 'locked']);
    const s1 = applyLive(s0, { type: 'gateway', gateway: gateway({ online: false }) });
    expect(s1.gateways[0]?.online).toBe(false);
    expect(s1.doors.map((d) => d.gatewayOnline)).toEqual([false, false]);
    expect(s1.doors.map(doorStatus)).toEqual(['unknown', 'unknown']);
    // back online: still unknown until the door reports again
    const s2 = applyLive(s1, { type: 'gateway', gateway: gateway({ online: true }) });
    expect(s2.doors.map(doorStatus)).toEqual(['unknown', 'unknown']);
    const s3 = applyLive(s2, { type: 'door', door: door() });
    expect(s3.doors.map(doorStatus)).toEqual(['locked', 'unknown']);
  });

  it('leaves doors of other gateways alone', () => {
    const s0 = applyLive(snapshot(), { type: 'door', door: door({ id: 'back', name: 'Back door', gateway: 'gw-annex' }) });
    const s1 = applyLive(s0, { type: 'gateway', gateway: gateway({ online: false }) });
    expect(s1.doors.find((d) => d.id === 'back')).toBe(s0.doors.find((d) => d.id === 'back'));
  });

  it('a reconnect snapshot replaces everything', () => {
    let s = applyLive(snapshot(), { type: 'gateway', gateway: gateway({ online: false }) });
    s = applyLive(s, { type: 'snapshot', doors: [door()], desks: [], events: [], gateways: [gateway()] });
    expect(s.doors.map(doorStatus)).toEqual(['locked']);
    expect(s.events).toEqual([]);
  });
});

describe('devices in the live state', () => {
  const withDevices = () =>
    applyLive(EMPTY_STATE, {
      type: 'snapshot',
      doors: [door()],
      desks: [],
      events: [],
      gateways: [gateway()],
      devices: [device(), device({ id: 'front-lock', kind: 'lock' })],
    });

  it('keeps the devices of the snapshot, and none when the snapshot has none (a member)', () => {
    expect(withDevices().devices.map((d) => d.id)).toEqual(['front-reader', 'front-lock']);
    expect(snapshot().devices).toEqual([]);
  });

  it('replaces a device on a device message and adds one it did not know', () => {
    const s0 = withDevices();
    const s1 = applyLive(s0, { type: 'device', device: faultyReader(T0) });
    expect(s1.devices.map((d) => [d.id, d.state])).toEqual([
      ['front-reader', 'fault'],
      ['front-lock', 'ok'],
    ]);
    expect(s1.devices[1]).toBe(s0.devices[1]);
    expect(s1.doors).toBe(s0.doors);
    const s2 = applyLive(s1, { type: 'device', device: device({ id: 'd05-pir', kind: 'presence-sensor', door: null, desk: 'd05' }) });
    expect(s2.devices.map((d) => d.id)).toEqual(['front-reader', 'front-lock', 'd05-pir']);
  });

  it('resyncs on reconnect: the new snapshot’s devices replace what was there', () => {
    const before = applyLive(withDevices(), { type: 'device', device: faultyReader(T0) });
    const after = applyLive(before, { type: 'snapshot', doors: [door()], desks: [], events: [], gateways: [gateway()], devices: [device()] });
    expect(after.devices).toEqual([device()]);
  });

  it('the store hands device messages to subscribers, and forgets devices on reset', () => {
    const store = new Store();
    const seen = vi.fn();
    store.subscribe(seen);
    store.apply({ type: 'device', device: faultyReader(T0) });
    expect(seen).toHaveBeenLastCalledWith(expect.objectContaining({ devices: [faultyReader(T0)] }));
    store.reset();
    expect(store.state.devices).toEqual([]);
  });

  it('knows a device message and a snapshot with devices when it sees one', () => {
    expect(isLiveMessage({ type: 'device', device: device() })).toBe(true);
    expect(isLiveMessage({ type: 'device', device: {} })).toBe(false);
    expect(isLiveMessage({ type: 'snapshot', doors: [], desks: [], events: [], gateways: [], devices: [device()] })).toBe(true);
    expect(isLiveMessage({ type: 'snapshot', doors: [], desks: [], events: [], gateways: [], devices: 'x' })).toBe(false);
  });
});

describe('doorStatus', () => {
  it('reads open, unlocked, locked and unknown', () => {
    expect(doorStatus(door({ state: doorState({ contact: 'open', lock: 'unlocked' }) }))).toBe('open');
    expect(doorStatus(door({ state: doorState({ lock: 'unlocked' }) }))).toBe('unlocked');
    expect(doorStatus(door())).toBe('locked');
    expect(doorStatus(door({ state: null }))).toBe('unknown');
    expect(doorStatus(door({ gatewayOnline: false }))).toBe('unknown');
  });
});

describe('isLiveMessage', () => {
  it('accepts the known shapes and refuses the rest', () => {
    expect(isLiveMessage({ type: 'door', door: door() })).toBe(true);
    expect(isLiveMessage({ type: 'snapshot', doors: [], desks: [], events: [], gateways: [] })).toBe(true);
    expect(isLiveMessage({ type: 'door' })).toBe(false);
    expect(isLiveMessage({ type: 'weather', weather: { id: 'x' } })).toBe(false);
    expect(isLiveMessage('door')).toBe(false);
    expect(isLiveMessage(null)).toBe(false);
  });
});

describe('Store', () => {
  it('tells subscribers, and ignores REST seeding once the live snapshot is in', () => {
    const store = new Store();
    const seen = vi.fn();
    const unsubscribe = store.subscribe(seen);
    store.seed([door({ state: null })], [], []);
    expect(store.state.doors[0]?.state).toBeNull();
    store.apply({ type: 'snapshot', doors: [door()], desks: [], events: [], gateways: [] });
    store.seed([door({ state: null })], [], []);
    expect(store.state.doors[0]?.state?.lock).toBe('locked');
    expect(seen).toHaveBeenCalledTimes(2);
    unsubscribe();
    store.reset();
    expect(seen).toHaveBeenCalledTimes(2);
    expect(store.state.doors).toEqual([]);
  });
});
