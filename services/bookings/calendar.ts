// Calendar feeds of bookings (issue 16): iCalendar (RFC 5545) through ical-generator, one event
// per booking with the room, its doors and the guest PIN when the feed's owner may see it.
// A feed is built when a calendar app asks, from the bookings as they are, so a change (a new
// booking, a cancel, a no-show release) is in the next fetch; the event's UID stays the same and
// its SEQUENCE (RFC 5545 §3.8.7.4) counts the changes. A cancelled or released booking stays as
// STATUS:CANCELLED (§3.8.1.11), without its PIN or guests, so calendar apps take it away.
import ical, { ICalEventStatus } from 'ical-generator';
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

/** A booking as its feed's owner sees it, with how often it changed (the event's SEQUENCE). */
export type FeedBooking = BookingView & { sequence: number };

export function calendarFeed(bookings: readonly FeedBooking[], o: FeedOptions): string {
  const w = WORDS[o.language];
  const cal = ical({ name: o.name, prodId: { company: 'smartspace', product: 'bookings', language: o.language.toUpperCase() }, ttl: 15 * 60 });
  for (const b of bookings) {
    const live = b.state === 'booked';
    const lines: string[] = [];
    if (b.doors.length > 0) lines.push(`${b.doors.length === 1 ? w.door : w.doors}: ${b.doors.map(o.doorName).join(', ')}`);
    if (live && b.pin !== null) lines.push(`${w.pin}: ${b.pin}`);
    if (live && b.guests.length > 0) lines.push(`${w.guests}: ${b.guests.map((g) => g.name).join(', ')}`);
    cal.createEvent({
      id: `booking-${b.id}@${o.site}`,
      sequence: b.sequence,
      status: live ? ICalEventStatus.CONFIRMED : ICalEventStatus.CANCELLED,
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
