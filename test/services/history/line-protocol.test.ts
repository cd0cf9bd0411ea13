// The lines both InfluxDB stores write: 0/1 states as integers (`1i`), so that Grafana's MEAN()
// and SUM() take them; a desk of unknown state has no `occupied` at all (never a 0).
import { describe, it, expect } from 'vitest';
import { toLine } from '../../../services/history/line-protocol.ts';
import { doorStatePoint, occupancyPoint, readingPoint } from '../../../services/history/point.ts';

const T = Date.UTC(2026, 11, 2, 9, 0);

describe('line protocol', () => {
  it('writes occupied and open as integers, other numbers as floats', () => {
    expect(toLine(occupancyPoint({ v: 1, ts: T, desk: 'd01', occupied: true, since: T }, 'open-space'))).toBe(
      `occupancy,desk=d01,zone=open-space occupied=1i,state="occupied" ${T}000000`,
    );
    expect(toLine(occupancyPoint({ v: 1, ts: T, desk: 'd01', occupied: false, since: T }, undefined))).toBe(
      `occupancy,desk=d01 occupied=0i,state="free" ${T}000000`,
    );
    expect(toLine(doorStatePoint('front', false, T + 1500, T))).toBe(`door_state,door=front open=0i,open_s=1.5 ${T + 1500}000000`);
    expect(toLine(readingPoint({ v: 1, ts: T, sensor: 's1', kind: 'temp', value: 21 }))).toBe(`reading,kind=temp,sensor=s1 value=21 ${T}000000`);
  });

  it('writes unknown occupancy without an occupied field', () => {
    expect(toLine(occupancyPoint({ v: 1, ts: T, desk: 'd03', occupied: null, since: T }, undefined))).toBe(`occupancy,desk=d03 state="unknown" ${T}000000`);
  });
});
