// Desk sensors checked against the door: a pure function over a window of history (each desk's
// occupancy changes, and the times someone passed a door) that says which desk sensors are
// SUSPECT now, why, from when, and with which numbers. Card grants, unlocks and exits are the
// ground truth of presence: a desk cannot be taken for half a night while nobody passed a door
// and no other sensor saw anyone.
//
// - stuck-occupied: occupied without a break for ≥ stuckHours, and for the last ≥ stuckHours of
//   that nobody passed a door (grant, unlock, exit) and no other desk of the site was taken (a
//   stuck PIR; another desk taken as long, with nobody passing a door, is stuck too and does not
//   count). Suspect from the last sign of anyone: the later of the run's start, the last door
//   passage and the last time another desk was taken.
// - never-occupied: not taken once in silentDays, while its zone was busy on ≥ busyDays of them
//   (≥ busyShare of the zone's other desks taken at once for ≥ busyHours that day): a dead
//   battery, a radar aimed wrong. Suspect from when it was last taken (or the window's start).
// - flapping: more than flapPerHour changes in each of the last flapHours hours (a radar seeing a
//   fan). Suspect from the start of that run of hours.
//
// A desk is looked at only from `notBefore` (a host confirmed the sensor then: what came before
// is settled). Time is cut in hours and 24-hour days counted back from `now`, not local days: the
// rules measure lengths, not calendar days.
import type { SensorCheckConfig } from '../../config/schema.ts';
import type { SuspectEvidence, SuspectReason } from '../../contracts/api/index.ts';
import type { Point } from '../history/point.ts';
import { deskSteps, occupiedIntervals, type Step } from '../analytics/occupancy.ts';

const H = 3600_000;
const DAY = 24 * H;

export type SensorRules = Omit<SensorCheckConfig, 'enabled' | 'everyMin'>;

export interface DeskHistory {
  id: string;
  zone: string;
  /** Its occupancy points (any order), from at least `silentDays` before `now` when there are any. */
  points: readonly Point[];
  /** Look only from here (when a host last confirmed its sensor). */
  notBefore?: number;
}

export interface SensorCheckInput {
  now: number;
  /** Where the history given starts: what is before it is not known. */
  from: number;
  desks: readonly DeskHistory[];
  /** When someone passed a door (granted access by card, PIN, unlock or exit button; a door opened), any order. */
  doorPassages: readonly number[];
  rules: SensorRules;
}

export interface Suspect {
  desk: string;
  reason: SuspectReason;
  since: number;
  evidence: SuspectEvidence;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Occupied intervals of each desk over [from, now), clipped. */
function occupiedOf(steps: readonly Step[], now: number): [number, number][] {
  return occupiedIntervals(steps, now);
}

function stuck(desk: DeskHistory, steps: readonly Step[], others: readonly [number, number][][], input: SensorCheckInput, start: number): Suspect | null {
  const { now, rules } = input;
  const last = steps.at(-1)!;
  if (last.occupied !== 1) return null;
  const runStart = Math.max(last.ts, start);
  if (now - runStart < rules.stuckHours * H) return null;
  let lastSign = runStart;
  for (const t of input.doorPassages) if (t <= now && t > lastSign) lastSign = t;
  for (const intervals of others) for (const [, b] of intervals) if (b > lastSign) lastSign = Math.min(b, now);
  const quiet = now - lastSign;
  if (quiet < rules.stuckHours * H) return null;
  return { desk: desk.id, reason: 'stuck-occupied', since: lastSign, evidence: { occupiedHours: round1((now - runStart) / H), quietHours: round1(quiet / H) } };
}

/** Length of time within [a, b) that at least `need` of `series` are occupied together. */
function timeAtLeast(series: readonly [number, number][][], need: number, a: number, b: number): number {
  const events: [number, number][] = [];
  for (const intervals of series) {
    for (const [s, e] of intervals) {
      const x = Math.max(s, a);
      const y = Math.min(e, b);
      if (y > x) events.push([x, 1], [y, -1]);
    }
  }
  events.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  let n = 0;
  let since = a;
  let total = 0;
  for (const [t, d] of events) {
    if (n >= need) total += t - since;
    n += d;
    since = t;
  }
  return total;
}

function never(
  desk: DeskHistory,
  own: readonly [number, number][],
  zoneOthers: readonly [number, number][][],
  input: SensorCheckInput,
  start: number,
): Suspect | null {
  const { now, rules } = input;
  if (zoneOthers.length === 0) return null;
  const windowStart = now - rules.silentDays * DAY;
  if (start > windowStart) return null;
  if (own.some(([, b]) => b > windowStart)) return null;
  const need = Math.max(1, Math.ceil(rules.busyShare * zoneOthers.length));
  let busyDays = 0;
  for (let i = 0; i < rules.silentDays; i++) {
    const a = windowStart + i * DAY;
    if (timeAtLeast(zoneOthers, need, a, a + DAY) >= rules.busyHours * H) busyDays++;
  }
  if (busyDays < rules.busyDays) return null;
  // When it was last taken, as far back as its points go (before the window when it died long ago).
  const first = desk.points.reduce((t, p) => Math.min(t, p.ts), start);
  const all = occupiedIntervals(deskSteps(desk.points, first, now + 1), now);
  const lastTaken = all.reduce((t, [, b]) => Math.max(t, b), Math.max(first, desk.notBefore ?? first));
  return { desk: desk.id, reason: 'never-occupied', since: lastTaken, evidence: { days: rules.silentDays, busyDays } };
}

function flapping(desk: DeskHistory, steps: readonly Step[], input: SensorCheckInput, start: number): Suspect | null {
  const { now, rules } = input;
  const changes = steps.slice(1).map((s) => s.ts);
  let hours = 0;
  let most = 0;
  let first = now;
  for (;;) {
    const b = now - hours * H;
    const a = b - H;
    if (a < start) break;
    const inHour = changes.filter((t) => t >= a && t < b);
    if (inHour.length <= rules.flapPerHour) break;
    most = Math.max(most, inHour.length);
    first = inHour[0]!;
    hours++;
  }
  if (hours < rules.flapHours) return null;
  // From its first change in the earliest of those hours (the fan went on).
  return { desk: desk.id, reason: 'flapping', since: first, evidence: { changesPerHour: most, hours } };
}

/** The desk sensors suspect at `now`, at most one reason each (flapping, then stuck, then never). */
export function findSuspects(input: SensorCheckInput): Suspect[] {
  const { now } = input;
  const series = input.desks.map((d) => {
    const start = Math.max(input.from, d.notBefore ?? -Infinity);
    const steps = deskSteps(d.points, start, now + 1);
    return { d, start, steps, occupied: occupiedOf(steps, now) };
  });
  // Desks taken without a break for stuckHours with no door passage in them: two stuck PIRs must
  // not vouch for each other, so these do not count as "another sensor sees someone".
  const quietSince = now - input.rules.stuckHours * H;
  const passedLately = input.doorPassages.some((t) => t > quietSince && t <= now);
  const longRuns = new Set(
    passedLately ? [] : series.filter((x) => x.steps.at(-1)!.occupied === 1 && Math.max(x.steps.at(-1)!.ts, x.start) <= quietSince).map((x) => x.d),
  );
  const out: Suspect[] = [];
  for (const { d, start, steps, occupied } of series) {
    const others = series.filter((x) => x.d !== d);
    const found =
      flapping(d, steps, input, start) ??
      stuck(
        d,
        steps,
        others.filter((x) => !longRuns.has(x.d)).map((x) => x.occupied),
        input,
        start,
      ) ??
      never(
        d,
        occupied,
        others.filter((x) => x.d.zone === d.zone).map((x) => x.occupied),
        input,
        start,
      );
    if (found) out.push(found);
  }
  return out;
}

/** How far back the check needs history: the longest of its windows, and a day more. */
export function historyNeeded(rules: SensorRules): number {
  return Math.max(rules.silentDays * DAY, rules.stuckHours * H * 2, rules.flapHours * H) + DAY;
}
