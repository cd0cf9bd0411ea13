// Card enrolment at a reader the host chose: start, watch the cards tapped there, confirm one
// (only then is it bound), cancel, undo.
import { Type, type Static } from '@sinclair/typebox';
import { CardTail, EventId } from '../patterns.ts';
import { Id, Label, OptionalDate, strictObject } from './common.ts';
import { CredentialView } from './credentials.ts';

export const EnrolmentBody = Type.Object(
  {
    member: Id,
    /** The door whose reader the card is tapped on; taps at other readers are ignored. */
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
  /** No card tapped at the reader yet. */
  Type.Literal('waiting'),
  /** One or more unknown cards were tapped at the reader; the host confirms one (nothing bound yet). */
  Type.Literal('tapped'),
  Type.Literal('bound'),
  /** Bound, then undone by the host: the card was revoked again. */
  Type.Literal('undone'),
  Type.Literal('expired'),
  Type.Literal('cancelled'),
  Type.Literal('failed'),
]);

/** An unknown card tapped at the enrolment's reader, shown to the host to confirm. */
export const EnrolmentCandidate = Type.Object({
  /** The id of the access event of the tap; the host confirms by it. */
  id: EventId,
  /** The last 6 hex digits of the card's fingerprint (the services never see the card number). */
  tail: Type.String({ pattern: '^[0-9a-f]{6}$' }),
  /** When it was tapped (the gateway's clock), epoch ms. */
  at: Type.Integer(),
  /** The last digits of the card's printed number (or UID), from the gateway, when the reader gives one. */
  numberTail: Type.Optional(CardTail),
});
export type EnrolmentCandidate = Static<typeof EnrolmentCandidate>;

/** Confirm: bind this candidate card to the member, with the host's name for it. */
export const ConfirmEnrolmentBody = Type.Object({ candidate: EventId, label: Type.Optional(Label) }, strictObject);
export type ConfirmEnrolmentBody = Static<typeof ConfirmEnrolmentBody>;

export const EnrolmentView = Type.Object({
  id: Type.String(),
  member: Id,
  memberName: Type.String(),
  door: Id,
  status: EnrolmentState,
  startedAt: Type.Integer(),
  /**
   * The reader takes cards, and the host may confirm one, until then: 60 s after the start, and
   * at least 60 s after the first card was tapped.
   */
  expiresAt: Type.Integer(),
  /** The different unknown cards tapped at the reader, first first (at most 3). */
  candidates: Type.Array(EnrolmentCandidate, { maxItems: 3 }),
  /** The card bound on confirmation (revoked again after an undo). */
  credential: Type.Union([CredentialView, Type.Null()]),
  /** Why it failed, for people. */
  reason: Type.Optional(Type.String()),
});
export type EnrolmentView = Static<typeof EnrolmentView>;
