// A card reader on a serial port: RDM6300 (protocols.md §1), PN532 over HSU (§2) or a
// Wiegand-to-serial converter (§3.6). A card read is emitted synchronously from the port's
// `data` event: between the last byte arriving and the lock being driven nothing waits.
import type { DecoderStats } from '../../../firmware-bridge/index.ts';
import type { CardRead, CardReader } from '../types.ts';
import { READER_PROTOCOLS } from '../../../contracts/readers.ts';
import {
  createReaderProtocol,
  type CardFormat,
  type Pn532Cadence,
  type ProtocolStep,
  type ReaderProtocol,
  type ReaderProtocolName,
} from './reader-protocols.ts';
import { SerialDevice, type SerialDeviceOptions } from './serial-device.ts';

export interface SerialCardReaderOptions extends Omit<SerialDeviceOptions, 'baudRate'> {
  protocol: ReaderProtocolName;
  baudRate?: number;
  format?: CardFormat;
  holdMs?: number;
  /** PN532 polling; default PN532_CADENCE (the bench compares others). */
  pn532Cadence?: Pn532Cadence;
}

export class SerialCardReader extends SerialDevice<{ card: [CardRead] }> implements CardReader {
  readonly #protocol: ReaderProtocol;
  protected override readonly tickMs: number | null;

  constructor(id: string, opts: SerialCardReaderOptions) {
    super(id, 'card-reader', { ...opts, baudRate: opts.baudRate ?? READER_PROTOCOLS[opts.protocol].baud });
    this.#protocol = createReaderProtocol(opts.protocol, { format: opts.format, holdMs: opts.holdMs, pn532Cadence: opts.pn532Cadence });
    this.tickMs = this.#protocol.tickMs;
  }

  protected codecStats(): DecoderStats {
    return this.#protocol.stats();
  }

  protected onOpen(nowMs: number): void {
    this.#apply(this.#protocol.open(nowMs), nowMs);
  }

  protected onIdle(nowMs: number): void {
    this.#apply(this.#protocol.idle(nowMs), nowMs);
  }

  protected onData(chunk: Uint8Array, nowMs: number): void {
    this.#apply(this.#protocol.receive(chunk, nowMs), nowMs);
  }

  protected override onTick(nowMs: number): void {
    this.#apply(this.#protocol.tick(nowMs), nowMs);
  }

  protected onClose(): void {
    this.#protocol.close();
  }

  #apply(step: ProtocolStep, nowMs: number): void {
    for (const uid of step.cards) {
      this.seen(nowMs);
      this.emit('card', { readerId: this.id, uid });
    }
    for (const bytes of step.send) this.link.write(bytes);
    if (step.fault !== undefined) {
      if (step.fault === null) this.seen(nowMs);
      this.setDeviceFault(step.fault);
    }
    if (step.firmware !== undefined) this.setFirmware(step.firmware);
  }
}
