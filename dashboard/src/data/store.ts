// Live state of the site as the dashboard shows it. `applyLive` is a pure reducer over the
// live stream's messages; `Store` holds the current state and tells subscribers. Every update
// makes new arrays for what changed, so Lit sees the change by identity.
import type { AlertView, DeskView, DeviceView, DoorView, EnrolmentView, EventView, GatewayView, LiveMessage } from '../../../contracts/api/index.ts';
import { isVisit } from './visitors.ts';

/** How many events the feed keeps. */
export const FEED_LIMIT = 30;
/** Visits kept for "who is in today": a busy day of a small space, and no older than this. */
export const VISITS_LIMIT = 2_000;
export const VISITS_MAX_AGE_MS = 36 * 3600_000;

export interface LiveState {
  doors: readonly DoorView[];
  desks: readonly DeskView[];
  /** Newest first, at most FEED_LIMIT. */
  events: readonly EventView[];
  gateways: readonly GatewayView[];
  /** The gateways' devices (hosts and operators only; empty for members). */
  devices: readonly DeviceView[];
  /** Granted entries naming a member, newest first: kept across snapshots, for "who is in". */
  visits: readonly EventView[];
  /** Card enrolments heard of on the stream (hosts and operators only), latest word per id. */
  enrolments: readonly EnrolmentView[];
  /** Active alerts of the services' alert centre (hosts and operators only), newest first. */
  alerts: readonly AlertView[];
  /** True once a live snapshot has been applied (REST seeding is then ignored). */
  live: boolean;
}

/** Enrolments kept at most (each lasts a minute; a few at a time in a small space). */
export const ENROLMENTS_LIMIT = 20;

export const EMPTY_STATE: LiveState = Object.freeze({
  doors: [],
  desks: [],
  events: [],
  gateways: [],
  devices: [],
  visits: [],
  enrolments: [],
  alerts: [],
  live: false,
});

function upsert<T extends { id: string }>(list: readonly T[], item: T): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  if (i === -1) return [...list, item];
  const next = list.slice();
  next[i] = item;
  return next;
}

/** Newest first, one per id, at most FEED_LIMIT. Offline decisions can arrive late and old. */
function feed(events: readonly EventView[]): EventView[] {
  const seen = new Set<string>();
  const unique = events.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
  return unique.sort((a, b) => b.ts - a.ts).slice(0, FEED_LIMIT);
}

/** The active alerts with `alert` in its place (newest first); a cleared one leaves the list. */
function withAlert(alerts: readonly AlertView[], alert: AlertView): AlertView[] {
  const rest = alerts.filter((a) => a.id !== alert.id);
  return alert.clearedAt === null ? [...rest, alert].sort((a, b) => b.raisedAt - a.raisedAt || b.id - a.id) : rest;
}

/** `visits` plus the visits among `events`; the same array when nothing new. */
function withVisits(visits: readonly EventView[], events: readonly EventView[]): readonly EventView[] {
  const candidates = events.filter(isVisit);
  if (candidates.length === 0) return visits;
  const known = new Set(visits.map((e) => e.id));
  const fresh = candidates.filter((e) => !known.has(e.id));
  if (fresh.length === 0) return visits;
  const all = [...visits, ...fresh].sort((a, b) => b.ts - a.ts);
  const oldest = all[0]!.ts - VISITS_MAX_AGE_MS;
  return all.filter((e) => e.ts >= oldest).slice(0, VISITS_LIMIT);
}

/**
 * A gateway's status decides what its doors' states are worth: when it goes offline, the last
 * reported state is no longer known (contracts/api.ts DoorView.state), so it is dropped rather
 * than left to show a door as locked that nobody can vouch for.
 */
function withGateway(doors: readonly DoorView[], gateway: GatewayView): readonly DoorView[] {
  if (!doors.some((d) => d.gateway === gateway.id && d.gatewayOnline !== gateway.online)) return doors;
  return doors.map((d) =>
    d.gateway !== gateway.id || d.gatewayOnline === gateway.online ? d : { ...d, gatewayOnline: gateway.online, state: gateway.online ? d.state : null },
  );
}

export function applyLive(state: LiveState, msg: LiveMessage): LiveState {
  switch (msg.type) {
    case 'snapshot':
      return {
        doors: msg.doors,
        desks: msg.desks,
        events: feed(msg.events),
        gateways: msg.gateways,
        devices: msg.devices ?? [],
        visits: withVisits(state.visits, msg.events),
        enrolments: state.enrolments,
        alerts: (msg.alerts ?? []).filter((a) => a.clearedAt === null),
        live: true,
      };
    case 'door':
      return { ...state, doors: upsert(state.doors, msg.door) };
    case 'desk':
      return { ...state, desks: upsert(state.desks, msg.desk) };
    case 'event':
      if (state.events.some((e) => e.id === msg.event.id)) return state;
      return { ...state, events: feed([msg.event, ...state.events]), visits: withVisits(state.visits, [msg.event]) };
    case 'gateway':
      return {
        ...state,
        gateways: upsert(state.gateways, msg.gateway),
        doors: withGateway(state.doors, msg.gateway),
      };
    case 'device':
      return { ...state, devices: upsert(state.devices, msg.device) };
    case 'enrolment':
      return { ...state, enrolments: upsert(state.enrolments, msg.enrolment).slice(-ENROLMENTS_LIMIT) };
    case 'alert':
      return { ...state, alerts: withAlert(state.alerts, msg.alert) };
    default:
      // A message type from a newer server: ignore it rather than break.
      return state;
  }
}

/** Is this a live message we understand the shape of (enough to apply it)? */
export function isLiveMessage(value: unknown): value is LiveMessage {
  if (!value || typeof value !== 'object') return false;
  const msg = value as Record<string, unknown>;
  switch (msg.type) {
    case 'snapshot':
      return (
        Array.isArray(msg.doors) &&
        Array.isArray(msg.desks) &&
        Array.isArray(msg.events) &&
        Array.isArray(msg.gateways) &&
        (msg.devices === undefined || Array.isArray(msg.devices)) &&
        (msg.alerts === undefined || Array.isArray(msg.alerts))
      );
    case 'alert': {
      const a = msg.alert as { id?: unknown; clearedAt?: unknown } | undefined;
      return !!a && typeof a === 'object' && typeof a.id === 'number';
    }
    case 'door':
    case 'desk':
    case 'event':
    case 'gateway':
    case 'device':
    case 'enrolment': {
      const item = msg[msg.type];
      return !!item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string';
    }
    default:
      return false;
  }
}

export type Listener = (state: LiveState) => void;

export class Store {
  #state: LiveState = EMPTY_STATE;
  readonly #listeners = new Set<Listener>();

  get state(): LiveState {
    return this.#state;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  apply(msg: LiveMessage): void {
    this.#set(applyLive(this.#state, msg));
  }

  /** First paint from the REST API; ignored once the live snapshot (fresher) has arrived. */
  seed(doors: DoorView[], desks: DeskView[], events: EventView[]): void {
    if (this.#state.live) return;
    this.#set({ ...this.#state, doors, desks, events: feed(events), visits: withVisits(this.#state.visits, events) });
  }

  /** Older events fetched for "who is in today": only their visits are kept. */
  addHistory(events: readonly EventView[]): void {
    const visits = withVisits(this.#state.visits, events);
    if (visits !== this.#state.visits) this.#set({ ...this.#state, visits });
  }

  reset(): void {
    this.#set(EMPTY_STATE);
  }

  #set(next: LiveState): void {
    if (next === this.#state) return;
    this.#state = next;
    for (const listener of this.#listeners) listener(next);
  }
}
