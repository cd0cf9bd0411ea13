// Weekly time windows evaluated in the site's time zone. Local wall-clock time is what counts:
// 08:00–18:00 stays 08:00–18:00 local on the days the clocks change (DST-safe by construction,
// since we compare local weekday and minutes, never UTC offsets).
import type { TimeWindow } from './payloads.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local weekday (1 = Monday … 7 = Sunday) and minute of day at `epochMs` in `timeZone`. */
export function localWeekMinute(epochMs: number, timeZone: string): { day: number; minute: number } {
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const p of formatter(timeZone).formatToParts(epochMs)) {
    if (p.type === 'weekday') day = WEEKDAY[p.value] ?? 0;
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return { day, minute: hour * 60 + minute };
}

const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when no windows are given (any time) or `epochMs` falls inside one. `to` is exclusive. */
export function withinWindows(windows: readonly TimeWindow[] | undefined, timeZone: string, epochMs: number): boolean {
  if (!windows || windows.length === 0) return true;
  const { day, minute } = localWeekMinute(epochMs, timeZone);
  return windows.some((w) => w.days.includes(day) && minute >= toMinute(w.from) && minute < toMinute(w.to));
}
