// The bookings screen (issue 16 part 1): a member books a free hour in three taps (day, hour,
// confirm), sees it in their bookings, cancels it after a confirm step and makes a guest pinkode;
// a refusal (another booked the hour first) is said in words; a host sees who booked each hour.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BookableView, BookingView, MemberView } from '../../contracts/api/index.ts';
import '../../dashboard/src/components/bookings-panel.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { T0, click, fakeFetch, jsonBody, settle, text, typeIn } from './fixtures.ts';

// T0 is Monday 2 June 2025, 10:30 in Copenhagen: "tomorrow" is 2025-06-03.
const BOOKABLE: BookableView = {
  rooms: [{ id: 'moedelokale', name: 'Mødelokale', doors: ['meeting'], zone: null }],
  desks: [],
  aheadDays: 7,
  hoursLeft: 8,
};

function booking(over: Partial<BookingView> = {}): BookingView {
  return {
    id: 7,
    kind: 'room',
    resource: 'moedelokale',
    resourceName: 'Mødelokale',
    from: '2025-06-03T10:00',
    to: '2025-06-03T11:00',
    start: 0,
    end: 0,
    state: 'booked',
    mine: true,
    member: 'sofie',
    memberName: 'Sofie Lund',
    title: null,
    guests: [],
    doors: ['meeting'],
    pin: null,
    ...over,
  };
}

/** Someone else's hour, as a member sees it: busy, no name. */
const OTHERS = booking({ id: 3, from: '2025-06-03T14:00', to: '2025-06-03T15:00', mine: false, member: null, memberName: null });

async function mount(answers: Parameters<typeof fakeFetch>[0], role = 'member') {
  const api = fakeFetch(answers);
  vi.stubGlobal('fetch', api.fn);
  const el = document.createElement('ss-bookings');
  el.now = () => T0;
  el.setAttribute('time-zone', 'Europe/Copenhagen');
  el.setAttribute('role', role);
  document.body.append(el);
  await settle(el);
  const q = (sel: string) => el.shadowRoot!.querySelector<HTMLElement>(sel);
  return { el, api, q, calls: () => api.calls.map((c) => `${c.init?.method ?? 'GET'} ${c.url}`) };
}

const state = (q: (s: string) => HTMLElement | null, slot: string) => q(`[data-slot="${slot}"]`)?.dataset.state;

afterEach(() => {
  history.replaceState(null, '', '/');
  locale.reset();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('bookings', () => {
  it('books tomorrow 10:00 in three taps, in Danish, and shows it in my bookings', async () => {
    locale.set('da', false);
    const { el, api, q, calls } = await mount([
      { status: 200, body: BOOKABLE },
      { status: 200, body: [] },
      { status: 200, body: [] }, // today
      { status: 200, body: [OTHERS] }, // tomorrow
      { status: 201, body: booking() },
      { status: 200, body: { ...BOOKABLE, hoursLeft: 7 } },
      { status: 200, body: [booking()] },
      { status: 200, body: [booking(), OTHERS] },
    ]);
    expect(calls()).toEqual(['GET /api/bookable', 'GET /api/me/bookings', 'GET /api/bookings?date=2025-06-02&resource=moedelokale']);
    // Today: the hours before now are over, the rest free.
    expect(state(q, '09:00')).toBe('past');
    expect(state(q, '10:00')).toBe('free'); // 10:30 now: the hour is not over
    expect(text(q('[data-testid=mine]'))).toMatch(/Du har ingen kommende bookinger/);

    await click(el, '[data-day="2025-06-03"]');
    expect(text(q('h3'))).toBe('Mødelokale, I morgen');
    expect(state(q, '14:00')).toBe('busy');
    expect(text(q('[data-slot="14:00"]'))).toBe('14:00–15:00 optaget');
    expect(state(q, '10:00')).toBe('free');
    await click(el, '[data-slot="10:00"]');
    expect(text(q('[data-testid=book-confirm] p'))).toBe('Book Mødelokale I morgen 10:00–11:00?');
    await click(el, '[data-action=book]');

    const post = api.calls[4]!;
    expect([post.init?.method, post.url, jsonBody(post.init)]).toEqual([
      'POST',
      '/api/bookings',
      { kind: 'room', resource: 'moedelokale', from: '2025-06-03T10:00', to: '2025-06-03T11:00' },
    ]);
    expect(text(q('[data-testid=note]'))).toBe('Booket: Mødelokale I morgen 10:00–11:00.');
    expect(text(q('[data-testid=hours-left]'))).toBe('7 timer tilbage i denne måned');
    expect(state(q, '10:00')).toBe('busy');
    expect(text(q('[data-testid=mine] [data-booking="7"] span'))).toBe('Mødelokale I morgen 10:00–11:00');
    expect(api.calls).toHaveLength(8);
  });

  it('says in words why a booking was refused, and shows the hour taken', async () => {
    const { el, q } = await mount([
      { status: 200, body: BOOKABLE },
      { status: 200, body: [] },
      { status: 200, body: [] },
      { status: 200, body: [] },
      { status: 409, body: { error: 'booking-overlap', message: 'Mødelokale is already booked in that time.', statusCode: 409 } },
      { status: 200, body: BOOKABLE },
      { status: 200, body: [] },
      { status: 200, body: [OTHERS] },
    ]);
    await click(el, '[data-day="2025-06-03"]');
    await click(el, '[data-slot="14:00"]');
    await click(el, '[data-action=book]');
    expect(text(q('[data-testid=note]'))).toBe('Could not book: the room or desk is already booked at that time. Choose another.');
    expect(q('[data-testid=note]')!.getAttribute('role')).toBe('alert');
    expect(q('[data-testid=book-confirm]')).toBeNull();
    expect(state(q, '14:00')).toBe('busy');
  });

  it('cancels my booking only after I confirm, and makes a guest pinkode to share', async () => {
    locale.set('da', false);
    const { el, api, q, calls } = await mount([
      { status: 200, body: BOOKABLE },
      { status: 200, body: [booking()] },
      { status: 200, body: [] },
      { status: 201, body: booking({ pin: '482913' }) },
      { status: 200, body: booking({ state: 'cancelled' }) },
      { status: 200, body: BOOKABLE },
      { status: 200, body: [] },
      { status: 200, body: [] },
    ]);
    await click(el, '[data-booking="7"] [data-action=make-pin]');
    expect(calls()[3]).toBe('POST /api/bookings/7/pin');
    expect(text(q('[data-testid=guest-pin]'))).toMatch(/^Pinkode til gæst 482913 Kopiér Åbner lokalets dør kun under bookingen/);

    await click(el, '[data-booking="7"] [data-action=cancel-booking]');
    expect(text(q('[data-testid=cancel-confirm]'))).toMatch(/^Aflys denne booking\?/);
    expect(api.calls).toHaveLength(4); // nothing sent before the confirm
    await click(el, '[data-action=cancel-yes]');
    expect(calls()[4]).toBe('DELETE /api/bookings/7');
    expect(text(q('[data-testid=note]'))).toBe('Bookingen er aflyst.');
    expect(text(q('[data-testid=mine]'))).toMatch(/Du har ingen kommende bookinger/);
  });

  it('says why a cancel failed', async () => {
    const { el, q } = await mount([
      { status: 200, body: BOOKABLE },
      { status: 200, body: [booking()] },
      { status: 200, body: [] },
      { status: 409, body: { error: 'booking-over', message: 'over', statusCode: 409 } },
    ]);
    await click(el, '[data-action=cancel-booking]');
    await click(el, '[data-action=cancel-yes]');
    expect(text(q('[data-testid=note]'))).toBe('Could not cancel the booking: the booking is cancelled, released or over. Reload the list.');
  });

  it('shows a host who booked each hour of the room’s day, and lets them cancel any', async () => {
    const lars = booking({ id: 9, from: '2025-06-02T13:00', to: '2025-06-02T15:00', member: 'lars', memberName: 'Lars Vestergaard' });
    const { el, q, calls } = await mount(
      [
        { status: 200, body: { ...BOOKABLE, aheadDays: null, hoursLeft: null } },
        { status: 200, body: [] },
        { status: 200, body: [lars] },
        { status: 200, body: lars },
        { status: 200, body: { ...BOOKABLE, aheadDays: null, hoursLeft: null } },
        { status: 200, body: [] },
        { status: 200, body: [] },
      ],
      'host',
    );
    expect(text(q('[data-slot="13:00"]'))).toBe('13:00–14:00 booked by Lars Vestergaard');
    expect(state(q, '14:00')).toBe('busy');
    expect(q('[data-testid=hours-left]')).toBeNull();
    expect(el.shadowRoot!.querySelectorAll('[data-day]')).toHaveLength(14);
    expect(text(q('[data-testid=day] [data-booking="9"] span'))).toBe('13:00–15:00 Lars Vestergaard');
    await click(el, '[data-testid=day] [data-action=cancel-booking]');
    await click(el, '[data-testid=day] [data-action=cancel-yes]');
    expect(calls()[3]).toBe('DELETE /api/bookings/9');
    expect(text(q('[data-testid=day]'))).toMatch(/Nobody has booked this day/);
  });

  it('opens on the desk and day the address names (a floor plan link, a reload), and keeps the choice there', async () => {
    locale.set('da', false);
    history.replaceState(null, '', '/bookings?desk=d01&day=2025-06-03');
    const withDesk: BookableView = { ...BOOKABLE, desks: [{ id: 'd01', name: 'Skrivebord 1', zone: 'open-space' }] };
    const { el, q, calls } = await mount([
      { status: 200, body: withDesk },
      { status: 200, body: [] },
      { status: 200, body: [] }, // d01 tomorrow
      { status: 200, body: [OTHERS] }, // the room tomorrow
    ]);
    expect(calls()).toEqual(['GET /api/bookable', 'GET /api/me/bookings', 'GET /api/bookings?date=2025-06-03&resource=d01']);
    expect(text(q('h3'))).toBe('Skrivebord 1, I morgen');
    expect(q('[data-resource=d01]')!.getAttribute('aria-pressed')).toBe('true');
    expect(q('[data-day="2025-06-03"]')!.getAttribute('aria-pressed')).toBe('true');
    expect(q('[data-testid=for-whom]')).toBeNull(); // a member books only for themself
    await click(el, '[data-resource=moedelokale]');
    expect(location.pathname + location.search).toBe('/bookings?room=moedelokale&day=2025-06-03');
    expect(text(q('h3'))).toBe('Mødelokale, I morgen');
  });

  it('says so when the address names something the person may not book, and a day out of reach is today', async () => {
    locale.set('da', false);
    history.replaceState(null, '', '/bookings?desk=d09&day=2025-07-30');
    const { q, calls } = await mount([
      { status: 200, body: BOOKABLE },
      { status: 200, body: [] },
      { status: 200, body: [] },
    ]);
    expect(calls()[2]).toBe('GET /api/bookings?date=2025-06-02&resource=moedelokale');
    expect(text(q('[data-testid=note]'))).toBe('Det lokale eller skrivebord kan du ikke booke: vælg et nedenfor.');
    expect(location.pathname + location.search).toBe('/bookings?room=moedelokale&day=2025-06-02');
  });

  it('lets a host find a member and book for them; the day shows the member’s name', async () => {
    locale.set('da', false);
    const member = (id: string, name: string): MemberView => ({
      id,
      name,
      email: `${id}@kystkontor.dk`,
      role: 'member',
      plan: 'resident',
      status: 'active',
      presenceOptIn: false,
      createdAt: 0,
      credentials: 1,
    });
    const forLars = booking({ id: 11, member: 'lars', memberName: 'Lars Vestergaard' });
    const HOST: BookableView = { ...BOOKABLE, aheadDays: null, hoursLeft: null };
    const { el, api, q, calls } = await mount(
      [
        { status: 200, body: HOST },
        { status: 200, body: [] },
        { status: 200, body: [] },
        { status: 200, body: { items: [member('lars', 'Lars Vestergaard'), member('sofie', 'Sofie Lund')], total: 2 } },
        { status: 200, body: [] }, // tomorrow
        { status: 201, body: forLars },
        { status: 200, body: HOST },
        { status: 200, body: [] }, // the host's own bookings: not Lars's
        { status: 200, body: [forLars] },
      ],
      'host',
    );
    expect(text(q('[data-testid=for-member]'))).toBe('Mig selv');
    typeIn(el.shadowRoot!, '#member-find', 'lar');
    await settle(el);
    expect(calls()[3]).toBe('GET /api/members?status=active&limit=500');
    expect([...el.shadowRoot!.querySelectorAll('[data-member]')].map((b) => text(b))).toEqual(['Lars Vestergaard']);
    await click(el, '[data-member=lars]');
    expect(text(q('[data-testid=for-member]'))).toBe('Lars Vestergaard');
    expect(el.shadowRoot!.querySelector('[data-member]')).toBeNull();

    await click(el, '[data-day="2025-06-03"]');
    await click(el, '[data-slot="10:00"]');
    expect(text(q('[data-testid=book-confirm] p'))).toBe('Book Mødelokale I morgen 10:00–11:00 til Lars Vestergaard?');
    await click(el, '[data-action=book]');
    const post = api.calls[5]!;
    expect([post.init?.method, post.url, jsonBody(post.init)]).toEqual([
      'POST',
      '/api/members/lars/bookings',
      { kind: 'room', resource: 'moedelokale', from: '2025-06-03T10:00', to: '2025-06-03T11:00' },
    ]);
    expect(text(q('[data-testid=note]'))).toBe('Booket til Lars Vestergaard: Mødelokale I morgen 10:00–11:00.');
    expect(text(q('[data-slot="10:00"]'))).toBe('10:00–11:00 booket af Lars Vestergaard');
    expect(text(q('[data-testid=day] [data-booking="11"] span'))).toBe('10:00–11:00 Lars Vestergaard');
    expect(api.calls).toHaveLength(9);
  });
});
