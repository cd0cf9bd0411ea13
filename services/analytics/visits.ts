// Visits from door events: who came in, per local day and per ISO week. An entry is a door
// opened to a member (card, PIN or remote; not the exit button); a visit is a member on a day,
// however many doors they opened. Erased members count under their pseudonym, so the numbers
// stay right after an erasure.
import type { Point } from '../history/point.ts';
import { addDays, isoWeek, startOfLocalDay } from '../../contracts/local-time.ts';

export interface DayVisits {
  date: string;
  visits: number;
  entries: number;
}

/** Granted entries with a member: what visits are counted from. */
export function entries(points: readonly Point[]): { ts: number; member: string }[] {
  return points
    .filter((p) => p.tags.type === 'access' && p.tags.decision === 'granted' && p.tags.via !== 'exit-button' && p.tags.member)
    .map((p) => ({ ts: p.ts, member: p.tags.member! }));
}

/** Every local date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * Maps an instant to its local date within from..to (undefined outside): a binary search over
 * the days' starts, instead of a time-zone conversion per event.
 */
export function dayOf(from: string, to: string, timeZone: string): (ts: number) => string | undefined {
  const dates = datesBetween(from, to);
  const starts = dates.map((d) => startOfLocalDay(d, timeZone));
  const end = startOfLocalDay(addDays(to, 1), timeZone);
  return (ts) => {
    if (ts < starts[0]! || ts >= end) return undefined;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= ts) lo = mid;
      else hi = mid - 1;
    }
    return dates[lo];
  };
}

export function visitsPerDay(points: readonly Point[], from: string, to: string, timeZone: string): DayVisits[] {
  const byDay = new Map<string, { members: Set<string>; entries: number }>();
  for (const d of datesBetween(from, to)) byDay.set(d, { members: new Set(), entries: 0 });
  const day = dayOf(from, to, timeZone);
  for (const e of entries(points)) {
    const date = day(e.ts);
    const d = date === undefined ? undefined : byDay.get(date);
    if (!d) continue;
    d.entries++;
    d.members.add(e.member);
  }
  return [...byDay].map(([date, d]) => ({ date, visits: d.members.size, entries: d.entries }));
}

export function uniqueMembersPerWeek(points: readonly Point[], from: string, to: string, timeZone: string): { week: string; members: number }[] {
  const byWeek = new Map<string, Set<string>>();
  for (const d of datesBetween(from, to)) if (!byWeek.has(isoWeek(d))) byWeek.set(isoWeek(d), new Set());
  const day = dayOf(from, to, timeZone);
  for (const e of entries(points)) {
    const date = day(e.ts);
    if (date) byWeek.get(isoWeek(date))?.add(e.member);
  }
  return [...byWeek].map(([week, members]) => ({ week, members: members.size }));
}

/** Distinct members over the whole range. */
export function uniqueMembers(points: readonly Point[]): number {
  return new Set(entries(points).map((e) => e.member)).size;
}
