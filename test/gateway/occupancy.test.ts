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
    desk = new DeskEstimator({ desk: 'd01', sensors: [sensor], holdMs: 60_000, enterMs: 0 });
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

describe('desk occupancy with hysteresis, PIR and radar combined', () => {
  let pir: SimPresenceSensor;
  let radar: SimPresenceSensor;
  let desk: DeskEstimator;
  let changes: (boolean | null)[];

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    pir = new SimPresenceSensor('d01-pir');
    radar = new SimPresenceSensor('d01-radar');
    pir.start();
    radar.start();
    desk = new DeskEstimator({ desk: 'd01', sensors: [pir, radar], enterMs: 10_000, holdMs: 120_000 });
    changes = [];
    desk.on('change', (c) => changes.push(c.occupied));
    desk.start();
  });
  afterEach(() => {
    desk.stop();
    vi.useRealTimers();
  });

  it('a passer-by (three seconds of motion) does not take the desk', () => {
    pir.set(true);
    vi.advanceTimersByTime(3000);
    pir.set(false);
    vi.advanceTimersByTime(60_000);
    expect(changes).toEqual([false]);
  });

  it('someone settling in (PIR pulses with gaps) takes it once presence has lasted enterS', () => {
    for (let t = 0; t < 4; t++) {
      pir.set(true);
      vi.advanceTimersByTime(2500);
      pir.set(false);
      vi.advanceTimersByTime(2000);
    }
    expect(changes).toEqual([false, true]);
  });

  it('a person sitting still stays occupied on the radar alone; free holdS after they leave', () => {
    radar.set(true);
    vi.advanceTimersByTime(10_000);
    expect(changes).toEqual([false, true]);
    pir.set(true);
    pir.set(false);
    vi.advanceTimersByTime(3 * 3600_000); // hours of stillness: the PIR sees nothing, the radar does
    expect(desk.current()?.occupied).toBe(true);
    radar.set(false);
    vi.advanceTimersByTime(119_999);
    expect(desk.current()?.occupied).toBe(true);
    vi.advanceTimersByTime(1);
    expect(changes).toEqual([false, true, false]);
  });

  it('a sensor in fault says nothing: the other decides; all in fault is unknown, not the last state', () => {
    radar.set(true);
    vi.advanceTimersByTime(10_000);
    expect(changes).toEqual([false, true]);
    radar.setFault('no frames for 5 s');
    // The PIR alone: nobody moving, so free after the hold time.
    vi.advanceTimersByTime(120_000);
    expect(changes).toEqual([false, true, false]);
    pir.setFault('GPIO line lost');
    expect(changes).toEqual([false, true, false, null]);
    expect(desk.current()).toMatchObject({ occupied: null, since: Date.now() });
    // Readings from a sensor in fault change nothing; unknown is emitted once.
    radar.set(true);
    vi.advanceTimersByTime(600_000);
    expect(changes).toEqual([false, true, false, null]);
    // Back: a fresh estimate (radar sees someone: occupied after enterS).
    radar.setFault(null);
    vi.advanceTimersByTime(10_000);
    expect(changes).toEqual([false, true, false, null, false, true]);
  });

  it('presence on one source keeps the desk while the other goes quiet', () => {
    pir.set(true);
    vi.advanceTimersByTime(10_000);
    radar.set(true);
    pir.set(false);
    vi.advanceTimersByTime(300_000);
    expect(changes).toEqual([false, true]);
  });
});
