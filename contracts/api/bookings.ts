// Bookings of a meeting room or a desk (issue 16): a member's, from–to in the site's time zone,
// with optional guests and a guest PIN bound to the booking's window. A room booking opens the
// room's doors for the booker's cards (and the PIN) from the signed access list, offline too.
import { Type, type Static } from '@sinclair/typebox';
import { Email, Id, LocalDate, PersonName, strictObject, BoundedInt } from './common.ts';
import { LocalDateTime } from '../patterns.ts';

export const BOOKING_KINDS = ['room', 'desk'] as const;
export type BookingKind = (typeof BOOKING_KINDS)[number];
/** `released`: nobody came (no-show release); `cancelled`: by the booker or a host. */
export const BOOKING_STATES = ['booked', 'cancelled', 'released'] as const;
export type BookingState = (typeof BOOKING_STATES)[number];

const oneOf = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

export const BookingGuest = Type.Object({ name: PersonName, email: Type.Optional(Email) }, strictObject);
export type BookingGuest = Static<typeof BookingGuest>;

export const BookingView = Type.Object({
  id: Type.Integer(),
  kind: oneOf(BOOKING_KINDS),
  /** A room id (site config `bookings.rooms`) or a desk id. */
  resource: Id,
  resourceName: Type.String(),
  /** Local wall-clock minutes in the site's time zone. */
  from: LocalDateTime,
  to: LocalDateTime,
  /** The same, as epoch ms. */
  start: Type.Integer(),
  end: Type.Integer(),
  state: oneOf(BOOKING_STATES),
  /** The caller's own booking (or a host looking): then member, title, guests and the PIN show. */
  mine: Type.Boolean(),
  member: Type.Union([Id, Type.Null()]),
  memberName: Type.Union([Type.String(), Type.Null()]),
  title: Type.Union([Type.String(), Type.Null()]),
  guests: Type.Array(BookingGuest),
  /** Doors the booking opens (a room's doors; none for a desk). */
  doors: Type.Array(Id),
  /** The guest PIN, to share; null when none was issued (or not the caller's booking). */
  pin: Type.Union([Type.String(), Type.Null()]),
});
export type BookingView = Static<typeof BookingView>;

export const BookingBody = Type.Object(
  {
    kind: oneOf(BOOKING_KINDS),
    resource: Id,
    from: LocalDateTime,
    to: LocalDateTime,
    title: Type.Optional(PersonName),
    guests: Type.Optional(Type.Array(BookingGuest, { maxItems: 20 })),
    /** Issue a guest PIN valid in the booking's window (plus grace). */
    guestPin: Type.Optional(Type.Boolean()),
  },
  strictObject,
);
export type BookingBody = Static<typeof BookingBody>;

/** A host books for a member (POST /api/members/:id/bookings): the plan's rules do not apply. */
export const HostBookingBody = BookingBody;

export const BookingListQuery = Type.Object(
  {
    /** A local date; default today. */
    date: Type.Optional(LocalDate),
    /** Only this room or desk. */
    resource: Type.Optional(Id),
  },
  strictObject,
);
export type BookingListQuery = Static<typeof BookingListQuery>;

export const BookingPinBody = Type.Object(
  {
    /** Also e-mail the PIN (with the room, the time and the door) to this guest. */
    email: Type.Optional(Email),
  },
  strictObject,
);
export type BookingPinBody = Static<typeof BookingPinBody>;

export const BookableRoom = Type.Object({ id: Id, name: Type.String(), doors: Type.Array(Id), zone: Type.Union([Id, Type.Null()]) });
export const BookableView = Type.Object({
  rooms: Type.Array(BookableRoom),
  desks: Type.Array(Type.Object({ id: Id, name: Type.String(), zone: Id })),
  /** How far ahead the caller may book (days); null: no limit (hosts). */
  aheadDays: Type.Union([Type.Integer(), Type.Null()]),
  /** The caller's hours left this month; null: no cap. */
  hoursLeft: Type.Union([Type.Number(), Type.Null()]),
});
export type BookableView = Static<typeof BookableView>;

/** A calendar feed's secret address (iCalendar, RFC 5545). */
export const CalendarFeedView = Type.Object({
  id: Type.Integer(),
  /** A room's id; null: the member's own bookings. */
  room: Type.Union([Id, Type.Null()]),
  /** The path to subscribe to (relative to the dashboard's address); only in the answer that made it. */
  url: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Integer(),
});
export type CalendarFeedView = Static<typeof CalendarFeedView>;
export const CalendarFeedBody = Type.Object({ room: Type.Optional(Id) }, strictObject);
export type CalendarFeedBody = Static<typeof CalendarFeedBody>;
export const CalendarTokenParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,64}\\.ics$' }) }, strictObject);
export type CalendarTokenParams = Static<typeof CalendarTokenParams>;

export const BookingIdParams = Type.Object({ id: BoundedInt({ minimum: 1, maximum: 2 ** 31 }) }, strictObject);
