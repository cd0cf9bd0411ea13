// »Kalender« on the bookings screen (issue 16): a member makes their calendar address, sees it
// once (https and webcal) with the words that it is shown only now, lists and revokes it after a
// confirm; a host also makes one per room.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BookableView, CalendarFeedView } from '../../contracts/api/index.ts';
import '../../dashboard/src/components/calendar-feeds.ts';
import { feedAddresses } from '../../dashboard/src/components/calendar-feeds.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { T0, click, fakeFetch, jsonBody, settle, text } from './fixtures.ts';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz012345';

async function mount(answers: Parameters<typeof fakeFetch>[0], role = 'member') {
  const api = fakeFetch(answers);
  vi.stubGlobal('fetch', api.fn);
  const el = document.createElement('ss-calendar-feeds');
  el.setAttribute('time-zone', 'Europe/Copenhagen');
  el.setAttribute('role', role);
  document.body.append(el);
  await settle(el);
  const q = (sel: string) => el.shadowRoot!.querySelector<HTMLElement>(sel);
  return { el, api, q, calls: () => api.calls.map((c) => `${c.init?.method ?? 'GET'} ${c.url}`) };
}

afterEach(() => {
  locale.reset();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('calendar feeds', () => {
  it('gives the address as https and webcal', () => {
    expect(feedAddresses(`/api/calendar/${TOKEN}.ics`, 'https://kystkontor.dk')).toEqual({
      https: `https://kystkontor.dk/api/calendar/${TOKEN}.ics`,
      webcal: `webcal://kystkontor.dk/api/calendar/${TOKEN}.ics`,
    });
  });

  it('makes my address, shows it once with why, lists it and revokes it after a confirm, in Danish', async () => {
    locale.set('da', false);
    const made: CalendarFeedView = { id: 4, room: null, url: `/api/calendar/${TOKEN}.ics`, createdAt: T0 };
    const { el, api, q, calls } = await mount([{ status: 200, body: [] }, { status: 201, body: made }, { status: 204 }]);
    expect(calls()).toEqual(['GET /api/me/calendar-feeds']);
    expect(text(q('[data-testid=calendar]'))).toMatch(/^Kalender En kalenderadresse er et hemmeligt link, som telefonens kalender/);
    expect(text(q('[data-testid=calendar]'))).toMatch(/Du har ingen kalenderadresser endnu\.$/);
    expect(q('[data-action=make-room-feed]')).toBeNull(); // rooms: hosts only

    await click(el, '[data-action=make-feed]');
    expect([api.calls[1]!.init?.method, api.calls[1]!.url, jsonBody(api.calls[1]!.init)]).toEqual(['POST', '/api/me/calendar-feeds', {}]);
    const url = `${location.origin}/api/calendar/${TOKEN}.ics`;
    expect(text(q('[data-testid=feed-url]'))).toBe(url);
    expect(q('[data-action=subscribe]')!.getAttribute('href')).toBe(url.replace(/^https?:/, 'webcal:'));
    expect(text(q('[data-testid=feed-fresh]'))).toMatch(/Den vises kun nu: vi gemmer kun et fingeraftryk af den/);
    expect(text(q('[data-feed="4"]'))).toMatch(/^Mine bookinger lavet 2\. jun\. 2025/);

    // Gone when done: the address cannot be shown again.
    await click(el, '[data-action=feed-done]');
    expect(q('[data-testid=feed-url]')).toBeNull();

    await click(el, '[data-feed="4"] [data-action=revoke-feed]');
    expect(text(q('[data-feed="4"] [role=alertdialog]'))).toMatch(/^Tilbagekald adressen\?/);
    expect(api.calls).toHaveLength(2); // nothing sent before the confirm
    await click(el, '[data-action=revoke-yes]');
    expect(calls()[2]).toBe('DELETE /api/me/calendar-feeds/4');
    expect(text(q('[data-testid=feed-note]'))).toBe('Kalenderadressen er tilbagekaldt.');
    expect(q('[data-feed="4"]')).toBeNull();
  });

  it('lets a host make an address per room', async () => {
    const bookable: BookableView = {
      rooms: [{ id: 'moedelokale', name: 'Mødelokale', doors: ['meeting'], zone: null }],
      desks: [],
      aheadDays: null,
      hoursLeft: null,
    };
    const { el, api, q, calls } = await mount(
      [
        { status: 200, body: [] },
        { status: 200, body: bookable },
        { status: 201, body: { id: 5, room: 'moedelokale', url: `/api/calendar/${TOKEN}.ics`, createdAt: T0 } },
      ],
      'host',
    );
    expect(calls()).toEqual(['GET /api/me/calendar-feeds', 'GET /api/bookable']);
    await click(el, '[data-action=make-room-feed][data-room=moedelokale]');
    expect(jsonBody(api.calls[2]!.init)).toEqual({ room: 'moedelokale' });
    expect(text(q('[data-testid=feed-fresh] p'))).toBe('Your new calendar address: Room: Mødelokale');
    expect(text(q('[data-feed="5"] strong'))).toBe('Room: Mødelokale');
  });

  it('says why an address could not be made', async () => {
    const { el, q } = await mount([
      { status: 200, body: [] },
      { status: 500, body: { error: 'internal', message: 'boom' } },
    ]);
    await click(el, '[data-action=make-feed]');
    expect(text(q('[data-testid=feed-note]'))).toMatch(/^Could not make the calendar address: /);
    expect(q('[data-testid=feed-note]')!.getAttribute('role')).toBe('alert');
  });
});
