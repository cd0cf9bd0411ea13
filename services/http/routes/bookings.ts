// Bookings of rooms and desks (issue 16): a member books for themself within their plan's rules,
// a host for anyone without them; the booker or a host cancels. Every change recompiles the
// access lists: a room booking opens the room's doors for the booker's cards and its guest PIN
// (services/access/compile.ts), on the gateway, offline too.
import type { FastifyRequest } from 'fastify';
import { randomInt } from 'node:crypto';
import { apiError } from '../../../contracts/errors.ts';
import type { BookableView, BookingBody, BookingView } from '../../../contracts/api/index.ts';
import { epochOfLocal, localDate, localDateTime, startOfLocalDay, addDays } from '../../../contracts/local-time.ts';
import type { SiteConfig } from '../../../config/schema.ts';
import type { Member } from '../../db/members-repo.ts';
import type { Booking } from '../../db/bookings-repo.ts';
import { bookables, bookableUntil, mayBook, monthBounds, MAX_BOOKING_MS, type Bookable } from '../../bookings/rules.ts';
import { memberOf } from '../auth.ts';
import { notFound, changed } from '../admin.ts';
import type { AdminDeps } from '../context.ts';
import { route, routePlugin } from '../route.ts';

export type BookingRoutesOptions = AdminDeps & {
  config: AdminDeps['config'] & Pick<SiteConfig, 'bookings' | 'desks'>;
  /** A keypad PIN's fingerprint (the site key stays outside the routes). */
  pinFingerprint(pin: string): string;
  /** Sends a booking's guest PIN to a guest; absent: e-mail is not configured (the PIN is only shown). */
  mailPin?: (to: string, booking: BookingView) => Promise<void>;
};

const isHost = (m: Member) => m.role !== 'member';

export const bookingRoutes = routePlugin<BookingRoutesOptions>((app, ctx) => {
  const { store, config } = ctx;
  const tz = config.site.timeZone;
  const resources = bookables(config);

  const view = (b: Booking, caller: Member): BookingView => {
    const res = resources.get(b.resource);
    const mine = b.member === caller.id || isHost(caller);
    return {
      id: b.id,
      kind: b.kind,
      resource: b.resource,
      resourceName: res?.name ?? b.resource,
      from: localDateTime(b.start, tz),
      to: localDateTime(b.end, tz),
      start: b.start,
      end: b.end,
      state: b.state,
      mine,
      member: mine ? b.member : null,
      memberName: mine ? (store.members.byId(b.member)?.name ?? null) : null,
      title: mine ? b.title : null,
      guests: mine ? b.guests : [],
      doors: res?.doors ?? [],
      pin: mine ? b.pin : null,
    };
  };

  const newPin = (): { pin: string; fp: string } => {
    for (let i = 0; i < 50; i++) {
      const pin = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const fp = ctx.pinFingerprint(pin);
      if (!store.credentials.liveByFingerprint(fp) && !store.bookings.pinLive(fp)) return { pin, fp };
    }
    throw apiError('pin-taken', 'No free PIN found: try again.');
  };

  /** Checks and stores a booking for `member`; `rules` false: a host books (only time and overlap apply). */
  const book = (b: BookingBody, member: Member, actor: Member, rules: boolean): Booking => {
    const res = resources.get(b.resource);
    if (!res || res.kind !== b.kind) throw apiError('unknown-resource', `There is no ${b.kind} "${b.resource}" to book.`);
    const start = epochOfLocal(b.from, tz);
    const end = epochOfLocal(b.to, tz);
    if (start === null || end === null) throw apiError('bad-time', `${start === null ? b.from : b.to} is not a time the clock shows in ${tz}.`);
    if (end <= start || end - start > MAX_BOOKING_MS) throw apiError('bad-time', 'A booking ends after it starts, and lasts at most a day.');
    const now = ctx.now();
    if (end <= now) throw apiError('in-the-past', 'That time has passed.');
    if (rules) checkRules(member, res, start, end, now);
    const pin = b.guestPin && b.kind === 'room' ? newPin() : null;
    const created = store.bookings.insert(
      { kind: b.kind, resource: res.id, member: member.id, start, end, title: b.title ?? null, guests: b.guests ?? [], createdBy: actor.id, pin },
      now,
    );
    if (created === 'overlap') throw apiError('booking-overlap', `${res.name} is already booked in that time.`);
    if (created === 'pin-taken') throw apiError('pin-taken', 'The PIN was taken at the same moment: try again.');
    return created;
  };

  const checkRules = (member: Member, res: Bookable, start: number, end: number, now: number): void => {
    const plan = member.plan === null ? undefined : store.plans.byId(member.plan);
    const rules = plan?.booking;
    if (!rules || !mayBook(rules, res)) throw apiError('not-allowed-room', `Your plan does not book ${res.name}.`);
    if (start >= bookableUntil(rules, now, tz)) throw apiError('too-far-ahead', `Your plan books at most ${rules.aheadDays} day(s) ahead.`);
    if (rules.hoursPerMonth !== undefined) {
      // Each calendar month the booking touches (at most two: it lasts at most a day).
      for (let t = start; t < end;) {
        const m = monthBounds(t, tz);
        const used = store.bookings.bookedMs(member.id, m.start, m.end);
        const adding = Math.min(end, m.end) - Math.max(start, m.start);
        if (used + adding > rules.hoursPerMonth * 3600_000) {
          const left = Math.max(0, rules.hoursPerMonth - used / 3600_000);
          throw apiError('quota-exceeded', `Your plan has ${left.toFixed(1)} of ${rules.hoursPerMonth} hour(s) left in ${localDate(m.start, tz).slice(0, 7)}.`);
        }
        t = m.end;
      }
    }
  };

  /** The booking, if the caller may manage it (the booker or a host). */
  const own = (request: FastifyRequest, id: number): { b: Booking; caller: Member } => {
    const caller = memberOf(request);
    const b = store.bookings.byId(id);
    if (!b || (b.member !== caller.id && !isHost(caller))) throw notFound('booking');
    return { b, caller };
  };

  route(app, 'bookable', (request): BookableView => {
    const caller = memberOf(request);
    const now = ctx.now();
    const plan = caller.plan === null ? undefined : store.plans.byId(caller.plan);
    const rules = isHost(caller) ? undefined : plan?.booking;
    const all = [...resources.values()].filter((r) => isHost(caller) || mayBook(rules, r));
    let hoursLeft: number | null = null;
    if (!isHost(caller) && rules?.hoursPerMonth !== undefined) {
      const m = monthBounds(now, tz);
      hoursLeft = Math.max(0, rules.hoursPerMonth - store.bookings.bookedMs(caller.id, m.start, m.end) / 3600_000);
    }
    return {
      rooms: all.filter((r) => r.kind === 'room').map((r) => ({ id: r.id, name: r.name, doors: r.doors, zone: r.zone })),
      desks: all.filter((r) => r.kind === 'desk').map((r) => ({ id: r.id, name: r.name, zone: r.zone! })),
      aheadDays: isHost(caller) ? null : (rules?.aheadDays ?? 0),
      hoursLeft: isHost(caller) ? null : rules ? hoursLeft : 0,
    };
  });

  route(app, 'bookings', (request) => {
    const caller = memberOf(request);
    const q = request.query;
    const date = q.date ?? localDate(ctx.now(), tz);
    let from: number;
    try {
      from = startOfLocalDay(date, tz);
    } catch {
      throw apiError('bad-date', `${date} is not a calendar date (YYYY-MM-DD).`);
    }
    if (q.resource !== undefined && !resources.has(q.resource)) throw apiError('unknown-resource', `There is no room or desk "${q.resource}".`);
    const to = startOfLocalDay(addDays(date, 1), tz);
    return store.bookings
      .between(from, to)
      .filter((b) => q.resource === undefined || b.resource === q.resource)
      .map((b) => view(b, caller));
  });

  route(app, 'myBookings', (request) => {
    const caller = memberOf(request);
    return store.bookings.forMember(caller.id, ctx.now()).map((b) => view(b, caller));
  });

  route(app, 'addBooking', async (request) => {
    const caller = memberOf(request);
    // A host books for themself like anyone, without the plan's rules.
    const b = book(request.body, caller, caller, !isHost(caller));
    await changed(ctx, request, 'booking.create', caller.id, { booking: b.id, resource: b.resource, start: b.start, end: b.end });
    return view(b, caller);
  });

  route(app, 'addMemberBooking', async (request) => {
    const caller = memberOf(request);
    const member = store.members.byId(request.params.id);
    if (!member) throw notFound('member');
    const b = book(request.body, member, caller, false);
    await changed(ctx, request, 'booking.create', member.id, { booking: b.id, resource: b.resource, start: b.start, end: b.end, for: member.id });
    return view(b, caller);
  });

  route(app, 'cancelBooking', async (request) => {
    const { b, caller } = own(request, request.params.id);
    if (b.end <= ctx.now() || !store.bookings.end(b.id, 'cancelled', ctx.now())) throw apiError('booking-over', 'This booking is cancelled, released or over.');
    await changed(ctx, request, 'booking.cancel', b.member, { booking: b.id });
    return view(store.bookings.byId(b.id)!, caller);
  });

  route(app, 'bookingPin', async (request) => {
    const { b, caller } = own(request, request.params.id);
    if (b.state !== 'booked' || b.end <= ctx.now()) throw apiError('booking-over', 'This booking is cancelled, released or over.');
    if (b.kind !== 'room') throw apiError('unknown-resource', 'Only a room booking opens a door for a guest.');
    if (b.pin === null) {
      const { pin, fp } = newPin();
      const set = store.bookings.setPin(b.id, pin, fp);
      if (set === 'pin-taken') throw apiError('pin-taken', 'The PIN was taken at the same moment: try again.');
      if (!set) throw apiError('booking-over', 'This booking is cancelled, released or over.');
      await changed(ctx, request, 'booking.pin', b.member, { booking: b.id });
    }
    const v = view(store.bookings.byId(b.id)!, caller);
    const to = request.body.email;
    if (to !== undefined && ctx.mailPin) {
      // Sent in the background: the PIN is shown now, and an SMTP outage does not fail the request.
      void ctx.mailPin(to, v).catch(() => undefined);
    }
    return v;
  });
});
