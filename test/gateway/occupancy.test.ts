import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeskEstimator } from '../../gateway/occupancy/desk-estimator.ts';
import { SimPresenceSensor } from '../../gateway/drivers/sim/sim-presence-sensor.ts';
import type { DeskOccupancy } from '../../contracts/payloads.ts';

describe('desk occupancy', () => {
  let sensor: SimPresenceSensor;
  let desk: DeskEstimator;
  let changes: DeskOccupancy[];

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    sensor = new SimPresenceSensor('d01-pir');
    sensor.start();
    desk = new DeskEstimator({ desk: 'd01', sensor, holdMs: 60_000 });
    changes = [];
    desk.on('change', (c) => changes.push(c));
    desk.start();
  });
  afterEach(() => {
    desk.stop();
    desk.stop();
    vi.useRealTimers();
  });

  it('starts free, is occupied at once, free only after the hold time', () => {
    expect(changes).toEqual([{ v: 1, ts: Date.now(), desk: 'd01', occupied: false, since: Date.now() }]);
    sensor.set(true);
    expect(changes.at(-1)).toMatchObject({ occupied: true, since: Date.now() });
    sensor.set(false);
    vi.advanceTimersByTime(59_999);
    expect(desk.current()?.occupied).toBe(true);
    vi.advanceTimersByTime(1);
    expect(changes.at(-1)).toMatchObject({ occupied: false });
    expect(changes).toHaveLength(3);
  });

  it('presence during the hold keeps it occupied, with no extra change', () => {
    sensor.set(true);
    sensor.set(false);
    vi.advanceTimersByTime(30_000);
    sensor.set(true);
    sensor.set(true);
    vi.advanceTimersByTime(120_000);
    expect(changes.map((c) => c.occupied)).toEqual([false, true]);
  });
});
