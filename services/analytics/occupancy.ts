// Desk occupancy as step functions: from occupancy-change points to per-desk intervals, zone
// counts over time, utilisation per local hour of the week or within opening hours, and peaks.
// Pure functions.
//
// A desk's state is occupied (1), free (0) or no data (null): before its sensor ever reported,
// while its sensor is in fault or its gateway silent (an `unknown` point), and after now. Time
// without data is left out of utilisation on both sides (neither occupied nor available), so a
// share is always "of the desk time we know about", and an hour nobody knows about has no share.
import { localWeekMinute } from '../../contracts/schedule.ts';
import type { TimeWindow } from '../../contracts/payloads.ts';
import { occupancyOf, type Point } from '../history/point.ts';

export interface Step {
  ts: number;
  /** Desks: 1 occupied, 0 free, null no data. Sums (zones): occupied desks. */
  occupied: number | null;
}

/** A count over time (occupied desks of a zone or the site). */
export interface Count {
  ts: number;
  occupied: number;
}

/** When a change took effect: the state's `since` when it is sane, else the report time. */
function changeTime(p: Point): number {
  const since = p.fields.since;
  return typeof since === 'number' && since <= p.ts && since > p.ts - 86_400_000 * 30 ? since : p.ts;
}

/**
 * One desk's steps over [from, to): its state at `from` (from the last change before it; no data
 * when never reported), then each change. Consecutive equal values are merged.
 */
export function deskSteps(points: readonly Point[], from: number, to: number): Step[] {
  const changes = points.map((p) => ({ ts: changeTime(p), occupied: occupancyOf(p.fields) })).sort((a, b) => a.ts - b.ts);
  let initial: number | null = null;
  const steps: Step[] = [];
  for (const c of changes) {
    if (c.ts < from) initial = c.occupied;
    else if (c.ts < to) steps.push(c);
  }
  const out: Step[] = [{ ts: from, occupied: initial }];
  for (const s of steps) {
    const last = out[out.length - 1]!;
    if (s.occupied === last.occupied) continue;
    if (s.ts === last.ts) last.occupied = s.occupied;
    else out.push(s);
  }
  return out;
}

/**
 * A desk's steps cut at `now`: time that has not happened is no data (a desk in use now is not
 * in use for the rest of the month).
 */
export function untilNow(steps: readonly Step[], now: number, to: number): Step[] {
  if (now >= to) return [...steps];
  const kept = steps.filter((s) => s.ts < now);
  if (kept.length === 0) return [{ ts: steps[0]?.ts ?? now, occupied: null }];
  return kept.at(-1)!.occupied === null ? kept : [...kept, { ts: now, occupied: null }];
}

/** Sum of several step functions (desks → count of occupied desks; no data counts as none). */
export function sumSteps(series: readonly Step[][], from: number): Count[] {
  const events: { ts: number; delta: number }[] = [];
  let start = 0;
  for (const s of series) {
    let prev = 0;
    for (const st of s) {
      const v = st.occupied ?? 0;
      if (st.ts <= from) {
        start += v - prev;
      } else {
        events.push({ ts: st.ts, delta: v - prev });
      }
      prev = v;
    }
  }
  events.sort((a, b) => a.ts - b.ts);
  const out: Count[] = [{ ts: from, occupied: start }];
  let cur = start;
  for (const e of events) {
    cur += e.delta;
    const last = out[out.length - 1]!;
    if (last.ts === e.ts) last.occupied = cur;
    else if (last.occupied !== cur) out.push({ ts: e.ts, occupied: cur });
  }
  return out.filter((s, i) => i === 0 || s.occupied !== out[i - 1]!.occupied);
}

/** Occupied intervals [start, end) of a 0/1 step function that ends at `to`. */
export function occupiedIntervals(steps: readonly Step[], to: number): [number, number][] {
  const out: [number, number][] = [];
  steps.forEach((s, i) => {
    const end = steps[i + 1]?.ts ?? to;
    if ((s.occupied ?? 0) > 0 && end > s.ts) out.push([s.ts, end]);
  });
  return out;
}

/** Intervals [start, end) with data (occupied or free) of a desk's steps that end at `to`. */
export function knownIntervals(steps: readonly Step[], to: number): [number, number][] {
  const out: [number, number][] = [];
  steps.forEach((s, i) => {
    const end = steps[i + 1]?.ts ?? to;
    if (s.occupied !== null && end > s.ts) out.push([s.ts, end]);
  });
  return out;
}

const QUARTER_MS = 15 * 60_000;
const H = 3600_000;

/** Local weekday and minute of day at the start of each UTC quarter hour over [from, to). */
function quarters(from: number, to: number, timeZone: string): { first: number; local: { day: number; minute: number }[] } {
  const first = Math.floor(from / QUARTER_MS);
  const local: { day: number; minute: number }[] = [];
  for (let q = first; q * QUARTER_MS < to; q++) local.push(localWeekMinute(q * QUARTER_MS, timeZone));
  return { first, local };
}

/** Adds the length of [a, b) to `acc[slot of its quarter hour]`, quarter by quarter. */
function addByQuarter(acc: number[], slotOf: readonly number[], first: number, a: number, b: number): void {
  for (let q = Math.floor(a / QUARTER_MS); q * QUARTER_MS < b; q++) {
    const overlap = Math.min(b, (q + 1) * QUARTER_MS) - Math.max(a, q * QUARTER_MS);
    const slot = slotOf[q - first];
    if (overlap > 0 && slot !== undefined) acc[slot]! += overlap;
  }
}

export interface HourCell {
  day: number;
  hour: number;
  /** Occupied out of known desk time, 0..1; null when no desk reported in that hour. */
  utilisation: number | null;
  /** Desk hours occupied, and desk hours with data, in that hour of the week. */
  deskHours: number;
  knownHours: number;
}

/**
 * Desk time occupied per local hour of the week, over [from, to), as a share of the desk time
 * with data. Time is cut in UTC quarter hours (every time zone's offset is a multiple of 15
 * minutes), each labelled with its local weekday and hour — so a DST day counts its 23 or 25
 * hours where they fell.
 */
export function utilisationByHour(deskSeries: readonly Step[][], from: number, to: number, timeZone: string): HourCell[] {
  const { first, local } = quarters(from, to, timeZone);
  const slotOf = local.map(({ day, minute }) => (day - 1) * 24 + Math.floor(minute / 60));
  const known = new Array<number>(168).fill(0);
  const occupied = new Array<number>(168).fill(0);
  for (const steps of deskSeries) {
    for (const [a, b] of knownIntervals(steps, to)) addByQuarter(known, slotOf, first, Math.max(a, from), Math.min(b, to));
    for (const [a, b] of occupiedIntervals(steps, to)) addByQuarter(occupied, slotOf, first, Math.max(a, from), Math.min(b, to));
  }
  const cells: HourCell[] = [];
  for (let slot = 0; slot < 168; slot++) {
    const k = known[slot]!;
    const o = occupied[slot]!;
    cells.push({
      day: Math.floor(slot / 24) + 1,
      hour: slot % 24,
      utilisation: k > 0 ? Math.round((o / k) * 10_000) / 10_000 : null,
      deskHours: o / H,
      knownHours: k / H,
    });
  }
  return cells;
}

const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The instants within [from, to) that fall inside the weekly `windows` (local wall-clock time,
 * `to` of a window exclusive, "24:00" the end of the day), as sorted, merged intervals. Exact to
 * the minute: within a UTC quarter hour the local time runs on without a jump.
 */
export function openIntervals(windows: readonly TimeWindow[], from: number, to: number, timeZone: string): [number, number][] {
  const { first, local } = quarters(from, to, timeZone);
  const out: [number, number][] = [];
  local.forEach(({ day, minute }, i) => {
    const q0 = (first + i) * QUARTER_MS;
    for (const w of windows) {
      if (!w.days.includes(day)) continue;
      const a = Math.max(minute, toMinute(w.from));
      const b = Math.min(minute + 15, toMinute(w.to));
      if (b <= a) continue;
      const s = Math.max(from, q0 + (a - minute) * 60_000);
      const e = Math.min(to, q0 + (b - minute) * 60_000);
      if (e > s) out.push([s, e]);
    }
  });
  out.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [s, e] of out) {
    const last = merged.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

/** Total length of the overlap of two sorted lists of disjoint intervals. */
function overlapMs(a: readonly [number, number][], b: readonly [number, number][]): number {
  let total = 0;
  let j = 0;
  for (const [s, e] of a) {
    while (j < b.length && b[j]![1] <= s) j++;
    for (let k = j; k < b.length && b[k]![0] < e; k++) total += Math.max(0, Math.min(e, b[k]![1]) - Math.max(s, b[k]![0]));
  }
  return total;
}

export interface Utilisation {
  /** Desk hours occupied, and desk hours with data. */
  deskHours: number;
  knownHours: number;
  /** deskHours / knownHours, 0..1; null when no desk reported at all. */
  utilisation: number | null;
}

/**
 * Utilisation of desks within the intervals `within` (e.g. opening hours from `openIntervals`):
 * desk time occupied out of desk time with data, both inside `within`; `to` ends the steps.
 */
export function utilisationWithin(deskSeries: readonly Step[][], within: readonly [number, number][], to: number): Utilisation {
  let occ = 0;
  let known = 0;
  for (const steps of deskSeries) {
    occ += overlapMs(occupiedIntervals(steps, to), within);
    known += overlapMs(knownIntervals(steps, to), within);
  }
  return { deskHours: occ / H, knownHours: known / H, utilisation: known > 0 ? occ / known : null };
}

/** Highest value of a step function within [from, to), and when it was first reached. */
export function peak(steps: readonly Count[], from: number, to: number): { peak: number; at: number | null } {
  let best = 0;
  let at: number | null = null;
  steps.forEach((s, i) => {
    const end = steps[i + 1]?.ts ?? Infinity;
    if (end <= from || s.ts >= to) return;
    if (s.occupied > best) {
      best = s.occupied;
      at = Math.max(s.ts, from);
    }
  });
  return { peak: best, at };
}

/** Utilisation of desks over [from, to) (a day, a month): `utilisationWithin` one interval. */
export function utilisationOver(deskSeries: readonly Step[][], from: number, to: number): Utilisation {
  return utilisationWithin(deskSeries, [[from, to]], to);
}

/**
 * A desk's steps with the spans [a, b) made no data (b null: open-ended): the time its sensor was
 * suspect (services/sensors). What was known before and after a span stays as it was; `to` ends the steps.
 */
export function withoutSpans(steps: readonly Step[], spans: readonly (readonly [number, number | null])[], to: number): Step[] {
  let out = [...steps];
  for (const [a, bOrNull] of spans) {
    const b = bOrNull === null || bOrNull >= to ? Infinity : bOrNull;
    if (out.length === 0 || b <= out[0]!.ts || a >= to) continue;
    const valueAt = (t: number) => out.filter((s) => s.ts <= t).at(-1)?.occupied ?? null;
    const after = b === Infinity ? undefined : valueAt(b);
    const next: Step[] = out.filter((s) => s.ts < a || s.ts > b);
    if (a >= out[0]!.ts) next.push({ ts: a, occupied: null });
    else next.unshift({ ts: out[0]!.ts, occupied: null });
    if (after !== undefined && !out.some((s) => s.ts === b)) next.push({ ts: b, occupied: after });
    else if (after !== undefined) next.push(out.find((s) => s.ts === b)!);
    next.sort((x, y) => x.ts - y.ts);
    // Merge equal neighbours, as deskSteps does.
    out = next.filter((s, i) => i === 0 || s.occupied !== next[i - 1]!.occupied);
  }
  return out;
}
