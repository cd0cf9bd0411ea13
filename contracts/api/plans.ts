// Plans (doors, weekly windows, dates, offline flag) and closures.
import { Type, type Static } from '@sinclair/typebox';
import { TimeWindow } from '../payloads.ts';
import { Id, LocalDate, OptionalDate, PersonName, strictObject } from './common.ts';

/**
 * What members on a plan may book (issue 16): which rooms (`bookings.rooms` in the site config)
 * and desks, how many days ahead, and how many hours a calendar month (site time zone; absent =
 * no cap). A plan without it books nothing; hosts book for anyone.
 */
export const BookingRules = Type.Object(
  {
    rooms: Type.Union([Type.Literal('all'), Type.Array(Id, { maxItems: 100, uniqueItems: true })]),
    desks: Type.Union([Type.Literal('all'), Type.Array(Id, { maxItems: 500, uniqueItems: true })]),
    aheadDays: Type.Integer({ minimum: 0, maximum: 365 }),
    hoursPerMonth: Type.Optional(Type.Number({ minimum: 0, maximum: 744 })),
  },
  strictObject,
);
export type BookingRules = Static<typeof BookingRules>;

export const PlanView = Type.Object({
  id: Id,
  name: Type.String(),
  doors: Type.Array(Id),
  /** Weekly windows in the site's time zone; empty = any time. */
  windows: Type.Array(TimeWindow),
  /** May its cards open doors while the gateway has been offline longer than offlineAfterH? */
  offline: Type.Boolean(),
  validFrom: OptionalDate,
  validTo: OptionalDate,
  /** Members and live passes on this plan. */
  inUse: Type.Integer(),
  /** What its members may book; absent: nothing. */
  booking: Type.Optional(BookingRules),
});
export type PlanView = Static<typeof PlanView>;

export const PlanBody = Type.Object(
  {
    id: Type.Optional(Id),
    name: PersonName,
    doors: Type.Array(Id, { maxItems: 100, uniqueItems: true }),
    windows: Type.Optional(Type.Array(TimeWindow, { maxItems: 50 })),
    offline: Type.Optional(Type.Boolean()),
    validFrom: Type.Optional(OptionalDate),
    validTo: Type.Optional(OptionalDate),
    booking: Type.Optional(BookingRules),
  },
  strictObject,
);
export type PlanBody = Static<typeof PlanBody>;

export const PlanPatchBody = Type.Object(
  {
    name: Type.Optional(PersonName),
    doors: Type.Optional(Type.Array(Id, { maxItems: 100, uniqueItems: true })),
    windows: Type.Optional(Type.Array(TimeWindow, { maxItems: 50 })),
    offline: Type.Optional(Type.Boolean()),
    validFrom: Type.Optional(OptionalDate),
    validTo: Type.Optional(OptionalDate),
    /** null: the plan books nothing any more. */
    booking: Type.Optional(Type.Union([BookingRules, Type.Null()])),
  },
  { ...strictObject, minProperties: 1 },
);
export type PlanPatchBody = Static<typeof PlanPatchBody>;

/** Closures and holidays: the listed plans (all when empty) open no doors on these dates. */
export const ClosureView = Type.Object({ id: Id, name: Type.String(), from: LocalDate, to: LocalDate, plans: Type.Array(Id) });
export type ClosureView = Static<typeof ClosureView>;

export const ClosureBody = Type.Object(
  { name: PersonName, from: LocalDate, to: LocalDate, plans: Type.Optional(Type.Array(Id, { maxItems: 100, uniqueItems: true })) },
  strictObject,
);
export type ClosureBody = Static<typeof ClosureBody>;
