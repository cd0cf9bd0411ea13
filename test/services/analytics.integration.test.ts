// Analytics from history points: occupancy timelines per desk and zone, utilisation by local
// hour of the week (across a DST change), visits per local day, unique members per ISO week,
// peaks, and the monthly CSV report.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteHistoryStore } from '../../services/history/sqlite-store.ts';
import { Analytics } from '../../services/analytics/analytics.ts';
import { monthlyReport, reportColumns } from '../../services/analytics/report.ts';
import { EXPORT_WORDS } from '../../services/analytics/export-words.ts';
import { deskSteps, sumSteps } from '../../services/analytics/occupancy.ts';
import { doorEventPoint, occupancyPoint, type Point } from '../../services/history/point.ts';
import { startOfLocalDay } from '../../contracts/local-time.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import type { AccessEvent } from '../../contracts/payloads.ts';

const TZ = 'Europe/Copenhagen';
const H = 3600_000;
/** Epoch ms of a local wall-clock time in Copenhagen. */
const at = (date: string, hh: number, mm = 0) => startOfLocalDay(date, TZ) + (hh * 60 + mm) * 60_000 - (date === '2025-03-30' && hh >= 3 ? H : 0);

const occ = (desk: string, zone: string, occupied: boolean, ts: number) => occupancyPoint({ v: 1, ts, desk, occupied, since: ts }, zone);
let n = 0;
const entry = (member: string, ts: number, extra: Partial<AccessEvent> = {}) =>
  doorEventPoint({
    v: 1,
    ts,
    id: `evt-${String(n++).padStart(8, '0')}`,
    type: 'access',
    door: 'front',
    gateway: 'gw-main',
    decision: 'granted',
    reason: 'ok',
    via: 'card',
    member,
    offline: false,
    ...extra,
  });

describe('analytics', () => {
  let site: TestSite;
  let dir: string;
  let store: SqliteHistoryStore;
  let a: Analytics;

  beforeAll(async () => {
    site = await makeTestSite();
    dir = mkdtempSync(join(tmpdir(), 'ss-analytics-'));
    store = new SqliteHistoryStore(join(dir, 'history.db'));
    a = new Analytics(site.config, store);
    const points: Point[] = [
      // Every desk's sensor reports (free) from the day before: time before any report is no data.
      ...site.config.desks.map((d) => occ(d.id, d.zone, false, at('2025-03-27', 0))),
      // d01 (open space) occupied 08:00–18:00 local every day of the week of the DST change.
      ...['2025-03-28', '2025-03-29', '2025-03-30', '2025-03-31'].flatMap((d) => [
        occ('d01', 'open-space', true, at(d, 8)),
        occ('d01', 'open-space', false, at(d, 18)),
      ]),
      // d02 joins 10:00–12:00 on Friday 28th; d11 (quiet room) 09:00–10:00.
      occ('d02', 'open-space', true, at('2025-03-28', 10)),
      occ('d02', 'open-space', false, at('2025-03-28', 12)),
      occ('d11', 'quiet-room', true, at('2025-03-28', 9)),
      occ('d11', 'quiet-room', false, at('2025-03-28', 10)),
      // A repeated report of the same state changes nothing.
      occ('d02', 'open-space', true, at('2025-03-28', 11)),
      // Entries: jonas twice on the 28th, sofie once; an exit and a denial do not count;
      // 00:30 local on the 31st is the 31st (23:30 UTC the day before).
      entry('jonas', at('2025-03-28', 8)),
      entry('jonas', at('2025-03-28', 13)),
      entry('sofie', at('2025-03-28', 9)),
      entry('sofie', at('2025-03-28', 17), { via: 'exit-button' }),
      entry('lars', at('2025-03-28', 9), { decision: 'denied', reason: 'outside-schedule' }),
      entry('lars', at('2025-03-31', 0, 30)),
      entry('erased-00000000aa', at('2025-03-31', 9)),
    ];
    await store.write(points);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    site.cleanup();
  });

  it('gives a desk timeline with its state at the start of the range', async () => {
    const t = await a.timeline('2025-03-28', '2025-03-28', { desk: 'd02' });
    expect(t.series).toEqual([
      {
        kind: 'desk',
        id: 'd02',
        points: [
          { ts: at('2025-03-28', 0), occupied: 0 },
          { ts: at('2025-03-28', 10), occupied: 1 },
          { ts: at('2025-03-28', 12), occupied: 0 },
        ],
      },
    ]);
    // Starting mid-occupation: the desk is occupied at the start.
    expect(deskSteps([occ('x', 'z', true, 100)], 200, 300)).toEqual([{ ts: 200, occupied: 1 }]);
  });

  it('sums desks into a zone timeline', async () => {
    const t = await a.timeline('2025-03-28', '2025-03-28', { zone: 'open-space' });
    expect(t.series[0]!.points).toEqual([
      { ts: at('2025-03-28', 0), occupied: 0 },
      { ts: at('2025-03-28', 8), occupied: 1 },
      { ts: at('2025-03-28', 10), occupied: 2 },
      { ts: at('2025-03-28', 12), occupied: 1 },
      { ts: at('2025-03-28', 18), occupied: 0 },
    ]);
    expect(sumSteps([], 5)).toEqual([{ ts: 5, occupied: 0 }]);
  });

  it('utilisation by local hour of the week, across the night the clocks go forward', async () => {
    const u = await a.utilisation('2025-03-28', '2025-03-31', { desk: 'd01' });
    const cell = (day: number, hour: number) => u.cells.find((c) => c.day === day && c.hour === hour)!.utilisation;
    expect(u.cells).toHaveLength(168);
    for (const day of [5, 6, 7, 1]) {
      expect(cell(day, 7)).toBe(0);
      expect(cell(day, 8)).toBe(1);
      expect(cell(day, 17)).toBe(1);
      expect(cell(day, 18)).toBe(0);
    }
    expect(cell(7, 2)).toBeNull(); // 02:00–03:00 did not exist on Sunday 30 March: no data, not 0 %
  });

  it('counts visits per local day and unique members per ISO week; exits and denials are not visits', async () => {
    const v = await a.visits('2025-03-28', '2025-03-31');
    expect(v.days).toEqual([
      { date: '2025-03-28', visits: 2, entries: 3 },
      { date: '2025-03-29', visits: 0, entries: 0 },
      { date: '2025-03-30', visits: 0, entries: 0 },
      { date: '2025-03-31', visits: 2, entries: 2 },
    ]);
    expect((await a.members('2025-03-28', '2025-03-31')).weeks).toEqual([
      { week: '2025-W13', members: 2 },
      { week: '2025-W14', members: 2 },
    ]);
  });

  it('does not carry a desk still in use today into the days after now', async () => {
    const now = at('2025-03-29', 12); // d01 is in use at noon on the 29th
    const b = new Analytics(site.config, store, () => now);
    const p = await b.peak('2025-03-29', '2025-04-02', {});
    expect(p.days.map((d) => d.peak)).toEqual([1, 0, 0, 0, 0]);
  });

  it('finds peak concurrent occupancy, overall and per day', async () => {
    const p = await a.peak('2025-03-28', '2025-03-29', {});
    // d01 with d11 from 09:00, then d01 with d02 from 10:00: two at a time, first at 09:00.
    expect(p).toMatchObject({ zone: null, peak: 2, at: at('2025-03-28', 9) });
    expect(p.days.map((d) => d.peak)).toEqual([2, 1]);
    expect((await a.peak('2025-03-28', '2025-03-28', { zone: 'quiet-room' })).peak).toBe(1);
  });

  it('writes a monthly CSV: one row per day, then a total; utilisation within opening hours', async () => {
    const csv = await monthlyReport(a, site.config, '2025-03', 'en');
    const rows = csv
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(rows[0]).toEqual(reportColumns(EXPORT_WORDS.en.report));
    expect(rows[0]!.slice(0, 3)).toEqual(['Date', 'Weekday', 'Visits']);
    expect(rows).toHaveLength(1 + 31 + 1);
    const day = Object.fromEntries(rows.slice(1).map((r) => [r[0], r]));
    // Friday: 13 desk-hours, all within 08:00–18:00: 13 of 16 desks × 10 open hours, not of 16 × 24.
    expect(day['2025-03-28']).toEqual(['2025-03-28', 'Fri', '2', '3', '2', '2', '09:00', '13.0', '10.0', ((13 / (16 * 10)) * 100).toFixed(1)]);
    // Sunday 30 March (23 hours long): 10 desk-hours, but the space is closed: no utilisation.
    expect(day['2025-03-30']!.slice(7)).toEqual(['10.0', '0.0', '']);
    expect(rows.at(-1)!.slice(0, 7)).toEqual(['Total', '', '4', '5', '4', '2', '2025-03-28 09:00']);
  });

  it('writes the monthly CSV with Danish headers and words when asked', async () => {
    const rows = (await monthlyReport(a, site.config, '2025-03', 'da')).trim().split('\r\n');
    expect(rows[0]).toBe(
      'Dato;Ugedag;Besøg;Indgange;Forskellige medlemmer;Spidsbelastning: flest pladser i brug på én gang;Spidsbelastning kl.;Pladstimer i brug;Åbne timer;Udnyttelse (åbningstid) %',
    );
    // As Danish Excel reads it: `;` between cells, decimal commas.
    expect(rows.find((r) => r.startsWith('2025-03-28'))).toMatch(/^2025-03-28;fre;2;3;2;2;09:00;13,0;10,0;8,1$/);
    expect(rows.at(-1)).toMatch(/^I alt;;4;5;4;2;2025-03-28 09:00;/);
  });
});
