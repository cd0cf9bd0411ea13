// The logged-in member's own data: presence opt-in, visits, export, erasure.
import { Type, type Static } from '@sinclair/typebox';
import { BoundedInt, Id, LocalDate, strictObject } from './common.ts';

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
