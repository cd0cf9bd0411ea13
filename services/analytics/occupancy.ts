// Desk occupancy as step functions: from occupancy-change points to per-desk intervals, zone
// counts over time, utilisation per local hour of the week, and peaks. Pure functions.
import { localWeekMinute } from '../../contracts/schedule.ts';
import type { Point } from '../history/point.ts';

export interface Step {
  ts: number;
  occupied: number;
}

/** When a change took effect: the state's `since` when it is sane, else the report time. */
function changeTime(p: Point): number {
  const since = p.fields.since;
  return typeof since === 'number' && since <= p.ts && since > p.ts - 86_400_000 * 30 ? since : p.ts;
}

/**
 * One desk's steps over [from, to): its state at `from` (from the last change before it; free
 * when never reported), then each change. Consecutive equal values are merged.
 */
export function deskSteps(points: readonly Point[], from: number, to: number): Step[] {
  const changes = points.map((p) => ({ ts: changeTime(p), occupied: p.fields.occupied === true ? 1 : 0 })).sort((a, b) => a.ts - b.ts);
  let initial = 0;
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

/** Sum of several step functions (desks → zone count). */
export function sumSteps(series: readonly Step[][], from: number): Step[] {
  const events: { ts: number; delta: number }[] = [];
  let start = 0;
  for (const s of series) {
    let prev = 0;
    for (const st of s) {
      if (st.ts <= from) {
        start += st.occupied - prev;
      } else {
        events.push({ ts: st.ts, delta: st.occupied - prev });
      }
      prev = st.occupied;
    }
  }
  events.sort((a, b) => a.ts - b.ts);
  const out: Step[] = [{ ts: from, occupied: start }];
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
    if (s.occupied > 0 && end > s.ts) out.push([s.ts, end]);
  });
  return out;
}

const QUARTER_MS = 15 * 60_000;

/**
 * Desk time occupied per local hour of the week, over [from, to), as a share of the desk time
 * there was. Time is cut in UTC quarter hours (every time zone's offset is a multiple of 15
 * minutes), each labelled with its local weekday and hour — so a DST day counts its 23 or 25
 * hours where they fell.
 */
export function utilisationByHour(
  deskSeries: readonly Step[][],
  from: number,
  to: number,
  timeZone: string,
): { day: number; hour: number; utilisation: number }[] {
  const slotOf: number[] = [];
  const available = new Array<number>(168).fill(0);
  const occupied = new Array<number>(168).fill(0);
  const first = Math.floor(from / QUARTER_MS);
  const last = Math.ceil(to / QUARTER_MS);
  for (let q = first; q < last; q++) {
    const { day, minute } = localWeekMinute(q * QUARTER_MS, timeZone);
    const slot = (day - 1) * 24 + Math.floor(minute / 60);
    slotOf.push(slot);
    const span = Math.min(to, (q + 1) * QUARTER_MS) - Math.max(from, q * QUARTER_MS);
    available[slot]! += span * deskSeries.length;
  }
  for (const steps of deskSeries) {
    for (const [a, b] of occupiedIntervals(steps, to)) {
      for (let q = Math.floor(a / QUARTER_MS); q * QUARTER_MS < b; q++) {
        const overlap = Math.min(b, (q + 1) * QUARTER_MS) - Math.max(a, q * QUARTER_MS);
        if (overlap > 0) occupied[slotOf[q - first]!]! += overlap;
      }
    }
  }
  const cells: { day: number; hour: number; utilisation: number }[] = [];
  for (let slot = 0; slot < 168; slot++) {
    const avail = available[slot]!;
    cells.push({ day: Math.floor(slot / 24) + 1, hour: slot % 24, utilisation: avail > 0 ? Math.round((occupied[slot]! / avail) * 10_000) / 10_000 : 0 });
  }
  return cells;
}

/** Highest value of a step function within [from, to), and when it was first reached. */
export function peak(steps: readonly Step[], from: number, to: number): { peak: number; at: number | null } {
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

/** Total occupied time (ms) of 0/1 desk series within [from, to). */
export function occupiedMs(deskSeries: readonly Step[][], from: number, to: number): number {
  let total = 0;
  for (const steps of deskSeries) {
    for (const [a, b] of occupiedIntervals(steps, to)) total += Math.max(0, Math.min(b, to) - Math.max(a, from));
  }
  return total;
}
