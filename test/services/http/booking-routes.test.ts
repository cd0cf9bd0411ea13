// Bookings through inject() (issue 16): the plan decides what a member books, how far ahead and
// how many hours a month; no two live bookings of a room or desk overlap (the database refuses
// it); the booker or a host cancels; a host books for anyone. The clock is the helper's T0
// (Wednesday 7 May 2025, 12:00 in Copenhagen): no test depends on the time of day it runs.
import { describe, it, expect } from 'vitest';
import { httpApp, expectReply, expectRefusal } from '../../helpers/http-app.ts';

/** The feed's VEVENTs, each as its properties (folded lines joined, parameters dropped). */
function events(ics: string): Array<Record<string, string>> {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  const out: Array<Record<string, string>> = [];
  let e: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') e = {};
    else if (line === 'END:VEVENT' && e) {
      out.push(e);
      e = null;
    } else if (e) {
      const colon = line.indexOf(':');
      e[line.slice(0, colon).split(';')[0]!] = line.slice(colon + 1);
    }
  }
  return out;
}

const room = (from: string, to: string, extra: Record<string, unknown> = {}) => ({ kind: 'room', resource: 'moedelokale', from, to, ...extra });

describe('bookings', () => {
  it('a member books a room; it shows in their list and, as busy, to others', async () => {
    const h = await httpApp();
    const b = expectReply(
      'addBooking',
      await h.call('addBooking', { as: 'sofie', body: room('2025-05-08T10:00', '2025-05-08T11:00', { title: 'Kundemøde' }) }),
    );
    expect(b).toMatchObject({
      kind: 'room',
      resource: 'moedelokale',
      resourceName: 'Mødelokale',
      from: '2025-05-08T10:00',
      to: '2025-05-08T11:00',
      start: Date.UTC(2025, 4, 8, 8),
      end: Date.UTC(2025, 4, 8, 9),
      state: 'booked',
      mine: true,
      member: 'sofie',
      title: 'Kundemøde',
      doors: ['meeting'],
      pin: null,
    });
    expect(h.recompiles).toBe(1);
    expect(expectReply('myBookings', await h.call('myBookings', { as: 'sofie' })).map((x: { id: number }) => x.id)).toEqual([b.id]);
    const seen = expectReply('bookings', await h.call('bookings', { as: 'jonas', query: { date: '2025-05-08', resource: 'moedelokale' } }));
    expect(seen).toEqual([expect.objectContaining({ id: b.id, mine: false, member: null, memberName: null, title: null, pin: null })]);
    expect(expectReply('bookings', await h.call('bookings', { as: 'mette', query: { date: '2025-05-08' } }))[0]).toMatchObject({
      mine: true,
      memberName: 'Sofie Lund',
    });
    expect(expectReply('bookings', await h.call('bookings', { as: 'jonas', query: { date: '2025-05-09' } }))).toEqual([]);
    expectRefusal('bookings', await h.call('bookings', { as: 'jonas', query: { resource: 'kaelder' } }), 400, 'unknown-resource');
  });

  it('refuses an overlap, in the database too, and takes the adjacent slot', async () => {
    const h = await httpApp();
    expectReply('addBooking', await h.call('addBooking', { as: 'sofie', body: room('2025-05-08T10:00', '2025-05-08T11:00') }));
    const msg = expectRefusal(
      'addBooking',
      await h.call('addBooking', { as: 'jonas', body: room('2025-05-08T10:30', '2025-05-08T11:30') }),
      409,
      'booking-overlap',
    );
    expect(msg).toContain('Mødelokale');
    expectReply('addBooking', await h.call('addBooking', { as: 'jonas', body: room('2025-05-08T11:00', '2025-05-08T12:00') }));
    // A desk is its own resource.
    expectReply(
      'addBooking',
      await h.call('addBooking', { as: 'jonas', body: { kind: 'desk', resource: 'd01', from: '2025-05-08T10:30', to: '2025-05-08T11:30' } }),
    );
    // Requests at once: exactly one gets the slot.
    const all = await Promise.all(
      ['sofie', 'jonas', 'lars'].map((as) => h.call('addBooking', { as: as as 'sofie', body: room('2025-05-09T09:00', '2025-05-09T10:00') })),
    );
    expect(all.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    // The rule is the database's: an insert that bypasses the routes is refused as well.
    const direct = h.store.bookings.insert(
      {
        kind: 'room',
        resource: 'moedelokale',
        member: 'lars',
        start: Date.UTC(2025, 4, 8, 8, 59),
        end: Date.UTC(2025, 4, 8, 9, 1),
        title: null,
        guests: [],
        createdBy: 'lars',
      },
      h.clock.now,
    );
    expect(direct).toBe('overlap');
  });

  it('refuses what the plan does not allow, with its reason', async () => {
    const h = await httpApp();
    // Flex books 7 days ahead and 8 hours a month.
    expectRefusal('addBooking', await h.call('addBooking', { as: 'sofie', body: room('2025-05-15T10:00', '2025-05-15T11:00') }), 400, 'too-far-ahead');
    expectReply('addBooking', await h.call('addBooking', { as: 'sofie', body: room('2025-05-14T09:00', '2025-05-14T16:00') }));
    const msg = expectRefusal(
      'addBooking',
      await h.call('addBooking', { as: 'sofie', body: room('2025-05-13T09:00', '2025-05-13T11:00') }),
      409,
      'quota-exceeded',
    );
    expect(msg).toContain('1.0 of 8');
    expectReply('addBooking', await h.call('addBooking', { as: 'sofie', body: room('2025-05-13T09:00', '2025-05-13T10:00') }));
    // In the past, a time the clock never shows (the spring-forward gap), reversed, too long.
    expectRefusal('addBooking', await h.call('addBooking', { as: 'jonas', body: room('2025-05-07T10:00', '2025-05-07T11:00') }), 400, 'in-the-past');
    expectRefusal('addBooking', await h.call('addBooking', { as: 'jonas', body: room('2026-03-29T02:30', '2026-03-29T04:00') }), 400, 'bad-time');
    expectRefusal('addBooking', await h.call('addBooking', { as: 'jonas', body: room('2025-05-08T11:00', '2025-05-08T10:00') }), 400, 'bad-time');
    expectRefusal('addBooking', await h.call('addBooking', { as: 'jonas', body: room('2025-05-08T10:00', '2025-05-09T10:01') }), 400, 'bad-time');
    expectRefusal(
      'addBooking',
      await h.call('addBooking', { as: 'jonas', body: { ...room('2025-05-08T10:00', '2025-05-08T11:00'), resource: 'd01' } }),
      400,
      'unknown-resource',
    );
    // A plan that books desks only.
    expectReply(
      'changePlan',
      await h.call('changePlan', { as: 'mette', params: { id: 'flex' }, body: { booking: { rooms: [], desks: ['d01'], aheadDays: 7 } } }),
    );
    expectRefusal('addBooking', await h.call('addBooking', { as: 'sofie', body: room('2025-05-08T13:00', '2025-05-08T14:00') }), 403, 'not-allowed-room');
    expectRefusal(
      'addBooking',
      await h.call('addBooking', { as: 'sofie', body: { kind: 'desk', resource: 'd02', from: '2025-05-08T13:00', to: '2025-05-08T14:00' } }),
      403,
      'not-allowed-room',
    );
    expectReply(
      'addBooking',
      await h.call('addBooking', { as: 'sofie', body: { kind: 'desk', resource: 'd01', from: '2025-05-08T13:00', to: '2025-05-08T14:00' } }),
    );
    const bookable = expectReply('bookable', await h.call('bookable', { as: 'sofie' }));
    expect(bookable).toEqual({ rooms: [], desks: [{ id: 'd01', name: 'Skrivebord 1', zone: 'open-space' }], aheadDays: 7, hoursLeft: null });
    // A plan without booking rules books nothing.
    expectReply('changePlan', await h.call('changePlan', { as: 'mette', params: { id: 'flex' }, body: { booking: null } }));
    expectRefusal(
      'addBooking',
      await h.call('addBooking', { as: 'sofie', body: { kind: 'desk', resource: 'd01', from: '2025-05-08T15:00', to: '2025-05-08T16:00' } }),
      403,
      'not-allowed-room',
    );
  });

  it('a host books for a member without the plan’s rules; members may not', async () => {
    const h = await httpApp();
    expectRefusal(
      'addMemberBooking',
      await h.call('addMemberBooking', { as: 'jonas', params: { id: 'sofie' }, body: room('2025-05-08T10:00', '2025-05-08T11:00') }),
      403,
      'forbidden',
    );
    const b = expectReply(
      'addMemberBooking',
      await h.call('addMemberBooking', { as: 'mette', params: { id: 'sofie' }, body: room('2025-06-20T08:00', '2025-06-20T18:00') }),
    );
    expect(b).toMatchObject({ member: 'sofie', mine: true });
    expect(expectReply('myBookings', await h.call('myBookings', { as: 'sofie' }))).toHaveLength(1);
    expectRefusal(
      'addMemberBooking',
      await h.call('addMemberBooking', { as: 'mette', params: { id: 'sofie' }, body: room('2025-06-20T17:00', '2025-06-20T19:00') }),
      409,
      'booking-overlap',
    );
    expectRefusal(
      'addMemberBooking',
      await h.call('addMemberBooking', { as: 'mette', params: { id: 'nobody' }, body: room('2025-06-21T08:00', '2025-06-21T09:00') }),
      404,
      'not-found',
    );
  });

  it('the booker or a host cancels, once; the slot is free again', async () => {
    const h = await httpApp();
    const b = expectReply('addBooking', await h.call('addBooking', { as: 'sofie', body: room('2025-05-08T10:00', '2025-05-08T11:00') }));
    expectRefusal('cancelBooking', await h.call('cancelBooking', { as: 'jonas', params: { id: b.id } }), 404, 'not-found');
    expect(expectReply('cancelBooking', await h.call('cancelBooking', { as: 'sofie', params: { id: b.id } }))).toMatchObject({ state: 'cancelled' });
    expectRefusal('cancelBooking', await h.call('cancelBooking', { as: 'mette', params: { id: b.id } }), 409, 'booking-over');
    expect(expectReply('myBookings', await h.call('myBookings', { as: 'sofie' }))).toEqual([]);
    const again = expectReply('addBooking', await h.call('addBooking', { as: 'jonas', body: room('2025-05-08T10:00', '2025-05-08T11:00') }));
    expect(expectReply('cancelBooking', await h.call('cancelBooking', { as: 'mette', params: { id: again.id } }))).toMatchObject({
      state: 'cancelled',
      member: 'jonas',
    });
    expect(h.recompiles).toBe(4);
  });

  it('a guest PIN is shown to the booker and e-mailed to the guest, in Danish', async () => {
    const mails: Array<{ to: string; name: string; subject: string; text: string }> = [];
    const h = await httpApp({
      deps: {
        notice: (to, subject, text) => {
          mails.push({ to: to.email, name: to.name, subject, text });
          return Promise.resolve();
        },
      },
    });
    const b = expectReply(
      'addBooking',
      await h.call('addBooking', {
        as: 'sofie',
        body: room('2025-05-08T10:00', '2025-05-08T11:00', { guests: [{ name: 'Karin Gæst', email: 'karin@example.dk' }] }),
      }),
    );
    expectRefusal('bookingPin', await h.call('bookingPin', { as: 'jonas', params: { id: b.id }, body: {} }), 404, 'not-found');
    const withPin = expectReply('bookingPin', await h.call('bookingPin', { as: 'sofie', params: { id: b.id }, body: { email: 'karin@example.dk' } }));
    expect(withPin.pin).toMatch(/^[0-9]{6}$/);
    expect(mails).toEqual([
      {
        to: 'karin@example.dk',
        name: 'Karin Gæst',
        subject: 'Din pinkode til Mødelokale hos Klitmøller Kystkontor',
        text: expect.stringContaining(`Tast pinkoden ${withPin.pin} ved døren (Mødelokale)`) as string,
      },
    ]);
    expect(mails[0]!.text).toContain('2025-05-08 10:00–11:00');
    // Asked again: the same PIN (one per booking), shown to the booker and hosts, not to others.
    expect(expectReply('bookingPin', await h.call('bookingPin', { as: 'mette', params: { id: b.id }, body: {} })).pin).toBe(withPin.pin);
    expect(expectReply('bookings', await h.call('bookings', { as: 'jonas', query: { date: '2025-05-08' } }))[0].pin).toBeNull();
    expectReply('cancelBooking', await h.call('cancelBooking', { as: 'sofie', params: { id: b.id } }));
    expectRefusal('bookingPin', await h.call('bookingPin', { as: 'sofie', params: { id: b.id }, body: {} }), 409, 'booking-over');
  });

  it('calendar feeds: secret addresses per member and per room, with the door and the PIN, following changes, revocable', async () => {
    const h = await httpApp();
    const b = expectReply(
      'addBooking',
      await h.call('addBooking', { as: 'sofie', body: room('2025-05-08T10:00', '2025-05-08T11:00', { title: 'Kundemøde', guestPin: true }) }),
    );
    const mine = expectReply('addCalendarFeed', await h.call('addCalendarFeed', { as: 'sofie', body: {} }));
    const roomFeed = expectReply('addCalendarFeed', await h.call('addCalendarFeed', { as: 'jonas', body: { room: 'moedelokale' } }));
    expect(mine.url).toMatch(/^\/api\/calendar\/[A-Za-z0-9_-]{32}\.ics$/);
    expectRefusal('addCalendarFeed', await h.call('addCalendarFeed', { as: 'jonas', body: { room: 'd01' } }), 400, 'unknown-resource');
    expect(expectReply('calendarFeeds', await h.call('calendarFeeds', { as: 'sofie' }))).toEqual([
      { id: mine.id, room: null, url: null, createdAt: expect.any(Number) },
    ]);
    // No login: the address is the key.
    const fetchFeed = (url: string) => h.app.inject({ method: 'GET', url });
    const res = await fetchFeed(mine.url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const ics = res.body.replace(/\r\n /g, '');
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain(`UID:booking-${b.id}@klitmoller`);
    expect(ics).toContain('DTSTART:20250508T080000Z');
    expect(ics).toContain('DTEND:20250508T090000Z');
    expect(ics).toContain('SUMMARY:Mødelokale: Kundemøde');
    expect(ics).toContain(`Dør: Mødelokale\\nPinkode til gæster: ${b.pin}`);
    // The room's feed shows others' bookings as busy, without the title or the PIN.
    const busy = (await fetchFeed(roomFeed.url)).body;
    expect(busy).toContain('SUMMARY:Mødelokale: Optaget');
    expect(busy).not.toContain(String(b.pin));
    expect(busy).not.toContain('Kundemøde');
    // A change is in the next fetch: the event stays, cancelled (the next test looks closer).
    expectReply('cancelBooking', await h.call('cancelBooking', { as: 'sofie', params: { id: b.id } }));
    expect(events((await fetchFeed(mine.url)).body)).toEqual([expect.objectContaining({ UID: `booking-${b.id}@klitmoller`, STATUS: 'CANCELLED' })]);
    // Revoked: gone. A made-up address: the same answer.
    expectRefusal('revokeCalendarFeed', await h.call('revokeCalendarFeed', { as: 'jonas', params: { id: mine.id } }), 404, 'not-found');
    expectReply('revokeCalendarFeed', await h.call('revokeCalendarFeed', { as: 'sofie', params: { id: mine.id } }));
    expect((await fetchFeed(mine.url)).statusCode).toBe(404);
    expect((await fetchFeed(`/api/calendar/${'x'.repeat(32)}.ics`)).statusCode).toBe(404);
  });

  it('calendar feeds keep a cancelled or released booking as STATUS:CANCELLED with its UID and a higher SEQUENCE, without the PIN', async () => {
    const h = await httpApp();
    const book = async (from: string, to: string) =>
      expectReply('addBooking', await h.call('addBooking', { as: 'sofie', body: room(from, to, { guestPin: true, guests: [{ name: 'Karin Gæst' }] }) }));
    const cancelled = await book('2025-05-08T10:00', '2025-05-08T11:00');
    const released = await book('2025-05-09T10:00', '2025-05-09T11:00');
    const kept = expectReply('addBooking', await h.call('addBooking', { as: 'sofie', body: room('2025-05-12T10:00', '2025-05-12T11:00') }));
    const mine = expectReply('addCalendarFeed', await h.call('addCalendarFeed', { as: 'sofie', body: {} }));
    const roomFeed = expectReply('addCalendarFeed', await h.call('addCalendarFeed', { as: 'jonas', body: { room: 'moedelokale' } }));
    const feed = async (url: string) => {
      const res = await h.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      return new Map(events(res.body).map((e) => [e.UID, e]));
    };
    const uid = (b: { id: number }) => `booking-${b.id}@klitmoller`;
    const before = await feed(mine.url);
    expect([...before.values()].map((e) => [e.STATUS, e.SEQUENCE])).toEqual([
      ['CONFIRMED', '0'],
      ['CONFIRMED', '0'],
      ['CONFIRMED', '0'],
    ]);
    expect(before.get(uid(cancelled))!.DESCRIPTION).toContain(String(cancelled.pin));
    // A guest PIN added later is a change too.
    expectReply('bookingPin', await h.call('bookingPin', { as: 'sofie', params: { id: kept.id }, body: {} }));
    expectReply('cancelBooking', await h.call('cancelBooking', { as: 'sofie', params: { id: cancelled.id } }));
    // The no-show release (services/bookings/no-show.ts) ends it the same way.
    expect(h.store.bookings.end(released.id, 'released', h.clock.now)).toBe(true);
    for (const url of [mine.url, roomFeed.url]) {
      const after = await feed(url);
      for (const b of [cancelled, released]) {
        const e = after.get(uid(b))!;
        expect(e, `${url} ${uid(b)}`).toMatchObject({ STATUS: 'CANCELLED', SEQUENCE: '1', DTSTART: before.get(uid(b))!.DTSTART });
        expect(Number(e.SEQUENCE)).toBeGreaterThan(Number(before.get(uid(b))!.SEQUENCE));
        expect(JSON.stringify(e)).not.toContain(String(b.pin));
        expect(JSON.stringify(e)).not.toContain('Karin');
      }
      expect(after.get(uid(kept))).toMatchObject({ STATUS: 'CONFIRMED', SEQUENCE: '1' });
    }
    const withPin = h.store.bookings.byId(kept.id)!.pin!;
    expect((await feed(mine.url)).get(uid(kept))!.DESCRIPTION).toContain(withPin);
    // Kept for 30 days after the booking's end, then gone from the feed.
    h.clock.now = cancelled.end + 30 * 86_400_000 - 1;
    expect((await feed(mine.url)).has(uid(cancelled))).toBe(true);
    h.clock.now = cancelled.end + 30 * 86_400_000 + 1;
    expect((await feed(mine.url)).has(uid(cancelled))).toBe(false);
  });

  it('are in the member’s own data export, cancelled ones too, without a PIN fingerprint or a feed address', async () => {
    const h = await httpApp();
    const kept = expectReply(
      'addBooking',
      await h.call('addBooking', { as: 'sofie', body: room('2025-05-08T10:00', '2025-05-08T11:00', { title: 'Kundemøde' }) }),
    );
    const gone = expectReply('addBooking', await h.call('addBooking', { as: 'sofie', body: room('2025-05-09T10:00', '2025-05-09T11:00') }));
    expectReply('cancelBooking', await h.call('cancelBooking', { as: 'sofie', params: { id: gone.id } }));
    expectReply('bookingPin', await h.call('bookingPin', { as: 'sofie', params: { id: kept.id }, body: {} }));
    const feed = expectReply('addCalendarFeed', await h.call('addCalendarFeed', { as: 'sofie', body: {} }));
    const data = expectReply('myExport', await h.call('myExport', { as: 'sofie' }));
    expect(data.bookings).toEqual([
      expect.objectContaining({
        id: kept.id,
        resource: 'moedelokale',
        start: '2025-05-08T10:00',
        end: '2025-05-08T11:00',
        title: 'Kundemøde',
        state: 'booked',
      }),
      expect.objectContaining({ id: gone.id, state: 'cancelled' }),
    ]);
    expect((data.bookings as Record<string, unknown>[])[0]!.pin).toMatch(/^[0-9]{6}$/);
    expect(JSON.stringify(data)).not.toContain('pinFp');
    expect(data.calendarFeeds).toEqual([{ id: feed.id, room: null, createdAt: expect.any(Number) }]);
    expect(JSON.stringify(data)).not.toContain(
      String(feed.url)
        .replace(/^.*\/api\/calendar\//, '')
        .replace(/\.ics$/, ''),
    );
    expect(data.networkVisits).toEqual([]);
    expect((data.member as Record<string, unknown>).networkMember).toBe(false);
  });
});
