// OSDP readers on an RS-485 line (protocols.md §5; firmware-bridge/codecs/osdp-cp-bus.ts).
// `OsdpLine` owns the port and one OsdpCpBus for every reader bound to that path (multi-drop):
// bytes in, a tick every 10 ms, whatever the bus sends goes out. `OsdpCardReader` is one PD on
// it: cards and keypad PINs as reads like every other reader (the gateway fingerprints them),
// offline / Secure Channel faults / tamper / power as device health in words (never a key),
// and the reader's LED and buzzer as feedback on a decision.
import { EventEmitter } from 'node:events';
import {
  LED_NOOP_PERMANENT,
  LED_NOOP_TEMPORARY,
  OsdpColor,
  OsdpCpBus,
  type DecoderStats,
  type OsdpBusStep,
  type OsdpEvent,
  type OsdpFaultReason,
  type OsdpPdSession,
} from '../../../firmware-bridge/index.ts';
import type { CardFormat } from '../../../contracts/readers.ts';
import type { CardRead, CardReader, DeviceHealthState, ReaderFeedback, ReaderMode } from '../types.ts';
import { PinEntry, formatWiegandData } from './reader-protocols.ts';
import { SerialDevice, type SerialDeviceOptions } from './serial-device.ts';

const FAULTS: Record<OsdpFaultReason, string> = {
  'sc-wrong-key': 'OSDP reader refuses our Secure Channel key (wrong key in the secrets file?)',
  'sc-unsupported': 'OSDP reader offers no Secure Channel, and this binding requires one',
  'sc-default-key': 'OSDP reader is still on its install-mode key: enrol it (installMode) first',
  'sc-mac': 'OSDP Secure Channel messages fail their check (noise or tampering on the line)',
  'bad-reply': 'OSDP reader answers are malformed',
};

type LineEvents = { osdp: [OsdpEvent] };

/** One RS-485 path: the port, its bus, and the readers that share it. */
export class OsdpLine extends SerialDevice<LineEvents> {
  readonly bus: OsdpCpBus;
  protected override readonly tickMs = 10;
  #users = 0;

  constructor(path: string, opts: Omit<SerialDeviceOptions, 'path'>) {
    super(path, 'card-reader', { ...opts, path });
    this.bus = new OsdpCpBus({ baud: opts.baudRate });
  }

  /**
   * Each reader on the line starts it; the port opens with the first and closes with the last.
   * Resolves as the line's start does: once the port is open or its first open failed (ready
   * means ready, issue 17).
   */
  acquire(): Promise<void> {
    this.#users++;
    return this.start();
  }

  async release(): Promise<void> {
    if (this.#users === 0) return;
    if (--this.#users === 0) await this.stop();
  }

  protected codecStats(): DecoderStats {
    return this.bus.stats().frames;
  }

  protected onOpen(nowMs: number): void {
    this.#apply(this.bus.tick(nowMs));
  }

  protected onData(chunk: Uint8Array, nowMs: number): void {
    this.seen(nowMs);
    this.#apply(this.bus.receive(chunk, nowMs));
  }

  protected override onTick(nowMs: number): void {
    this.#apply(this.bus.tick(nowMs));
  }

  // The decoder resyncs on its own and the bus times a missing reply out: nothing to do.
  protected onIdle(): void {}
  protected onClose(): void {}

  #apply(step: OsdpBusStep): void {
    for (const b of step.send) this.link.write(b);
    for (const e of step.events) this.emit('osdp', e);
  }
}

export interface OsdpCardReaderOptions {
  line: OsdpLine;
  address: number;
  /** The reader's SCBK from the secrets file; null: plain text. */
  scbk: Uint8Array | null;
  /** Install mode: the reader is on the published key SCBK-D; move it to `scbk` (KEYSET). */
  enrol?: boolean;
  format?: CardFormat;
  now?: () => number;
}

/** One OSDP reader (PD) on a line. */
export class OsdpCardReader extends EventEmitter<{ card: [CardRead]; health: [DeviceHealthState] }> implements CardReader {
  readonly kind = 'card-reader';
  readonly #line: OsdpLine;
  readonly #session: OsdpPdSession;
  readonly #format: CardFormat;
  readonly #now: () => number;
  readonly #pins = new PinEntry();
  #online = false;
  #fault: string | null = null;
  #tamper = false;
  #power = false;
  #lastSeen: number | undefined;
  #firmware: string | undefined;
  #started = false;
  #mode: ReaderMode = 'normal';

  constructor(
    readonly id: string,
    opts: OsdpCardReaderOptions,
  ) {
    super();
    this.#line = opts.line;
    this.#format = opts.format ?? 'w26';
    this.#now = opts.now ?? Date.now;
    this.#session = opts.line.bus.add({ address: opts.address, scbk: opts.scbk, installMode: opts.enrol ?? false, secureRequired: opts.scbk !== null });
  }

  start(): Promise<void> {
    if (this.#started) return Promise.resolve();
    this.#started = true;
    this.#line.on('osdp', this.#onEvent);
    this.#line.on('health', this.#onLineHealth);
    return this.#line.acquire();
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.#line.off('osdp', this.#onEvent);
    this.#line.off('health', this.#onLineHealth);
    await this.#line.release();
  }

  health(): DeviceHealthState {
    const line = this.#line.health();
    const error = line.error ?? this.#error();
    const h: DeviceHealthState = { state: error ? 'fault' : 'ok', dropped: line.dropped, droppedBytes: line.droppedBytes };
    if (error) h.error = error;
    if (this.#lastSeen !== undefined) h.lastSeen = this.#lastSeen;
    if (this.#firmware !== undefined) h.firmware = this.#firmware;
    return h;
  }

  /** Green and a short beep on a grant, red on a refusal (temporary: the reader falls back to its own state). */
  feedback(decision: ReaderFeedback): void {
    if (!this.#session.isOnline) return;
    const granted = decision === 'granted';
    const color = granted ? OsdpColor.GREEN : OsdpColor.RED;
    this.#session.led([
      {
        reader: 0,
        led: 0,
        // Control code 2: set the temporary state; steady colour for `timer` × 100 ms.
        temporary: { controlCode: 2, onTime: 30, offTime: 0, onColor: color, offColor: color, timer: granted ? 30 : 15 },
        permanent: LED_NOOP_PERMANENT,
      },
    ]);
    if (granted) this.#session.buzzer({ reader: 0, tone: 2, onTime: 2, offTime: 0, count: 1 });
  }

  /** Amber, steady, while the gateway is offline-only; off again after (the permanent LED state). */
  indicate(mode: ReaderMode): void {
    if (mode === this.#mode) return;
    this.#mode = mode;
    if (this.#session.isOnline) this.#showMode();
  }

  #showMode(): void {
    const color = this.#mode === 'offline-only' ? OsdpColor.AMBER : OsdpColor.BLACK;
    // Control code 1: set the permanent state; on with no off time is steady.
    const permanent = { controlCode: 1, onTime: 1, offTime: 0, onColor: color, offColor: color };
    this.#session.led([{ reader: 0, led: 0, temporary: LED_NOOP_TEMPORARY, permanent }]);
  }

  #error(): string | null {
    if (this.#fault) return this.#fault;
    if (!this.#online) return this.#lastSeen === undefined ? 'OSDP reader has not answered yet' : 'OSDP reader does not answer';
    if (this.#tamper) return 'OSDP reader reports tamper';
    if (this.#power) return 'OSDP reader reports a power failure';
    return null;
  }

  #onLineHealth = (): void => {
    this.emit('health', this.health());
  };

  #onEvent = (e: OsdpEvent): void => {
    if (e.address !== this.#session.address) return;
    const before = this.health().error;
    const now = this.#now();
    switch (e.type) {
      case 'online':
        this.#online = true;
        this.#fault = null;
        this.#lastSeen = now;
        if (e.id) this.#firmware = `OSDP ${e.id.firmware.major}.${e.id.firmware.minor}.${e.id.firmware.build}`;
        if (this.#mode !== 'normal') this.#showMode(); // a reader that restarted forgot it
        break;
      case 'offline':
        this.#online = false;
        break;
      case 'fault':
        this.#online = false;
        this.#fault = FAULTS[e.reason];
        break;
      case 'local-status':
        this.#tamper = e.tamper;
        this.#power = e.power;
        break;
      case 'card':
        this.#lastSeen = now;
        this.#pins.clear();
        this.emit('card', { readerId: this.id, uid: cardNumber(e, this.#format) });
        break;
      case 'keypad':
        this.#lastSeen = now;
        for (const k of e.keys) {
          const pin = this.#pins.key(k, now);
          if (pin) this.emit('card', { readerId: this.id, uid: pin });
        }
        break;
      default:
        break;
    }
    const after = this.health();
    if (after.error !== before) this.emit('health', after);
  };
}

/** A Wiegand card as the same card on a Wiegand reader (§1.4); other bit strings as hex. */
function cardNumber(e: Extract<OsdpEvent, { type: 'card' }>, format: CardFormat): string {
  if (e.wiegand) return formatWiegandData(e.wiegand.data, e.wiegand.format === 'w26' ? 24 : 32, format);
  return e.hex.toUpperCase();
}
