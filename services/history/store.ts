// The history store interface: SQLite (default), InfluxDB 1.x and InfluxDB 2.x implement it,
// and one contract test suite (test/services/history/contract.ts) runs against each.
import type { Measurement, Point } from './point.ts';

export interface HistoryQuery {
  measurement: Measurement;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  /** Only points with these tag values. */
  tags?: Record<string, string>;
}

export type HistoryErrorKind = 'unavailable' | 'rejected';

/**
 * A failed write. `unavailable`: the store could not be reached or failed on its side (retry
 * later: spool). `rejected`: the store refused the batch as malformed (retrying as is will
 * fail again: split it to find the bad point).
 */
export class HistoryError extends Error {
  readonly code = 'SS_ERR_HISTORY';
  constructor(
    readonly kind: HistoryErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HistoryError';
  }
}

export interface HistoryStore {
  /** `sqlite`, `influxdb1` or `influxdb2`. */
  readonly kind: string;
  /** Writes points (idempotent per identity). Throws HistoryError. */
  write(points: readonly Point[]): Promise<void>;
  /** Points in [from, to), oldest first. */
  query(q: HistoryQuery): Promise<Point[]>;
  /** How many points in [from, to). */
  count(q: HistoryQuery): Promise<number>;
  /** Retention: removes points of `measurement` older than `cutoff` (epoch ms). */
  deleteBefore(measurement: Measurement, cutoff: number): Promise<void>;
  /** Erasure: door events of `member` are rewritten under `pseudonym`; returns how many. */
  anonymiseMember(member: string, pseudonym: string): Promise<number>;
  /** True when the store answers. Never throws. */
  ping(): Promise<boolean>;
  /** Safe to call twice. */
  close(): Promise<void>;
}
