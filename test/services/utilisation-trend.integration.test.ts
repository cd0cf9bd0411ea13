// The utilisation trend (per local day): the same numbers as the monthly CSV's desk_hours and
// utilisation_pct, DST days 23 and 25 hours long, zone and desk scope; the HTTP route with the
// analytics range and scope checks.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UtilisationTrend } from '../../contracts/api/index.ts';
import { SqliteHistoryStore } from '../../services/history/sqlite-store.ts';
import { Analytics } from '../../services/analytics/analytics.ts';
import { monthlyReport } from '../../services/analytics/report.ts';
import { occupancyPoint, type Point } from '../../services/history/point.ts';
import { startOfLocalDay } from '../../contracts/local-time.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startApp, loginAs, api, type Running } from './helpers.ts';

const TZ = 'Europe/Copenhagen';
const H = 3600_000;
/** Epoch ms of local midnight of `date` plus `hours` of elapsed time (not wall-clock). */
const after = (date: string, hours: number) => startOfLocalDay(date, TZ) + hours * H;
const occ = (desk: string, zone: string, occupied: boolean, ts: number) => occupancyPoint({ v: 1, ts, desk, occupied, since: ts }, zone);

const POINTS: Point[] = [
  // Every desk's sensor reports (free) from the day before each part: time before any report is no data.
  ...[...Array(16).keys()].flatMap((i) => {
    const desk = `d${String(i + 1).padStart(2, '0')}`;
    const zone = i < 10 ? 'open-space' : 'quiet-room';
    return [occ(desk, zone, false, startOfLocalDay('2025-03-27', TZ)), occ(desk, zone, false, startOfLocalDay('2025-10-25', TZ))];
  }),
  // d01 occupied 08:00–18:00 local (elapsed from midnight; 30 March lost an hour at 02:00).
  ...['2025-03-28', '2025-03-29', '2025-03-31'].flatMap((d) => [occ('d01', 'open-space', true, after(d, 8)), occ('d01', 'open-space', false, after(d, 18))]),
  occ('d01', 'open-space', true, after('2025-03-30', 7)),
  occ('d01', 'open-space', false, after('2025-03-30', 17)),
  // d02 10:00–12:00 and d11 (quiet room) 09:00–10:00 on Friday the 28th.
  occ('d02', 'open-space', true, after('2025-03-28', 10)),
  occ('d02', 'open-space', false, after('2025-03-28', 12)),
  occ('d11', 'quiet-room', true, after('2025-03-28', 9)),
  occ('d11', 'quiet-room', false, after('2025-03-28', 10)),
  // d05 occupied the whole of 26 October 2025, the 25-hour day the clocks go back, and 3 h into the 27th.
  occ('d05', 'open-space', true, startOfLocalDay('2025-10-26', TZ)),
  occ('d05', 'open-space', false, startOfLocalDay('2025-10-27', TZ) + 3 * H),
];

/**
 * CSV desk hours by date. (The CSV's utilisation is within opening hours, the trend's over the
 * whole day: they share the desk time in use, not the share.)
 */
function csvDays(csv: string): Map<string, string> {
  const rows = csv
    .trim()
    .split('\r\n')
    .slice(1)
    .map((l) => l.split(','));
  return new Map(rows.filter((r) => r[0] !== 'Total').map((r) => [r[0]!, r[7]!]));
}

function expectSameAsCsv(trend: UtilisationTrend, csv: string): void {
  const byDate = csvDays(csv);
  expect(trend.days.map((d) => d.date)).toEqual([...byDate.keys()]);
  for (const d of trend.days) {
    expect({ date: d.date, deskHours: d.deskHours.toFixed(1) }).toEqual({ date: d.date, deskHours: byDate.get(d.date) });
  }
}

describe('utilisation trend', () => {
  let site: TestSite;
  let dir: string;
  let store: SqliteHistoryStore;
  let a: Analytics;

  beforeAll(async () => {
    site = await makeTestSite();
    dir = mkdtempSync(join(tmpdir(), 'ss-trend-'));
    store = new SqliteHistoryStore(join(dir, 'history.db'));
    a = new Analytics(site.config, store);
    await store.write(POINTS);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    site.cleanup();
  });

  it('per local day: desk time occupied out of desks × the day length (23 h on 30 March)', async () => {
    const t = await a.trend('2025-03-28', '2025-03-31', {});
    expect(t).toMatchObject({ zone: null, desk: null, desks: 16 });
    expect(t.days.map((d) => d.date)).toEqual(['2025-03-28', '2025-03-29', '2025-03-30', '2025-03-31']);
    const [fri, sat, sun, mon] = t.days;
    expect(fri!.deskHours).toBeCloseTo(13, 9);
    expect(fri!.utilisation).toBeCloseTo(13 / (16 * 24), 12);
    expect(sat!.deskHours).toBeCloseTo(10, 9);
    expect(sun!.deskHours).toBeCloseTo(10, 9);
    expect(sun!.utilisation).toBeCloseTo(10 / (16 * 23), 12);
    expect(mon!.utilisation).toBeCloseTo(10 / (16 * 24), 12);
    for (const d of t.days) expect(d.utilisation).toBeGreaterThanOrEqual(0);
  });

  it('26 October is 25 hours long: a desk in use all of it is 25 desk-hours, 1/16 of the site', async () => {
    const t = await a.trend('2025-10-25', '2025-10-27', {});
    expect(t.days.map((d) => [d.date, d.deskHours])).toEqual([
      ['2025-10-25', 0],
      ['2025-10-26', 25],
      ['2025-10-27', 3],
    ]);
    expect(t.days[1]!.utilisation).toBeCloseTo(1 / 16, 12);
    const desk = await a.trend('2025-10-26', '2025-10-26', { desk: 'd05' });
    expect(desk).toMatchObject({ desk: 'd05', zone: null, desks: 1 });
    expect(desk.days[0]!.utilisation).toBeCloseTo(1, 12);
  });

  it('agrees with the monthly CSV, day by day, in a month with a DST change each way', async () => {
    expectSameAsCsv(await a.trend('2025-03-01', '2025-03-31', {}), await monthlyReport(a, site.config, '2025-03', 'en'));
    expectSameAsCsv(await a.trend('2025-10-01', '2025-10-31', {}), await monthlyReport(a, site.config, '2025-10', 'en'));
  });

  it('a zone or a desk in scope', async () => {
    const quiet = await a.trend('2025-03-28', '2025-03-28', { zone: 'quiet-room' });
    expect(quiet).toMatchObject({ zone: 'quiet-room', desk: null, desks: 6 });
    expect(quiet.days[0]!.deskHours).toBeCloseTo(1, 9);
    expect(quiet.days[0]!.utilisation).toBeCloseTo(1 / (6 * 24), 12);
    const d02 = await a.trend('2025-03-28', '2025-03-29', { desk: 'd02' });
    expect(d02.days.map((d) => Math.round(d.utilisation! * 1e9) / 1e9)).toEqual([Math.round((2 / 24) * 1e9) / 1e9, 0]);
  });

  it('time after now is no data, as in the report', async () => {
    const b = new Analytics(site.config, store, () => after('2025-03-29', 12));
    const t = await b.trend('2025-03-29', '2025-03-30', {});
    expect(t.days[0]!.deskHours).toBeCloseTo(4, 9);
    expect(t.days[0]!.knownHours).toBeCloseTo(16 * 12, 9);
    expect(t.days[1]).toMatchObject({ deskHours: 0, knownHours: 0, utilisation: null });
  });
});

describe('GET /api/analytics/utilisation-trend', () => {
  let r: Running;
  let host: string;
  const trend = (q: string, cookie = host) => api<UtilisationTrend>(r, 'GET', `/api/analytics/utilisation-trend?${q}`, { cookie });

  beforeAll(async () => {
    r = await startApp();
    host = await loginAs(r, 'mette');
    await r.app.history.store.write(POINTS);
  });
  afterAll(() => r.stop());

  it('answers a host with the trend, the same as the monthly CSV', async () => {
    const res = await trend('from=2025-03-01&to=2025-03-31');
    expect(res.status).toBe(200);
    expect(res.body.days).toHaveLength(31);
    expect(res.body.days.find((d) => d.date === '2025-03-30')!.utilisation).toBeCloseTo(10 / (16 * 23), 12);
    const csv = await api<string>(r, 'GET', '/api/reports/monthly.csv?month=2025-03&lang=en', { cookie: host });
    expect(csv.status).toBe(200);
    expectSameAsCsv(res.body, csv.body);
    const zone = await trend('from=2025-03-28&to=2025-03-28&zone=quiet-room');
    expect(zone.body).toMatchObject({ zone: 'quiet-room', desk: null, desks: 6 });
    const desk = await trend('from=2025-03-28&to=2025-03-28&desk=d02');
    expect(desk.body).toMatchObject({ zone: null, desk: 'd02', desks: 1 });
    expect(desk.body.days[0]!.deskHours).toBeCloseTo(2, 9);
  });

  it('hosts and operators only', async () => {
    expect((await trend('from=2025-03-01&to=2025-03-31', await loginAs(r, 'jonas'))).status).toBe(403);
    expect((await trend('from=2025-03-01&to=2025-03-31', await loginAs(r, 'ida'))).status).toBe(200);
    expect((await api(r, 'GET', '/api/analytics/utilisation-trend?from=2025-03-01&to=2025-03-31')).status).toBe(401);
  });

  it('bad ranges and scopes are a 400 with a reason', async () => {
    const cases: Array<[string, string]> = [
      ['from=2025-03-31&to=2025-03-01', 'bad-date'],
      ['from=2025-02-30&to=2025-03-01', 'bad-date'],
      ['from=2024-01-01&to=2025-03-01', 'bad-range'],
      ['from=2025-03-01', 'bad-request'],
      ['from=yesterday&to=2025-03-01', 'bad-request'],
      ['from=2025-03-01&to=2025-03-02&zone=attic', 'unknown-zone'],
      ['from=2025-03-01&to=2025-03-02&desk=d99', 'unknown-desk'],
      ['from=2025-03-01&to=2025-03-02&zone=quiet-room&desk=d11', 'bad-request'],
      ['from=2025-03-01&to=2025-03-02&desk=not%20an%20id', 'bad-request'],
    ];
    for (const [q, error] of cases) {
      const res = await trend(q);
      expect({ q, status: res.status, error: res.body && (res.body as unknown as { error: string }).error }).toEqual({ q, status: 400, error });
    }
  });
});
