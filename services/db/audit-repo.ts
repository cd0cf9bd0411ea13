// Audit trail of who did what: remote unlocks, logins, admin changes.
import type { Db } from './database.ts';

export interface AuditEntry {
  ts: number;
  actor: string | null;
  action: string;
  target?: string | null;
  detail?: Record<string, unknown> | null;
  ip?: string | null;
}

export interface AuditRow extends AuditEntry {
  id: number;
}

export function createAuditRepo(db: Db) {
  const s = {
    insert: db.prepare('INSERT INTO audit (ts, actor, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?)'),
    recent: db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?'),
  };
  return {
    write: (e: AuditEntry): void => {
      s.insert.run(e.ts, e.actor, e.action, e.target ?? null, e.detail ? JSON.stringify(e.detail) : null, e.ip ?? null);
    },
    recent: (limit: number): AuditRow[] =>
      (s.recent.all(limit) as (Omit<AuditRow, 'detail'> & { detail: string | null })[]).map((r) => ({
        ...r,
        detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
      })),
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
