// Ingest: every message the services receive passes through the one Ingress (topic → schema →
// typed payload); accepted payloads are stored, audited (access decisions), recorded in history
// (events, occupancy changes, readings, device health), offered to card enrolment and pushed to
// the live stream. Never throws.
import type { Logger } from '../../runtime/log.ts';
import type { Ingress, Accepted } from '../../contracts/ingress.ts';
import type { Store } from '../db/store.ts';
import type { LiveHub } from '../live/hub.ts';
import type { GatewayPresence } from './gateway-presence.ts';
import type { Devices } from './devices.ts';
import type { History } from '../history/history.ts';
import type { Enrolments } from '../enrol/enrolments.ts';
import type { DeviceCommandResult, ServiceStatus } from '../../contracts/payloads.ts';
import { doorEventPoint, doorStatePoint, occupancyPoint, readingPoint, healthPoint } from '../history/point.ts';

export interface IngestOptions {
  ingress: Ingress;
  store: Store;
  hub: LiveHub;
  presence: GatewayPresence;
  /** Device health views (state unknown while their gateway is offline). */
  devices: Devices;
  /** Door ids per gateway: their views change when the gateway goes on- or offline. */
  doorsOf: (gateway: string) => readonly string[];
  /** Zone of a desk (a tag on occupancy history). */
  zoneOf: (desk: string) => string | undefined;
  /** Zone of a door, when the site gives it one (a tag on door history). */
  doorZoneOf?: (door: string) => string | undefined;
  history: History;
  enrolments: Enrolments;
  /** A gateway's answer to a device command (services/http/device-commands.ts). */
  deviceResult?: (r: DeviceCommandResult) => void;
  /** Another service's retained status (Node-RED's: services/alerts/automation-watch.ts). */
  serviceStatus?: (s: ServiceStatus) => void;
  log: Logger;
  now: () => number;
}

export class Ingest {
  readonly #o: IngestOptions;
  readonly #deviceStates = new Map<string, string>();
  /** When each door's contact last opened (for the open duration on closing). */
  readonly #openedAt = new Map<string, number>();
  #devicesFull = false;
  #stored = 0;
  #duplicates = 0;
  #readings = 0;
  /** Access decisions stored, by `granted`/`denied`. */
  readonly #decisions = new Map<string, number>();

  constructor(opts: IngestOptions) {
    this.#o = opts;
  }

  /** Events stored and duplicates dropped since start. */
  counts(): { stored: number; duplicates: number } {
    return { stored: this.#stored, duplicates: this.#duplicates };
  }

  /** Access decisions stored since start, by result. */
  decisions(): Record<string, number> {
    return Object.fromEntries(this.#decisions);
  }

  /** Sensor readings taken since start. */
  get readings(): number {
    return this.#readings;
  }

  handle(topic: string, raw: Buffer | string): void {
    const msg = this.#o.ingress.accept(topic, raw);
    if (!msg) return;
    try {
      this.#apply(msg);
    } catch (err) {
      this.#o.log.error({ err, topic, kind: msg.kind }, 'ingest failed');
    }
  }

  #apply(msg: Accepted): void {
    const { store, hub, presence, history, now } = this.#o;
    switch (msg.kind) {
      case 'sensorReading':
        this.#readings++;
        history.record(readingPoint(msg.payload));
        return;
      case 'doorEvent': {
        // Queued at a gateway before migration 4: the member's id of today.
        const e = store.memberRenames.renameEvent(msg.payload);
        const ns = store.events.insert(e, now());
        if (ns === null) {
          this.#duplicates++;
          return;
        }
        this.#stored++;
        if (e.type === 'access') {
          this.#decisions.set(e.decision, (this.#decisions.get(e.decision) ?? 0) + 1);
          const detail: Record<string, unknown> = { eventId: e.id, reason: e.reason, via: e.via, offline: e.offline };
          if (e.commandId) detail.commandId = e.commandId;
          // Someone leaving by the exit button is a trace, not a grant to anyone (nobody is identified).
          const action = e.via === 'exit-button' ? 'access.exit' : `access.${e.decision}`;
          store.audit.write({ ts: e.ts, actor: e.member ?? null, action, target: e.door, detail, source: `gateway:${e.gateway}` });
          this.#o.enrolments.offer(e);
        }
        history.record(doorEventPoint(e, ns, this.#o.doorZoneOf?.(e.door)));
        const row = store.events.byId(e.id);
        if (row) hub.publish({ type: 'event', row });
        return;
      }
      case 'doorState': {
        // Contact changes go to history, with how long the door was open on closing.
        const before = store.state.doorState(msg.id)?.contact;
        const contact = msg.payload.contact;
        if (contact !== before && (contact === 'open' || contact === 'closed')) {
          const open = contact === 'open';
          history.record(doorStatePoint(msg.id, open, msg.payload.ts, this.#openedAt.get(msg.id), this.#o.doorZoneOf?.(msg.id)));
          if (open) this.#openedAt.set(msg.id, msg.payload.ts);
          else this.#openedAt.delete(msg.id);
        }
        store.state.putDoorState(msg.payload, now());
        hub.publish({ type: 'door', door: msg.id });
        return;
      }
      case 'deskOccupancy':
        store.state.putDeskState(msg.id, msg.payload.occupied, msg.payload.since, msg.payload.ts, now());
        history.record(occupancyPoint(msg.payload, this.#o.zoneOf(msg.id)));
        hub.publish({ type: 'desk', desk: msg.id });
        return;
      case 'gatewayStatus': {
        store.state.putGatewayStatus(msg.payload, now());
        const changed = presence.update(msg.payload, now());
        if (changed) this.#o.log.info({ gateway: msg.id, state: msg.payload.state }, 'gateway presence changed');
        hub.publish({ type: 'gateway', gateway: msg.id });
        // Door views carry gatewayOnline and hide state while the gateway is offline.
        if (changed) for (const door of this.#o.doorsOf(msg.id)) hub.publish({ type: 'door', door });
        // So do its devices: unknown while it is offline, as reported once it is back.
        if (changed) for (const device of this.#o.devices.gatewayChanged(msg.id, now())) hub.publish({ type: 'device', device });
        return;
      }
      case 'deviceHealth': {
        history.record(healthPoint(msg.payload));
        if (this.#o.devices.report(msg.payload, now())) hub.publish({ type: 'device', device: msg.id });
        else if (!this.#devicesFull) {
          this.#devicesFull = true;
          this.#o.log.warn({ device: msg.id }, 'device health ignored: too many devices (logged once)');
        }
        // Health is retained and repeated: log transitions only.
        const prev = this.#deviceStates.get(msg.id);
        this.#deviceStates.set(msg.id, msg.payload.state);
        if (prev === msg.payload.state) return;
        if (msg.payload.state === 'fault') {
          this.#o.log.warn({ device: msg.id, kind: msg.payload.kind, error: msg.payload.error }, 'device fault reported');
        } else if (prev === 'fault') {
          this.#o.log.info({ device: msg.id, kind: msg.payload.kind }, 'device recovered');
        }
        return;
      }
      case 'deviceCommandResult':
        this.#o.deviceResult?.(msg.payload);
        return;
      case 'serviceStatus':
        this.#o.serviceStatus?.(msg.payload);
        return;
      default:
        return;
    }
  }
}
