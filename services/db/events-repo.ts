// Door events, stored once per event id; read newest first with a (ts, id) cursor.
import type { DoorEvent } from '../../contracts/payloads.ts';
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
    insert: db.prepare(`INSERT OR IGNORE INTO events (id, ts, door, gateway, type, member, payload, received_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    byId: db.prepare(`${SELECT} WHERE e.id = ?`),
    // One statement per filter shape, so that each uses its index.
    page: db.prepare(`${SELECT} ${ORDER}`),
    pageBefore: db.prepare(`${SELECT} WHERE ${BEFORE} ${ORDER}`),
    pageDoor: db.prepare(`${SELECT} WHERE e.door = @door ${ORDER}`),
    pageDoorBefore: db.prepare(`${SELECT} WHERE e.door = @door AND ${BEFORE} ${ORDER}`),
  };

  return {
    /** True when stored now; false when an event with this id was already stored. */
    insert: (e: DoorEvent, now: number): boolean => {
      const member = e.type === 'access' ? (e.member ?? null) : null;
      return s.insert.run(e.id, e.ts, e.door, e.gateway, e.type, member, JSON.stringify(e), now).changes === 1;
    },
    byId: (id: string): EventRow | undefined => {
      const r = s.byId.get(id) as Row | undefined;
      return r && toRow(r);
    },
    /** Newest first, strictly older than `before` when given. */
    page: (limit: number, before?: EventCursor, door?: string): EventRow[] => {
      const p = { limit, door, ...before };
      const stmt = door ? (before ? s.pageDoorBefore : s.pageDoor) : before ? s.pageBefore : s.page;
      return (stmt.all(p) as Row[]).map(toRow);
    },
  };
}

export type EventsRepo = ReturnType<typeof createEventsRepo>;
