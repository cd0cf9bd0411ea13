// The outgoing webhooks' queue and each subscription's health (migration "outgoing webhooks").
import type { Db } from './database.ts';

export interface OutboxRow {
  id: number;
  sub: string;
  msgId: string;
  type: string;
  body: string;
  createdAt: number;
  state: 'pending' | 'dead';
  attempts: number;
  nextAt: number;
  error: string | null;
  deadAt: number | null;
}

export interface HealthRow {
  sub: string;
  delivered: number;
  lastOkAt: number | null;
  lastErrorAt: number | null;
  lastError: string | null;
  failures: number;
}

interface Raw {
  id: number;
  sub: string;
  msg_id: string;
  type: string;
  body: string;
  created_at: number;
  state: 'pending' | 'dead';
  attempts: number;
  next_at: number;
  error: string | null;
  dead_at: number | null;
}

const toRow = (r: Raw): OutboxRow => ({
  id: r.id,
  sub: r.sub,
  msgId: r.msg_id,
  type: r.type,
  body: r.body,
  createdAt: r.created_at,
  state: r.state,
  attempts: r.attempts,
  nextAt: r.next_at,
  error: r.error,
  deadAt: r.dead_at,
});

export function createWebhooksRepo(db: Db) {
  const s = {
    add: db.prepare(`INSERT INTO webhook_outbox (sub, msg_id, type, body, created_at, state, next_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)`),
    head: db.prepare(`SELECT * FROM webhook_outbox WHERE sub = ? AND state = 'pending' ORDER BY id LIMIT 1`),
    byId: db.prepare('SELECT * FROM webhook_outbox WHERE id = ?'),
    remove: db.prepare('DELETE FROM webhook_outbox WHERE id = ?'),
    failed: db.prepare('UPDATE webhook_outbox SET attempts = @attempts, next_at = @nextAt, error = @error WHERE id = @id'),
    dead: db.prepare(`UPDATE webhook_outbox SET state = 'dead', attempts = @attempts, error = @error, dead_at = @at WHERE id = @id`),
    revive: db.prepare(`UPDATE webhook_outbox SET state = 'pending', attempts = 0, next_at = @at, dead_at = NULL WHERE id = @id AND state = 'dead'`),
    reviveAll: db.prepare(`UPDATE webhook_outbox SET state = 'pending', attempts = 0, next_at = ?, dead_at = NULL WHERE state = 'dead'`),
    deleteDead: db.prepare(`DELETE FROM webhook_outbox WHERE id = ? AND state = 'dead'`),
    deadList: db.prepare(`SELECT * FROM webhook_outbox WHERE state = 'dead' ORDER BY dead_at DESC, id DESC LIMIT ?`),
    counts: db.prepare('SELECT sub, state, COUNT(*) AS n FROM webhook_outbox GROUP BY sub, state'),
    health: db.prepare('SELECT sub, delivered, last_ok_at AS lastOkAt, last_error_at AS lastErrorAt, last_error AS lastError, failures FROM webhook_health'),
    ok: db.prepare(`INSERT INTO webhook_health (sub, delivered, last_ok_at, failures) VALUES (?, 1, ?, 0)
      ON CONFLICT (sub) DO UPDATE SET delivered = delivered + 1, last_ok_at = excluded.last_ok_at, failures = 0`),
    error: db.prepare(`INSERT INTO webhook_health (sub, last_error_at, last_error, failures) VALUES (?, ?, ?, 1)
      ON CONFLICT (sub) DO UPDATE SET last_error_at = excluded.last_error_at, last_error = excluded.last_error, failures = failures + 1`),
  };
  return {
    add: (sub: string, msgId: string, type: string, body: string, at: number): void => {
      s.add.run(sub, msgId, type, body, at, at);
    },
    /** The oldest pending row of a subscription: the only one that may be sent (order). */
    head: (sub: string): OutboxRow | undefined => {
      const r = s.head.get(sub) as Raw | undefined;
      return r && toRow(r);
    },
    byId: (id: number): OutboxRow | undefined => {
      const r = s.byId.get(id) as Raw | undefined;
      return r && toRow(r);
    },
    /** Delivered: the row goes, the health counts it. */
    delivered: db.transaction((row: OutboxRow, at: number): void => {
      s.remove.run(row.id);
      s.ok.run(row.sub, at);
    }),
    /** A failed attempt: tried again at nextAt, or (dead) given up. */
    failed: db.transaction((row: OutboxRow, f: { attempts: number; nextAt: number; error: string; dead: boolean }, at: number): void => {
      if (f.dead) s.dead.run({ id: row.id, attempts: f.attempts, error: f.error, at });
      else s.failed.run({ id: row.id, attempts: f.attempts, nextAt: f.nextAt, error: f.error });
      s.error.run(row.sub, at, f.error);
    }),
    revive: (id: number, at: number): boolean => s.revive.run({ id, at }).changes === 1,
    reviveAll: (at: number): number => s.reviveAll.run(at).changes,
    deleteDead: (id: number): boolean => s.deleteDead.run(id).changes === 1,
    dead: (limit: number): OutboxRow[] => (s.deadList.all(limit) as Raw[]).map(toRow),
    counts: (): { sub: string; state: 'pending' | 'dead'; n: number }[] => s.counts.all() as { sub: string; state: 'pending' | 'dead'; n: number }[],
    health: (): HealthRow[] => s.health.all() as HealthRow[],
  };
}

export type WebhooksRepo = ReturnType<typeof createWebhooksRepo>;
