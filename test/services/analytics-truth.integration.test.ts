// Analytics count only time that happened and that a sensor reported (issue 13, finding 1):
// through the HTTP API, the heatmap, trend, peak and the monthly CSV are computed from one
// fixture spanning the night the clocks go forward in Copenhagen, and agree with each other; 30
// minutes of data on a Wednesday fill one heatmap cell, not the month; a desk whose sensor is in
// fault is no data, neither free nor occupied; utilisation within opening hours.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { UtilisationByHour, UtilisationTrend, PeakOccupancy } from '../../contracts/api/index.ts';
import { Analytics } from '../../services/analytics/analytics.ts';
import { occupancyPoint, type Point } from '../../services/history/point.ts';
import { startOfLocalDay, localWeekMinute } from '../../contracts/local-time.ts';
import { startApp, loginAs, api, type Running } from './helpers.ts';

const TZ = 'Europe/Copenhagen';

/** Epoch ms of a local wall-clock time in Copenhagen (on 29 March 2026 02:00–03:00 does not exist). */
function at(date: string, hh: number, mm = 0): number {
  const want = hh * 60 + mm;
  let t = startOfLocalDay(date, TZ) + want * 60_000;
  for (let i = 0; i < 2; i++) t += (want - localWeekMinute(t, TZ).minute) * 60_000;
  return t;
}
const occ = (desk: string, occupied: boolean | null, ts: number): Point =>
  occupancyPoint({ v: 1, ts, desk, occupied, since: ts }, desk === 'd11' ? 'quiet-room' : 'open-space');

async function withApp(now: number, points: Point[]): Promise<{ r: Running; now: number; get: <T>(path: string) => Promise<T> }> {
  const r = await startApp({ app: { now: () => now } });
  const cookie = await loginAs(r, 'mette');
  await r.app.history.store.write(points);
  const get = async <T>(path: string): Promise<T> => {
    const res = await api<T>(r, 'GET', path, { cookie });
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return res.body;
  };
  return { r, now, get };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('analytics over 30 minutes of data on a Wednesday', () => {
  let app: Awaited<ReturnType<typeof withApp>>;
  // Wednesday 2 December 2026, 10:30 local. d01 taken at 10:00, d02 free since 10:00, d03 taken at
  // 10:00 and its sensor in fault from 10:10. The other 13 desks never reported.
  beforeAll(async () => {
    app = await withApp(at('2026-12-02', 10, 30), [
      occ('d01', true, at('2026-12-02', 10)),
      occ('d02', false, at('2026-12-02', 10)),
      occ('d03', true, at('2026-12-02', 10)),
      occ('d03', null, at('2026-12-02', 10, 10)),
    ]);
  });
  afterAll(() => app.r.stop());

  it('the heatmap fills Wednesday 10–11 only; every other hour of the month is no data', async () => {
    const u = await app.get<UtilisationByHour>('/api/analytics/utilisation?from=2026-12-01&to=2026-12-31');
    expect(u.cells).toHaveLength(168);
    const filled = u.cells.filter((c) => c.utilisation !== null);
    expect(filled.map((c) => [c.day, c.hour])).toEqual([[3, 10]]);
    // Known: d01 and d02 30 min each, d03 10 min; occupied: d01 30 min, d03 10 min.
    expect(filled[0]!.knownHours).toBeCloseTo(70 / 60, 9);
    expect(filled[0]!.deskHours).toBeCloseTo(40 / 60, 9);
    expect(filled[0]!.utilisation).toBeCloseTo(4 / 7, 4);
    for (const c of u.cells) if (c !== filled[0]) expect({ ...c }).toEqual({ day: c.day, hour: c.hour, utilisation: null, deskHours: 0, knownHours: 0 });
  });

  it('the trend has a number for that day only, the same share; peak and the CSV agree', async () => {
    const t = await app.get<UtilisationTrend>('/api/analytics/utilisation-trend?from=2026-12-01&to=2026-12-31');
    const withData = t.days.filter((d) => d.utilisation !== null);
    expect(withData.map((d) => d.date)).toEqual(['2026-12-02']);
    expect(withData[0]!.utilisation).toBeCloseTo(4 / 7, 9);
    const p = await app.get<PeakOccupancy>('/api/analytics/peak?from=2026-12-01&to=2026-12-31');
    expect(p.peak).toBe(2);
    expect(p.days.filter((d) => d.peak > 0).map((d) => d.date)).toEqual(['2026-12-02']);
    const csv = await app.get<string>('/api/reports/monthly.csv?month=2026-12&lang=en');
    const rows = new Map(
      csv
        .trim()
        .split('\r\n')
        .map((l) => l.split(','))
        .map((r) => [r[0]!, r]),
    );
    // Columns: date, weekday, visits, entries, members, peak, peak at, desk hours, open hours, utilisation within opening hours.
    // The half hour of data lies within the opening hours (08–18): the same share as the trend's.
    expect(
      rows
        .get('2026-12-02')!
        .filter((_, i) => i !== 8)
        .slice(5),
    ).toEqual(['2', '10:00', '0.7', ((4 / 7) * 100).toFixed(1)]);
    expect(
      rows
        .get('2026-12-03')!
        .filter((_, i) => i !== 8)
        .slice(5),
    ).toEqual(['0', '', '0.0', '']);
    expect(
      rows
        .get('Total')!
        .filter((_, i) => i !== 8)
        .slice(7),
    ).toEqual(['0.7', ((4 / 7) * 100).toFixed(1)]);
  });
});

describe('heatmap, trend, peak and the monthly CSV agree, across the night the clocks go forward', () => {
  let app: Awaited<ReturnType<typeof withApp>>;
  const POINTS: Point[] = [
    // d01 08:00–18:00 local, 27–31 March 2026; on Sunday the 29th also 01:00–04:00 local (2 h: 02:00–03:00 never was).
    ...['2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31'].flatMap((d) => [occ('d01', true, at(d, 8)), occ('d01', false, at(d, 18))]),
    occ('d01', true, at('2026-03-29', 1)),
    occ('d01', false, at('2026-03-29', 4)),
    // d02 free from the 27th, taken 10:00–12:00 on the 28th; its sensor in fault 09:00–13:00 on the 30th.
    occ('d02', false, at('2026-03-27', 0)),
    occ('d02', true, at('2026-03-28', 10)),
    occ('d02', false, at('2026-03-28', 12)),
    occ('d02', null, at('2026-03-30', 9)),
    occ('d02', false, at('2026-03-30', 13)),
    // d11 (quiet room) reports for the first time at noon on the 30th, taken 12:00–14:00.
    occ('d11', true, at('2026-03-30', 12)),
    occ('d11', false, at('2026-03-30', 14)),
  ];
  beforeAll(async () => {
    app = await withApp(at('2026-04-15', 12), POINTS);
  });
  afterAll(() => app.r.stop());

  it('one fixture, four answers, the same numbers', async () => {
    const q = 'from=2026-03-01&to=2026-03-31';
    const [u, t, p, csv] = await Promise.all([
      app.get<UtilisationByHour>(`/api/analytics/utilisation?${q}`),
      app.get<UtilisationTrend>(`/api/analytics/utilisation-trend?${q}`),
      app.get<PeakOccupancy>(`/api/analytics/peak?${q}`),
      app.get<string>('/api/reports/monthly.csv?month=2026-03&lang=en'),
    ]);
    const rows = csv
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(','));
    const days = new Map(rows.map((r) => [r[0]!, r]));

    // Known desk time: d01 from 08:00 on the 27th, d02 from midnight (less its 4 h in fault), d11
    // from noon on the 30th. 27th–31st are 24 + 24 + 23 + 24 + 24 = 119 h long.
    const known = 119 - 8 + (119 - 4) + 36;
    const occupied = 5 * 10 + 2 + 2 + 2;
    expect(sum(u.cells.map((c) => c.knownHours))).toBeCloseTo(known, 6);
    expect(sum(u.cells.map((c) => c.deskHours))).toBeCloseTo(occupied, 6);
    expect(sum(t.days.map((d) => d.knownHours))).toBeCloseTo(known, 6);
    expect(sum(t.days.map((d) => d.deskHours))).toBeCloseTo(occupied, 6);
    // The CSV's utilisation is within opening hours (the funder's question), the trend's over the
    // day: they agree on desk hours, and on "no data" where no sensor reported.
    expect(days.get('Total')![7]).toEqual(occupied.toFixed(1));

    // Day by day: trend = CSV; peak = CSV; days before any sensor reported are no data, not 0 %.
    for (const d of t.days) {
      const row = days.get(d.date)!;
      expect({ date: d.date, hours: row[7] }).toEqual({ date: d.date, hours: d.deskHours.toFixed(1) });
      if (d.utilisation === null) expect({ date: d.date, pct: row[9] }).toEqual({ date: d.date, pct: '' });
    }
    expect(t.days.filter((d) => d.utilisation !== null).map((d) => d.date)).toEqual(['2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31']);
    for (const d of p.days) expect({ date: d.date, peak: String(d.peak) }).toEqual({ date: d.date, peak: days.get(d.date)![5] });
    expect(p.peak).toBe(2);
    expect(p.at).toBe(at('2026-03-28', 10));
    expect(days.get('Total')!.slice(5, 7)).toEqual(['2', '2026-03-28 10:00']);

    // Sunday the 29th: 23 h long; d01 in use 2 h in the night and 10 h in the day.
    const sun = t.days.find((d) => d.date === '2026-03-29')!;
    expect(sun.knownHours).toBeCloseTo(2 * 23, 9);
    expect(sun.deskHours).toBeCloseTo(12, 9);
    // Each weekday's heatmap cells sum to that weekday's trend (one of each in the data).
    for (const d of t.days.filter((x) => x.utilisation !== null)) {
      const wd = localWeekMinute(at(d.date, 12), TZ).day;
      const cells = u.cells.filter((c) => c.day === wd);
      expect(sum(cells.map((c) => c.deskHours))).toBeCloseTo(d.deskHours, 6);
      expect(sum(cells.map((c) => c.knownHours))).toBeCloseTo(d.knownHours, 6);
    }
    const cell = (day: number, hour: number) => u.cells.find((c) => c.day === day && c.hour === hour)!;
    expect(cell(7, 2)).toMatchObject({ utilisation: null, knownHours: 0 }); // 02:00–03:00 never was on the 29th
    expect(cell(7, 1).utilisation).toBe(0.5); // d01 in use, d02 free
    expect(cell(1, 10).utilisation).toBe(1); // Monday 10:00: d01 in use, d02 in fault (no data), d11 not yet reporting
    expect(cell(1, 12).utilisation).toBe(1); // d01 and d11 in use, d02 in fault
    expect(cell(1, 13).utilisation).toBeCloseTo(2 / 3, 4); // d02 back: free
  });

  it('utilisation within opening hours (weekdays 08:00–18:00), for the funder report', async () => {
    const analytics = new Analytics(app.r.site.config, app.r.app.history.store, () => app.now);
    const u = await analytics.utilisationWithinHours('2026-03-27', '2026-03-31', [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' }]);
    const day = (date: string) => u.days.find((d) => d.date === date)!;
    expect(day('2026-03-28')).toMatchObject({ openHours: 0, utilisation: null }); // Saturday: closed
    expect(day('2026-03-27')).toMatchObject({ openHours: 10, deskHours: 10, knownHours: 20, utilisation: 0.5 });
    // Monday: d01 10 h in use; d02 6 h free (4 h in fault); d11 6 h known, 2 h in use.
    expect(day('2026-03-30')).toMatchObject({ openHours: 10, deskHours: 12, knownHours: 22 });
    // Tuesday: all three known 10 h, d01 in use.
    expect(u.knownHours).toBeCloseTo(20 + 22 + 30, 9);
    expect(u.deskHours).toBeCloseTo(10 + 12 + 10, 9);
    expect(u.utilisation).toBeCloseTo(32 / 72, 12);
  });
});
