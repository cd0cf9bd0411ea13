// Audit trail: who did what, when, from where: access decisions, remote unlocks and door
// commands, enrolments, logins and admin changes. Append-only: SQLite triggers refuse UPDATE
// and DELETE (migration 2) except inside `anonymise*`, which open the privacy gate for the
// length of one transaction; the one deletion is retention of refused requests (migration 4).
//
// What anyone can cause without logging in (a refused request) is `tally`d instead of written:
// counted in memory per (actor, action, target, source, detail) and written as one row per key
// and interval with `count` and `lastSeen` in its detail, so a flood costs a few rows a minute.
import type { Db } from './database.ts';

export interface AuditEntry {
  ts: number;
  /** Member id, `automation`, or null (system, or anonymised). */
  actor: string | null;
  action: string;
  target?: string | null;
  detail?: Record<string, unknown> | null;
  /** An IP address for HTTP requests, `gateway:<id>` for decisions made at a door. */
  source?: string | null;
}

export interface AuditRow extends AuditEntry {
  id: number;
  target: string | null;
  detail: Record<string, unknown> | null;
  source: string | null;
  /** The name of the member the actor (target) id is, now; null for anything else or a member gone. */
  actorName: string | null;
  targetName: string | null;
}

export interface AuditFilter {
  from?: number;
  to?: number;
  /** A member id, `automation`, … or a member's name as shown (exact; ASCII case ignored). */
  actor?: string;
  /** Exact action, or a prefix ending in `.` (e.g. `member.`). */
  action?: string;
  target?: string;
  /** Only rows with id below this (paging, newest first). */
  before?: number;
  limit: number;
}

interface Row {
  id: number;
  ts: number;
  actor: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  source: string | null;
  actor_name: string | null;
  target_name: string | null;
}

const toRow = ({ actor_name, target_name, ...r }: Row): AuditRow => ({
  ...r,
  detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
  actorName: actor_name,
  targetName: target_name,
});

export interface TallyOptions {
  /** A key's row is written at most once per this many ms (and whenever the audit is read). */
  intervalMs: number;
  /** Distinct keys per interval; more go into one row per action with `overflow: true`. */
  maxKeys: number;
}

export const DEFAULT_TALLY: TallyOptions = { intervalMs: 60_000, maxKeys: 1000 };

interface Tally {
  entry: AuditEntry;
  count: number;
  lastSeen: number;
}

// A host looks for "Anna Østergård", not for m_…: actor and target match a member's name too.
const BY_NAME = 'SELECT id FROM members WHERE name = ? COLLATE NOCASE';
const FILTER = `WHERE (@from IS NULL OR audit.ts >= @from) AND (@to IS NULL OR audit.ts < @to)
  AND (@actor IS NULL OR audit.actor = @actor OR audit.actor IN (${BY_NAME.replace('?', '@actor')}))
  AND (@target IS NULL OR audit.target = @target OR audit.target IN (${BY_NAME.replace('?', '@target')}))
  AND (@action IS NULL OR audit.action = @action OR (substr(@action, -1) = '.' AND substr(audit.action, 1, length(@action)) = @action))
  AND (@before IS NULL OR audit.id < @before)`;

/** Rows with the names of the members they mention (the id stays: a name is not unique). */
const NAMED = `audit.*, am.name AS actor_name, tm.name AS target_name FROM audit
  LEFT JOIN members am ON am.id = audit.actor LEFT JOIN members tm ON tm.id = audit.target`;

export function createAuditRepo(db: Db, tallyOptions: TallyOptions = DEFAULT_TALLY) {
  const s = {
    insert: db.prepare('INSERT INTO audit (ts, actor, action, target, detail, source) VALUES (?, ?, ?, ?, ?, ?)'),
    recent: db.prepare(`SELECT ${NAMED} ORDER BY audit.id DESC LIMIT ?`),
    query: db.prepare(`SELECT ${NAMED} ${FILTER} ORDER BY audit.id DESC LIMIT @limit`),
    gate: db.prepare('UPDATE privacy_gate SET open = ? WHERE id = 1'),
    pseudonymise: db.prepare(`UPDATE audit SET
        actor = CASE WHEN actor = @member THEN @pseudonym ELSE actor END,
        target = CASE WHEN target = @member THEN @pseudonym ELSE target END,
        detail = CASE WHEN instr(detail, @quoted) > 0 THEN replace(detail, @quoted, @quotedPseudonym) ELSE detail END
      WHERE actor = @member OR target = @member OR instr(detail, @quoted) > 0`),
    expireAccess: db.prepare(`UPDATE audit SET actor = NULL
      WHERE ts < ? AND actor IS NOT NULL AND substr(action, 1, 7) = 'access.'`),
    deleteRefused: db.prepare(`DELETE FROM audit WHERE action = 'api.refused' AND ts < ?`),
  };
  /** Runs `fn` with the privacy gate open, all in one transaction: the gate never stays open. */
  const throughGate = <T>(fn: () => T): T =>
    db.transaction(() => {
      s.gate.run(1);
      const out = fn();
      s.gate.run(0);
      return out;
    })();

  const write = (e: AuditEntry): void => {
    s.insert.run(e.ts, e.actor, e.action, e.target ?? null, e.detail ? JSON.stringify(e.detail) : null, e.source ?? null);
  };

  // Counts since the last flush. The interval starts with the first tally after a flush.
  const tallies = new Map<string, Tally>();
  let since: number | null = null;
  const flush = (): number => {
    if (tallies.size === 0) return 0;
    const rows = [...tallies.values()];
    tallies.clear();
    since = null;
    db.transaction(() => {
      for (const t of rows) write({ ...t.entry, detail: { ...t.entry.detail, count: t.count, lastSeen: t.lastSeen } });
    })();
    return rows.length;
  };
  const tally = (e: AuditEntry): void => {
    if (since !== null && e.ts - since >= tallyOptions.intervalMs) flush();
    since ??= e.ts;
    let key = JSON.stringify([e.actor, e.action, e.target ?? null, e.source ?? null, e.detail ?? null]);
    let t = tallies.get(key);
    if (!t && tallies.size >= tallyOptions.maxKeys) {
      // Bounded memory, and bounded rows: the rest of this interval's keys share one row.
      key = JSON.stringify([null, e.action, 'overflow']);
      t = tallies.get(key);
      e = { ts: e.ts, actor: null, action: e.action, target: null, source: null, detail: { overflow: true } };
    }
    if (t) {
      t.count++;
      t.lastSeen = e.ts;
    } else {
      tallies.set(key, { entry: e, count: 1, lastSeen: e.ts });
    }
  };

  return {
    write,
    /**
     * Counts `e` (ts = when) towards one row per identical entry and interval: the row has the
     * first time as its ts and `count` and `lastSeen` added to its detail.
     */
    tally,
    /** Writes the counts so far (each read does it first; also on a timer and at shutdown). */
    flushTallies: flush,
    recent: (limit: number): AuditRow[] => {
      flush();
      return (s.recent.all(limit) as Row[]).map(toRow);
    },
    /** Newest first. */
    query: (f: AuditFilter): AuditRow[] => {
      flush();
      const rows = s.query.all({
        from: f.from ?? null,
        to: f.to ?? null,
        actor: f.actor ?? null,
        action: f.action ?? null,
        target: f.target ?? null,
        before: f.before ?? null,
        limit: f.limit,
      }) as Row[];
      return rows.map(toRow);
    },
    /** Erasure: the member's id becomes `pseudonym` wherever it appears; rows stay (counts stay right). */
    anonymiseMember: (member: string, pseudonym: string): number => {
      flush(); // counts not yet written may name the member too
      return throughGate(
        () =>
          s.pseudonymise.run({
            member,
            pseudonym,
            quoted: JSON.stringify(member),
            quotedPseudonym: JSON.stringify(pseudonym),
          }).changes,
      );
    },
    /** Retention: access decisions older than `cutoff` forget who it was. */
    anonymiseAccessBefore: (cutoff: number): number => throughGate(() => s.expireAccess.run(cutoff).changes),
    /** Retention: refused requests (api.refused) older than `cutoff` go. */
    deleteRefusedBefore: (cutoff: number): number => throughGate(() => s.deleteRefused.run(cutoff).changes),
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
