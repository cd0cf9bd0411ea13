// Door events, stored once per event id; read newest first with a (ts, id) cursor.
import type { DoorEvent } from '../../contracts/payloads.ts';
import { subMsOffset } from '../history/point.ts';
import type { Db } from './database.ts';

/** A stored event with what the views need about its member. */
export interface EventRow {
  event: DoorEvent;
  memberName: string | null;
  memberOptIn: boolean;
}

export interface EventCursor {
  ts: number;
  id: string;
}

interface Row {
  payload: string;
  member_name: string | null;
  member_opt_in: number | null;
}

const SELECT = `SELECT e.payload AS payload, m.name AS member_name, m.presence_opt_in AS member_opt_in
  FROM events e LEFT JOIN members m ON m.id = e.member`;
const ORDER = 'ORDER BY e.ts DESC, e.id DESC LIMIT @limit';
const BEFORE = '(e.ts < @ts OR (e.ts = @ts AND e.id < @id))';

const toRow = (r: Row): EventRow => ({
  event: JSON.parse(r.payload) as DoorEvent,
  memberName: r.member_name,
  memberOptIn: r.member_opt_in === 1,
});

export function createEventsRepo(db: Db) {
  const s = {
    insert: db.prepare(`INSERT OR IGNORE INTO events (id, ts, door, gateway, type, member, payload, received_at, history_ns)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    takenNs: db.prepare('SELECT history_ns AS ns FROM events WHERE door = ? AND ts = ? AND history_ns IS NOT NULL'),
    byId: db.prepare(`${SELECT} WHERE e.id = ?`),
    // One statement per filter shape, so that each uses its index.
    page: db.prepare(`${SELECT} ${ORDER}`),
    pageBefore: db.prepare(`${SELECT} WHERE ${BEFORE} ${ORDER}`),
    pageDoor: db.prepare(`${SELECT} WHERE e.door = @door ${ORDER}`),
    pageDoorBefore: db.prepare(`${SELECT} WHERE e.door = @door AND ${BEFORE} ${ORDER}`),
    forMember: db.prepare(`${SELECT} WHERE e.member = @member ${ORDER}`),
    // Doors opened to the member (card, PIN or remote), oldest first; the exit button lets out, not in.
    entriesOf: db.prepare(`SELECT ts, door FROM events WHERE member = ? AND type = 'access'
      AND json_extract(payload, '$.decision') = 'granted' AND json_extract(payload, '$.via') IS NOT 'exit-button'
      ORDER BY ts, id`),
    // Erasure keeps the event (counts stay right) under a pseudonym, and drops the card fingerprint.
    anonymise: db.prepare(`UPDATE events SET member = @pseudonym,
      payload = json_remove(json_set(payload, '$.member', @pseudonym), '$.fingerprint') WHERE member = @member`),
    // An active host or operator who opted in to presence let themselves in (not the exit button).
    hostEntrySince: db.prepare(`SELECT 1 FROM events e JOIN members m ON m.id = e.member
      WHERE e.ts >= ? AND e.type = 'access' AND json_extract(e.payload, '$.decision') = 'granted'
      AND json_extract(e.payload, '$.via') IS NOT 'exit-button'
      AND m.role IN ('host', 'operator') AND m.presence_opt_in = 1 AND m.active = 1 LIMIT 1`),
    deleteBefore: db.prepare('DELETE FROM events WHERE ts < ?'),
    lastReceived: db.prepare(`SELECT payload, history_ns AS ns FROM events
      WHERE received_at >= (SELECT MAX(received_at) FROM events) - ? ORDER BY received_at`),
  };

  const insert = db.transaction((e: DoorEvent, now: number): number | null => {
    const taken = new Set((s.takenNs.all(e.door, e.ts) as { ns: number }[]).map((r) => r.ns));
    let ns = subMsOffset(e.id);
    while (taken.has(ns)) ns = (ns + 1) % 1_000_000;
    const member = e.type === 'access' ? (e.member ?? null) : null;
    return s.insert.run(e.id, e.ts, e.door, e.gateway, e.type, member, JSON.stringify(e), now, ns).changes === 1 ? ns : null;
  });

  return {
    /**
     * Stores an event once per id. Returns its history time offset (ns within its millisecond,
     * unique among the door's events of that millisecond), or null when it was stored before.
     */
    insert: (e: DoorEvent, now: number): number | null => insert(e, now),
    byId: (id: string): EventRow | undefined => {
      const r = s.byId.get(id) as Row | undefined;
      return r && toRow(r);
    },
    /** An opted-in host or operator let themselves in at or after `since` (yes/no only: never who). */
    hostEntrySince: (since: number): boolean => s.hostEntrySince.get(since) !== undefined,
    /** Newest first, strictly older than `before` when given. */
    page: (limit: number, before?: EventCursor, door?: string): EventRow[] => {
      const p = { limit, door, ...before };
      const stmt = door ? (before ? s.pageDoorBefore : s.pageDoor) : before ? s.pageBefore : s.page;
      return (stmt.all(p) as Row[]).map(toRow);
    },
    /** A member's events, newest first (data export). */
    forMember: (member: string, limit: number): EventRow[] => (s.forMember.all({ member, limit }) as Row[]).map(toRow),
    /** A member's granted entries (not the exit button), oldest first: their own visits. */
    entriesOf: (member: string): { ts: number; door: string }[] => s.entriesOf.all(member) as { ts: number; door: string }[],
    anonymiseMember: (member: string, pseudonym: string): number => s.anonymise.run({ member, pseudonym }).changes,
    /** Events received within `windowMs` before the last one received (history replay at start). */
    lastReceived: (windowMs: number): { event: DoorEvent; ns: number | null }[] =>
      (s.lastReceived.all(windowMs) as { payload: string; ns: number | null }[]).map((r) => ({ event: JSON.parse(r.payload) as DoorEvent, ns: r.ns })),
    /** Retention: removes events older than `cutoff` (epoch ms). */
    deleteBefore: (cutoff: number): number => s.deleteBefore.run(cutoff).changes,
  };
}

export type EventsRepo = ReturnType<typeof createEventsRepo>;
