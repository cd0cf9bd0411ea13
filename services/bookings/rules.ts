// What can be booked (the site config's rooms and desks) and the plan's rules (issue 16): which
// rooms and desks, how far ahead, how many hours a calendar month. Pure: the routes, the access
// list compiler and the no-show release read the same answers.
import type { BookingKind } from '../../contracts/api/bookings.ts';
import type { BookingRules } from '../../contracts/api/plans.ts';
import { addDays, localDate, startOfLocalDay } from '../../contracts/local-time.ts';
import type { SiteConfig, BookingsConfig } from '../../config/schema.ts';

export interface Bookable {
  kind: BookingKind;
  id: string;
  name: string;
  /** Doors the booking opens (a room's; none for a desk). */
  doors: string[];
  /** Zone whose desk sensors tell whether anyone came (a room's `zone`, a desk's own zone); null: none. */
  zone: string | null;
}

/** The longest booking: a day. */
export const MAX_BOOKING_MS = 24 * 3600_000;

export const bookingsConfig = (config: Pick<SiteConfig, 'bookings'>): BookingsConfig =>
  config.bookings ?? { rooms: [], graceMin: 5, noShowMin: 15, listDays: 7 };

/** Rooms and desks by id (one id space: the config loader refuses a room named like a desk). */
export function bookables(config: Pick<SiteConfig, 'bookings' | 'desks'>): Map<string, Bookable> {
  const out = new Map<string, Bookable>();
  for (const r of bookingsConfig(config).rooms) out.set(r.id, { kind: 'room', id: r.id, name: r.name, doors: [...r.doors].sort(), zone: r.zone ?? null });
  for (const d of config.desks) out.set(d.id, { kind: 'desk', id: d.id, name: d.name, doors: [], zone: d.zone });
  return out;
}

/** May a plan with these rules book this room or desk? */
export function mayBook(rules: BookingRules | undefined, b: Bookable): boolean {
  if (!rules) return false;
  const allowed = b.kind === 'room' ? rules.rooms : rules.desks;
  return allowed === 'all' || allowed.includes(b.id);
}

/** The last instant a plan lets its members book: the end of local day today + aheadDays. */
export function bookableUntil(rules: BookingRules, now: number, timeZone: string): number {
  return startOfLocalDay(addDays(localDate(now, timeZone), rules.aheadDays + 1), timeZone);
}

/** [start, end) of the local calendar month holding `t`. */
export function monthBounds(t: number, timeZone: string): { start: number; end: number } {
  const date = localDate(t, timeZone);
  const first = `${date.slice(0, 7)}-01`;
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { start: startOfLocalDay(first, timeZone), end: startOfLocalDay(next, timeZone) };
}
