// An HLK-LD2410 presence radar on a serial port (protocols.md §4). Presence = the report's
// target state is not "none" (§4.2: bit 0 moving, bit 1 stationary): a person sitting still is
// a stationary target, which a PIR cannot see. The module streams reports all the time, so
// silence on an open port is a device fault (unpowered module, broken TX wire).
// Optional gate / no-one settings are written at every connect inside a configuration session
// (§4.3: enable config → 0060 → end config), one command per ACK.
import {
  Ld2410Command,
  Ld2410Decoder,
  ld2410EnableConfig,
  ld2410EndConfig,
  ld2410SetGatesAndDuration,
  type DecoderStats,
  type Ld2410Report,
} from '../../../firmware-bridge/index.ts';
import { DESK_SENSOR_PROTOCOLS } from '../../../contracts/readers.ts';
import type { PresenceSensor, SensorSample } from '../types.ts';
import { SerialDevice, type SerialDeviceOptions } from './serial-device.ts';

/** §4.1 default. */
export const LD2410_BAUD = DESK_SENSOR_PROTOCOLS.ld2410.baud;
/** No report for this long on an open port: fault. */
export const LD2410_SILENCE_MS = 5000;
const CONFIG_ACK_TIMEOUT_MS = 1000;

export interface Ld2410SensorOptions extends Omit<SerialDeviceOptions, 'baudRate'> {
  baudRate?: number;
  /** Farthest gate 2–8 for moving and stationary targets, written at each connect. */
  maxGate?: number;
  /** Seconds the module keeps reporting presence after the last detection (§4.3 `0002`). */
  noOneS?: number;
  silenceMs?: number;
}

export class Ld2410Sensor extends SerialDevice<{ presence: [boolean] }> implements PresenceSensor {
  readonly #decoder = new Ld2410Decoder();
  readonly #config: Uint8Array[];
  readonly #silenceMs: number;
  protected override readonly tickMs = 250;
  #report: Ld2410Report | null = null;
  #present: boolean | null = null;
  #lastReportAt = 0;
  /** Index of the next config command to send once the previous one is acknowledged. */
  #configStep = 0;
  #configDeadline = 0;

  constructor(id: string, opts: Ld2410SensorOptions) {
    super(id, 'presence-sensor', { ...opts, baudRate: opts.baudRate ?? LD2410_BAUD });
    this.#silenceMs = opts.silenceMs ?? LD2410_SILENCE_MS;
    const wantsConfig = opts.maxGate !== undefined || opts.noOneS !== undefined;
    const gate = opts.maxGate ?? 8; // §4.3 factory defaults: gates 8/8, no-one 5 s
    this.#config = wantsConfig
      ? [ld2410EnableConfig(), ld2410SetGatesAndDuration({ maxMovingGate: gate, maxStationaryGate: gate, noOneDurationS: opts.noOneS ?? 5 }), ld2410EndConfig()]
      : [];
  }

  get present(): boolean | null {
    return this.#present;
  }

  readings(): SensorSample[] {
    const r = this.#report;
    if (!r || this.#present === null) return [];
    return [
      { kind: 'target-state', value: r.targetState },
      { kind: 'distance', value: r.detectionDistanceCm, unit: 'cm' },
      { kind: 'moving-energy', value: r.movingEnergy, unit: '%' },
      { kind: 'stationary-energy', value: r.stationaryEnergy, unit: '%' },
    ];
  }

  protected codecStats(): DecoderStats {
    // A report with an impossible value (state > 3, energy > 100) is a dropped frame too.
    const s = this.#decoder.stats();
    return { ...s, badFormat: s.badFormat + s.badValue };
  }

  protected onOpen(nowMs: number): void {
    this.#lastReportAt = nowMs;
    this.#configStep = 0;
    this.#sendConfig(nowMs);
  }

  protected onIdle(): void {
    this.#decoder.idle();
  }

  protected onData(chunk: Uint8Array, nowMs: number): void {
    for (const item of this.#decoder.push(chunk)) {
      if (item.kind === 'report') {
        this.#lastReportAt = nowMs;
        this.seen(nowMs);
        this.#report = item;
        this.setDeviceFault(null);
        this.#setPresent(item.targetState !== 0);
      } else if (item.kind === 'ack' && this.#configStep > 0 && this.#configStep <= this.#config.length) {
        if (!item.ok || item.command !== this.#commandOf(this.#configStep - 1)) {
          this.#configStep = this.#config.length + 1;
          this.link.write(ld2410EndConfig());
          this.setDeviceFault(`LD2410 refused configuration command ${item.command.toString(16).padStart(4, '0')}`);
        } else {
          this.#sendConfig(nowMs);
        }
      }
    }
  }

  protected override onTick(nowMs: number): void {
    if (this.#configStep > 0 && this.#configStep <= this.#config.length && nowMs > this.#configDeadline) {
      this.#configStep = this.#config.length + 1;
      this.link.write(ld2410EndConfig()); // leave a half-open configuration session (§4.3)
      this.setDeviceFault('LD2410 does not acknowledge configuration');
      return;
    }
    if (nowMs - this.#lastReportAt > this.#silenceMs) {
      this.setDeviceFault(`no LD2410 reports for ${Math.round(this.#silenceMs / 1000)} s`);
      this.#setPresent(null);
    }
  }

  protected onClose(): void {
    this.#decoder.flush();
    this.#report = null;
    this.#setPresent(null);
  }

  #sendConfig(nowMs: number): void {
    if (this.#configStep >= this.#config.length) {
      if (this.#config.length > 0) this.#configStep = this.#config.length + 1;
      return;
    }
    this.link.write(this.#config[this.#configStep]!);
    this.#configStep++;
    this.#configDeadline = nowMs + CONFIG_ACK_TIMEOUT_MS;
  }

  #commandOf(step: number): number {
    return [Ld2410Command.EnableConfig, Ld2410Command.SetGatesAndDuration, Ld2410Command.EndConfig][step]!;
  }

  /** Emits on a change, and the first known value; going unknown reads as absent to listeners. */
  #setPresent(p: boolean | null): void {
    const prev = this.#present;
    this.#present = p;
    if (p === null) {
      if (prev === true) this.emit('presence', false);
    } else if (prev !== p) {
      this.emit('presence', p);
    }
  }
}
