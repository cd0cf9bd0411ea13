// The bridge's state: zigbee2mqtt / ESPHome messages in (through the pure mapping), desk
// occupancy, device health and readings out. Each bridged sensor is a PresenceSensor so that its
// desk goes through the same DeskEstimator hysteresis as a gateway's desks. A sensor that is
// offline or silent past its interval is unknown (`present: null`) and in health fault; when
// every sensor of a desk is unknown the desk is published unknown at once (`occupied: null`, as
// a gateway does for a desk whose sensors are all in fault: not free, not taken) and its
// estimator starts afresh, so that a sensor that comes back needs `enterS` of presence again.
import { EventEmitter } from 'node:events';
import type { ContractPublish } from '../contracts/topics.ts';
import type { BridgeConfig, SiteConfig } from '../config/schema.ts';
import { DeskEstimator } from '../gateway/occupancy/desk-estimator.ts';
import type { DeviceHealthState, PresenceSensor } from '../gateway/drivers/types.ts';
import { bridgedSensors, healthOf, mapMessage, sourceRoutes, type BridgedSensor, type Route, type SensorUpdate } from './mapping.ts';

class BridgedPresence extends EventEmitter<{ presence: [boolean]; health: [DeviceHealthState] }> implements PresenceSensor {
  readonly kind = 'presence-sensor' as const;
  present: boolean | null = null;
  constructor(readonly id: string) {
    super();
  }
  health(): DeviceHealthState {
    return { state: 'ok' };
  }
  start(): void {}
  stop(): void {}
  set(present: boolean | null): void {
    this.present = present;
    this.emit('presence', present === true);
  }
}

interface SensorState {
  spec: BridgedSensor;
  presence: BridgedPresence;
  online: boolean;
  silent: boolean;
  /** The last presence the source said (kept while offline, used again when it is back). */
  said: boolean | null;
  battery?: number;
  linkquality?: number;
  lastSeen?: number;
  dropped: number;
  timer?: NodeJS.Timeout;
  published?: string;
}

interface DeskState {
  id: string;
  sensors: SensorState[];
  estimator: DeskEstimator;
  published?: boolean | null;
}

export interface BridgeStats {
  /** Messages from the source broker. */
  received: number;
  /** Of those, not on a topic of a configured sensor (should be 0: we subscribe per topic). */
  unrouted: number;
  /** Malformed payloads, rejected and counted (never a crash). */
  rejected: number;
  /** Desk occupancy changes published. */
  occupancy: number;
}

export interface BridgeOptions {
  config: SiteConfig;
  bridge: BridgeConfig;
  publish: ContractPublish<unknown>;
  /** For occupancy hysteresis (default: the desk's, else its gateway's `occupancy`). */
  holdMs?: number;
  enterMs?: number;
  now?: () => number;
  /** A rejected payload, for the owner's log (first few only: it decides). */
  onReject?: (topic: string, error: string) => void;
}

export class Bridge {
  readonly stats: BridgeStats = { received: 0, unrouted: 0, rejected: 0, occupancy: 0 };
  readonly routes: Map<string, Route[]>;
  readonly #sensors = new Map<string, SensorState>();
  readonly #desks = new Map<string, DeskState>();
  readonly #o: BridgeOptions;
  readonly #now: () => number;
  #started = false;

  constructor(o: BridgeOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
    const specs = bridgedSensors(o.config, o.bridge);
    this.routes = sourceRoutes(specs, o.bridge);
    for (const spec of specs) {
      const s: SensorState = { spec, presence: new BridgedPresence(spec.id), online: true, silent: false, said: null, dropped: 0 };
      this.#sensors.set(spec.id, s);
      let desk = this.#desks.get(spec.desk);
      if (!desk) {
        desk = { id: spec.desk, sensors: [], estimator: undefined as unknown as DeskEstimator };
        this.#desks.set(spec.desk, desk);
      }
      desk.sensors.push(s);
    }
    for (const d of this.#desks.values()) d.estimator = this.#estimator(d);
  }

  /** Source topics to subscribe to. */
  get topics(): string[] {
    return [...this.routes.keys()];
  }

  get desks(): string[] {
    return [...this.#desks.keys()];
  }

  start(): void {
    this.#started = true;
    for (const s of this.#sensors.values()) this.#armSilence(s);
    for (const d of this.#desks.values()) d.estimator.start();
  }

  stop(): void {
    this.#started = false;
    for (const s of this.#sensors.values()) clearTimeout(s.timer);
    for (const d of this.#desks.values()) d.estimator.stop();
  }

  /** One message from the source broker. */
  handle(topic: string, payload: Buffer | string): void {
    this.stats.received++;
    const routes = this.routes.get(topic);
    if (!routes) {
      this.stats.unrouted++;
      return;
    }
    for (const route of routes) {
      const s = this.#sensors.get(route.sensor)!;
      const r = mapMessage(route, payload);
      if (!r.ok) {
        this.stats.rejected++;
        s.dropped++;
        this.#o.onReject?.(topic, r.error);
        this.#publishHealth(s);
        continue;
      }
      this.#apply(s, r.update);
    }
  }

  #apply(s: SensorState, u: SensorUpdate): void {
    s.lastSeen = this.#now();
    s.silent = false;
    if (u.online !== undefined) s.online = u.online;
    else if (u.presence !== undefined) s.online = true;
    if (u.presence !== undefined) s.said = u.presence;
    if (u.battery !== undefined) s.battery = u.battery;
    if (u.linkquality !== undefined) s.linkquality = u.linkquality;
    for (const r of u.readings) this.#o.publish('sensorReading', s.spec.id, { v: 1, ts: s.lastSeen, sensor: s.spec.id, ...r });
    this.#armSilence(s);
    this.#publishHealth(s);
    this.#setPresence(s, s.online ? s.said : null);
  }

  #setPresence(s: SensorState, present: boolean | null): void {
    const desk = this.#desks.get(s.spec.desk)!;
    const wasUnknown = desk.sensors.every((x) => x.presence.present === null);
    s.presence.set(present);
    const unknown = desk.sensors.every((x) => x.presence.present === null);
    if (unknown && (!wasUnknown || desk.published !== null)) this.#unknownDesk(desk);
  }

  /** Every sensor of the desk is unknown: not occupied, now; a fresh estimator for when they are back. */
  #unknownDesk(desk: DeskState): void {
    desk.estimator.stop();
    desk.estimator = this.#estimator(desk);
    if (this.#started) desk.estimator.start();
    this.#publishOccupancy(desk, null);
  }

  #estimator(desk: DeskState): DeskEstimator {
    const d = this.#o.config.desks.find((x) => x.id === desk.id)!;
    const gw = this.#o.config.gateways.find((g) => g.id === d.gateway);
    const holdMs = this.#o.holdMs ?? (d.occupancy?.holdS ?? gw?.occupancy.holdS ?? 120) * 1000;
    const enterMs = this.#o.enterMs ?? (d.occupancy?.enterS ?? gw?.occupancy.enterS ?? 10) * 1000;
    const e = new DeskEstimator({ desk: desk.id, sensors: desk.sensors.map((s) => s.presence), holdMs, enterMs, now: this.#now });
    e.on('change', (o) => this.#publishOccupancy(desk, o.occupied));
    return e;
  }

  #publishOccupancy(desk: DeskState, occupied: boolean | null): void {
    if (desk.published === occupied) return;
    desk.published = occupied;
    this.stats.occupancy++;
    const now = this.#now();
    this.#o.publish('deskOccupancy', desk.id, { v: 1, ts: now, desk: desk.id, occupied, since: now });
  }

  #armSilence(s: SensorState): void {
    clearTimeout(s.timer);
    if (!this.#started || s.spec.intervalMs <= 0) return;
    s.timer = setTimeout(() => {
      s.silent = true;
      this.#publishHealth(s);
      this.#setPresence(s, null);
    }, s.spec.intervalMs);
    s.timer.unref?.();
  }

  #publishHealth(s: SensorState): void {
    const h = healthOf({ online: s.online, silent: s.silent, intervalS: s.spec.intervalMs / 1000, battery: s.battery, linkquality: s.linkquality });
    const key = `${h.state}|${h.error ?? ''}|${s.dropped}`;
    if (key === s.published) return;
    s.published = key;
    this.#o.publish('deviceHealth', s.spec.id, {
      v: 1,
      ts: this.#now(),
      device: s.spec.id,
      kind: 'presence-sensor',
      state: h.state,
      ...(s.lastSeen !== undefined && { lastSeen: s.lastSeen }),
      ...(h.error !== undefined && { error: h.error.slice(0, 200) }),
      ...(s.dropped > 0 && { dropped: s.dropped }),
    });
  }
}
