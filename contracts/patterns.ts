// Patterns that cross a process boundary: written once here, used as TypeBox schemas by the
// contracts, the config and the services, and as RegExps by the gateway, the dashboard and the
// palette. Plain strings first (JSON Schema `pattern`), then schemas and tests built from them.
import { Type, type StringOptions } from '@sinclair/typebox';

export const PATTERNS = {
  /** Ids in topics, config and the API: never MQTT wildcards or separators. */
  id: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
  /**
   * A member id the server makes: `m_` and 16 characters of base32 (80 random bits), so that an
   * id says nothing about the person (logs, topics, exports). Also an `id` above. Older sites
   * had ids made from names; migration 4 renamed them.
   */
  memberId: '^m_[a-z2-7]{16}$',
  /** Door event ids (gateway-made, unique per event). */
  eventId: '^[A-Za-z0-9_-]{8,64}$',
  /** SHA-256 in lower-case hex: card and PIN fingerprints. */
  hex64: '^[0-9a-f]{64}$',
  /** An e-mail address as far as we check one: something@something, no spaces. */
  email: '^[^@\\s]+@[^@\\s]+$',
  /** A day or guest pass PIN. */
  pin: '^[0-9]{4,8}$',
  /** A local calendar date in the site's time zone. */
  localDate: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  /** A local month, YYYY-MM. */
  month: '^[0-9]{4}-(0[1-9]|1[0-2])$',
  /** A time of day that starts a window, 00:00–23:59. */
  timeFrom: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
  /** A time of day that ends a window, 00:00–24:00. */
  timeTo: '^([01][0-9]|2[0-4]):[0-5][0-9]$',
} as const;

export type PatternName = keyof typeof PATTERNS;

const compiled = Object.fromEntries(Object.entries(PATTERNS).map(([k, v]) => [k, new RegExp(v)])) as Record<PatternName, RegExp>;

/** Does `s` match the named pattern? */
export const matches = (name: PatternName, s: string): boolean => compiled[name].test(s);

/** The named pattern as a RegExp (one instance per pattern; no global flag, so no lastIndex state). */
export const regex = (name: PatternName): RegExp => compiled[name];

/** A TypeBox string schema with the named pattern. */
export const PatternString = (name: PatternName, opts: StringOptions = {}) => Type.String({ ...opts, pattern: PATTERNS[name] });

// Marked pure so that a bundle that uses only the RegExps (the dashboard) drops TypeBox.
export const Id = /* @__PURE__ */ PatternString('id');
export const MemberId = /* @__PURE__ */ PatternString('memberId');
export const EventId = /* @__PURE__ */ PatternString('eventId');
export const Hex64 = /* @__PURE__ */ PatternString('hex64');
export const Email = /* @__PURE__ */ PatternString('email', { minLength: 3, maxLength: 254 });
export const Pin = /* @__PURE__ */ PatternString('pin');
export const LocalDate = /* @__PURE__ */ PatternString('localDate', { description: 'local date in the site time zone, YYYY-MM-DD' });
