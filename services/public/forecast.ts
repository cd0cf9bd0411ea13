// The busyness forecast of the public page: for each weekday-hour the space is open, the median
// and spread (p25–p75) of the share of desks occupied in that hour over the last weeks, from the
// site's own history. A date a site-wide closure covers and an hour outside the opening hours are
// left out (a holiday is no evidence of a quiet Thursday), and so is an hour no sensor reported
// (no data is not free, as in every report: services/analytics/occupancy.ts). A weekday-hour with
// fewer than `minSamples` weeks of data says "not enough data yet" (median null).
import type { TimeWindow } from '../../contracts/payloads.ts';
import type { ForecastCell } from '../../contracts/api/public.ts';
import { addDays } from '../../contracts/local-time.ts';
import { localInstant, openIntervals, weekdayOf } from '../analytics/opening-hours.ts';
import { utilisationWithin, type Step } from '../analytics/occupancy.ts';
import { datesBetween } from '../analytics/visits.ts';

export const FORECAST_WEEKS = 8;
export const MIN_SAMPLES = 3;

/** What the forecast counts as closed all day: a closure of every plan (`plans` empty). */
export interface SiteClosure {
  name: string;
  from: string;
  to: string;
  plans: readonly string[];
}

/** The site-wide closure holding on local `date`, if any. */
export const closureOn = (date: string, closures: readonly SiteClosure[]): SiteClosure | undefined =>
  closures.find((c) => c.plans.length === 0 && c.from <= date && date <= c.to);

export interface HourSample {
  date: string;
  day: number;
  hour: number;
  /** Occupied desk time out of desk time with data, within the open part of the hour: 0..1. */
  value: number;
}

/**
 * The share of desks occupied in each open local hour of dates from..to (closed dates and hours
 * without data left out). `desks`: each desk's steps over the dates, ending at `end`.
 */
export function hourlyOccupancy(
  desks: readonly Step[][],
  from: string,
  to: string,
  o: { windows: readonly TimeWindow[]; closures: readonly SiteClosure[]; timeZone: string; end: number },
): HourSample[] {
  const out: HourSample[] = [];
  for (const date of datesBetween(from, to)) {
    if (closureOn(date, o.closures)) continue;
    const open = openIntervals(date, o.windows, o.timeZone);
    if (open.length === 0) continue;
    const day = weekdayOf(date);
    for (let hour = 0; hour < 24; hour++) {
      const a = localInstant(date, hour * 60, o.timeZone);
      const b = hour === 23 ? localInstant(addDays(date, 1), 0, o.timeZone) : localInstant(date, (hour + 1) * 60, o.timeZone);
      const within = open.map(([s, e]): [number, number] => [Math.max(s, a), Math.min(e, b)]).filter(([s, e]) => e > s);
      if (within.length === 0) continue;
      const u = utilisationWithin(desks, within, o.end).utilisation;
      if (u !== null) out.push({ date, day, hour, value: u });
    }
  }
  return out;
}

/** The q-quantile (0..1) of ascending values, linearly interpolated (as numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('quantile of nothing');
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * One cell per weekday-hour that is open in the weekly `windows` (Monday first), from the
 * samples: median and p25–p75, or null with fewer than `minSamples` samples.
 */
export function forecastCells(samples: readonly HourSample[], windows: readonly TimeWindow[], minSamples = MIN_SAMPLES): ForecastCell[] {
  const by = new Map<number, number[]>();
  for (const s of samples) {
    const k = s.day * 24 + s.hour;
    let xs = by.get(k);
    if (!xs) by.set(k, (xs = []));
    xs.push(s.value);
  }
  const cells: ForecastCell[] = [];
  for (let day = 1; day <= 7; day++) {
    for (let hour = 0; hour < 24; hour++) {
      if (!openInHour(windows, day, hour)) continue;
      const xs = (by.get(day * 24 + hour) ?? []).sort((x, y) => x - y);
      const enough = xs.length >= minSamples;
      cells.push({
        day,
        hour,
        samples: xs.length,
        median: enough ? round(quantile(xs, 0.5)) : null,
        p25: enough ? round(quantile(xs, 0.25)) : null,
        p75: enough ? round(quantile(xs, 0.75)) : null,
      });
    }
  }
  return cells;
}

const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Some part of local `hour` of ISO weekday `day` is inside the weekly windows. */
export function openInHour(windows: readonly TimeWindow[], day: number, hour: number): boolean {
  return windows.some((w) => {
    if (!w.days.includes(day)) return false;
    const to = minuteOf(w.to) === 0 ? 1440 : minuteOf(w.to);
    return minuteOf(w.from) < (hour + 1) * 60 && to > hour * 60;
  });
}

/** The dates a forecast made on local date `today` is made from: the `weeks` whole weeks before it. */
export function forecastRange(today: string, weeks = FORECAST_WEEKS): { from: string; to: string } {
  return { from: addDays(today, -7 * weeks), to: addDays(today, -1) };
}
