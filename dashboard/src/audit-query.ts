// The audit log's filters as the services take them (contracts/api.ts AuditQuery): dates a
// person picks are days in the site's time zone, sent as the epoch ms where that day starts
// and ends there (contracts/local-time.ts, the services' own rule for where a local day starts).
import { addDays, isLocalDate, startOfLocalDay } from '../../contracts/local-time.ts';

export interface AuditFilters {
  /** Exact action, or a prefix ending in a dot (`member.`). */
  action: string;
  actor: string;
  target: string;
  /** YYYY-MM-DD in the site's zone, or ''. */
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = Object.freeze({ action: '', actor: '', target: '', from: '', to: '' });

/** Epoch ms of 00:00 on `day` (YYYY-MM-DD) in `timeZone` (or its first minute, on a day whose
 * midnight is a DST gap); null when `day` is not a date. */
export function startOfDay(day: string, timeZone: string): number | null {
  return isLocalDate(day) ? startOfLocalDay(day, timeZone) : null;
}

/** The query string (without `?`) for these filters; `before` pages back; `limit` per page. */
export function auditQuery(f: AuditFilters, timeZone: string, opts: { before?: string | null; limit?: number } = {}): string {
  const q = new URLSearchParams();
  const from = f.from ? startOfDay(f.from, timeZone) : null;
  const toNext = f.to && isLocalDate(f.to) ? startOfDay(addDays(f.to, 1), timeZone) : null;
  if (from !== null) q.set('from', String(from));
  if (toNext !== null) q.set('to', String(toNext - 1));
  for (const key of ['actor', 'action', 'target'] as const) {
    const v = f[key].trim();
    if (v) q.set(key, v);
  }
  if (opts.limit !== undefined) q.set('limit', String(opts.limit));
  if (opts.before) q.set('before', opts.before);
  return q.toString();
}

/** An action filter the services take: lower case letters, digits, dots and dashes. */
export function validAction(action: string): boolean {
  const a = action.trim();
  return a === '' || /^[a-z][a-z0-9.-]{0,63}$/.test(a);
}
