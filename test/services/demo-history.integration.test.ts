// The demo's first start brings weeks of made-up history (services/demo-history.ts): every
// report endpoint answers with believable numbers over a new data dir, from the first minute.
// A site without the seed's `history` (every `smartspace init` site, and the tests by default)
// starts with an empty history.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { OccupancyTimeline, PeakOccupancy, UniqueMembersPerWeek, UtilisationByHour, UtilisationTrend, VisitsPerDay } from '../../contracts/api/index.ts';
import { addDays, localDate } from '../../contracts/local-time.ts';
import { loadSiteConfig } from '../../config/load.ts';
import { readSeed } from '../../config/seed.ts';
import { demoHistory } from '../../services/demo-history.ts';
import { weekdayOf } from '../../services/analytics/opening-hours.ts';
import { makeTestSite } from '../helpers/site.ts';
import { startApp, loginAs, api, type Running } from './helpers.ts';

const TZ = 'Europe/Copenhagen';

describe('the demo at first start', () => {
  let r: Running;
  let host: string;
  let from: string;
  let to: string;
  const get = async <T>(path: string) => {
    const res = await api<T>(r, 'GET', path, { cookie: host });
    expect(res.status, path).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    const site = await makeTestSite(
      (raw) => {
        raw.services.http.port = 0;
        raw.services.mqtt.port = 0;
      },
      { history: true },
    );
    r = await startApp({ site });
    host = await loginAs(r, 'mette');
    const today = localDate(Date.now(), TZ);
    from = addDays(today, -56);
    to = addDays(today, -1);
    return () => site.cleanup();
  }, 60_000);
  afterAll(() => r.stop());

  it('counts visits on weekdays, few at weekends, none on the holiday closure', async () => {
    const closures = await get<{ id: string; from: string; to: string }[]>('/api/closures');
    const holiday = closures.find((c) => c.id === 'demo-holiday')!;
    expect(holiday.from >= from && holiday.to <= to).toBe(true);
    const v = await get<VisitsPerDay>(`/api/analytics/visits?from=${from}&to=${to}`);
    expect(v.days).toHaveLength(56);
    const weekdays = v.days.filter((d) => weekdayOf(d.date) <= 5 && (d.date < holiday.from || d.date > holiday.to));
    const weekends = v.days.filter((d) => weekdayOf(d.date) >= 6);
    for (const d of weekdays) expect(d.visits, d.date).toBeGreaterThanOrEqual(4);
    for (const d of weekends) expect(d.visits, d.date).toBeLessThanOrEqual(4);
    expect(weekdays.reduce((s, d) => s + d.visits, 0) / weekdays.length).toBeGreaterThan(6);
    for (const d of v.days.filter((d) => d.date >= holiday.from && d.date <= holiday.to)) expect(d.visits).toBe(0);
    // People step out for lunch and come back: more entries than visits.
    expect(weekdays.reduce((s, d) => s + d.entries, 0)).toBeGreaterThan(weekdays.reduce((s, d) => s + d.visits, 0));
  });

  it('has regulars and occasional members', async () => {
    const m = await get<UniqueMembersPerWeek>(`/api/analytics/members?from=${from}&to=${to}`);
    expect(m.weeks.length).toBeGreaterThanOrEqual(8);
    for (const w of m.weeks.slice(1, -1)) expect(w.members, w.week).toBeGreaterThanOrEqual(8);
  });

  it('fills desks within opening hours 20–80 % on weekdays, none at weekends, with a lunch dip', async () => {
    const month = addDays(to, -14).slice(0, 7);
    const csv = (await api<string>(r, 'GET', `/api/reports/monthly.csv?month=${month}&lang=en`, { cookie: host })).body;
    const rows = csv
      .trim()
      .split('\r\n')
      .slice(1, -1)
      .map((l) => l.split(','));
    const inHistory = rows.filter((row) => row[0]! >= from && row[0]! <= to);
    expect(inHistory.length).toBeGreaterThan(0);
    const closures = await get<{ id: string; from: string; to: string }[]>('/api/closures');
    const holiday = closures.find((c) => c.id === 'demo-holiday')!;
    for (const row of inHistory) {
      const date = row[0]!;
      const util = row[9]!;
      if (weekdayOf(date) >= 6) expect(util, date).toBe('');
      else if (date >= holiday.from && date <= holiday.to) expect(Number(util), date).toBe(0);
      else {
        expect(Number(util), date).toBeGreaterThanOrEqual(20);
        expect(Number(util), date).toBeLessThanOrEqual(80);
      }
    }
    const u = await get<UtilisationByHour>(`/api/analytics/utilisation?from=${from}&to=${to}`);
    const cell = (day: number, hour: number) => u.cells.find((c) => c.day === day && c.hour === hour)!.utilisation ?? NaN;
    for (const day of [1, 2, 3, 4, 5]) {
      expect(cell(day, 10), `day ${day} 10h`).toBeGreaterThan(0.2);
      expect(cell(day, 12), `day ${day} lunch`).toBeLessThan(cell(day, 10));
      expect(cell(day, 3), `day ${day} night`).toBe(0);
    }
    for (const day of [6, 7]) expect(cell(day, 10)).toBeLessThan(0.1);
    const t = await get<UtilisationTrend>(`/api/analytics/utilisation-trend?from=${from}&to=${to}`);
    expect(t.days.filter((d) => weekdayOf(d.date) >= 6).every((d) => d.utilisation !== null && d.utilisation < 0.05)).toBe(true);
  });

  it('has a peak and an occupancy timeline', async () => {
    const p = await get<PeakOccupancy>(`/api/analytics/peak?from=${from}&to=${to}`);
    expect(p.peak).toBeGreaterThanOrEqual(8);
    expect(p.peak).toBeLessThanOrEqual(16);
    const o = await get<OccupancyTimeline>(`/api/analytics/occupancy?from=${to}&to=${to}`);
    expect(o.series.map((s) => s.kind)).toEqual(['zone', 'zone']);
    const any = o.series.some((s) => s.points.some((pt) => pt.occupied > 0));
    expect(any || weekdayOf(to) >= 6).toBe(true);
  });

  it('is the same history for the same seed and day, and always ends yesterday', () => {
    const config = loadSiteConfig(r.site.configPath);
    const seed = readSeed(config.services.seed!, config);
    const members = seed.members.map((m) => ({ id: m.id, plan: m.plan, doors: ['front'], anyTime: true }));
    const now = Date.UTC(2026, 2, 30, 10); // a DST Sunday: nothing moves an hour
    const a = demoHistory(config, { weeks: 8, seed: 7, now, members });
    const b = demoHistory(config, { weeks: 8, seed: 7, now, members });
    expect(b.points).toEqual(a.points);
    expect(a.points.at(-1)!.ts).toBeLessThan(Date.UTC(2026, 2, 29, 22)); // local midnight, 30 March
    expect(demoHistory(config, { weeks: 8, seed: 8, now, members }).points).not.toEqual(a.points);
  });
});

describe('a site without the seed history', () => {
  it('starts with empty reports (smartspace init sites have no seed at all)', async () => {
    const r = await startApp();
    try {
      const host = await loginAs(r, 'mette');
      const today = localDate(Date.now(), TZ);
      const v = await api<VisitsPerDay>(r, 'GET', `/api/analytics/visits?from=${addDays(today, -56)}&to=${today}`, { cookie: host });
      expect(v.body.days.every((d) => d.visits === 0)).toBe(true);
    } finally {
      await r.stop();
    }
  });
});
