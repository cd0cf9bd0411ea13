// Retained device health for every driver of this gateway: all of them on (re)connect, one
// on each change of its ok/fault state.
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

export class HealthReporter {
  readonly #devices: readonly ReportedDevice[];
  readonly #gatewayId: string;
  readonly #topics: Topics;
  readonly #publish: RetainedPublish;
  readonly #now: () => number;
  readonly #listeners = new Map<ReportedDevice, (h: DeviceHealthState) => void>();

  constructor(opts: { devices: readonly ReportedDevice[]; gatewayId: string; topics: Topics; publish: RetainedPublish; now?: () => number }) {
    this.#devices = opts.devices;
    this.#gatewayId = opts.gatewayId;
    this.#topics = opts.topics;
    this.#publish = opts.publish;
    this.#now = opts.now ?? Date.now;
  }

  start(): void {
    if (this.#listeners.size > 0) return;
    for (const d of this.#devices) {
      const l = (h: DeviceHealthState) => this.#publishOne(d, h);
      this.#listeners.set(d, l);
      d.on('health', l);
    }
  }

  stop(): void {
    for (const [d, l] of this.#listeners) d.off('health', l);
    this.#listeners.clear();
  }

  publishAll(): void {
    for (const d of this.#devices) this.#publishOne(d, d.health());
  }

  #publishOne(d: ReportedDevice, h: DeviceHealthState): void {
    const p: DeviceHealth = { v: 1, ts: this.#now(), device: d.id, gateway: this.#gatewayId, kind: d.kind, state: h.state };
    if (h.lastSeen !== undefined) p.lastSeen = h.lastSeen;
    if (h.error !== undefined) p.error = h.error.slice(0, 200);
    this.#publish(this.#topics.deviceHealth(d.id), p);
  }
}
