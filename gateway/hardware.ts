// The gateway's doors and desks, built from its bindings: drivers (through the one factory),
// door controllers, card-tap paths and desk estimators. No wiring to MQTT here: gateway.ts
// connects what this returns.
import type { Logger } from 'pino';
import type { GatewaySlice } from '../config/load.ts';
import { DriverFactory, type DriverFactoryOptions } from './drivers/factory.ts';
import type { CardReader, DeviceHealthState, DeviceKind, PresenceSensor } from './drivers/types.ts';
import { DoorController } from './door/door-controller.ts';
import { DoorAccess } from './door/door-access.ts';
import type { DoorEventWriter } from './door/door-events.ts';
import type { AccessList } from './access/access-list.ts';
import { DeskEstimator } from './occupancy/desk-estimator.ts';

export interface ManagedDevice {
  readonly id: string;
  readonly kind: DeviceKind;
  health(): DeviceHealthState;
  on(event: 'health', l: (h: DeviceHealthState) => void): unknown;
  off(event: 'health', l: (h: DeviceHealthState) => void): unknown;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

export interface HardwareOptions extends DriverFactoryOptions {
  acl: AccessList;
  siteKey: string;
  /** The network key of a site in a network of spaces (visiting members' fingerprints). */
  networkKey?: string;
  events: DoorEventWriter;
  log: Logger;
  /** Writes an OSDP key made in install mode to the secrets file (absent: install mode is refused). */
  saveOsdpKey?: (readerId: string, hex: string | undefined) => void;
  /** Overrides of every desk's occupancy timing (tests, benchmark). */
  holdMs?: number;
  enterMs?: number;
}

export interface Hardware {
  drivers: DriverFactory;
  devices: ManagedDevice[];
  readers: CardReader[];
  doors: Map<string, DoorController>;
  doorAccess: DoorAccess[];
  desks: Map<string, DeskEstimator>;
  sensors: PresenceSensor[];
}

/** Built from the gateway's own slice of the config (config/load.ts gatewaySlice). */
export function buildHardware(
  slice: Pick<GatewaySlice, 'gateway' | 'doors' | 'desks'> & Partial<Pick<GatewaySlice, 'secrets'>>,
  opts: HardwareOptions,
): Hardware {
  const gw = slice.gateway;
  const osdpKeys = { keys: slice.secrets?.osdp ?? {}, secretsKey: `secrets.gateways.${gw.id}.osdp`, save: opts.saveOsdpKey };
  const drivers = new DriverFactory({ ...opts, gpioConfig: gw.gpio, osdpKeys });
  const hw: Hardware = { drivers, devices: [], readers: [], doors: new Map(), doorAccess: [], desks: new Map(), sensors: [] };
  const now = opts.now;
  for (const d of slice.doors) {
    const r = d.reader;
    if (r.driver === 'osdp' && r.installMode) {
      // Words only: the key itself is in the secrets file and nowhere else.
      if (osdpKeys.keys[r.id] !== undefined) {
        opts.log.warn({ door: d.id, reader: r.id }, 'OSDP reader already has a key: remove installMode from its binding in the site config');
      } else opts.log.info({ door: d.id, reader: r.id }, 'OSDP install mode: enrolling the reader with a new key (written to the secrets file)');
    }
    const dd = drivers.door(d);
    hw.devices.push(dd.reader, dd.lock, ...(dd.contact ? [dd.contact] : []), ...(dd.exitButton ? [dd.exitButton] : []));
    hw.readers.push(dd.reader);
    const door = new DoorController({ id: d.id, unlockMs: d.unlockMs, heldOpenMs: d.heldOpenS * 1000, lock: dd.lock, contact: dd.contact, now });
    hw.doors.set(d.id, door);
    hw.doorAccess.push(
      new DoorAccess({
        door,
        reader: dd.reader,
        exitButton: dd.exitButton,
        acl: opts.acl,
        siteKey: opts.siteKey,
        ...(opts.networkKey ? { networkKey: opts.networkKey } : {}),
        events: opts.events,
        log: opts.log,
        now,
      }),
    );
  }
  for (const d of slice.desks) {
    const sensors = drivers.deskSensors(d);
    hw.devices.push(...sensors);
    hw.sensors.push(...sensors);
    const holdMs = opts.holdMs ?? (d.occupancy?.holdS ?? gw.occupancy.holdS) * 1000;
    const enterMs = opts.enterMs ?? (d.occupancy?.enterS ?? gw.occupancy.enterS) * 1000;
    hw.desks.set(d.id, new DeskEstimator({ desk: d.id, sensors, holdMs, enterMs, now }));
  }
  return hw;
}

/**
 * Starts every device; if one cannot start (GPIO not accessible), stops the others again, so
 * that no serial retry timer outlives a failed start, and rethrows.
 */
export async function startDevices(devices: readonly ManagedDevice[]): Promise<void> {
  const results = await Promise.allSettled(devices.map(async (d) => d.start()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failed) return;
  await stopDevices(devices);
  throw failed.reason;
}

export async function stopDevices(devices: readonly ManagedDevice[]): Promise<void> {
  await Promise.allSettled(devices.map(async (d) => d.stop()));
}
