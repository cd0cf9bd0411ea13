// Local dates (YYYY-MM-DD, a day in the site's time zone: contracts LocalDate) in the reader's
// language: "2 Jun 2025", "2. jun. 2025". A local date is a calendar day, not an instant, so it
// is formatted as that day in UTC: no zone can move it to another day.
import { locale } from './words/locale.ts';

const cache = new Map<string, Intl.DateTimeFormat>();

export function localDate(day: string): string;
export function localDate(day: string | null): string | null;
export function localDate(day: string | null): string | null {
  if (!day) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const tag = locale.tag;
  let f = cache.get(tag);
  if (!f) {
    f = new Intl.DateTimeFormat(tag, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
    cache.set(tag, f);
  }
  return f.format(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}
