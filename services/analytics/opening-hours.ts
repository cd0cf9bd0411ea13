// Utilisation within opening hours: occupied desk time while the space is open, out of the desk
// time it was open. A funder asks "how full is it when it is open", not "over 24 h" (a busy day
// is 40 %, not 4 %). Opening hours are weekly local windows (site.openingHours, as a plan's);
// a DST day keeps 08:00–18:00 on the wall clock.
// The occupied and known desk time come from occupancy.ts (utilisationWithin), as for every
// other report: a desk whose sensor did not report is no data, not free.
import type { SiteConfig } from '../../config/schema.ts';
import type { TimeWindow } from '../../contracts/payloads.ts';
import { addDays, localDate, localWeekMinute, startOfLocalDay } from '../../contracts/local-time.ts';
import { utilisationWithin, type Step } from './occupancy.ts';
import { datesBetween } from './visits.ts';

export const DEFAULT_OPENING_HOURS: readonly TimeWindow[] = [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' }];

export const openingHours = (config: SiteConfig): readonly TimeWindow[] => config.site.openingHours ?? DEFAULT_OPENING_HOURS;

/** Epoch ms of local `date` at `minute` after midnight, on the wall clock (right on DST days). */
export function localInstant(date: string, minute: number, timeZone: string): number {
  const t = startOfLocalDay(date, timeZone) + minute * 60_000;
  // On a DST day the wall clock runs an hour ahead of or behind the elapsed minutes: correct once.
  const got = localDate(t, timeZone) === date ? localWeekMinute(t, timeZone).minute : minute;
  return t - (got - minute) * 60_000;
}

const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** ISO weekday 1 (Monday) … 7 (Sunday) of a calendar date. */
export const weekdayOf = (date: string): number => ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** The open intervals [start, end) of local `date`, epoch ms, merged and in order. */
export function openIntervals(date: string, windows: readonly TimeWindow[], timeZone: string): [number, number][] {
  const day = weekdayOf(date);
  const spans = windows
    .filter((w) => w.days.includes(day))
    .map((w): [number, number] => {
      const to = minuteOf(w.to);
      // '24:00' (or 00:00 as an end) is the next midnight.
      const end = to === 0 || to >= 1440 ? localInstant(addDays(date, 1), 0, timeZone) : localInstant(date, to, timeZone);
      return [localInstant(date, minuteOf(w.from), timeZone), end];
    })
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const s of spans) {
    const last = out.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([...s]);
  }
  return out;
}

export interface OpenUtilisation {
  /** Desk time occupied while open, ms. */
  occupiedMs: number;
  /** Desk time while open that a sensor reported (occupied or free), ms: the denominator. */
  knownMs: number;
  /** How long the space was open (wall clock, not × desks), ms. */
  openMs: number;
  /**
   * occupiedMs / knownMs; null when the space was not open at all (a weekend) or no sensor
   * reported while it was: time no sensor reported is no data, never a free desk (finding 1).
   */
  utilisation: number | null;
}

/** Utilisation of desks within the opening hours of local dates from..to (time after `until` is not counted). */
export function utilisationWithinOpeningHours(
  desks: readonly Step[][],
  from: string,
  to: string,
  windows: readonly TimeWindow[],
  timeZone: string,
  until = Infinity,
): OpenUtilisation {
  const spans: [number, number][] = [];
  for (const date of datesBetween(from, to)) {
    for (const [a, b0] of openIntervals(date, windows, timeZone)) {
      const b = Math.min(b0, until);
      if (b > a) spans.push([a, b]);
    }
  }
  const end = spans.at(-1)?.[1] ?? 0;
  const u = utilisationWithin(desks, spans, end);
  const openMs = spans.reduce((sum, [a, b]) => sum + (b - a), 0);
  return { occupiedMs: u.deskHours * 3600_000, knownMs: u.knownHours * 3600_000, openMs, utilisation: openMs > 0 ? u.utilisation : null };
}
