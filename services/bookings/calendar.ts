// Calendar feeds of bookings (issue 16): iCalendar (RFC 5545) through ical-generator, one event
// per live booking with the room, its doors and the guest PIN when the feed's owner may see it.
// A feed is built when a calendar app asks, from the bookings as they are, so a change (a new
// booking, a cancel, a no-show release) is in the next fetch; the event's UID stays the same.
import ical from 'ical-generator';
import type { BookingView } from '../../contracts/api/bookings.ts';

const WORDS = {
  da: { door: 'Dør', doors: 'Døre', pin: 'Pinkode til gæster', guests: 'Gæster', busy: 'Optaget' },
  en: { door: 'Door', doors: 'Doors', pin: 'Guest PIN', guests: 'Guests', busy: 'Busy' },
} as const;

export interface FeedOptions {
  name: string;
  site: string;
  language: 'da' | 'en';
  /** Door names by id. */
  doorName: (id: string) => string;
  now: number;
}

export function calendarFeed(bookings: readonly BookingView[], o: FeedOptions): string {
  const w = WORDS[o.language];
  const cal = ical({ name: o.name, prodId: { company: 'smartspace', product: 'bookings', language: o.language.toUpperCase() }, ttl: 15 * 60 });
  for (const b of bookings) {
    const lines: string[] = [];
    if (b.doors.length > 0) lines.push(`${b.doors.length === 1 ? w.door : w.doors}: ${b.doors.map(o.doorName).join(', ')}`);
    if (b.pin !== null) lines.push(`${w.pin}: ${b.pin}`);
    if (b.guests.length > 0) lines.push(`${w.guests}: ${b.guests.map((g) => g.name).join(', ')}`);
    cal.createEvent({
      id: `booking-${b.id}@${o.site}`,
      start: new Date(b.start),
      end: new Date(b.end),
      stamp: new Date(o.now),
      summary: b.mine ? (b.title ? `${b.resourceName}: ${b.title}` : b.resourceName) : `${b.resourceName}: ${w.busy}`,
      location: b.resourceName,
      description: lines.join('\n') || null,
    });
  }
  return cal.toString();
}
