// Times in the site's time zone (not the phone's: a host abroad still sees site time), in the
// reader's language. Intl formatters are costly to make and cheap to use: made once per
// (language, zone) and reused.
import { localDate } from '../../contracts/local-time.ts';

export interface TimeFormatter {
  (ts: number): string;
}

function safeZone(timeZone: string, locale: string): string {
  try {
    new Intl.DateTimeFormat(locale, { timeZone });
    return timeZone;
  } catch {
    return 'UTC'; // an unknown zone name must not break the page
  }
}

/** "14:05:09" for today (in the site's zone), "Mon 3 Mar, 14:05" before that. */
export function eventTimeFormatter(timeZone: string, now: () => number = () => Date.now(), locale = 'en-GB'): TimeFormatter {
  const f = timeFormats(locale, timeZone);
  return (ts) => (f.dayKey(ts) === f.dayKey(now()) ? f.clockSeconds(ts) : f.dated(ts));
}

export interface TimeFormats {
  /** "2025-06-02" in the site's zone: compare two to know whether they are the same day there. */
  dayKey: TimeFormatter;
  /** "14:05". */
  clock: TimeFormatter;
  /** "14:05:09". */
  clockSeconds: TimeFormatter;
  /** "Mon 3 Mar, 14:05". */
  dated: TimeFormatter;
  /** "14:05" today, "Mon 3 Mar, 14:05" before. */
  short: TimeFormatter;
  /** "5 minutes ago", "just now" style, rounded to the largest unit. */
  ago: TimeFormatter;
}

const cache = new Map<string, TimeFormats>();

/** Formatters for a language and zone; `now` (for tests) defaults to the clock at each call. */
export function timeFormats(locale: string, timeZone: string, now?: () => number): TimeFormats {
  const key = `${locale}|${timeZone}`;
  const hit = now ? undefined : cache.get(key);
  if (hit) return hit;
  const clockNow = now ?? (() => Date.now());
  const zone = safeZone(timeZone, locale);
  const clock = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit' });
  const seconds = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const dated = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const rel = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const dayKey = (ts: number) => localDate(ts, zone);
  const formats: TimeFormats = {
    dayKey,
    clock: (ts) => clock.format(ts),
    clockSeconds: (ts) => seconds.format(ts),
    dated: (ts) => dated.format(ts),
    short: (ts) => (dayKey(ts) === dayKey(clockNow()) ? clock.format(ts) : dated.format(ts)),
    ago: (ts) => {
      const s = Math.round((ts - clockNow()) / 1000);
      const abs = Math.abs(s);
      if (abs < 45) return rel.format(0, 'second');
      if (abs < 45 * 60) return rel.format(Math.round(s / 60), 'minute');
      if (abs < 22 * 3600) return rel.format(Math.round(s / 3600), 'hour');
      return rel.format(Math.round(s / 86400), 'day');
    },
  };
  if (!now) cache.set(key, formats);
  return formats;
}
