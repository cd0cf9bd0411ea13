// The audit log's filters as the services take them (contracts/api.ts AuditQuery): dates a
// person picks are days in the site's time zone, sent as the epoch ms where that day starts
// and ends there (DST-safe: the offset is looked up for the instant itself).

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

/** Minutes-accurate offset of `timeZone` from UTC at `ts`, in ms. */
function offsetAt(ts: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(ts);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(ts / 1000) * 1000;
}

/** Epoch ms of 00:00 on `day` (YYYY-MM-DD) in `timeZone`; null when `day` is not a date. */
export function startOfDay(day: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(wall)) return null;
  let ts = wall - offsetAt(wall, timeZone);
  ts = wall - offsetAt(ts, timeZone); // the offset at the instant itself, not at UTC midnight
  return ts;
}

/** The day after `day` (YYYY-MM-DD). */
function nextDay(day: string): string {
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, mo - 1, d + 1)).toISOString().slice(0, 10);
}

/** The query string (without `?`) for these filters; `before` pages back; `limit` per page. */
export function auditQuery(f: AuditFilters, timeZone: string, opts: { before?: string | null; limit?: number } = {}): string {
  const q = new URLSearchParams();
  const from = f.from ? startOfDay(f.from, timeZone) : null;
  const toNext = f.to && /^\d{4}-\d{2}-\d{2}$/.test(f.to) ? startOfDay(nextDay(f.to), timeZone) : null;
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
