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
  /**
   * The last 3–4 characters of a card's number as its reader gives it (digits of the printed EM
   * number, or hex of a UID): made on the gateway, so the full number never leaves it.
   */
  cardTail: '^[0-9A-Z]{3,4}$',
  /** A day or guest pass PIN. */
  pin: '^[0-9]{4,8}$',
  /** A local calendar date in the site's time zone. */
  localDate: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  /** A local wall-clock minute in the site's time zone (bookings): YYYY-MM-DDTHH:MM. */
  localDateTime: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$',
  /** A local month, YYYY-MM. */
  month: '^[0-9]{4}-(0[1-9]|1[0-2])$',
  /** A time of day that starts a window, 00:00–23:59. */
  timeFrom: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
  /** A time of day that ends a window, 00:00–24:00. */
  timeTo: '^([01][0-9]|2[0-4]):[0-5][0-9]$',
  /**
   * A name or label other people see (members, plans, closures, card labels): no control
   * characters (C0, DEL, C1; NUL included) and no bidi controls (LRM/RLM, ALM, the embeddings,
   * overrides and isolates), which would let a name spoof the text around it in a feed. Checked
   * after normaliseName, so a name of only spaces is empty (and refused by its minLength).
   */
  name: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]*$',
} as const;

export type PatternName = keyof typeof PATTERNS;

const compiled = Object.fromEntries(Object.entries(PATTERNS).map(([k, v]) => [k, new RegExp(v)])) as Record<PatternName, RegExp>;

/** Does `s` match the named pattern? */
export const matches = (name: PatternName, s: string): boolean => compiled[name].test(s);

/** The named pattern as a RegExp (one instance per pattern; no global flag, so no lastIndex state). */
export const regex = (name: PatternName): RegExp => compiled[name];

/** Whitespace that is not a control character: what a name is trimmed of and what runs collapse. */
const SPACE_RUN = /[^\S\t\n\v\f\r]+/g;
const SPACE_ENDS = /^[^\S\t\n\v\f\r]+|[^\S\t\n\v\f\r]+$/g;

/**
 * A name as it is stored and compared: Unicode NFC (one spelling of "Ø"), trimmed, inner runs of
 * spaces one space. Control characters are left in place for PATTERNS.name to refuse, never
 * turned into spaces.
 */
export const normaliseName = (s: string): string => s.normalize('NFC').replace(SPACE_ENDS, '').replace(SPACE_RUN, ' ');

/**
 * Letters NFKD does not take apart, spelled as a Dane (and a reader of any language) would write
 * them in plain ASCII: Østergård → oestergaard, not stergard. Others (ä ö ü é ñ …) lose their
 * accents through NFKD.
 */
const TRANSLITERATE: Readonly<Record<string, string>> = {
  æ: 'ae',
  ø: 'oe',
  å: 'aa',
  ß: 'ss',
  œ: 'oe',
  ð: 'd',
  đ: 'd',
  þ: 'th',
  ł: 'l',
  ı: 'i',
};
const TRANSLITERATE_RE = /[æøåßœðđþłı]/g;

/**
 * The one readable id made from a name (plans, sites, anything but members, whose ids are random):
 * lower-case ASCII letters, digits and single dashes, at most `maxLength` characters; '' when
 * nothing of the name is left. "Anna Østergård" → anna-oestergaard, "Mødelokale 2" → moedelokale-2.
 */
export function slug(name: string, maxLength = 40): string {
  return name
    .normalize('NFC') // å typed as a + ring is å here too
    .toLowerCase()
    .replace(TRANSLITERATE_RE, (c) => TRANSLITERATE[c] ?? c)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
}

/** An e-mail address as it is stored and compared: trimmed and lower-cased. */
export const normaliseEmail = (s: string): string => s.trim().toLowerCase();

/**
 * The normalisations the API applies to a string field before checking it, named in the field's
 * schema by the keyword NORMALISE (`{ 'x-normalise': 'name' }`); the services' validator applies
 * them (services/http/validation.ts). Other readers of a schema ignore the keyword.
 */
export const NORMALISERS = { name: normaliseName, email: normaliseEmail } as const;
export type NormaliserName = keyof typeof NORMALISERS;
export const NORMALISE = 'x-normalise';

/** A TypeBox string schema with the named pattern. */
export const PatternString = (name: PatternName, opts: StringOptions = {}) => Type.String({ ...opts, pattern: PATTERNS[name] });

// Marked pure so that a bundle that uses only the RegExps (the dashboard) drops TypeBox.
export const Id = /* @__PURE__ */ PatternString('id');
export const MemberId = /* @__PURE__ */ PatternString('memberId');
export const EventId = /* @__PURE__ */ PatternString('eventId');
export const Hex64 = /* @__PURE__ */ PatternString('hex64');
export const Email = /* @__PURE__ */ PatternString('email', { minLength: 3, maxLength: 254, [NORMALISE]: 'email' });
/** A name or label other people see: normalised, then 1–`maxLength` characters of PATTERNS.name. */
export const DisplayName = (maxLength: number, opts: StringOptions = {}) => PatternString('name', { ...opts, minLength: 1, maxLength, [NORMALISE]: 'name' });
export const Pin = /* @__PURE__ */ PatternString('pin');
export const CardTail = /* @__PURE__ */ PatternString('cardTail');
export const LocalDate = /* @__PURE__ */ PatternString('localDate', { description: 'local date in the site time zone, YYYY-MM-DD' });
export const LocalDateTime = /* @__PURE__ */ PatternString('localDateTime', { description: 'local time in the site time zone, YYYY-MM-DDTHH:MM' });
