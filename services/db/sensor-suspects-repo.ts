// Episodes of desk sensors being suspect (migration 8; services/sensors): open until a host
// confirms the sensor or it recovers; what analytics leave out.
import type { SuspectEvidence, SuspectReason } from '../../contracts/api/index.ts';
import type { Db } from './database.ts';

export interface SuspectRow {
  id: number;
  desk: string;
  reason: SuspectReason;
  since: number;
  evidence: SuspectEvidence;
  detectedAt: number;
  endedAt: number | null;
  ended: 'confirmed' | 'recovered' | null;
  confirmedBy: string | null;
  backfill: boolean;
}

interface Raw {
  id: number;
  desk: string;
  reason: SuspectReason;
  since: number;
  evidence: string;
  detected_at: number;
  ended_at: number | null;
  ended: 'confirmed' | 'recovered' | null;
  confirmed_by: string | null;
  backfill: number;
}

const toRow = (r: Raw): SuspectRow => ({
  id: r.id,
  desk: r.desk,
  reason: r.reason,
  since: r.since,
  evidence: JSON.parse(r.evidence) as SuspectEvidence,
  detectedAt: r.detected_at,
  endedAt: r.ended_at,
  ended: r.ended,
  confirmedBy: r.confirmed_by,
  backfill: r.backfill === 1,
});

export function createSensorSuspectsRepo(db: Db) {
  const s = {
    open: db.prepare('SELECT * FROM sensor_suspects WHERE ended_at IS NULL ORDER BY desk'),
    openOf: db.prepare('SELECT * FROM sensor_suspects WHERE desk = ? AND ended_at IS NULL'),
    insert: db.prepare('INSERT INTO sensor_suspects (desk, reason, since, evidence, detected_at) VALUES (?, ?, ?, ?, ?)'),
    evidence: db.prepare('UPDATE sensor_suspects SET evidence = ? WHERE id = ?'),
    end: db.prepare('UPDATE sensor_suspects SET ended_at = ?, ended = ?, confirmed_by = ?, backfill = ? WHERE id = ? AND ended_at IS NULL'),
    excluded: db.prepare('SELECT desk, since, ended_at FROM sensor_suspects WHERE backfill = 0 ORDER BY desk, since'),
    lastConfirmed: db.prepare("SELECT desk, MAX(ended_at) AS at FROM sensor_suspects WHERE ended = 'confirmed' GROUP BY desk"),
  };
  return {
    open: (): SuspectRow[] => (s.open.all() as Raw[]).map(toRow),
    openOf: (desk: string): SuspectRow | undefined => {
      const r = s.openOf.get(desk) as Raw | undefined;
      return r ? toRow(r) : undefined;
    },
    insert: (r: { desk: string; reason: SuspectReason; since: number; evidence: SuspectEvidence }, at: number): SuspectRow => {
      s.insert.run(r.desk, r.reason, r.since, JSON.stringify(r.evidence), at);
      return toRow(s.openOf.get(r.desk) as Raw);
    },
    setEvidence: (id: number, evidence: SuspectEvidence): void => {
      s.evidence.run(JSON.stringify(evidence), id);
    },
    /** Ends the episode; false when it had ended already. */
    end: (id: number, at: number, how: 'confirmed' | 'recovered', by: string | null, backfill: boolean): boolean =>
      s.end.run(at, how, by, backfill ? 1 : 0, id).changes === 1,
    /** Per desk, the spans analytics leave out: [since, ended or open). */
    excluded: (): Map<string, [number, number | null][]> => {
      const out = new Map<string, [number, number | null][]>();
      for (const r of s.excluded.all() as { desk: string; since: number; ended_at: number | null }[]) {
        out.set(r.desk, [...(out.get(r.desk) ?? []), [r.since, r.ended_at]]);
      }
      return out;
    },
    /** When a host last confirmed each desk's sensor. */
    lastConfirmed: (): Map<string, number> => new Map((s.lastConfirmed.all() as { desk: string; at: number }[]).map((r) => [r.desk, r.at])),
  };
}

export type SensorSuspectsRepo = ReturnType<typeof createSensorSuspectsRepo>;
