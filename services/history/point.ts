// History points: one shape for every store. A point's identity is its measurement, its tags
// and its time, as in InfluxDB: writing the same identity again replaces the point instead of
// adding one. Events carry a unique id, so their time is made unique per id: the event's
// millisecond plus a sub-millisecond offset (0..999,999 ns) from a hash of the id. Ingest
// moves the offset on when another event of the same door and millisecond has it already
// (hashes collide), and keeps it with the event in SQLite, so that a rewrite of the event
// (backfill, replay after a crash, erasure) lands on the same point: stored once, in every
// store; and two events in one millisecond stay two. Readings, occupancy changes and health
// reports have no id: their identity is their series and their millisecond (a tag per event id
// would make one InfluxDB series per event).
import { createHash } from 'node:crypto';
import type { DoorEvent, DeskOccupancy, SensorReading, DeviceHealth } from '../../contracts/payloads.ts';

// Grafana-friendly (issue 13, finding 14): numbers are integers or floats that MEAN() and SUM()
// take (occupied 0/1, open 0/1, open_s), the member is a field too (COUNT(DISTINCT member_id);
// the tag stays for filtering and erasure), and no field repeats the point's time.
export const MEASUREMENTS = ['door_event', 'occupancy', 'reading', 'device_health', 'door_state'] as const;
export type Measurement = (typeof MEASUREMENTS)[number];

export type FieldValue = number | boolean | string;

export interface Point {
  measurement: Measurement;
  /** Identify the series; values are non-empty strings. */
  tags: Record<string, string>;
  fields: Record<string, FieldValue>;
  /** Epoch ms, UTC. */
  ts: number;
  /** Nanoseconds within the millisecond, 0..999,999. */
  ns: number;
}

/** Field names per measurement: what a store reads back as fields (everything else is a tag). */
export const FIELDS: Record<Measurement, readonly string[]> = {
  door_event: ['id', 'offline', 'commandId', 'detail', 'member_id'],
  // `since`: points written before 0.x (the state's start as float epoch ms); read, no longer written.
  occupancy: ['occupied', 'state', 'since'],
  reading: ['value'],
  // `lastSeen`: points written before 0.x (float epoch ms); now `silent_s`, whole seconds since last heard.
  device_health: ['state', 'error', 'firmware', 'dropped', 'lastSeen', 'silent_s'],
  door_state: ['open', 'open_s'],
};

/**
 * Number fields InfluxDB stores as integers (line protocol `1i`); every other number is a float.
 * 0/1 states are integers so that MEAN() gives a share and SUM() a count, exactly, and Grafana
 * shows them as such. A field keeps its type for good within an InfluxDB shard: changing one here
 * needs a migration note (README.md, "Migrating existing InfluxDB data").
 */
export const INTEGER_FIELDS: Record<Measurement, readonly string[]> = {
  door_event: [],
  occupancy: ['occupied'],
  reading: [],
  device_health: [],
  door_state: ['open'],
};

/** A field every point of the measurement has (for counting). */
export const KEY_FIELD: Record<Measurement, string> = { door_event: 'id', occupancy: 'state', reading: 'value', device_health: 'state', door_state: 'open' };

/** Which retention setting applies to a measurement. */
export const RETENTION_KEY = {
  door_event: 'doorEvents',
  occupancy: 'occupancy',
  reading: 'readings',
  device_health: 'health',
  door_state: 'doorEvents',
} as const;

/** Deterministic sub-millisecond offset for an event id. */
export function subMsOffset(id: string): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0) % 1_000_000;
}

/** Series key: measurement and tags in key order. */
export function seriesKey(p: Pick<Point, 'measurement' | 'tags'>): string {
  const keys = Object.keys(p.tags).sort();
  return `${p.measurement},${keys.map((k) => `${k}=${p.tags[k]}`).join(',')}`;
}

/** Nanosecond time as a decimal string (beyond what a JS number holds exactly). */
export function nsTime(p: Pick<Point, 'ts' | 'ns'>): string {
  return `${p.ts}${String(p.ns).padStart(6, '0')}`;
}

/** Parses an RFC 3339 time with up to 9 fractional digits into ms and sub-ms ns. */
export function parseRfc3339(s: string): { ts: number; ns: number } {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(s);
  if (!m) throw new Error(`not an RFC 3339 UTC time: ${s}`);
  const frac = (m[2] ?? '').padEnd(9, '0');
  return { ts: Date.parse(`${m[1]}Z`) + Number(frac.slice(0, 3)), ns: Number(frac.slice(3)) };
}

export function compareTime(a: Pick<Point, 'ts' | 'ns'>, b: Pick<Point, 'ts' | 'ns'>): number {
  return a.ts - b.ts || a.ns - b.ns;
}

const set = (o: Record<string, string>, k: string, v: string | undefined) => {
  if (v) o[k] = v;
};

/**
 * `ns`: the event's offset as ingest stored it (events-repo); by default its id's hash. `zone`:
 * the door's zone, when the site gives it one.
 */
export function doorEventPoint(e: DoorEvent, ns = subMsOffset(e.id), zone?: string): Point {
  const tags: Record<string, string> = { door: e.door, gateway: e.gateway, type: e.type };
  set(tags, 'zone', zone);
  const fields: Record<string, FieldValue> = { id: e.id };
  if (e.type === 'access') {
    tags.decision = e.decision;
    tags.reason = e.reason;
    tags.via = e.via;
    set(tags, 'member', e.member);
    if (e.member) fields.member_id = e.member;
    fields.offline = e.offline;
  } else {
    tags.kind = e.kind;
    if (e.detail) fields.detail = e.detail;
  }
  if (e.commandId) fields.commandId = e.commandId;
  return { measurement: 'door_event', tags, fields, ts: e.ts, ns };
}

/**
 * A desk's state change. Its time is when the state began (`since`, when sane), so a state
 * published again (retained, after a reconnect) lands on the same point. Fields: `state`
 * (`occupied`, `free` or `unknown`: sensor in fault or gateway silent) and, when known,
 * `occupied` as integer 1/0 so that MEAN(occupied) is a utilisation.
 */
export function occupancyPoint(o: DeskOccupancy, zone: string | undefined): Point {
  const tags: Record<string, string> = { desk: o.desk };
  set(tags, 'zone', zone);
  const ts = o.since <= o.ts && o.since > o.ts - 30 * 86_400_000 ? o.since : o.ts;
  const fields: Record<string, FieldValue> =
    o.occupied === null ? { state: 'unknown' } : { state: o.occupied ? 'occupied' : 'free', occupied: o.occupied ? 1 : 0 };
  return { measurement: 'occupancy', tags, fields, ts, ns: 0 };
}

/** A desk's state in an occupancy point's fields: 1, 0, or null (unknown); old points stored a boolean. */
export function occupancyOf(fields: Readonly<Record<string, FieldValue>>): 0 | 1 | null {
  const o = fields.occupied;
  if (fields.state === 'unknown') return null;
  if (o === true || o === 1) return 1;
  if (o === false || o === 0) return 0;
  return null;
}

export function readingPoint(r: SensorReading): Point {
  const tags: Record<string, string> = { sensor: r.sensor, kind: r.kind };
  set(tags, 'unit', r.unit);
  return { measurement: 'reading', tags, fields: { value: r.value }, ts: r.ts, ns: 0 };
}

export function healthPoint(h: DeviceHealth): Point {
  const tags: Record<string, string> = { device: h.device, kind: h.kind };
  set(tags, 'gateway', h.gateway);
  const fields: Record<string, FieldValue> = { state: h.state };
  if (h.error) fields.error = h.error;
  if (h.firmware) fields.firmware = h.firmware;
  if (h.dropped !== undefined) fields.dropped = h.dropped;
  if (h.lastSeen !== undefined) fields.silent_s = Math.max(0, Math.round((h.ts - h.lastSeen) / 1000));
  return { measurement: 'device_health', tags, fields, ts: h.ts, ns: 0 };
}

/**
 * A door's contact changed: open 1/0, and on closing how long it was open (`open_s`, seconds;
 * absent when the opening was not seen, e.g. before a restart).
 */
export function doorStatePoint(door: string, open: boolean, ts: number, openedAt: number | undefined, zone?: string): Point {
  const tags: Record<string, string> = { door };
  set(tags, 'zone', zone);
  const fields: Record<string, FieldValue> = { open: open ? 1 : 0 };
  if (!open && openedAt !== undefined && openedAt <= ts) fields.open_s = (ts - openedAt) / 1000;
  return { measurement: 'door_state', tags, fields, ts, ns: 0 };
}

/** A door event point under another member id (erasure, renames): its tag and its field. */
export function withMember(p: Point, member: string): Point {
  const fields = p.fields.member_id === undefined ? p.fields : { ...p.fields, member_id: member };
  return { ...p, tags: { ...p.tags, member }, fields };
}

/** An instant after any point we store, inside every store's time range (InfluxDB: int64 ns). */
export const FAR_FUTURE = Date.UTC(2200, 0, 1);
