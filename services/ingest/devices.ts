// Device health as the services show it (GET /api/devices, the live stream, /api/health): one
// view per device a gateway reported on `…/device/<id>/health`. The state is what the gateway
// reported (ok, warning or fault), but `unknown` while that gateway is offline: what it last said may no
// longer hold. After a restart every device is unknown until it is heard again or its gateway
// is online again (GatewayPresence only says online once it heard a status since the start).
// The last report of each device is kept in SQLite, so a restart does not forget the devices.
import type { DeviceHealth } from '../../contracts/payloads.ts';
import type { DeviceState, DeviceView } from '../../contracts/api/index.ts';
import { isBridged, type SiteConfig } from '../../config/schema.ts';
import type { DevicesRepo } from '../db/devices-repo.ts';
import type { GatewayPresence } from './gateway-presence.ts';

interface Entry {
  id: string;
  gateway: string | null;
  report: DeviceHealth;
  reportedAt: number;
  /** Heard since this process started (a report loaded from the database is not). */
  heard: boolean;
  state: DeviceState;
  since: number | null;
}

/**
 * Devices kept at most: any gateway (and the bridge) may report health for any device id, so a
 * confused one must not grow the table and the live snapshots without bound.
 */
export const MAX_DEVICES = 1000;

interface Owner {
  /** null: the bridge process's (zigbee2mqtt / ESPHome), on no gateway: its own reports say its state. */
  gateway: string | null;
  door: string | null;
  desk: string | null;
  /** An OSDP reader: its key can be enrolled. */
  osdp?: boolean;
}

/**
 * Which door or desk a device id belongs to, from the site config: the ids the gateway builds
 * its drivers with (gateway/hardware.ts, drivers/factory.ts): a door's reader, lock, contact and
 * exit button; a desk's sensor and extra sensors.
 */
export function deviceOwners(config: SiteConfig): Map<string, Owner> {
  const out = new Map<string, Owner>();
  for (const d of config.doors) {
    for (const b of [d.reader, d.lock, d.contact, d.exitButton]) if (b) out.set(b.id, { gateway: d.gateway, door: d.id, desk: null });
    if (d.reader.driver === 'osdp') out.set(d.reader.id, { gateway: d.gateway, door: d.id, desk: null, osdp: true });
  }
  for (const d of config.desks) {
    const gateway = isBridged(d.sensor) ? null : d.gateway;
    for (const b of [d.sensor, ...(d.extraSensors ?? [])]) out.set(b.id, { gateway, door: null, desk: d.id });
  }
  return out;
}

export class Devices {
  readonly #owners: Map<string, Owner>;
  readonly #presence: GatewayPresence;
  readonly #repo: DevicesRepo;
  readonly #entries = new Map<string, Entry>();

  constructor(config: SiteConfig, presence: GatewayPresence, repo: DevicesRepo) {
    this.#owners = deviceOwners(config);
    this.#presence = presence;
    this.#repo = repo;
  }

  /** The last reports from the database: every device unknown, since `now`, until heard again. */
  load(now: number): void {
    for (const r of this.#repo.all()) {
      this.#entries.set(r.device, { id: r.device, gateway: r.gateway, report: r.report, reportedAt: r.receivedAt, heard: false, state: 'unknown', since: now });
    }
    for (const e of this.#entries.values()) this.#settle(e, now);
  }

  /** A health report arrived: stored, and the device's view updated. False when refused (too many devices). */
  report(h: DeviceHealth, receivedAt: number): boolean {
    const prev = this.#entries.get(h.device);
    if (!prev && this.#entries.size >= MAX_DEVICES) return false;
    // The config says which gateway a door's or desk's device is on; the report only for others.
    const gateway = this.#owners.get(h.device)?.gateway ?? h.gateway ?? null;
    const e: Entry = prev ?? { id: h.device, gateway, report: h, reportedAt: receivedAt, heard: true, state: 'unknown', since: null };
    e.gateway = gateway;
    e.report = h;
    e.reportedAt = receivedAt;
    e.heard = true;
    this.#entries.set(h.device, e);
    this.#settle(e, receivedAt);
    this.#repo.put({ device: e.id, gateway, report: h, receivedAt });
    return true;
  }

  /** A gateway went on- or offline: its devices' states follow. Returns their ids. */
  gatewayChanged(gateway: string, at: number): string[] {
    const ids: string[] = [];
    for (const e of this.#entries.values()) {
      if (e.gateway !== gateway) continue;
      this.#settle(e, at);
      ids.push(e.id);
    }
    return ids;
  }

  view(id: string): DeviceView | null {
    const e = this.#entries.get(id);
    return e ? this.#view(e) : null;
  }

  /** Every device heard of, by id; only one gateway's when `gateway` is given. */
  views(gateway?: string): DeviceView[] {
    return [...this.#entries.values()]
      .filter((e) => gateway === undefined || e.gateway === gateway)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((e) => this.#view(e));
  }

  counts(): { total: number; fault: number; unknown: number; warning: number } {
    let fault = 0;
    let unknown = 0;
    let warning = 0;
    for (const e of this.#entries.values()) {
      if (e.state === 'fault') fault++;
      else if (e.state === 'unknown') unknown++;
      else if (e.state === 'warning') warning++;
    }
    return { total: this.#entries.size, fault, unknown, warning };
  }

  /** The state the view should show now; `since` moves only when it changes. */
  #settle(e: Entry, at: number): void {
    const online = e.gateway === null ? e.heard : this.#presence.isOnline(e.gateway);
    const state: DeviceState = online ? e.report.state : 'unknown';
    if (state !== e.state || e.since === null) {
      e.state = state;
      e.since = at;
    }
  }

  #view(e: Entry): DeviceView {
    const owner = this.#owners.get(e.id);
    const r = e.report;
    return {
      id: e.id,
      gateway: e.gateway,
      kind: r.kind,
      state: e.state,
      since: e.since,
      error: r.error ?? null,
      firmware: r.firmware ?? null,
      lastSeen: r.lastSeen ?? null,
      reportedAt: e.reportedAt,
      dropped: r.dropped ?? null,
      droppedBytes: r.droppedBytes ?? null,
      door: owner?.door ?? null,
      desk: owner?.desk ?? null,
      ...(owner?.osdp && { enrol: true }),
    };
  }
}
