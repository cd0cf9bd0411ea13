// Weekly time windows evaluated in the site's time zone. Local wall-clock time is what counts:
// 08:00–18:00 stays 08:00–18:00 local on the days the clocks change (DST-safe by construction,
// since we compare local weekday and minutes, never UTC offsets).
import type { TimeWindow } from './payloads.ts';
import { localWeekMinute } from './local-time.ts';

export { localWeekMinute };

const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when no windows are given (any time) or `epochMs` falls inside one. `to` is exclusive. */
export function withinWindows(windows: readonly TimeWindow[] | undefined, timeZone: string, epochMs: number): boolean {
  if (!windows || windows.length === 0) return true;
  const { day, minute } = localWeekMinute(epochMs, timeZone);
  return windows.some((w) => w.days.includes(day) && minute >= toMinute(w.from) && minute < toMinute(w.to));
}
