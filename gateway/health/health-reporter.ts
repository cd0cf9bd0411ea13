// Retained device health for every driver of this gateway: all of them on (re)connect, one on
// each change of its ok/fault state, and every `everyMs` the devices whose counters moved
// (codec drops, last seen), so that `dropped` is current without a message per bad frame.
import type { DeviceHealth } from '../../contracts/payloads.ts';
import type { Topics } from '../../contracts/topics.ts';
import type { DeviceHealthState, DeviceKind } from '../drivers/types.ts';

export interface ReportedDevice {
  readonly id: string;
  readonly kind: DeviceKind;
  health(): DeviceHealthState;
  on(event: 'health', l: (h: DeviceHealthState) => void): unknown;
  off(event: 'health', l: (h: DeviceHealthState) => void): unknown;
}

export type RetainedPublish = (topic: string, payload: object) => void;

export interface HealthReporterOptions {
  devices: readonly ReportedDevice[];
  gatewayId: string;
  topics: Topics;
  publish: RetainedPublish;
  /** Refresh period for changed counters. Default 60 s. */
  everyMs?: number;
  now?: () => number;
}

export class HealthReporter {
  readonly #o: HealthReporterOptions;
  readonly #now: () => number;
  readonly #listeners = new Map<ReportedDevice, (h: DeviceHealthState) => void>();
  /** What was last published per device (without ts), to publish only what changed. */
  readonly #last = new Map<ReportedDevice, string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: HealthReporterOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
  }

  start(): void {
    if (this.#timer) return;
    for (const d of this.#o.devices) {
      const l = (h: DeviceHealthState) => this.#publishOne(d, h);
      this.#listeners.set(d, l);
      d.on('health', l);
    }
    this.#timer = setInterval(this.#refresh, this.#o.everyMs ?? 60_000);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const [d, l] of this.#listeners) d.off('health', l);
    this.#listeners.clear();
  }

  publishAll(): void {
    for (const d of this.#o.devices) this.#publishOne(d, d.health());
  }

  #refresh = (): void => {
    for (const d of this.#o.devices) {
      const h = d.health();
      if (this.#last.get(d) !== key(h)) this.#publishOne(d, h);
    }
  };

  #publishOne(d: ReportedDevice, h: DeviceHealthState): void {
    const p: DeviceHealth = { v: 1, ts: this.#now(), device: d.id, gateway: this.#o.gatewayId, kind: d.kind, state: h.state };
    if (h.lastSeen !== undefined) p.lastSeen = h.lastSeen;
    if (h.error !== undefined) p.error = h.error.slice(0, 200);
    if (h.dropped !== undefined) p.dropped = h.dropped;
    if (h.droppedBytes !== undefined) p.droppedBytes = h.droppedBytes;
    if (h.firmware !== undefined) p.firmware = h.firmware.slice(0, 64);
    this.#last.set(d, key(h));
    this.#o.publish(this.#o.topics.deviceHealth(d.id), p);
  }
}

function key(h: DeviceHealthState): string {
  return `${h.state}|${h.error ?? ''}|${h.lastSeen ?? ''}|${h.dropped ?? ''}|${h.droppedBytes ?? ''}|${h.firmware ?? ''}`;
}
