// The logged-in member's own data: presence opt-in, visits, export, erasure, plan and cards,
// password.
import { Type, type Static } from '@sinclair/typebox';
import { TimeWindow } from '../payloads.ts';
import { NetVisitingRules } from '../network.ts';
import { BoundedInt, Id, LocalDate, OptionalDate, strictObject } from './common.ts';
import { CredentialView } from './credentials.ts';

export const PresenceBody = Type.Object({ optIn: Type.Boolean() }, strictObject);
export type PresenceBody = Static<typeof PresenceBody>;

/** `GET /api/me/visits`: the days I was let in (card, PIN or app; not the exit button), newest first. */
export const MyVisitsQuery = Type.Object({ limit: Type.Optional(BoundedInt({ minimum: 1, maximum: 366, default: 60 })) }, strictObject);
export type MyVisitsQuery = Static<typeof MyVisitsQuery>;

export const MyVisits = Type.Object({
  days: Type.Array(
    Type.Object({
      date: LocalDate,
      first: Type.Integer(),
      last: Type.Integer(),
      entries: Type.Integer(),
      /** Door ids in order of first use that day. */
      doors: Type.Array(Id),
    }),
  ),
  /** Days with visits in all, also beyond `limit`. */
  total: Type.Integer(),
});
export type MyVisits = Static<typeof MyVisits>;

export const ErasureBody = Type.Object({ confirm: Type.Literal('erase') }, strictObject);
export type ErasureBody = Static<typeof ErasureBody>;

export const ErasureResult = Type.Object({
  /** What the member's id became in the events and audit that stay (so counts stay right). */
  pseudonym: Type.String(),
  events: Type.Integer(),
  audit: Type.Integer(),
  history: Type.Integer(),
});
export type ErasureResult = Static<typeof ErasureResult>;

/** `GET /api/me/access`: when my plan lets me in, and my own cards and passes. */
export const MyAccess = Type.Object({
  /** The site's time zone: the windows are in its local time. */
  timeZone: Type.String(),
  plan: Type.Union([
    Type.Object({
      id: Id,
      name: Type.String(),
      /** Weekly windows in the site's local time; empty = any time. */
      windows: Type.Array(TimeWindow),
      doors: Type.Array(Type.Object({ id: Id, name: Type.String() })),
      validFrom: OptionalDate,
      validTo: OptionalDate,
    }),
    Type.Null(),
  ]),
  /** My cards and PINs, revoked ones left out (the host's label where there is one). */
  credentials: Type.Array(CredentialView),
  /** Day and guest passes that still work or will (live or not yet valid). */
  passesLeft: Type.Integer(),
});
export type MyAccess = Static<typeof MyAccess>;

/** One other space of the network, as my home site knows it (its announcement, my visits there). */
export const MyNetworkSpace = Type.Object({
  id: Id,
  name: Type.String(),
  /** Its rules for visitors, from its announcement; null while it has announced none (or does not take visitors). */
  visiting: Type.Union([NetVisitingRules, Type.Null()]),
  /** My visit days there this month (its count: at `visiting.daysPerMonth` it refuses from the next day). */
  daysThisMonth: Type.Integer({ minimum: 0 }),
});
export type MyNetworkSpace = Static<typeof MyNetworkSpace>;

/**
 * `GET /api/me/network`: my part in the site's network of spaces: whether I agreed to be a
 * network member, and my visit days at other spaces (reported back by them), oldest first.
 */
export const MyNetwork = Type.Object({
  /** The site's network id; null when the site is in no network. */
  network: Type.Union([Id, Type.Null()]),
  networkMember: Type.Boolean(),
  visits: Type.Array(Type.Object({ site: Id, date: LocalDate })),
  /** This month, in the home site's time zone (YYYY-MM). */
  month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }),
  /** My home site's own limit on visit days elsewhere per month (`network.homeDaysPerMonth`); null: none. */
  homeDaysPerMonth: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  /** My visit days this month, every space together (a day at two spaces counts once). */
  daysThisMonth: Type.Integer({ minimum: 0 }),
  /** The other spaces of the network (empty when the site is in none), each with its rules and my days there. */
  spaces: Type.Array(MyNetworkSpace),
});
export type MyNetwork = Static<typeof MyNetwork>;

/** `PUT /api/me/password`: the current password, and the new one. */
export const PasswordBody = Type.Object(
  {
    current: Type.String({ minLength: 1, maxLength: 1024 }),
    password: Type.String({ minLength: 8, maxLength: 1024 }),
  },
  strictObject,
);
export type PasswordBody = Static<typeof PasswordBody>;
