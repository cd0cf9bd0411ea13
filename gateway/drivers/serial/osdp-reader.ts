// OSDP readers on an RS-485 line (protocols.md §5; firmware-bridge/codecs/osdp-cp-bus.ts).
// `OsdpLine` owns the port and one OsdpCpBus for every reader bound to that path (multi-drop):
// bytes in, a tick every 10 ms, whatever the bus sends goes out. `OsdpCardReader` is one PD on
// it: cards and keypad PINs as reads like every other reader (the gateway fingerprints them),
// offline / Secure Channel faults / tamper / power as device health in words (never a key),
// and the reader's LED and buzzer as feedback on a decision.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  LED_NOOP_PERMANENT,
  LED_NOOP_TEMPORARY,
  OsdpColor,
  OsdpCpBus,
  osdpWeakKeyReason,
  type DecoderStats,
  type OsdpBusStep,
  type OsdpEvent,
  type OsdpFaultReason,
  type OsdpPdSession,
} from '../../../firmware-bridge/index.ts';
import type { CardFormat } from '../../../contracts/readers.ts';
import type { DeviceCommandFailure } from '../../../contracts/payloads.ts';
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

/** Why an enrolment failed, from the session's fault that ended it. */
const ENROL_FAILURES: Record<OsdpFaultReason | 'offline', DeviceCommandFailure> = {
  offline: 'offline',
  'sc-unsupported': 'no-secure-channel',
  'sc-wrong-key': 'not-install-mode',
  'sc-default-key': 'not-install-mode',
  'sc-mac': 'line-error',
  'bad-reply': 'line-error',
};

const WARNINGS = {
  enrolling: 'OSDP reader is being enrolled (install mode for one attempt)',
  installKey: 'OSDP reader is on the published install key (SCBK-D): enrol it',
  installConfig: 'OSDP install mode is on in the site config: remove installMode from this reader once it is keyed',
} as const;

/** The outcome of `OsdpCardReader.enrol`. */
export type OsdpEnrolResult = { ok: true } | { ok: false; reason: DeviceCommandFailure };

/** A fresh random SCBK as 32 hex digits (drawn again in the unlikely case it looks weak). */
export function newOsdpKey(): string {
  for (;;) {
    const key = randomBytes(16);
    if (!osdpWeakKeyReason(key)) return key.toString('hex').toUpperCase();
  }
}

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
  /** `installMode` is set in the site config: shown as a warning for as long as it is. */
  installMode?: boolean;
  /**
   * Writes this reader's key to the secrets file (undefined: removes it); absent, `enrol()` is
   * refused. `scbk` is the key the file holds now.
   */
  saveKey?: (hex: string | undefined) => void;
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
  readonly #installConfig: boolean;
  readonly #saveKey: ((hex: string | undefined) => void) | undefined;
  /** The key in the secrets file, as hex (undefined: none). */
  #keyHex: string | undefined;
  /** The session is up on SCBK-D (a reader in install mode). */
  #onInstallKey = false;
  #enrol: { hex: string; done: (r: OsdpEnrolResult) => void } | null = null;

  constructor(
    readonly id: string,
    opts: OsdpCardReaderOptions,
  ) {
    super();
    this.#line = opts.line;
    this.#format = opts.format ?? 'w26';
    this.#now = opts.now ?? Date.now;
    this.#session = opts.line.bus.add({ address: opts.address, scbk: opts.scbk, installMode: opts.enrol ?? false, secureRequired: opts.scbk !== null });
    this.#installConfig = opts.installMode ?? false;
    this.#saveKey = opts.saveKey;
    this.#keyHex = opts.scbk ? Buffer.from(opts.scbk).toString('hex').toUpperCase() : undefined;
  }

  /**
   * Enrols the reader once (it must be in install mode, on SCBK-D): a fresh random key is made
   * here, written to the secrets file first, then moved to the reader (KEYSET) and a Secure
   * Channel opened with it. The key is never logged nor sent anywhere but to the reader. On a
   * failure before the KEYSET went out the file gets its old key back.
   */
  enrol(): Promise<OsdpEnrolResult> {
    if (!this.#saveKey) return Promise.resolve({ ok: false, reason: 'cannot-save-key' });
    if (this.#enrol || this.#session.isEnrolling) return Promise.resolve({ ok: false, reason: 'busy' });
    if (!this.#started) return Promise.resolve({ ok: false, reason: 'offline' });
    const hex = newOsdpKey();
    try {
      this.#saveKey(hex); // first on disk, then on the reader
    } catch {
      return Promise.resolve({ ok: false, reason: 'cannot-save-key' });
    }
    const before = this.health().error;
    this.#session.enrol(Uint8Array.from(Buffer.from(hex, 'hex')));
    return new Promise((done) => {
      this.#enrol = { hex, done };
      if (this.health().error !== before) this.emit('health', this.health());
    });
  }

  #enrolEnded(e: Extract<OsdpEvent, { type: 'enrol' }>): void {
    const run = this.#enrol;
    if (!run) return;
    this.#enrol = null;
    if (e.ok) {
      this.#keyHex = run.hex;
      run.done({ ok: true });
      return;
    }
    // The reader never saw the new key: the file gets the old one back. After a KEYSET whose
    // answer was lost the reader may hold the new one; the file keeps it (the session tries it).
    if (!e.keySent) {
      try {
        this.#saveKey!(this.#keyHex);
      } catch {
        /* the file keeps the new key; the reader refuses it and says so as a fault */
      }
    }
    run.done({ ok: false, reason: ENROL_FAILURES[e.reason ?? 'offline'] });
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
    const warning = error ? null : this.#warning();
    const h: DeviceHealthState = { state: error ? 'fault' : warning ? 'warning' : 'ok', dropped: line.dropped, droppedBytes: line.droppedBytes };
    if (error ?? warning) h.error = (error ?? warning)!;
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

  /** Install mode, in any of its forms, is a warning: "install mode left on" is a published mistake. */
  #warning(): string | null {
    if (this.#enrol || this.#session.isEnrolling) return WARNINGS.enrolling;
    if (this.#onInstallKey) return WARNINGS.installKey;
    if (this.#installConfig) return WARNINGS.installConfig;
    return null;
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
        this.#onInstallKey = e.key === 'scbk-d';
        this.#lastSeen = now;
        if (e.id) this.#firmware = `OSDP ${e.id.firmware.major}.${e.id.firmware.minor}.${e.id.firmware.build}`;
        if (this.#mode !== 'normal') this.#showMode(); // a reader that restarted forgot it
        break;
      case 'offline':
        this.#online = false;
        break;
      case 'key-changed':
        this.#onInstallKey = false;
        break;
      case 'enrol':
        this.#enrolEnded(e);
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
