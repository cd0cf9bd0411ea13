// What the dashboard says about a gateway's device (contracts/api.ts DeviceView). Unknown wins
// over any last state: a device whose gateway is offline (or not heard of) is never shown as
// ok, nor as in fault — nobody can vouch for either. Used by the gateways screen and the alerts.
import type { DeskView, DeviceState, DeviceView, DoorView, GatewayView } from '../../../contracts/api/index.ts';
import type { DeviceKind } from '../../../contracts/payloads.ts';
import type { Messages } from '../words/en.ts';
import { t } from '../words/locale.ts';

/** The state to show, given the gateways as they are now. */
export function deviceStatus(device: DeviceView, gateways: readonly GatewayView[]): DeviceState {
  const gateway = gateways.find((g) => g.id === device.gateway);
  return gateway?.online ? device.state : 'unknown';
}

/** Since when `deviceStatus` holds: the device's own time, or when its gateway was last heard. */
export function deviceSince(device: DeviceView, gateways: readonly GatewayView[]): number | null {
  if (deviceStatus(device, gateways) === device.state) return device.since;
  return gateways.find((g) => g.id === device.gateway)?.lastSeen ?? device.since;
}

/** The door's or desk's name the device serves (from the site), or null. */
export function devicePlace(device: DeviceView, doors: readonly { id: string; name: string }[], desks: readonly { id: string; name: string }[]): string | null {
  if (device.door) return doors.find((d) => d.id === device.door)?.name ?? device.door;
  if (device.desk) return desks.find((d) => d.id === device.desk)?.name ?? device.desk;
  return null;
}

/** Words for the device kinds the contract names (contracts/payloads.ts DEVICE_KINDS). */
const KINDS: Record<string, keyof Messages['devices']['kind']> = {
  'card-reader': 'reader',
  lock: 'lock',
  'door-contact': 'contact',
  'exit-button': 'exit',
  'presence-sensor': 'presence',
} satisfies Record<DeviceKind, keyof Messages['devices']['kind']>;

/** "Reader at Front door"; a device of no door or desk by its kind and id; an unknown kind as sent. */
export function deviceLabel(device: { id: string; kind: string }, place: string | null): string {
  const m = t().devices;
  const key = Object.hasOwn(KINDS, device.kind) ? KINDS[device.kind] : undefined;
  const what = key ? m.kind[key] : device.kind;
  return place ? m.at(what, place) : `${what} ${device.id}`;
}

/** Devices in the order an operator reads them: trouble first, then by place and kind. */
export function byTrouble(
  devices: readonly DeviceView[],
  gateways: readonly GatewayView[],
  doors: readonly DoorView[],
  desks: readonly DeskView[],
): DeviceView[] {
  const rank: Record<DeviceState, number> = { fault: 0, unknown: 1, warning: 2, ok: 3 };
  const key = (d: DeviceView) => `${d.door ? 0 : d.desk ? 1 : 2}|${devicePlace(d, doors, desks) ?? ''}|${d.kind}|${d.id}`;
  return [...devices].sort(
    (a, b) => rank[deviceStatus(a, gateways)] - rank[deviceStatus(b, gateways)] || key(a).localeCompare(key(b), undefined, { numeric: true }),
  );
}
