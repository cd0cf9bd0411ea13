// What the reports screen shows, from the analytics answers: a month's day range, the scope
// of the occupancy parts (whole site, a zone or a desk) as a query, visits summed per ISO week,
// the heatmap's grid (weekday × hour) and the utilisation trend in percent.
import type { UtilisationByHour, UtilisationTrend, VisitsPerDay } from '../../../contracts/api/index.ts';

/** First and last local date of `month` (YYYY-MM). */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** ISO week of a local date, "2025-W23". */
export function isoWeek(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day); // the week's Thursday decides its year
  const year = t.getUTCFullYear();
  const week = Math.ceil(((t.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Visits (member-days) per ISO week, in date order. */
export function visitsPerWeek(v: VisitsPerDay): { week: string; visits: number }[] {
  const out: { week: string; visits: number }[] = [];
  for (const day of [...v.days].sort((a, b) => a.date.localeCompare(b.date))) {
    const week = isoWeek(day.date);
    const last = out.at(-1);
    if (last?.week === week) last.visits += day.visits;
    else out.push({ week, visits: day.visits });
  }
  return out;
}

/** Utilisation 0..1 as grid[weekday 0 = Monday][hour]; null for hours without data (not 0 %). */
export function heatGrid(u: UtilisationByHour): (number | null)[][] {
  const grid = Array.from({ length: 7 }, () => Array<number | null>(24).fill(null));
  for (const c of u.cells) {
    if (c.day >= 1 && c.day <= 7 && c.hour >= 0 && c.hour < 24)
      grid[c.day - 1]![c.hour] = c.utilisation === null ? null : Math.min(1, Math.max(0, c.utilisation));
  }
  return grid;
}

/**
 * The scope picked for the occupancy parts: '' (the whole site), `zone:<id>` or `desk:<id>`,
 * as the query the analytics routes take ('' or `&zone=…` / `&desk=…`). Anything else is the site.
 */
export function scopeQuery(scope: string): string {
  const m = /^(zone|desk):(.+)$/.exec(scope);
  return m ? `&${m[1]}=${encodeURIComponent(m[2]!)}` : '';
}

/** The days up to `last` (YYYY-MM-DD): a month's days still to come have no numbers yet, only zeros. */
export function untilDay<T extends { date: string }>(days: readonly T[], last: string): T[] {
  return days.filter((d) => d.date <= last);
}

/** Utilisation per day in date order, as whole percent 0..100; null for a day without data (a gap). */
export function trendPercent(trend: UtilisationTrend): { date: string; pct: number | null }[] {
  return [...trend.days]
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((d) => ({ date: d.date, pct: d.utilisation === null ? null : Math.round(Math.min(1, Math.max(0, d.utilisation)) * 100) }));
}
