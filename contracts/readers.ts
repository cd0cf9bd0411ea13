// The vocabulary of serial devices, written once: card-reader protocols with the card-number
// formats each can print, and desk-sensor protocols. The config schema takes its literals from
// here, the config loader its format-per-protocol check, the gateway its defaults, and the
// firmware bridge its card formats (protocols.md §1.4).

/**
 * How a card number is printed (§1.4); must match the cards in the member list.
 * - `hex`: the 10 hex characters (unique 40-bit ID), e.g. `62E3086CED`
 * - `dec10`: `B1B2B3B4` as uint32, 10 digits zero-padded, e.g. `3808980205`
 * - `w26`: `fac,card` = `B2` (3 digits) and `B3B4` (5 digits), e.g. `008,27885`
 * - `w26-8`: the same as 8 digits `FFFCCCCC`, e.g. `00827885`
 * - `dec40`: all 5 bytes as one decimal number, e.g. `322126887957`
 */
export const CARD_FORMATS = ['hex', 'dec10', 'w26', 'w26-8', 'dec40'] as const;
export type CardFormat = (typeof CARD_FORMATS)[number];

interface SerialProtocol {
  /** Default line speed. */
  baud: number;
}

interface ReaderProtocolInfo extends SerialProtocol {
  /** The formats the protocol can print; the first is the default. */
  formats: readonly [CardFormat, ...CardFormat[]];
}

/** Card readers on a serial line: RDM6300 (§1), PN532 over HSU (§2), Wiegand converters (§3.6). */
export const READER_PROTOCOLS = {
  rdm6300: { baud: 9600, formats: ['hex', 'dec10', 'w26', 'w26-8', 'dec40'] }, // §1.1
  pn532: { baud: 115_200, formats: ['hex'] }, // §2.1
  'wiegand-hex': { baud: 9600, formats: ['w26', 'w26-8', 'dec10', 'hex'] }, // §3.6
  'wiegand-decimal': { baud: 9600, formats: ['w26', 'w26-8', 'dec10', 'hex'] }, // §3.6
} as const satisfies Record<string, ReaderProtocolInfo>;
export type ReaderProtocolName = keyof typeof READER_PROTOCOLS;
export const READER_PROTOCOL_NAMES = Object.keys(READER_PROTOCOLS) as ReaderProtocolName[];

/** Desk presence sensors on a serial line: the LD2410 radar (§4.1). */
export const DESK_SENSOR_PROTOCOLS = {
  ld2410: { baud: 256_000 },
} as const satisfies Record<string, SerialProtocol>;
export type DeskSensorProtocolName = keyof typeof DESK_SENSOR_PROTOCOLS;
export const DESK_SENSOR_PROTOCOL_NAMES = Object.keys(DESK_SENSOR_PROTOCOLS) as DeskSensorProtocolName[];

/** The formats `protocol` can print. */
export const readerFormats = (protocol: ReaderProtocolName): readonly CardFormat[] => READER_PROTOCOLS[protocol].formats;

/**
 * A keypad PIN travels inside the gateway as the uid `PIN:<digits>` and is fingerprinted like a
 * card (contracts AclEntry.fp); the prefix is also how the gateway tells its events `via: pin`.
 */
export const PIN_UID_PREFIX = 'PIN:';
export const pinUid = (digits: string): string => `${PIN_UID_PREFIX}${digits}`;

/** How many of a card number's last characters travel and are shown ("…0A01"). */
export const CARD_TAIL_LENGTH = 4;

/**
 * The tail of the number a reader gave for a card (PATTERNS.cardTail): its last letters and
 * digits, upper-case, e.g. "0A01" for 04CAFE0A01 or "5678" for an EM card printed 0012345678.
 * undefined for a PIN (never shown, not even in part) or a number too short to tell cards apart.
 */
export function cardTail(uid: string): string | undefined {
  if (uid.startsWith(PIN_UID_PREFIX)) return undefined;
  const chars = uid.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  return chars.length >= 6 ? chars.slice(-CARD_TAIL_LENGTH) : undefined;
}
