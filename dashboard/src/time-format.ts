// Event times in the site's time zone (not the phone's: a host abroad still sees site time).

export interface TimeFormatter {
  (ts: number): string;
}

/** "14:05" for today (in the site's zone), "Mon 3 Mar, 14:05" before that. */
export function eventTimeFormatter(timeZone: string, now: () => number = Date.now, locale = 'en-GB'): TimeFormatter {
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat(locale, { timeZone: zone });
  } catch {
    zone = 'UTC'; // an unknown zone name must not break the feed
  }
  const day = new Intl.DateTimeFormat(locale, { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const time = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const dated = new Intl.DateTimeFormat(locale, {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  return (ts: number) => (day.format(ts) === day.format(now()) ? time.format(ts) : dated.format(ts));
}
