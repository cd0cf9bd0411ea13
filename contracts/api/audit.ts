// The audit trail: filter, page, CSV.
import { Type, type Static } from '@sinclair/typebox';
import { BoundedInt, strictObject } from './common.ts';

/** The latest time a JavaScript Date holds, in ms: `from`/`to` beyond it are refused. */
const MAX_TIME_MS = 8.64e15;

export const AuditView = Type.Object({
  id: Type.Integer(),
  ts: Type.Integer(),
  /** Member id, `automation`, an `erased-…` pseudonym, or null (system or expired). */
  actor: Type.Union([Type.String(), Type.Null()]),
  /** The actor's name when the actor is a member: what people read (the id stays for machines). */
  actorName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  targetName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** An IP address, or `gateway:<id>` for decisions made at a door. */
  source: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
export type AuditView = Static<typeof AuditView>;

export const AuditPage = Type.Object({ items: Type.Array(AuditView), next: Type.Union([Type.String(), Type.Null()]) });
export type AuditPage = Static<typeof AuditPage>;

export const AuditQuery = Type.Object(
  {
    from: Type.Optional(BoundedInt({ minimum: 0, maximum: MAX_TIME_MS })),
    to: Type.Optional(BoundedInt({ minimum: 0, maximum: MAX_TIME_MS })),
    /** An id, or a member's name. */
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** Exact action, or a prefix ending in a dot: `member.` */
    action: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9.-]{0,63}$' })),
    target: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    limit: Type.Optional(BoundedInt({ minimum: 1, maximum: 1000, default: 100 })),
    before: Type.Optional(Type.String({ maxLength: 40 })),
  },
  strictObject,
);
export type AuditQuery = Static<typeof AuditQuery>;

/** The language of an export's headers and words; the site's language when absent. */
export const ExportLang = Type.Union([Type.Literal('da'), Type.Literal('en')]);
export type ExportLang = Static<typeof ExportLang>;

/** The audit CSV: the same filters, and the language of its headers. */
export const AuditCsvQuery = Type.Object({ ...AuditQuery.properties, lang: Type.Optional(ExportLang) }, strictObject);
export type AuditCsvQuery = Static<typeof AuditCsvQuery>;
