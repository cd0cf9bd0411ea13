// Bookings of rooms and desks (issue 16) and the secret calendar feed addresses. No two live
// bookings of one room or desk overlap: a trigger refuses the insert (migration 8), so two
// requests at once cannot both get the slot; insert() answers 'overlap' then.
import type { BookingGuest, BookingKind, BookingState } from '../../contracts/api/bookings.ts';
import type { Db } from './database.ts';

export interface Booking {
  id: number;
  kind: BookingKind;
  resource: string;
  member: string;
  start: number;
  end: number;
  title: string | null;
  guests: BookingGuest[];
  state: BookingState;
  pin: string | null;
  pinFp: string | null;
  createdAt: number;
  createdBy: string;
  endedAt: number | null;
  /** The calendar event's SEQUENCE: how often the booking changed (migration 14). */
  sequence: number;
}

export type NewBooking = Pick<Booking, 'kind' | 'resource' | 'member' | 'start' | 'end' | 'title' | 'guests' | 'createdBy'> & {
  pin?: { pin: string; fp: string } | null;
};

interface Row {
  id: number;
  kind: BookingKind;
  resource: string;
  member: string;
  starts_at: number;
  ends_at: number;
  title: string | null;
  guests: string;
  state: BookingState;
  pin: string | null;
  pin_fp: string | null;
  created_at: number;
  created_by: string;
  ended_at: number | null;
  sequence: number;
}

const toBooking = (r: Row): Booking => ({
  id: r.id,
  kind: r.kind,
  resource: r.resource,
  member: r.member,
  start: r.starts_at,
  end: r.ends_at,
  title: r.title,
  guests: JSON.parse(r.guests) as BookingGuest[],
  state: r.state,
  pin: r.pin,
  pinFp: r.pin_fp,
  createdAt: r.created_at,
  createdBy: r.created_by,
  endedAt: r.ended_at,
  sequence: r.sequence,
});

export interface CalendarFeed {
  id: number;
  member: string;
  room: string | null;
  createdAt: number;
}

const isConstraint = (err: unknown, text: string): boolean => {
  const e = err as { code?: string; message?: string };
  return typeof e.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT') && (e.message ?? '').includes(text);
};

export function createBookingsRepo(db: Db) {
  const s = {
    insert: db.prepare(`INSERT INTO bookings (kind, resource, member, starts_at, ends_at, title, guests, pin, pin_fp, created_at, created_by)
      VALUES (@kind, @resource, @member, @start, @end, @title, @guests, @pin, @pinFp, @createdAt, @createdBy)`),
    byId: db.prepare('SELECT * FROM bookings WHERE id = ?'),
    between: db.prepare(`SELECT * FROM bookings WHERE state = 'booked' AND starts_at < @to AND ends_at > @from ORDER BY starts_at, id`),
    forMember: db.prepare(`SELECT * FROM bookings WHERE member = @member AND state = 'booked' AND ends_at > @from ORDER BY starts_at, id`),
    // Calendar feeds: cancelled and released bookings too, so calendar apps remove them.
    feedOfMember: db.prepare('SELECT * FROM bookings WHERE member = @member AND ends_at > @from ORDER BY starts_at, id'),
    feedOfRoom: db.prepare('SELECT * FROM bookings WHERE resource = @room AND starts_at < @to AND ends_at > @from ORDER BY starts_at, id'),
    allOf: db.prepare('SELECT * FROM bookings WHERE member = ? ORDER BY starts_at, id LIMIT ?'),
    memberHours: db.prepare(`SELECT COALESCE(SUM(MIN(ends_at, @to) - MAX(starts_at, @from)), 0) AS ms FROM bookings
      WHERE member = @member AND state = 'booked' AND starts_at < @to AND ends_at > @from`),
    end: db.prepare(`UPDATE bookings SET state = @state, ended_at = @now WHERE id = @id AND state = 'booked'`),
    setPin: db.prepare("UPDATE bookings SET pin = @pin, pin_fp = @fp WHERE id = @id AND state = 'booked'"),
    livePin: db.prepare("SELECT 1 FROM bookings WHERE pin_fp = ? AND state = 'booked'").pluck(),
    forAcl: db.prepare(`SELECT b.* FROM bookings b JOIN members m ON m.id = b.member
      WHERE b.state = 'booked' AND b.kind = 'room' AND m.active = 1 AND b.ends_at > @after ORDER BY b.starts_at, b.id`),
    bookerCards: db.prepare(`SELECT DISTINCT c.member AS member, c.fingerprint AS fp FROM credentials c
      JOIN members m ON m.id = c.member
      WHERE c.revoked_at IS NULL AND c.kind = 'card' AND m.active = 1
        AND EXISTS (SELECT 1 FROM bookings b WHERE b.member = c.member AND b.state = 'booked' AND b.kind = 'room' AND b.ends_at > @after)
      ORDER BY c.fingerprint`),
    insertFeed: db.prepare('INSERT INTO calendar_feeds (token_hash, member, room, created_at) VALUES (?, ?, ?, ?)'),
    feedByHash: db.prepare('SELECT id, member, room, created_at AS createdAt FROM calendar_feeds WHERE token_hash = ? AND revoked_at IS NULL'),
    feedsOf: db.prepare('SELECT id, member, room, created_at AS createdAt FROM calendar_feeds WHERE member = ? AND revoked_at IS NULL ORDER BY id'),
    revokeFeed: db.prepare('UPDATE calendar_feeds SET revoked_at = ? WHERE id = ? AND member = ? AND revoked_at IS NULL'),
  };
  return {
    /** The new booking, or why not: another live booking of the resource overlaps, or the PIN is live elsewhere. */
    insert: (b: NewBooking, now: number): Booking | 'overlap' | 'pin-taken' => {
      try {
        const id = Number(
          s.insert.run({
            kind: b.kind,
            resource: b.resource,
            member: b.member,
            start: b.start,
            end: b.end,
            title: b.title,
            guests: JSON.stringify(b.guests),
            pin: b.pin?.pin ?? null,
            pinFp: b.pin?.fp ?? null,
            createdAt: now,
            createdBy: b.createdBy,
          }).lastInsertRowid,
        );
        return toBooking(s.byId.get(id) as Row);
      } catch (err) {
        if (isConstraint(err, 'booking-overlap')) return 'overlap';
        if (isConstraint(err, 'pin_fp')) return 'pin-taken';
        throw err;
      }
    },
    byId: (id: number): Booking | undefined => {
      const r = s.byId.get(id) as Row | undefined;
      return r && toBooking(r);
    },
    /** Live bookings that overlap [from, to). */
    between: (from: number, to: number): Booking[] => (s.between.all({ from, to }) as Row[]).map(toBooking),
    /** A member's live bookings that end after `from`. */
    forMember: (member: string, from: number): Booking[] => (s.forMember.all({ member, from }) as Row[]).map(toBooking),
    /** For a member's calendar feed: their bookings in any state that end after `from`. */
    feedOfMember: (member: string, from: number): Booking[] => (s.feedOfMember.all({ member, from }) as Row[]).map(toBooking),
    /** For a room's calendar feed: its bookings in any state that overlap [from, to). */
    feedOfRoom: (room: string, from: number, to: number): Booking[] => (s.feedOfRoom.all({ room, from, to }) as Row[]).map(toBooking),
    /** Every booking of a member, ended and cancelled ones too (their data export). */
    allOf: (member: string, limit: number): Booking[] => (s.allOf.all(member, limit) as Row[]).map(toBooking),
    /** Milliseconds of a member's live bookings inside [from, to). */
    bookedMs: (member: string, from: number, to: number): number => (s.memberHours.get({ member, from, to }) as { ms: number }).ms,
    /** Cancels or releases a live booking; false when it was not live. */
    end: (id: number, state: 'cancelled' | 'released', now: number): boolean => s.end.run({ id, state, now }).changes === 1,
    /** Sets a live booking's PIN: 'pin-taken' when another live booking holds that PIN. */
    setPin: (id: number, pin: string, fp: string): boolean | 'pin-taken' => {
      try {
        return s.setPin.run({ id, pin, fp }).changes === 1;
      } catch (err) {
        if (isConstraint(err, 'pin_fp')) return 'pin-taken';
        throw err;
      }
    },
    /**
     * For the access lists: live room bookings of active members that end after `after`, and
     * the live cards of their bookers (member → card fingerprints).
     */
    forAcl: (after: number): { bookings: Booking[]; cards: Map<string, string[]> } => {
      const cards = new Map<string, string[]>();
      for (const r of s.bookerCards.all({ after }) as Array<{ member: string; fp: string }>) {
        const list = cards.get(r.member);
        if (list) list.push(r.fp);
        else cards.set(r.member, [r.fp]);
      }
      return { bookings: (s.forAcl.all({ after }) as Row[]).map(toBooking), cards };
    },
    pinLive: (fp: string): boolean => s.livePin.get(fp) !== undefined,
    addFeed: (tokenHash: string, member: string, room: string | null, now: number): number =>
      Number(s.insertFeed.run(tokenHash, member, room, now).lastInsertRowid),
    feed: (tokenHash: string): CalendarFeed | undefined => s.feedByHash.get(tokenHash) as CalendarFeed | undefined,
    feedsOf: (member: string): CalendarFeed[] => s.feedsOf.all(member) as CalendarFeed[],
    revokeFeed: (id: number, member: string, now: number): boolean => s.revokeFeed.run(now, id, member).changes === 1,
  };
}

export type BookingsRepo = ReturnType<typeof createBookingsRepo>;
