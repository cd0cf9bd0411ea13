// Card enrolment at a reader: start, watch, cancel.
import { Type, type Static } from '@sinclair/typebox';
import { Id, Label, OptionalDate, strictObject } from './common.ts';
import { CredentialView } from './credentials.ts';

export const EnrolmentBody = Type.Object(
  {
    member: Id,
    /** The door whose reader takes the next unknown card. */
    door: Id,
    label: Type.Optional(Label),
    plan: Type.Optional(Type.Union([Id, Type.Null()])),
    validFrom: Type.Optional(OptionalDate),
    validTo: Type.Optional(OptionalDate),
    /** Replace: this credential is revoked when the new card is bound. */
    replaces: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  strictObject,
);
export type EnrolmentBody = Static<typeof EnrolmentBody>;

export const EnrolmentState = Type.Union([
  Type.Literal('waiting'),
  Type.Literal('bound'),
  Type.Literal('expired'),
  Type.Literal('cancelled'),
  Type.Literal('failed'),
]);

export const EnrolmentView = Type.Object({
  id: Type.String(),
  member: Id,
  memberName: Type.String(),
  door: Id,
  status: EnrolmentState,
  startedAt: Type.Integer(),
  /** The reader takes a card until then (60 s after the start). */
  expiresAt: Type.Integer(),
  credential: Type.Union([CredentialView, Type.Null()]),
  /** Why it failed, for people. */
  reason: Type.Optional(Type.String()),
});
export type EnrolmentView = Static<typeof EnrolmentView>;
