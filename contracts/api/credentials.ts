// Cards and PINs, and day or guest passes.
import { Type, type Static } from '@sinclair/typebox';
import { CardTail, Hex64, Pin } from '../patterns.ts';
import { Id, Label, LocalDate, OptionalDate, strictObject } from './common.ts';

export const CredentialKind = Type.Union([Type.Literal('card'), Type.Literal('pin')]);
export const CredentialStatus = Type.Union([Type.Literal('live'), Type.Literal('not-yet-valid'), Type.Literal('expired'), Type.Literal('revoked')]);

export const CredentialView = Type.Object({
  id: Type.Integer(),
  member: Id,
  kind: CredentialKind,
  /** Last 6 hex digits of the fingerprint: tells two cards apart, identifies nothing. */
  tail: Type.String(),
  /** The host's name for it ("Blue key fob"). */
  label: Type.Union([Type.String(), Type.Null()]),
  /**
   * The last digits of the card's printed number (EM cards) or UID, as the reader gave them at
   * enrolment, shown as "…0A01": what a host can read off the card on the desk. null: not known.
   */
  numberTail: Type.Union([CardTail, Type.Null()]),
  /** A pass's own plan; null = the member's plan. */
  plan: Type.Union([Id, Type.Null()]),
  validFrom: OptionalDate,
  validTo: OptionalDate,
  status: CredentialStatus,
  createdAt: Type.Integer(),
  revokedAt: Type.Union([Type.Integer(), Type.Null()]),
});
export type CredentialView = Static<typeof CredentialView>;

/** A card known by its fingerprint (e.g. moved from another system); at the door, use enrolment. */
export const CredentialBody = Type.Object(
  {
    fingerprint: Hex64,
    label: Type.Optional(Label),
    plan: Type.Optional(Type.Union([Id, Type.Null()])),
    validFrom: Type.Optional(OptionalDate),
    validTo: Type.Optional(OptionalDate),
  },
  strictObject,
);
export type CredentialBody = Static<typeof CredentialBody>;

export const CredentialPatchBody = Type.Object(
  {
    label: Type.Optional(Type.Union([Label, Type.Null()])),
    plan: Type.Optional(Type.Union([Id, Type.Null()])),
    validFrom: Type.Optional(OptionalDate),
    validTo: Type.Optional(OptionalDate),
  },
  { ...strictObject, minProperties: 1 },
);
export type CredentialPatchBody = Static<typeof CredentialPatchBody>;

/** A day or guest pass: a keypad PIN valid on local dates from..to for the plan's doors. */
export const PassBody = Type.Object(
  {
    member: Id,
    kind: Type.Union([Type.Literal('day'), Type.Literal('guest')]),
    plan: Id,
    from: LocalDate,
    /** Default: the same day as `from`. */
    to: Type.Optional(LocalDate),
    label: Type.Optional(Label),
    /** 4–8 digits; chosen at random when absent. */
    pin: Type.Optional(Pin),
  },
  strictObject,
);
export type PassBody = Static<typeof PassBody>;

export const PassCreated = Type.Object({
  credential: CredentialView,
  /** The PIN, shown this once: the services keep only its fingerprint. */
  pin: Type.String(),
});
export type PassCreated = Static<typeof PassCreated>;
