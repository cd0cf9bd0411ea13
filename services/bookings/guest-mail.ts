// The e-mail a booking's guest gets with its PIN (issue 16): the room, the time, the door and
// the PIN, in the site's alerts language. Sent through the alert centre's SMTP transport.
import type { BookingView } from '../../contracts/api/bookings.ts';

const WORDS = {
  da: {
    subject: (room: string, site: string) => `Din pinkode til ${room} hos ${site}`,
    body: (room: string, from: string, to: string, doors: string, pin: string, grace: number) =>
      `Du er inviteret til ${room} ${from}–${to}.\n\nTast pinkoden ${pin} ved døren (${doors}). Den virker fra ${grace} minutter før til ${grace} minutter efter bookingen, og ikke hvis bookingen bliver aflyst.`,
  },
  en: {
    subject: (room: string, site: string) => `Your PIN for ${room} at ${site}`,
    body: (room: string, from: string, to: string, doors: string, pin: string, grace: number) =>
      `You are invited to ${room} ${from}–${to}.\n\nEnter the PIN ${pin} at the door (${doors}). It works from ${grace} minutes before to ${grace} minutes after the booking, and not if the booking is cancelled.`,
  },
} as const;

export function guestPinMail(
  b: BookingView,
  o: { language: 'da' | 'en'; site: string; graceMin: number; doorName: (id: string) => string },
): { subject: string; text: string } | null {
  if (b.pin === null) return null;
  const w = WORDS[o.language];
  const doors = b.doors.map(o.doorName).join(', ');
  return {
    subject: w.subject(b.resourceName, o.site),
    text: w.body(b.resourceName, b.from.replace('T', ' '), b.to.slice(11), doors, b.pin, o.graceMin),
  };
}
