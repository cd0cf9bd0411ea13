// Bookings of rooms and desks (issue 16): a member books for themself within their plan's rules,
// a host for anyone without them; the booker or a host cancels. Every change recompiles the
// access lists: a room booking opens the room's doors for the booker's cards and its guest PIN
// (services/access/compile.ts), on the gateway, offline too.
import type { FastifyRequest } from 'fastify';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { apiError } from '../../../contracts/errors.ts';
import type { BookableView, BookingBody, BookingView } from '../../../contracts/api/index.ts';
import { epochOfLocal, localDate, localDateTime, startOfLocalDay, addDays } from '../../../contracts/local-time.ts';
import type { SiteConfig } from '../../../config/schema.ts';
import type { Member } from '../../db/members-repo.ts';
import type { Booking } from '../../db/bookings-repo.ts';
import { calendarFeed } from '../../bookings/calendar.ts';
import { guestPinMail } from '../../bookings/guest-mail.ts';
import { bookingsConfig, bookables, bookableUntil, mayBook, monthBounds, MAX_BOOKING_MS, type Bookable } from '../../bookings/rules.ts';
import { clientBucket } from '../../auth/client-address.ts';
import { actorId, memberOf } from '../auth.ts';
import { notFound, changed } from '../admin.ts';
import type { AdminDeps } from '../context.ts';
import { route, routePlugin, type RouteLimit } from '../route.ts';

export type BookingRoutesOptions = AdminDeps & {
  config: AdminDeps['config'] & Pick<SiteConfig, 'bookings' | 'desks' | 'alerts'>;
  /** A keypad PIN's fingerprint (the site key stays outside the routes). */
  pinFingerprint(pin: string): string;
  /** E-mail to a person (the alert centre's SMTP transport); absent or null: not configured, the PIN is only shown. */
  notice?: ((to: { name: string; email: string }, subject: string, text: string) => Promise<void>) | null;
};

const isHost = (m: Member) => m.role !== 'member';
const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
/** How far back and ahead a calendar feed reaches (ended, cancelled and released bookings alike). */
const FEED_BACK_MS = 30 * 86_400_000;
const FEED_AHEAD_MS = 366 * 86_400_000;

const TEN_MIN = 10 * 60_000;
const perMember = (max: number, what: string): RouteLimit => ({
  max,
  windowMs: TEN_MIN,
  key: (req) => `m:${actorId(req.actor)}`,
  what: `${what} from your account`,
});
const perIp = (max: number, what: string): RouteLimit => ({
  max,
  windowMs: TEN_MIN,
  key: (req) => `ip:${clientBucket(req.ip)}`,
  what: `${what} from this address`,
});
/**
 * Limits a real member never meets, that hold a script or a stolen session: a busy host books a
 * day's rooms for others in a handful of requests, not 30 in ten minutes; a guest PIN is asked for
 * (and e-mailed) once or twice per booking, and each one e-mails someone, so 20; a calendar feed is
 * made once per calendar app. Per IP four times that: members at the space can share one address.
 */
export const BOOKING_LIMITS = {
  book: [perMember(30, 'bookings'), perIp(120, 'bookings')],
  pin: [perMember(20, 'guest PIN requests'), perIp(80, 'guest PIN requests')],
  feed: [perMember(10, 'calendar feeds'), perIp(40, 'calendar feeds')],
} as const;

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

  route(
    app,
    'addBooking',
    async (request) => {
      const caller = memberOf(request);
      // A host books for themself like anyone, without the plan's rules.
      const b = book(request.body, caller, caller, !isHost(caller));
      await changed(ctx, request, 'booking.create', caller.id, { booking: b.id, resource: b.resource, start: b.start, end: b.end });
      return view(b, caller);
    },
    { limits: BOOKING_LIMITS.book },
  );

  route(
    app,
    'addMemberBooking',
    async (request) => {
      const caller = memberOf(request);
      const member = store.members.byId(request.params.id);
      if (!member) throw notFound('member');
      const b = book(request.body, member, caller, false);
      await changed(ctx, request, 'booking.create', member.id, { booking: b.id, resource: b.resource, start: b.start, end: b.end, for: member.id });
      return view(b, caller);
    },
    { limits: BOOKING_LIMITS.book },
  );

  route(app, 'cancelBooking', async (request) => {
    const { b, caller } = own(request, request.params.id);
    if (b.end <= ctx.now() || !store.bookings.end(b.id, 'cancelled', ctx.now())) throw apiError('booking-over', 'This booking is cancelled, released or over.');
    await changed(ctx, request, 'booking.cancel', b.member, { booking: b.id });
    return view(store.bookings.byId(b.id)!, caller);
  });

  route(app, 'calendarFeeds', (request) =>
    store.bookings.feedsOf(memberOf(request).id).map((f) => ({ id: f.id, room: f.room, url: null, createdAt: f.createdAt })),
  );

  // A feed opens no door: audited, no recompile.
  const audit = (request: FastifyRequest, caller: Member, action: string, detail: Record<string, unknown>) =>
    store.audit.write({ ts: ctx.now(), actor: caller.id, action, target: caller.id, detail, source: request.ip });

  route(
    app,
    'addCalendarFeed',
    (request) => {
      const caller = memberOf(request);
      const room = request.body.room ?? null;
      if (room !== null && resources.get(room)?.kind !== 'room') throw apiError('unknown-resource', `There is no room "${room}".`);
      // The address is the key: 192 random bits, kept only as a hash.
      const token = randomBytes(24).toString('base64url');
      const id = store.bookings.addFeed(tokenHash(token), caller.id, room, ctx.now());
      audit(request, caller, 'calendar-feed.create', { feed: id, room });
      return { id, room, url: `/api/calendar/${token}.ics`, createdAt: ctx.now() };
    },
    { limits: BOOKING_LIMITS.feed },
  );

  route(app, 'revokeCalendarFeed', (request) => {
    const caller = memberOf(request);
    if (!store.bookings.revokeFeed(request.params.id, caller.id, ctx.now())) throw notFound('calendar feed');
    audit(request, caller, 'calendar-feed.revoke', { feed: request.params.id });
  });

  route(app, 'calendar', (request, reply) => {
    const feed = store.bookings.feed(tokenHash(request.params.token.slice(0, -'.ics'.length)));
    const owner = feed && store.members.byId(feed.member);
    // A revoked address, or one whose member is suspended or gone, answers as if it never existed.
    if (!feed || !owner?.active) throw notFound('calendar feed');
    const now = ctx.now();
    // Cancelled and released bookings stay in the feed (STATUS:CANCELLED) as long as live ones
    // that ended: a calendar app removes an event it sees cancelled, not one that is only missing.
    const list =
      feed.room === null
        ? store.bookings.feedOfMember(owner.id, now - FEED_BACK_MS)
        : store.bookings.feedOfRoom(feed.room, now - FEED_BACK_MS, now + FEED_AHEAD_MS);
    const room = feed.room === null ? null : resources.get(feed.room);
    const ics = calendarFeed(
      list.map((b) => ({ ...view(b, owner), sequence: b.sequence })),
      {
        name: room ? `${room.name} · ${config.site.name}` : `${owner.name} · ${config.site.name}`,
        site: config.site.id,
        language: config.alerts.language,
        doorName: (id) => config.doors.find((d) => d.id === id)?.name ?? id,
        now,
      },
    );
    return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(ics);
  });

  route(
    app,
    'bookingPin',
    async (request) => {
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
      const mail = guestPinMail(v, {
        language: config.alerts.language,
        site: config.site.name,
        graceMin: bookingsConfig(config).graceMin,
        doorName: (id) => config.doors.find((d) => d.id === id)?.name ?? id,
      });
      if (to !== undefined && mail && ctx.notice) {
        // Sent in the background: the PIN is shown now, and an SMTP outage does not fail the request.
        const guest = b.guests.find((g) => g.email === to)?.name ?? to;
        ctx
          .notice({ name: guest, email: to }, mail.subject, mail.text)
          .catch((err: unknown) => request.log.warn({ err, booking: b.id }, 'guest PIN e-mail not sent'));
        store.audit.write({ ts: ctx.now(), actor: caller.id, action: 'booking.pin-mail', target: b.member, detail: { booking: b.id }, source: request.ip });
      }
      return v;
    },
    { limits: BOOKING_LIMITS.pin },
  );
});
