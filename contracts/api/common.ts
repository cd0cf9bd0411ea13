// Pieces every resource of the HTTP API uses: roles, the error body, id params and the field
// schemas (ids, dates, names) built from contracts/patterns.ts.
import { Type, type Static } from '@sinclair/typebox';
import { Id, LocalDate, Email, DisplayName, PATTERNS } from '../patterns.ts';

export { Id, LocalDate, Email };

export const Role = Type.Union([Type.Literal('member'), Type.Literal('host'), Type.Literal('operator')]);
export type Role = Static<typeof Role>;

/** The body of every error answer; the codes are contracts/errors.ts API_ERRORS. */
export const ApiError = Type.Object({
  error: Type.String({ description: 'stable machine-readable code, e.g. invalid-credentials (contracts/errors.ts)' }),
  message: Type.String({ description: 'what went wrong and what to do, for people' }),
});
export type ApiError = Static<typeof ApiError>;

export const strictObject = { additionalProperties: false } as const;

export const OptionalDate = Type.Union([LocalDate, Type.Null()]);
/** Names and labels others see are normalised and refuse control and bidi characters (PATTERNS.name). */
export const PersonName = DisplayName(100);
export const Label = DisplayName(100);
/** Free text shown to hosts in the audit trail (a door command's reason): the same rules as a name. */
export const Reason = DisplayName(200);
export const Month = Type.String({ pattern: PATTERNS.month });

/**
 * An integer read from a query string or a path, always between finite bounds. Such values
 * arrive as text and ajv coerces "Infinity" or "1e309" to Infinity, which then skips `minimum`
 * and `maximum` (they only test finite numbers): the `allOf` tests the type again after the
 * coercion, so a non-finite value is a 400 ("must be integer") and never reaches the store.
 */
export const BoundedInt = (bounds: { minimum: number; maximum: number; default?: number; description?: string }) =>
  Type.Integer({ ...bounds, allOf: [{ type: 'integer' }] });

/** `:id` of a resource with a readable id (members, plans, doors, closures). */
export const IdParams = Type.Object({ id: Id }, strictObject);
export type IdParams = Static<typeof IdParams>;
/** `:id` of a numbered resource (credentials). */
export const NumericIdParams = Type.Object({ id: BoundedInt({ minimum: 1, maximum: 2 ** 31 }) }, strictObject);
export type NumericIdParams = Static<typeof NumericIdParams>;
/** `:id` of an enrolment (a UUID). */
export const UuidParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, strictObject);
export type UuidParams = Static<typeof UuidParams>;
