// History Grafana users can query (issue 13, finding 14), against Debian's InfluxDB 1.6.7 (influxd
// on a private port): the points ingest writes (the same point functions) answer the InfluxQL a
// utilisation or visitors panel sends — MEAN(occupied) GROUP BY time, COUNT(DISTINCT member_id),
// door open durations and open/close counts by zone — with rows. No field repeats the time.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { InfluxDb1Store } from '../../services/history/influxdb1-store.ts';
import { doorEventPoint, doorStatePoint, healthPoint, occupancyPoint } from '../../services/history/point.ts';
import { startInfluxd, type Influxd } from '../helpers/influxd.ts';
import { access } from '../services/history/contract.ts';

const T = Date.UTC(2026, 11, 2, 9, 0); // Wednesday 2 December 2026, 10:00 in Copenhagen
const M = 60_000;

describe('InfluxDB 1.x history for Grafana', () => {
  let influxd: Influxd;
  let store: InfluxDb1Store;
  const influxql = async (q: string): Promise<{ columns: string[]; values: unknown[][] }[]> => {
    const url = new URL('/query', influxd.url);
    url.searchParams.set('db', 'grafana');
    url.searchParams.set('epoch', 'ms');
    url.searchParams.set('q', q);
    const body = (await (await fetch(url)).json()) as { results: { error?: string; series?: { columns: string[]; values: unknown[][] }[] }[] };
    expect(body.results[0]!.error).toBeUndefined();
    return body.results[0]!.series ?? [];
  };
  const range = `time >= ${T}ms AND time < ${T + 120 * M}ms`;

  beforeAll(async () => {
    influxd = await startInfluxd();
    store = new InfluxDb1Store({ url: influxd.url, database: 'grafana' });
    await store.write([
      // d01 taken 10:00–10:30, d02 10:15–11:00, d03's sensor in fault from 10:00.
      occupancyPoint({ v: 1, ts: T, desk: 'd01', occupied: true, since: T }, 'open-space'),
      occupancyPoint({ v: 1, ts: T + 30 * M, desk: 'd01', occupied: false, since: T + 30 * M }, 'open-space'),
      occupancyPoint({ v: 1, ts: T, desk: 'd02', occupied: false, since: T }, 'open-space'),
      occupancyPoint({ v: 1, ts: T + 15 * M, desk: 'd02', occupied: true, since: T + 15 * M }, 'open-space'),
      occupancyPoint({ v: 1, ts: T + 60 * M, desk: 'd02', occupied: false, since: T + 60 * M }, 'open-space'),
      occupancyPoint({ v: 1, ts: T, desk: 'd03', occupied: null, since: T }, 'open-space'),
      // Entries: sofie twice, jonas once, a denial for lars.
      doorEventPoint(access(T + 1 * M, 'evt-g0000001', 'sofie'), undefined, 'open-space'),
      doorEventPoint(access(T + 2 * M, 'evt-g0000002', 'jonas'), undefined, 'open-space'),
      doorEventPoint(access(T + 50 * M, 'evt-g0000003', 'sofie'), undefined, 'open-space'),
      doorEventPoint(access(T + 51 * M, 'evt-g0000004', 'lars', { decision: 'denied', reason: 'outside-schedule' }), undefined, 'open-space'),
      // The front door open 10:01:00–10:01:12 and 10:50:00–10:50:04.
      doorStatePoint('front', true, T + 1 * M, undefined, 'open-space'),
      doorStatePoint('front', false, T + 1 * M + 12_000, T + 1 * M, 'open-space'),
      doorStatePoint('front', true, T + 50 * M, undefined, 'open-space'),
      doorStatePoint('front', false, T + 50 * M + 4000, T + 50 * M, 'open-space'),
      healthPoint({ v: 1, ts: T + 5 * M, device: 'd01-pir', kind: 'presence-sensor', gateway: 'gw-main', state: 'ok', lastSeen: T + 4 * M }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await influxd?.cleanup();
  });

  it('MEAN(occupied) GROUP BY time: a utilisation per interval, unknown left out', async () => {
    const [s] = await influxql(`SELECT MEAN("occupied") FROM "occupancy" WHERE ${range} GROUP BY time(30m) fill(none)`);
    // Change points 10:00–10:30: d01 1, d02 0 then 1 (d03 unknown: no value, not a 0).
    expect(s!.values.map(([t, v]) => [t, Math.round(Number(v) * 1000) / 1000])).toEqual([
      [T, 0.667],
      [T + 30 * M, 0],
      [T + 60 * M, 0],
    ]);
    const [states] = await influxql(`SELECT COUNT("state") FROM "occupancy" WHERE ${range} AND "state" = 'unknown'`);
    expect(states!.values[0]![1]).toBe(1);
  });

  it('COUNT(DISTINCT member_id): unique members who came in', async () => {
    const [s] = await influxql(`SELECT COUNT(DISTINCT("member_id")) FROM "door_event" WHERE ${range} AND "decision" = 'granted'`);
    expect(s!.values[0]![1]).toBe(2);
    const [byHour] = await influxql(`SELECT COUNT(DISTINCT("member_id")) FROM "door_event" WHERE ${range} AND "zone" = 'open-space' GROUP BY time(1h)`);
    expect(byHour!.values.map((v) => v[1])).toEqual([3, 0]);
  });

  it('door openings and how long they lasted, by zone', async () => {
    const [opened] = await influxql(`SELECT SUM("open") FROM "door_state" WHERE ${range} GROUP BY "zone"`);
    expect(opened!.values[0]![1]).toBe(2);
    const [dur] = await influxql(`SELECT SUM("open_s"), MAX("open_s") FROM "door_state" WHERE ${range} AND "door" = 'front'`);
    expect(dur!.values[0]!.slice(1)).toEqual([16, 12]);
  });

  it('no field repeats the time as float epoch ms', async () => {
    const keys = await influxql('SHOW FIELD KEYS');
    const all = keys.flatMap((s) => s.values.map((v) => String(v[0])));
    expect(all).not.toContain('since');
    expect(all).not.toContain('lastSeen');
    expect(all).toEqual(expect.arrayContaining(['occupied', 'member_id', 'open', 'open_s', 'silent_s']));
  });

  it('0/1 states are integer fields (1i), and unknown occupancy is no 0', async () => {
    const types = async (m: string) => Object.fromEntries((await influxql(`SHOW FIELD KEYS FROM "${m}"`))[0]!.values.map((v) => [v[0], v[1]]));
    expect(await types('occupancy')).toMatchObject({ occupied: 'integer', state: 'string' });
    expect(await types('door_state')).toMatchObject({ open: 'integer', open_s: 'float' });
    const [d03] = await influxql(`SELECT COUNT("occupied") FROM "occupancy" WHERE ${range} AND "desk" = 'd03'`);
    expect(d03).toBeUndefined();
    const [sum] = await influxql(`SELECT SUM("occupied") FROM "occupancy" WHERE ${range}`);
    expect(sum!.values[0]![1]).toBe(2);
  });
});
