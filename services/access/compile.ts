// Compiles the access list of one gateway: active members × live credentials × the plan that
// applies (the pass's own or the member's), limited to this gateway's doors. What the gateway
// cannot know is applied here: validity dates of plans and passes and closures drop an entry
// while they hold, and `nextChangeAt` says when the answer changes (the caller recompiles
// then). Pure; the caller adds version, ts and signature.
//
// A suspended member's credentials, and those whose pass or plan ended in the last
// EXPIRED_KEPT_MS, stay in the list as `refused` entries with no doors: the door then says who
// was refused and why, offline too, where it would otherwise log "unknown card" and count an
// intruder. The list already names every member with a card, by random id; this adds no more.
import type { AclEntry } from '../../contracts/payloads.ts';
import type { Grant } from '../db/credentials-repo.ts';
import type { Plan, Closure } from '../db/plans-repo.ts';
import { dateRangeBounds } from '../../contracts/local-time.ts';
import type { Booking } from '../db/bookings-repo.ts';

/** How long an ended pass or plan is still refused by name ("expired") rather than unknown. */
export const EXPIRED_KEPT_MS = 30 * 86_400_000;

export interface CompileContext {
  now: number;
  timeZone: string;
  closures: readonly Closure[];
}

/**
 * Room bookings (issue 16): each opens its room's doors for the booker's cards and its guest
 * PIN from `start − grace` to `end + grace`. Only bookings that start within `horizonMs` are
 * listed (the list stays small); a later one enters when its time comes (`nextChangeAt`), and an
 * ended one leaves.
 */
export interface BookingInput {
  bookings: readonly Booking[];
  /** Live cards of the bookers, by member. */
  cards: ReadonlyMap<string, readonly string[]>;
  /** A room's doors, by room id. */
  roomDoors: ReadonlyMap<string, readonly string[]>;
  graceMs: number;
  horizonMs: number;
}

export interface Compiled {
  entries: AclEntry[];
  /** The next moment (epoch ms) a validity date or closure starts or ends; null = none. */
  nextChangeAt: number | null;
}

interface PlanState {
  plan: Plan;
  /** The plan's windows with their keys in sorted order. */
  windows: AclEntry['windows'] & object;
  /** Valid now (validity dates) and not closed now. */
  open: boolean;
  /** When it stops being open (end of validity or the next closure), or Infinity. */
  until: number;
}

/** Validity and closures of each plan at `now`; pushes every future boundary into `bounds`. */
function planStates(plans: ReadonlyMap<string, Plan>, ctx: CompileContext, bounds: number[]): Map<string, PlanState> {
  const { now, timeZone } = ctx;
  const closures = ctx.closures.map((c) => ({ c, ...dateRangeBounds(c.from, c.to, timeZone) }));
  for (const c of closures) bounds.push(c.start, c.end);
  const out = new Map<string, PlanState>();
  for (const plan of plans.values()) {
    const v = dateRangeBounds(plan.validFrom, plan.validTo, timeZone);
    bounds.push(v.start, v.end);
    let open = v.start <= now && now < v.end;
    let until = v.end;
    for (const { c, start, end } of closures) {
      if (c.plans.length > 0 && !c.plans.includes(plan.id)) continue;
      if (start <= now && now < end) open = false;
      else if (start > now) until = Math.min(until, start);
    }
    const windows = plan.windows.map((w) => ({ days: w.days, from: w.from, to: w.to }));
    out.set(plan.id, { plan, windows, open, until });
  }
  return out;
}

/** Entries of room bookings for this gateway's doors; pushes the moments they enter or leave into `bounds`. */
function bookingEntries(input: BookingInput, gatewayDoors: ReadonlySet<string>, now: number, bounds: number[]): AclEntry[] {
  const out: AclEntry[] = [];
  for (const b of input.bookings) {
    if (b.state !== 'booked' || b.kind !== 'room') continue;
    const from = b.start - input.graceMs;
    const until = b.end + input.graceMs;
    if (until <= now) continue;
    if (from - input.horizonMs > now) {
      bounds.push(from - input.horizonMs);
      continue;
    }
    const doors = (input.roomDoors.get(b.resource) ?? []).filter((d) => gatewayDoors.has(d)).sort();
    if (doors.length === 0) continue;
    bounds.push(until);
    const fps = [...(input.cards.get(b.member) ?? [])];
    if (b.pinFp !== null) fps.push(b.pinFp);
    // Keys in sorted order, as below. Offline too: the window itself bounds it.
    for (const fp of fps) out.push({ doors, fp, from, member: b.member, offline: true, until });
  }
  return out;
}

export function compileEntries(
  grants: readonly Grant[],
  plans: ReadonlyMap<string, Plan>,
  gatewayDoors: ReadonlySet<string>,
  ctx: CompileContext,
  bookings?: BookingInput,
): Compiled {
  const bounds: number[] = [];
  const states = planStates(plans, ctx, bounds);
  const doorsOf = new Map<string, string[]>();
  const entries: AclEntry[] = [];
  const refuse = (g: Grant, refused: AclEntry['refused']): void => {
    // Keys in sorted order, as below.
    entries.push({ doors: [], fp: g.fingerprint, member: g.member, offline: false, refused });
  };
  for (const g of grants) {
    if (!g.active) {
      refuse(g, 'suspended');
      continue;
    }
    if (g.plan === null) continue;
    const st = states.get(g.plan);
    if (!st) continue;
    const endedAt = st.plan.validTo === null ? Infinity : dateRangeBounds(st.plan.validFrom, st.plan.validTo, ctx.timeZone).end;
    let doors = doorsOf.get(g.plan);
    if (!doors) doorsOf.set(g.plan, (doors = st.plan.doors.filter((d) => gatewayDoors.has(d)).sort()));
    if (doors.length === 0) continue;
    let until = st.until;
    let ended = endedAt <= ctx.now ? endedAt : null;
    if (g.validFrom || g.validTo) {
      const v = dateRangeBounds(g.validFrom, g.validTo, ctx.timeZone);
      bounds.push(v.start, v.end);
      if (v.end <= ctx.now) ended = Math.min(ended ?? v.end, v.end);
      else if (!(v.start <= ctx.now)) continue;
      until = Math.min(until, v.end);
    }
    if (ended !== null) {
      if (ctx.now - ended < EXPIRED_KEPT_MS) refuse(g, 'expired');
      continue;
    }
    if (!st.open) continue;
    // Keys in sorted order: the list is then its own canonical JSON (sign-list.ts).
    const entry: AclEntry = g.host
      ? { doors, fp: g.fingerprint, host: true, member: g.member, offline: st.plan.offline }
      : { doors, fp: g.fingerprint, member: g.member, offline: st.plan.offline };
    if (Number.isFinite(until)) entry.until = until;
    if (st.windows.length > 0) entry.windows = st.windows;
    entries.push(entry);
  }
  if (bookings) entries.push(...bookingEntries(bookings, gatewayDoors, ctx.now, bounds));
  let nextChangeAt: number | null = null;
  for (const b of bounds) if (Number.isFinite(b) && b > ctx.now && (nextChangeAt === null || b < nextChangeAt)) nextChangeAt = b;
  // Stable order: the same members give the same bytes (a fingerprint's plan entry first, then its bookings by time).
  entries.sort((a, b) => (a.fp < b.fp ? -1 : a.fp > b.fp ? 1 : (a.from ?? -1) - (b.from ?? -1)));
  return { entries, nextChangeAt };
}
