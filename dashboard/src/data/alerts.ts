// What a host should look at now, derived from the live state alone (no server-side alert
// store yet): doors forced open or held open (DoorState.alarms), doors in lockdown, gateways
// offline, devices in fault behind an online gateway (an offline one has its own alert, and
// what its devices do is then unknown), and bursts of denied attempts at a door. Pure: the same state and time give the
// same alerts, so the panel simply re-derives on every change and on a slow tick.
import type { DeskView, DeviceView, DoorView, EventView, GatewayView } from '../../../contracts/api/index.ts';
import { devicePlace, deviceStatus } from './device-status.ts';

export type AlertKind = 'forced-open' | 'held-open' | 'gateway-offline' | 'device-fault' | 'denied' | 'lockdown';
export type Severity = 'critical' | 'warning';

export interface Alert {
  /** Stable while the condition lasts (kind + subject), for list keys and announcing new ones. */
  id: string;
  kind: AlertKind;
  severity: Severity;
  /** The door's or gateway's name; for a device, its door's or desk's name (else its id). */
  subject: string;
  /** When it began, as far as we can tell; null when unknown. */
  since: number | null;
  /** denied: attempts in the worst minute. */
  count?: number;
  /** device-fault: which device, and why in the gateway's words. */
  device?: { id: string; kind: string; place: string | null; error: string | null };
}

/** Repeated denied attempts: this many at one door within `windowMs`, shown for `showMs`. */
export const DENIED_BURST = { count: 3, windowMs: 60_000, showMs: 15 * 60_000 } as const;

export interface AlertInput {
  doors: readonly DoorView[];
  gateways: readonly GatewayView[];
  /** Newest first (the store's feed). */
  events: readonly EventView[];
  /** Hosts and operators only; absent or empty for members. */
  devices?: readonly DeviceView[];
  /** For the names of the desks that devices serve. */
  desks?: readonly DeskView[];
}

const SEVERITY: Record<AlertKind, Severity> = {
  'forced-open': 'critical',
  'held-open': 'warning',
  'gateway-offline': 'critical',
  'device-fault': 'warning',
  denied: 'warning',
  lockdown: 'warning',
};

/** Most urgent first: someone got in by force, then no eyes on a gateway, then the rest. */
const ORDER: Record<AlertKind, number> = { 'forced-open': 0, 'gateway-offline': 1, 'held-open': 2, 'device-fault': 3, denied: 4, lockdown: 5 };

/** The newest door event of `kind` at `door`, for when an alarm began. */
function lastDoorEvent(events: readonly EventView[], door: string, kind: EventView['kind']): number | null {
  return events.find((e) => e.type === 'door' && e.door === door && e.kind === kind)?.ts ?? null;
}

/** The largest number of denied attempts at one door within a window, among recent ones. */
function deniedBursts(events: readonly EventView[], now: number): Map<string, { count: number; last: number }> {
  const byDoor = new Map<string, number[]>();
  for (const e of events) {
    if (e.type !== 'access' || e.decision !== 'denied' || e.ts < now - DENIED_BURST.showMs - DENIED_BURST.windowMs) continue;
    const list = byDoor.get(e.door) ?? [];
    list.push(e.ts);
    byDoor.set(e.door, list);
  }
  const bursts = new Map<string, { count: number; last: number }>();
  for (const [door, times] of byDoor) {
    times.sort((a, b) => a - b);
    let best: { count: number; last: number } | null = null;
    for (let end = 0, start = 0; end < times.length; end++) {
      while (times[end]! - times[start]! > DENIED_BURST.windowMs) start++;
      const count = end - start + 1;
      const last = times[end]!;
      if (count >= DENIED_BURST.count && last >= now - DENIED_BURST.showMs && (!best || count >= best.count)) best = { count, last };
    }
    if (best) bursts.set(door, best);
  }
  return bursts;
}

export function deriveAlerts({ doors, gateways, events, devices = [], desks = [] }: AlertInput, now: number): Alert[] {
  const alerts: Alert[] = [];
  const add = (kind: AlertKind, key: string, subject: string, since: number | null, extra: Pick<Alert, 'count' | 'device'> = {}) =>
    alerts.push({ id: `${kind}:${key}`, kind, severity: SEVERITY[kind], subject, since, ...extra });

  for (const g of gateways) if (!g.online) add('gateway-offline', g.id, g.name, g.lastSeen);
  for (const d of doors) {
    // Behind an offline gateway the state is unknown (and null): the gateway alert says so.
    const state = d.gatewayOnline ? d.state : null;
    if (!state) continue;
    if (state.alarms.includes('forced-open')) add('forced-open', d.id, d.name, lastDoorEvent(events, d.id, 'forced-open') ?? state.ts);
    if (state.alarms.includes('held-open')) add('held-open', d.id, d.name, lastDoorEvent(events, d.id, 'held-open') ?? state.ts);
    if (state.mode === 'lockdown') add('lockdown', d.id, d.name, null);
  }
  for (const v of devices) {
    // Behind an offline gateway the device is unknown, not faulty: the gateway alert says so.
    if (deviceStatus(v, gateways) !== 'fault') continue;
    const place = devicePlace(v, doors, desks);
    add('device-fault', v.id, place ?? v.id, v.since, { device: { id: v.id, kind: v.kind, place, error: v.error } });
  }
  const names = new Map(doors.map((d) => [d.id, d.name]));
  for (const e of events) if (!names.has(e.door)) names.set(e.door, e.doorName);
  for (const [door, burst] of deniedBursts(events, now)) add('denied', door, names.get(door) ?? door, burst.last, { count: burst.count });

  return alerts.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || (b.since ?? 0) - (a.since ?? 0));
}
