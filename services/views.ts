// API views of doors, desks and events, rendered for one viewer (a logged-in member): what the
// REST routes answer and what the live stream sends.
import type { DoorView, DeskView, EventView, SiteView, ZoneOccupancy } from '../contracts/api/index.ts';
import { isBridged, type SiteConfig, type DoorConfig } from '../config/schema.ts';
import type { Store } from './db/store.ts';
import type { Member } from './db/members-repo.ts';
import type { EventRow } from './db/events-repo.ts';
import type { GatewayPresence } from './ingest/gateway-presence.ts';
import { canUnlock } from './access/policy.ts';

export interface ViewsOptions {
  config: SiteConfig;
  store: Store;
  presence: GatewayPresence;
  now: () => number;
}

export function createViews({ config, store, presence, now }: ViewsOptions) {
  const doorNames = new Map(config.doors.map((d) => [d.id, d.name]));
  const doorById = new Map(config.doors.map((d) => [d.id, d]));
  const deskById = new Map(config.desks.map((d) => [d.id, d]));
  const tz = config.site.timeZone;
  const spaceNames = new Map((config.network?.sites ?? []).map((s) => [s.id, s.name]));

  /** `viewer` null: automation, which may command any door that is online. */
  function door(d: DoorConfig, viewer: Member | null, closures = store.plans.closures()): DoorView {
    const online = presence.isOnline(d.gateway);
    const plan = viewer?.plan ? store.plans.byId(viewer.plan) : undefined;
    const may = viewer === null ? online : canUnlock(viewer, plan, d.id, { timeZone: tz, now: now(), closures });
    return {
      id: d.id,
      name: d.name,
      gateway: d.gateway,
      // While the gateway is offline the last state is a guess: report it as unknown.
      state: online ? (store.state.doorState(d.id) ?? null) : null,
      gatewayOnline: online,
      canUnlock: may,
    };
  }

  /**
   * A desk's state: null (unknown) while its sensors are in fault (the gateway then reports
   * `occupied: null` and no state is kept) or while its gateway is offline (the last state is a
   * guess, as for doors). A bridged desk (zigbee2mqtt, ESPHome) has no gateway of its own: the
   * bridge publishes it unknown when its sensors go silent or offline.
   */
  function desk(id: string, row?: { occupied: boolean; since: number }): DeskView | null {
    const d = deskById.get(id);
    if (!d) return null;
    if (!isBridged(d.sensor) && !presence.isOnline(d.gateway)) row = undefined;
    return {
      id: d.id,
      name: d.name,
      zone: d.zone,
      x: d.position.x,
      y: d.position.y,
      occupied: row?.occupied ?? null,
      since: row?.since ?? null,
    };
  }

  function mayName(row: EventRow, viewer: Member): boolean {
    const member = row.event.type === 'access' ? row.event.member : undefined;
    if (!member || row.memberName === null) return false;
    return viewer.role !== 'member' || viewer.id === member || row.memberOptIn;
  }

  return {
    site: (): SiteView => ({
      id: config.site.id,
      name: config.site.name,
      timeZone: tz,
      floor: { width: config.floor.width, height: config.floor.height },
      zones: config.zones.map((z) => (z.capacity === undefined ? { id: z.id, name: z.name } : { ...z })),
    }),
    door: (id: string, viewer: Member | null): DoorView | null => {
      const d = doorById.get(id);
      return d ? door(d, viewer) : null;
    },
    doors: (viewer: Member | null): DoorView[] => {
      const closures = store.plans.closures();
      return config.doors.map((d) => door(d, viewer, closures));
    },
    desk: (id: string): DeskView | null => desk(id, store.state.deskStates().get(id)),
    desks: (): DeskView[] => {
      const states = store.state.deskStates();
      return config.desks.map((d) => desk(d.id, states.get(d.id))!);
    },
    event: (row: EventRow, viewer: Member): EventView => {
      const e = row.event;
      const v: EventView = { id: e.id, ts: e.ts, door: e.door, doorName: doorNames.get(e.door) ?? e.door, type: e.type };
      if (e.type === 'access') {
        v.decision = e.decision;
        v.reason = e.reason;
        v.via = e.via;
        if (e.cardTail !== undefined) v.cardTail = e.cardTail;
        v.offline = e.offline;
        if (mayName(row, viewer)) v.memberName = row.memberName!;
        else if (e.member && row.memberName === null && viewer.role !== 'member' && spaceNames.size > 0) {
          // At a visited site the access list names a visitor by their visa's grant id.
          const home = store.network.visa(e.member)?.home;
          if (home !== undefined && home !== config.network!.site) v.visitorFrom = spaceNames.get(home) ?? home;
        }
      } else {
        v.kind = e.kind;
      }
      return v;
    },
  };
}

export type Views = ReturnType<typeof createViews>;

/** Each desk's occupancy as the desk views say it: true, false, or null (unknown: sensors in fault, gateway offline). */
export type DeskStates = ReadonlyMap<string, boolean | null>;

/** Desks occupied and unknown now per zone, from the desk views: the API and Home Assistant. */
export function zoneOccupancy(config: Pick<SiteConfig, 'zones' | 'desks'>, states: DeskStates): ZoneOccupancy[] {
  return config.zones.map((z) => {
    const desks = config.desks.filter((d) => d.zone === z.id);
    return {
      zone: z.id,
      name: z.name,
      occupied: desks.filter((d) => states.get(d.id) === true).length,
      unknown: desks.filter((d) => (states.get(d.id) ?? null) === null).length,
      capacity: z.capacity ?? null,
      desks: desks.length,
    };
  });
}

/** Free desks of a zone: neither taken nor unknown (a desk whose sensor is silent is never offered as free). */
export const freeDesks = (z: { desks: number; occupied: number; unknown: number }): number => Math.max(0, z.desks - z.occupied - z.unknown);

/** The desk views' occupancy by desk id, for zoneOccupancy. */
export const deskStates = (views: Pick<Views, 'desks'>): DeskStates => new Map(views.desks().map((d) => [d.id, d.occupied]));
