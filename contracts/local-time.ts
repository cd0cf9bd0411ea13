// Local time in the site's time zone, the one module for services, dashboard and palette (Intl
// only, no Node APIs). Calendar dates (YYYY-MM-DD): validity of plans and passes, closures,
// report days, audit filters. A local date starts at local midnight, whatever the UTC offset is
// that day, so a pass "valid 30 March" covers the 23-hour day the clocks go forward too; and on
// a day whose midnight does not exist (a DST gap at 00:00) it starts at the first local minute.
// Weekly windows compare the local weekday and minute of day (schedule.ts).
import { matches } from './patterns.ts';

const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const starts = new Map<string, number>();
const DAY_MS = 86_400_000;

function dateFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = dateFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    dateFormatters.set(timeZone, f);
  }
  return f;
}

function parts(epochMs: number, timeZone: string): { y: number; m: number; d: number; hour: number; minute: number; second: number } {
  const out = { y: 0, m: 0, d: 0, hour: 0, minute: 0, second: 0 };
  for (const p of dateFormatter(timeZone).formatToParts(epochMs)) {
    if (p.type === 'year') out.y = Number(p.value);
    else if (p.type === 'month') out.m = Number(p.value);
    else if (p.type === 'day') out.d = Number(p.value);
    else if (p.type === 'hour') out.hour = Number(p.value);
    else if (p.type === 'minute') out.minute = Number(p.value);
    else if (p.type === 'second') out.second = Number(p.value);
  }
  return out;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Year, month, day of a string in the shared local-date pattern; null otherwise. */
function ymd(date: string): [number, number, number] | null {
  return matches('localDate', date) ? (date.split('-').map(Number) as [number, number, number]) : null;
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isLocalDate(s: string): boolean {
  const m = ymd(s);
  if (!m) return false;
  const [y, mo, d] = m;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** The local date at `epochMs` in `timeZone`. */
export function localDate(epochMs: number, timeZone: string): string {
  const p = parts(epochMs, timeZone);
  return `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}`;
}

/** `date` plus `days` (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const m = ymd(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const t = new Date(Date.UTC(m[0], m[1] - 1, m[2]) + days * DAY_MS);
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/**
 * First instant (epoch ms) of local `date` in `timeZone`. Found by bisection on whole minutes
 * around UTC midnight, so a day that starts at 01:00 (a DST gap at midnight) starts then.
 */
export function startOfLocalDay(date: string, timeZone: string): number {
  const key = `${timeZone}|${date}`;
  const cached = starts.get(key);
  if (cached !== undefined) return cached;
  if (!isLocalDate(date)) throw new RangeError(`not a date: ${date}`);
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  // UTC offsets lie within ±14 h: the local day starts within [midnight − 15 h, midnight + 15 h].
  let lo = (utcMidnight - 15 * 3600_000) / 60_000;
  let hi = (utcMidnight + 15 * 3600_000) / 60_000;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(mid * 60_000, timeZone) >= date) hi = mid;
    else lo = mid + 1;
  }
  const start = lo * 60_000;
  if (starts.size > 10_000) starts.clear();
  starts.set(key, start);
  return start;
}

/** [start, end) of local dates `from`..`to` inclusive; open ends are ±Infinity. */
export function dateRangeBounds(from: string | null | undefined, to: string | null | undefined, timeZone: string): { start: number; end: number } {
  return {
    start: from ? startOfLocalDay(from, timeZone) : -Infinity,
    end: to ? startOfLocalDay(addDays(to, 1), timeZone) : Infinity,
  };
}

/** Local hour (0–23) at `epochMs`. */
export function localHour(epochMs: number, timeZone: string): number {
  return parts(epochMs, timeZone).hour;
}

/** ISO 8601 week of a local date, as YYYY-Www (weeks start on Monday). */
export function isoWeek(date: string): string {
  const m = ymd(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const t = new Date(Date.UTC(m[0], m[1] - 1, m[2]));
  const dow = (t.getUTCDay() + 6) % 7; // Monday 0
  t.setUTCDate(t.getUTCDate() - dow + 3); // Thursday of this week decides the year
  const year = t.getUTCFullYear();
  const dayOfYear = (t.getTime() - Date.UTC(year, 0, 1)) / DAY_MS + 1;
  const week = Math.ceil(dayOfYear / 7);
  return `${year}-W${pad(week)}`;
}

const weekFormatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Local weekday (1 = Monday … 7 = Sunday) and minute of day at `epochMs` in `timeZone`. */
export function localWeekMinute(epochMs: number, timeZone: string): { day: number; minute: number } {
  let f = weekFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    weekFormatters.set(timeZone, f);
  }
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const p of f.formatToParts(epochMs)) {
    if (p.type === 'weekday') day = WEEKDAY[p.value] ?? 0;
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return { day, minute: hour * 60 + minute };
}

/** The local wall clock at `epochMs`, as YYYY-MM-DDTHH:MM:SS (exports: services/analytics/csv.ts). */
export function localDateTimeSeconds(epochMs: number, timeZone: string): string {
  const p = parts(epochMs, timeZone);
  return `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** The local wall-clock minute at `epochMs`, as YYYY-MM-DDTHH:MM (bookings). */
export function localDateTime(epochMs: number, timeZone: string): string {
  return localDateTimeSeconds(epochMs, timeZone).slice(0, 16);
}

/**
 * The instant of a local wall-clock minute YYYY-MM-DDTHH:MM in `timeZone`; null when it is not
 * a real date and time, or falls in a DST gap (02:30 on the night the clocks go forward). In the
 * hour that happens twice it is the first.
 */
export function epochOfLocal(dt: string, timeZone: string): number | null {
  if (!matches('localDateTime', dt)) return null;
  const date = dt.slice(0, 10);
  const hh = Number(dt.slice(11, 13));
  const mm = Number(dt.slice(14, 16));
  if (!isLocalDate(date) || hh > 23 || mm > 59) return null;
  // From the day's start, step by the difference between wanted and found wall time (an offset
  // change moves it at most twice); a minute that never shows on the clock is a gap.
  let t = startOfLocalDay(date, timeZone) + (hh * 60 + mm) * 60_000;
  for (let i = 0; i < 3; i++) {
    const got = localDateTime(t, timeZone);
    if (got === dt) {
      // The first of a repeated hour: an hour earlier shows the same wall time.
      return localDateTime(t - 3600_000, timeZone) === dt ? t - 3600_000 : t;
    }
    const gotMin = Date.parse(`${got}:00Z`);
    const wantMin = Date.parse(`${dt}:00Z`);
    t += wantMin - gotMin;
  }
  return null;
}
