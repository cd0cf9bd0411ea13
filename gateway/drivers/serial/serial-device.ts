// What every serial driver shares: one SerialLink, the device's health (link faults, device
// faults such as a PN532 that stopped answering, the codec's drop counters), an optional
// protocol timer that runs only while the port is open, and the idle-gap clock: this is the
// layer that knows when each chunk arrived and at what baud rate, so it tells the codec when
// the line was quiet long enough to end whatever partial frame it holds (idle-gap.ts).
// Parity and framing errors are not reported by the serial layer: @serialport/bindings-cpp 13
// opens the port with c_iflag = IGNPAR and neither INPCK nor PARMRK, so the byte is either
// dropped by the UART driver or delivered as whatever was sampled (a break as 00); the codecs
// treat both as noise, and the idle gap drops the fragment a lost byte leaves behind.
import { EventEmitter } from 'node:events';
import { IdleGap, rejectedCount, type DecoderStats } from '../../../firmware-bridge/index.ts';
import type { DeviceHealthState, DeviceKind } from '../types.ts';
import { SerialLink, type PortFactory } from './serial-link.ts';

export interface SerialDeviceOptions {
  path: string;
  baudRate: number;
  now?: () => number;
  backoff?: { minMs?: number; maxMs?: number };
  portFactory?: PortFactory;
}

type HealthEvents = { health: [DeviceHealthState] };

export abstract class SerialDevice<E extends Record<keyof E, unknown[]>> extends EventEmitter<E & HealthEvents> {
  protected readonly link: SerialLink;
  protected readonly now: () => number;
  #linkFault: string | null = null;
  #deviceFault: string | null = null;
  #lastSeen: number | undefined;
  #firmware: string | undefined;
  #tick: NodeJS.Timeout | undefined;
  #started = false;
  readonly #gap: IdleGap;
  #settled: Promise<void> = Promise.resolve();
  #settle: (() => void) | undefined;

  constructor(
    readonly id: string,
    readonly kind: DeviceKind,
    opts: SerialDeviceOptions,
  ) {
    super();
    this.now = opts.now ?? Date.now;
    this.link = new SerialLink({ path: opts.path, baudRate: opts.baudRate, backoff: opts.backoff, portFactory: opts.portFactory });
    this.#gap = new IdleGap({ baudRate: opts.baudRate });
  }

  /** Frames and bytes the codec rejected. */
  protected abstract codecStats(): DecoderStats;
  protected abstract onOpen(nowMs: number): void;
  protected abstract onData(chunk: Uint8Array, nowMs: number): void;
  /** The port is gone: flush the codec, forget device state. */
  protected abstract onClose(): void;
  /** The line was quiet for longer than the idle gap before the chunk about to be passed to `onData`. */
  protected abstract onIdle(nowMs: number): void;
  /** Called every `tickMs` while open (PN532 timeouts, silence watchdogs). */
  protected onTick(_nowMs: number): void {}
  protected readonly tickMs: number | null = null;

  /**
   * Starts connecting; a missing device is a fault, not an error (retried with backoff).
   * Resolves once the port is open, or its first attempt failed and the fault is set: from then
   * on the device's health says what it is, and bytes the device sends are read.
   */
  start(): Promise<void> {
    if (this.#started) return this.#settled;
    this.#started = true;
    this.#settled = new Promise((resolve) => (this.#settle = resolve));
    this.link.on('open', this.#onOpen);
    this.link.on('data', this.#onData);
    this.link.on('down', this.#onDown);
    this.link.start();
    return this.#settled;
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.#settle?.();
    this.#stopTick();
    this.link.off('open', this.#onOpen);
    this.link.off('data', this.#onData);
    this.link.off('down', this.#onDown);
    await this.link.stop();
    this.onClose();
  }

  health(): DeviceHealthState {
    const s = this.codecStats();
    const error = this.#linkFault ?? this.#deviceFault;
    const h: DeviceHealthState = { state: error ? 'fault' : 'ok', dropped: rejectedCount(s), droppedBytes: s.garbageBytes };
    if (error) h.error = error;
    if (this.#lastSeen !== undefined) h.lastSeen = this.#lastSeen;
    if (this.#firmware !== undefined) h.firmware = this.#firmware;
    return h;
  }

  /** What the device said its firmware is (kept across reconnects until it says otherwise). */
  protected setFirmware(firmware: string): void {
    if (firmware === this.#firmware) return;
    this.#firmware = firmware;
    (this as EventEmitter<HealthEvents>).emit('health', this.health());
  }

  protected seen(nowMs: number): void {
    this.#lastSeen = nowMs;
  }

  /** The device (not the port) is in fault, e.g. it stopped answering; null clears it. */
  protected setDeviceFault(error: string | null): void {
    const before = this.#linkFault ?? this.#deviceFault;
    this.#deviceFault = error;
    this.#emitIfChanged(before);
  }

  #onOpen = (): void => {
    const before = this.#linkFault ?? this.#deviceFault;
    this.#linkFault = null;
    this.#gap.reset();
    this.onOpen(this.now());
    this.#emitIfChanged(before);
    if (this.tickMs !== null && !this.#tick) this.#tick = setInterval(() => this.onTick(this.now()), this.tickMs);
    this.#settle?.();
  };

  #onData = (chunk: Uint8Array): void => {
    const now = this.now();
    if (this.#gap.arrive(chunk.length, now)) this.onIdle(now);
    this.onData(chunk, now);
  };

  #onDown = ({ error }: { error: string }): void => {
    const before = this.#linkFault ?? this.#deviceFault;
    this.#stopTick();
    this.onClose();
    this.#linkFault = error;
    this.#deviceFault = null;
    this.#emitIfChanged(before);
    this.#settle?.();
  };

  #stopTick(): void {
    if (this.#tick) clearInterval(this.#tick);
    this.#tick = undefined;
  }

  #emitIfChanged(before: string | null): void {
    const after = this.#linkFault ?? this.#deviceFault;
    if (after !== before) (this as EventEmitter<HealthEvents>).emit('health', this.health());
  }
}
