// The card-reader protocols a serial reader binding can name, each behind one small interface
// so that the reader driver owns the port and the clock and the codec owns the bytes. The
// codecs are firmware-bridge's streaming decoders: they take any split of the stream, resync on
// the next valid frame and count what they reject. That makes them the "parser" serialport
// wants on a real 9600-baud line, where a frame arrives in pieces (toolchain notes).
import {
  Pn532Session,
  Rdm6300Decoder,
  RepeatSuppressor,
  WiegandDecimalLineDecoder,
  WiegandHexLineDecoder,
  type DecoderStats,
  type Pn532FaultReason,
  type Pn532Firmware,
  type Pn532Step,
} from '../../../firmware-bridge/index.ts';

import { READER_PROTOCOLS, pinUid, type CardFormat, type ReaderProtocolName } from '../../../contracts/readers.ts';

export type { CardFormat, ReaderProtocolName };

export interface ProtocolStep {
  /** Card numbers read, as the member list stores them. */
  cards: string[];
  /** Bytes to write to the reader, in order. */
  send: Uint8Array[];
  /** The reader stopped answering (PN532), or answers again (`null`); absent: no change. */
  fault?: string | null;
  /** The firmware the reader reported when it became ready (PN532: `PN532 v1.6`). */
  firmware?: string;
}

export interface ReaderProtocol {
  /** The port has just opened (again). */
  open(nowMs: number): ProtocolStep;
  receive(chunk: Uint8Array, nowMs: number): ProtocolStep;
  /** The line was quiet for longer than the idle gap (idle-gap.ts): end whatever partial frame is pending. */
  idle(nowMs: number): ProtocolStep;
  /** Timers of the protocol (PN532 polling and timeouts, key gaps); only when `tickMs` is set. */
  tick(nowMs: number): ProtocolStep;
  readonly tickMs: number | null;
  /** The port is gone: a partial frame counts as truncated; the held card is forgotten. */
  close(): void;
  stats(): DecoderStats;
}

const EMPTY: ProtocolStep = Object.freeze({ cards: [], send: [] });
const cardsOnly = (cards: string[]): ProtocolStep => (cards.length === 0 ? EMPTY : { cards, send: [] });
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * A Wiegand data value printed like the same card on an EM reader (§1.4): `w26` = `fac,card`,
 * which is what a W26 output of that reader carries, so one card reads the same on both.
 */
export function formatWiegandData(data: number, bits: 24 | 32, format: CardFormat): string {
  const facility = bits === 24 ? Math.floor(data / 0x10000) & 0xff : Math.floor(data / 0x10000);
  const card = data % 0x10000;
  switch (format) {
    case 'w26':
      return `${pad(facility, 3)},${pad(card, 5)}`;
    case 'w26-8':
      return pad(facility, 3) + pad(card, 5);
    case 'hex':
      return data
        .toString(16)
        .toUpperCase()
        .padStart(bits / 4, '0');
    default:
      return pad(data, 10);
  }
}

/**
 * How often a PN532 is polled: the pause after an answered poll, and the driver's timer that
 * notices it is over. A card put in the field waits for the next poll: about
 * `pollIntervalMs + tickMs` at worst, plus one exchange (36 bytes, ~3 ms at 115200). 40 + 10
 * keeps the 95th percentile from field to decision near 50 ms (`npm run bench:gateway-hw`),
 * at ~8 kbit/s of the 115.2 kbit/s link.
 */
export interface Pn532Cadence {
  pollIntervalMs: number;
  tickMs: number;
}
export const PN532_CADENCE: Pn532Cadence = { pollIntervalMs: 40, tickMs: 10 };
/** The cadence up to 0.2 (p95 ≈ 144 ms in issue 17): the bench's baseline. */
export const PN532_CADENCE_0_2: Pn532Cadence = { pollIntervalMs: 100, tickMs: 20 };

export function createReaderProtocol(name: ReaderProtocolName, opts: { format?: CardFormat; holdMs?: number; pn532Cadence?: Pn532Cadence }): ReaderProtocol {
  const format = opts.format ?? READER_PROTOCOLS[name].formats[0];
  switch (name) {
    case 'rdm6300':
      return rdm6300(format, opts.holdMs);
    case 'pn532':
      return pn532(opts.holdMs, opts.pn532Cadence ?? PN532_CADENCE);
    case 'wiegand-hex':
      return wiegandHex(format, opts.holdMs);
    case 'wiegand-decimal':
      return wiegandDecimal(format, opts.holdMs);
  }
}

function rdm6300(format: CardFormat, holdMs: number | undefined): ReaderProtocol {
  const d = new Rdm6300Decoder({ format, holdMs });
  return {
    tickMs: null,
    open: () => EMPTY,
    receive: (chunk, now) => cardsOnly(d.push(chunk, now).map((r) => r.number)),
    idle: () => {
      d.idle();
      return EMPTY;
    },
    tick: () => EMPTY,
    close: () => {
      d.flush();
      d.resetHold();
    },
    stats: () => d.stats(),
  };
}

const PN532_FAULTS: Record<Pn532FaultReason, string> = {
  'no-ack': 'PN532 does not acknowledge commands',
  'no-response': 'PN532 does not answer',
  'error-frame': 'PN532 answers with error frames',
  'bad-response': 'PN532 answers are malformed',
  'corrupt-response': 'PN532 answers are corrupted',
};

/** GetFirmwareVersion's answer as people read it: IC `32`, version 1, revision 6 → `PN532 v1.6`. */
export function pn532Firmware(f: Pn532Firmware): string {
  return `PN5${f.ic.toString(16)} v${f.ver}.${f.rev}`;
}

/** §2: wake-up + SAMConfiguration, finite-retry polling; the session owns the state machine. */
function pn532(holdMs: number | undefined, cadence: Pn532Cadence): ReaderProtocol {
  const s = new Pn532Session({ holdMs, pollIntervalMs: cadence.pollIntervalMs });
  const step = (st: Pn532Step): ProtocolStep => {
    if (st.send.length === 0 && st.events.length === 0) return EMPTY;
    const out: ProtocolStep = { cards: [], send: st.send };
    for (const e of st.events) {
      if (e.type === 'card') out.cards.push(e.uidHex.toUpperCase());
      else if (e.type === 'ready') {
        out.fault = null;
        if (e.firmware) out.firmware = pn532Firmware(e.firmware);
      } else out.fault = PN532_FAULTS[e.reason];
    }
    return out;
  };
  return {
    tickMs: cadence.tickMs,
    // A (re)opened port may have a PN532 that was powered off: start over with the wake-up (§2.4).
    open: (now) => step(s.start(now)),
    receive: (chunk, now) => step(s.receive(chunk, now)),
    // Request / response: a partial answer is ended by the session's own response timeout,
    // which flushes its decoder; a gap before the answer is the PN532 thinking, not an end.
    idle: () => EMPTY,
    tick: (now) => step(s.tick(now)),
    close: () => s.stop(),
    stats: () => s.stats().frames,
  };
}

function wiegandHex(format: CardFormat, holdMs: number | undefined): ReaderProtocol {
  const d = new WiegandHexLineDecoder({ allowW34: true });
  const hold = holdFilter(holdMs);
  return {
    tickMs: null,
    open: () => EMPTY,
    receive: (chunk, now) =>
      cardsOnly(
        hold(
          d.push(chunk).map((c) => formatWiegandData(c.data, c.format === 'w26' ? 24 : 32, format)),
          now,
        ),
      ),
    idle: () => {
      d.idle();
      return EMPTY;
    },
    tick: () => EMPTY,
    close: () => d.flush(),
    stats: () => d.stats(),
  };
}

/**
 * §3.6 S4A kind: cards as 10 digits + CR LF; keypad keys (§3.5) one by one, into PINs (PinEntry).
 */
function wiegandDecimal(format: CardFormat, holdMs: number | undefined): ReaderProtocol {
  const d = new WiegandDecimalLineDecoder();
  const hold = holdFilter(holdMs);
  const pins = new PinEntry();
  const items = (list: ReturnType<WiegandDecimalLineDecoder['push']>, now: number): ProtocolStep => {
    const cards: string[] = [];
    for (const i of list) {
      if (i.kind === 'card') {
        pins.clear();
        cards.push(...hold([formatWiegandData(i.value, i.value > 0xffffff ? 32 : 24, format)], now));
      } else {
        const pin = pins.key(i.key, now);
        if (pin) cards.push(pin);
      }
    }
    return cardsOnly(cards);
  };
  return {
    tickMs: 50,
    open: () => EMPTY,
    receive: (chunk, now) => items(d.push(chunk, now), now),
    idle: (now) => items(d.idle(), now),
    tick: (now) => items(d.tick(now), now),
    close: () => {
      d.flush();
      pins.clear();
    },
    stats: () => d.stats(),
  };
}

/**
 * Keypad keys one by one into PINs (§3.5), for every reader with a keypad: digits ended by `#`
 * are the credential `PIN:<digits>` (contracts: AclEntry.fp); `*`, any other key, a card
 * (`clear`), or a pause of `PIN_GAP_MS` clears what was typed.
 */
export class PinEntry {
  #pin = '';
  #at = 0;

  /** One key; returns the credential when `#` ends a PIN of the right length. */
  key(k: string, now: number): string | null {
    if (this.#pin && now - this.#at > PIN_GAP_MS) this.#pin = '';
    if (k === '#') {
      const pin = this.#pin;
      this.#pin = '';
      return pin.length >= PIN_MIN && pin.length <= PIN_MAX ? pinUid(pin) : null;
    }
    if (/^[0-9]$/.test(k) && this.#pin.length <= PIN_MAX) {
      this.#pin += k;
      this.#at = now;
      return null;
    }
    this.#pin = '';
    return null;
  }

  clear(): void {
    this.#pin = '';
  }
}

const PIN_MIN = 4;
const PIN_MAX = 8;
const PIN_GAP_MS = 10_000;

/** Converters repeat a held card too (§1.3 logic), and their line codecs have no suppressor. */
function holdFilter(holdMs = 300): (cards: string[], now: number) => string[] {
  const r = new RepeatSuppressor(holdMs);
  return (cards, now) => cards.filter((c) => r.accept(c, now));
}
