// Rate limits on what makes bookings, guest PINs (each may e-mail someone) and calendar feeds:
// per member and per client address, through the services' limiter (@fastify/rate-limit). The
// request over a limit answers 429 with Retry-After and a message saying what was counted; it
// changes nothing, and another member (or address) goes on as before. The windows are ten minutes
// and no test waits for one to pass.
import { describe, it, expect } from 'vitest';
import { httpApp, expectReply, expectRefusal, type HttpApp, type Person } from '../../helpers/http-app.ts';
import { BOOKING_LIMITS } from '../../../services/http/routes/bookings.ts';

const desk = (day: string, hour: number) => ({
  kind: 'desk',
  resource: 'd01',
  from: `${day}T${String(hour).padStart(2, '0')}:00`,
  to: `${day}T${String(hour).padStart(2, '0')}:30`,
});

/** The 429's message, after checking its Retry-After (a whole number of seconds within the window). */
function refusedFor(name: Parameters<typeof expectRefusal>[0], res: Awaited<ReturnType<HttpApp['call']>>): string {
  const message = expectRefusal(name, res, 429, 'rate-limited');
  const after = Number(res.headers['retry-after']);
  expect(Number.isInteger(after) && after > 0 && after <= 600, `Retry-After ${String(res.headers['retry-after'])}`).toBe(true);
  return message;
}

describe('booking rate limits', () => {
  it('the 31st booking in ten minutes from one account is refused with its reason and books nothing; another member books', async () => {
    const h = await httpApp();
    const [perMember] = BOOKING_LIMITS.book;
    expect(perMember.max).toBe(30);
    // A host books without the plan's rules, so only the rate limit can stop these.
    for (let i = 0; i < perMember.max; i++) {
      const day = i < 15 ? '2025-05-08' : '2025-05-09';
      expectReply('addBooking', await h.call('addBooking', { as: 'mette', body: desk(day, 7 + (i % 15)) }));
    }
    const before = h.store.bookings.allOf('mette', 1000).length;
    const recompiles = h.recompiles;
    const over = await h.call('addBooking', { as: 'mette', body: desk('2025-05-10', 9) });
    expect(refusedFor('addBooking', over)).toMatch(/^Too many bookings from your account: at most 30 in 10 minutes\. Try again in \d+ (minute|second)s?\.$/);
    // Booking for someone else counts on the same account.
    refusedFor('addMemberBooking', await h.call('addMemberBooking', { as: 'mette', params: { id: 'lars' }, body: desk('2025-05-10', 10) }));
    expect(h.store.bookings.allOf('mette', 1000)).toHaveLength(before);
    expect(h.store.bookings.allOf('lars', 1000)).toHaveLength(0);
    expect(h.recompiles).toBe(recompiles);
    // Another member, from the same address, is not held by mette's count.
    const theirs = expectReply('addBooking', await h.call('addBooking', { as: 'sofie', body: { ...desk('2025-05-10', 9), resource: 'd02' } }));
    expect(theirs).toMatchObject({ member: 'sofie', state: 'booked' });
  });

  it('guest PIN requests (each may e-mail the guest) stop at 20 per account; no e-mail goes out for the refused one', async () => {
    const mails: string[] = [];
    const h = await httpApp({ deps: { notice: (to) => (mails.push(to.email), Promise.resolve()) } });
    const b = expectReply(
      'addBooking',
      await h.call('addBooking', {
        as: 'sofie',
        body: {
          kind: 'room',
          resource: 'moedelokale',
          from: '2025-05-08T10:00',
          to: '2025-05-08T11:00',
          guests: [{ name: 'Karin', email: 'karin@example.dk' }],
        },
      }),
    );
    const [perMember] = BOOKING_LIMITS.pin;
    const ask = (as: Person) => h.call('bookingPin', { as, params: { id: b.id }, body: { email: 'karin@example.dk' } });
    for (let i = 0; i < perMember.max; i++) expectReply('bookingPin', await ask('sofie'));
    expect(mails).toHaveLength(perMember.max);
    expect(refusedFor('bookingPin', await ask('sofie'))).toContain('Too many guest PIN requests from your account');
    expect(mails).toHaveLength(perMember.max);
    // The host may still send it.
    expectReply('bookingPin', await ask('mette'));
    expect(mails).toHaveLength(perMember.max + 1);
  });

  it('calendar feeds: 10 per account, 40 per address; a fifth member on the same address is refused, on another is not', async () => {
    const h = await httpApp();
    const [perMember, perIp] = BOOKING_LIMITS.feed;
    expect([perMember.max, perIp.max]).toEqual([10, 40]);
    const add = async (as: Person, remoteAddress: string) =>
      h.app.inject({ method: 'POST', url: '/api/me/calendar-feeds', remoteAddress, headers: { cookie: await h.login(as) }, payload: {} });
    const shared = '198.51.100.7';
    for (const as of ['mette', 'jonas', 'sofie', 'lars'] as const) {
      for (let i = 0; i < perMember.max; i++) expect((await add(as, shared)).statusCode).toBe(201);
    }
    // jonas is over his own count, wherever he asks from.
    expect(refusedFor('addCalendarFeed', await add('jonas', '203.0.113.9'))).toContain('calendar feeds from your account');
    // ida has made none, but her address has made 40.
    expect(refusedFor('addCalendarFeed', await add('ida', shared))).toContain('calendar feeds from this address');
    expect(h.store.bookings.feedsOf('ida')).toEqual([]);
    expect((await add('ida', '203.0.113.9')).statusCode).toBe(201);
    expect(h.store.bookings.feedsOf('ida')).toHaveLength(1);
  });
});
