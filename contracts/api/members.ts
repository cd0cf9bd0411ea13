// Members: list, add, change (hosts manage members; operators everyone).
import { Type, type Static } from '@sinclair/typebox';
import { BoundedInt, Email, Id, PersonName, Role, strictObject } from './common.ts';
import { MemberId } from '../patterns.ts';

export const MemberStatus = Type.Union([Type.Literal('active'), Type.Literal('suspended')]);
export type MemberStatus = Static<typeof MemberStatus>;

export const MemberView = Type.Object({
  id: Id,
  name: Type.String(),
  /** null: a one-off guest, added with a name only (cannot log in). */
  email: Type.Union([Type.String(), Type.Null()]),
  role: Role,
  plan: Type.Union([Id, Type.Null()]),
  status: MemberStatus,
  presenceOptIn: Type.Boolean(),
  /** Agreed to be a network member (network of spaces): their card gets a visa other sites honour. */
  networkMember: Type.Optional(Type.Boolean()),
  createdAt: Type.Integer(),
  /** Live credentials (cards and PINs). */
  credentials: Type.Integer(),
});
export type MemberView = Static<typeof MemberView>;

export const MemberPage = Type.Object({ items: Type.Array(MemberView), total: Type.Integer() });
export type MemberPage = Static<typeof MemberPage>;

export const MemberQuery = Type.Object(
  {
    status: Type.Optional(MemberStatus),
    role: Type.Optional(Role),
    plan: Type.Optional(Id),
    /** Part of the name or email. */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    limit: Type.Optional(BoundedInt({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(BoundedInt({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  strictObject,
);
export type MemberQuery = Static<typeof MemberQuery>;

export const NewMemberBody = Type.Object(
  {
    /** Chosen by the server when absent (random, PATTERNS.memberId); a given one must be of that form too. */
    id: Type.Optional(MemberId),
    name: PersonName,
    /** Without one (a one-off guest with a day or guest pass), the member cannot log in. */
    email: Type.Optional(Email),
    /** Without one, the member cannot log in (cards and passes still work). */
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 1024 })),
    role: Type.Optional(Role),
    plan: Type.Optional(Type.Union([Id, Type.Null()])),
    status: Type.Optional(MemberStatus),
    presenceOptIn: Type.Optional(Type.Boolean()),
  },
  strictObject,
);
export type NewMemberBody = Static<typeof NewMemberBody>;

export const MemberPatchBody = Type.Object(
  {
    name: Type.Optional(PersonName),
    email: Type.Optional(Email),
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 1024 })),
    role: Type.Optional(Role),
    plan: Type.Optional(Type.Union([Id, Type.Null()])),
    status: Type.Optional(MemberStatus),
    presenceOptIn: Type.Optional(Type.Boolean()),
    /** Record the member's agreement to be a network member (or its withdrawal: their visas are revoked). */
    networkMember: Type.Optional(Type.Boolean()),
  },
  { ...strictObject, minProperties: 1 },
);
export type MemberPatchBody = Static<typeof MemberPatchBody>;
