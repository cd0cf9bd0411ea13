// What the outgoing webhooks are told: the live hub's deltas (the same the dashboard and Home
// Assistant follow) turned into webhook events (contracts/webhooks.ts). A delta says what
// changed, not always how: alarms, desks, devices and alerts are compared with what was last
// seen here, so a webhook fires once per change (alarm.cleared when the door's state drops the
// alarm, occupancy.changed when a desk turns, device.fault when a device goes into fault, alert
// when an alert is raised, acknowledged or cleared).
import type { SiteConfig } from '../../config/schema.ts';
import type { AlertView, DeviceView } from '../../contracts/api/index.ts';
import type { DoorAlarm, DoorState } from '../../contracts/payloads.ts';
import type { LiveDelta, LiveHub } from '../live/hub.ts';
import type { EventRow } from '../db/events-repo.ts';
import { freeDesks, zoneOccupancy, type DeskStates } from '../views.ts';
import type { WebhookOutbox } from './outbox.ts';

export interface WebhookEventsDeps {
  config: Pick<SiteConfig, 'doors' | 'zones' | 'desks' | 'webhooks'>;
  hub: Pick<LiveHub, 'attach'>;
  outbox: Pick<WebhookOutbox, 'enqueue' | 'wants'>;
  doorState: (door: string) => DoorState | undefined;
  deskStates: () => DeskStates;
  device: (id: string) => DeviceView | null;
  activeAlerts: () => AlertView[];
  now: () => number;
}

type AlertStatus = 'raised' | 'acknowledged' | 'cleared';
const statusOf = (a: AlertView): AlertStatus => (a.clearedAt !== null ? 'cleared' : a.ackedAt !== null ? 'acknowledged' : 'raised');

export class WebhookEvents {
  readonly #d: WebhookEventsDeps;
  readonly #doorNames: Map<string, string>;
  readonly #alarms = new Map<string, Set<DoorAlarm>>();
  readonly #desks = new Map<string, boolean | null>();
  readonly #devices = new Map<string, string>();
  readonly #alerts = new Map<number, AlertStatus>();
  #detach: (() => void) | null = null;

  constructor(deps: WebhookEventsDeps) {
    this.#d = deps;
    this.#doorNames = new Map(deps.config.doors.map((d) => [d.id, d.name]));
  }

  /** Takes the state as it is now (no events for it), then follows the hub. */
  start(): void {
    for (const d of this.#d.config.doors) this.#alarms.set(d.id, new Set(this.#d.doorState(d.id)?.alarms ?? []));
    for (const [desk, occupied] of this.#d.deskStates()) this.#desks.set(desk, occupied);
    for (const a of this.#d.activeAlerts()) this.#alerts.set(a.id, statusOf(a));
    this.#detach = this.#d.hub.attach((delta) => this.#on(delta), { end: () => this.stop() });
  }

  stop(): void {
    this.#detach?.();
    this.#detach = null;
  }

  #on(delta: LiveDelta): void {
    switch (delta.type) {
      case 'event':
        return this.#event(delta.row);
      case 'door':
        return this.#doorState(delta.door);
      case 'desk':
        return this.#desk(delta.desk);
      case 'device':
        return this.#device(delta.device);
      case 'alert':
        return this.#alert(delta.alert);
      default:
        return;
    }
  }

  #event(row: EventRow): void {
    const e = row.event;
    const { outbox } = this.#d;
    const doorName = this.#doorNames.get(e.door) ?? e.door;
    if (e.type === 'access') {
      const member = this.#d.config.webhooks.names && row.memberName ? { member: row.memberName } : {};
      const data = { event: e.id, door: e.door, doorName, gateway: e.gateway, reason: e.reason, via: e.via, offline: e.offline, ...member };
      outbox.enqueue(e.decision === 'granted' ? 'access.granted' : 'access.denied', data, e.ts);
    } else if (e.kind === 'opened' || e.kind === 'closed') {
      outbox.enqueue(e.kind === 'opened' ? 'door.opened' : 'door.closed', { event: e.id, door: e.door, doorName, gateway: e.gateway }, e.ts);
    } else if (e.kind === 'held-open' || e.kind === 'forced-open') {
      this.#alarm(e.door, e.kind, true, e.ts);
    }
  }

  /** Raised once per alarm, from its event or the door's state, whichever comes first. */
  #alarm(door: string, alarm: DoorAlarm, raised: boolean, at: number): void {
    const active = this.#alarms.get(door) ?? new Set<DoorAlarm>();
    this.#alarms.set(door, active);
    if (raised === active.has(alarm)) return;
    if (raised) active.add(alarm);
    else active.delete(alarm);
    this.#d.outbox.enqueue(raised ? 'alarm.raised' : 'alarm.cleared', { door, doorName: this.#doorNames.get(door) ?? door, alarm }, at);
  }

  #doorState(door: string): void {
    const state = this.#d.doorState(door);
    if (!state) return;
    const now = new Set(state.alarms);
    for (const a of [...(this.#alarms.get(door) ?? [])]) if (!now.has(a)) this.#alarm(door, a, false, state.ts);
    for (const a of now) this.#alarm(door, a, true, state.ts);
  }

  #desk(desk: string): void {
    if (!this.#d.outbox.wants('occupancy.changed')) return;
    const states = this.#d.deskStates();
    const occupied = states.get(desk) ?? null;
    if (this.#desks.has(desk) && this.#desks.get(desk) === occupied) return;
    this.#desks.set(desk, occupied);
    const zoneId = this.#d.config.desks.find((d) => d.id === desk)?.zone;
    const z = zoneOccupancy(this.#d.config, states).find((x) => x.zone === zoneId);
    if (!z) return;
    const free = freeDesks(z);
    this.#d.outbox.enqueue('occupancy.changed', { zone: z.zone, zoneName: z.name, desk, occupied, desks: z.desks, taken: z.occupied, free }, this.#d.now());
  }

  #device(id: string): void {
    const v = this.#d.device(id);
    if (!v) return;
    const before = this.#devices.get(id);
    this.#devices.set(id, v.state);
    if (v.state === 'fault' && before !== 'fault') {
      this.#d.outbox.enqueue('device.fault', { device: v.id, gateway: v.gateway, kind: v.kind, error: v.error }, v.since ?? this.#d.now());
    }
  }

  #alert(a: AlertView): void {
    const status = statusOf(a);
    if (this.#alerts.get(a.id) === status) return;
    this.#alerts.set(a.id, status);
    const at = status === 'cleared' ? a.clearedAt! : status === 'acknowledged' ? a.ackedAt! : a.raisedAt;
    const data = { id: a.id, kind: a.kind, severity: a.severity, subject: a.subject, name: a.name, status, raisedAt: new Date(a.raisedAt).toISOString() };
    this.#d.outbox.enqueue('alert', data, at);
  }
}
