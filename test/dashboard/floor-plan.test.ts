import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BookableView, DeskView } from '../../contracts/api/index.ts';
import '../../dashboard/src/components/floor-plan.ts';
import '../../dashboard/src/components/desk-list.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import type { FloorPlan } from '../../dashboard/src/components/floor-plan.ts';
import { desk, fakeFetch, settle, SITE, text } from './fixtures.ts';

const DESKS: DeskView[] = [
  desk('d01', 'open-space', 120, 140, false),
  desk('d02', 'open-space', 270, 140, true),
  desk('d03', 'open-space', 420, 140, null),
  desk('d11', 'quiet-room', 130, 450, false),
  desk('d12', 'quiet-room', 280, 450, false),
];

async function mount(desks: DeskView[]): Promise<FloorPlan> {
  const el = document.createElement('ss-floor-plan');
  el.site = SITE;
  el.desks = desks;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

afterEach(() => {
  locale.reset();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('floor plan', () => {
  it('scales to the site floor', async () => {
    const el = await mount(DESKS);
    expect(el.shadowRoot!.querySelector('svg')?.getAttribute('viewBox')).toBe('0 0 1000 600');
  });

  it('on a phone fits the part of the floor with desks to the width, with every desk inside it', async () => {
    const el = document.createElement('ss-floor-plan');
    el.site = SITE;
    el.desks = DESKS;
    document.body.append(el);
    el.compact = true; // what a phone's width sets (matchMedia)
    await el.updateComplete;
    const svg = el.shadowRoot!.querySelector('svg')!;
    expect(svg.classList.contains('compact')).toBe(true);
    const [x, y, w, h] = svg.getAttribute('viewBox')!.split(' ').map(Number) as [number, number, number, number];
    // Narrower than the whole floor (1000), and every desk's box (120 × 70) inside it.
    expect(w).toBeLessThan(1000);
    for (const d of DESKS) {
      expect(d.x - 60).toBeGreaterThanOrEqual(x);
      expect(d.x + 60).toBeLessThanOrEqual(x + w);
      expect(d.y - 35).toBeGreaterThanOrEqual(y);
      expect(d.y + 35).toBeLessThanOrEqual(y + h);
    }
    // The state is still there for every desk: in its label (and the pattern), not only a colour.
    expect(el.shadowRoot!.querySelector('[data-desk=d02]')!.getAttribute('aria-label')).toMatch(/in use/);
  });

  it('draws each desk at its place with its name and state, not by colour alone', async () => {
    const el = await mount(DESKS);
    const root = el.shadowRoot!;
    const shapes = [...root.querySelectorAll<SVGGElement>('[data-desk]')];
    expect(shapes.map((g) => [g.dataset.desk ?? g.getAttribute('data-desk'), g.getAttribute('data-occupied')])).toEqual([
      ['d01', 'false'],
      ['d02', 'true'],
      ['d03', 'unknown'],
      ['d11', 'false'],
      ['d12', 'false'],
    ]);
    const d02 = root.querySelector('[data-desk="d02"]')!;
    expect(text(d02.querySelector('.name'))).toBe('Desk 2');
    expect(text(d02.querySelector('.word'))).toBe('in use');
    expect(d02.getAttribute('aria-label')).toBe('Desk 2: in use');
    expect(d02.querySelector('rect')?.getAttribute('fill')).toBe('url(#ss-occupied)');
    expect(text(root.querySelector('[data-desk="d03"] .word'))).toBe('unknown');
    // centred on (x, y)
    const rect = root.querySelector('[data-desk="d01"] rect')!;
    const x = Number(rect.getAttribute('x')) + Number(rect.getAttribute('width')) / 2;
    const y = Number(rect.getAttribute('y')) + Number(rect.getAttribute('height')) / 2;
    expect([x, y]).toEqual([120, 140]);
  });

  it('labels zones and counts free desks per zone', async () => {
    const el = await mount(DESKS);
    const root = el.shadowRoot!;
    expect(text(root.querySelector('svg [data-zone="open-space"] .zone-label'))).toBe('Open space');
    expect(text(root.querySelector('svg [data-zone="quiet-room"] .zone-label'))).toBe('Quiet room');
    expect(text(root.querySelector('.counts [data-zone="open-space"]'))).toBe('Open space: 1 of 3 desks free (1 unknown)');
    expect(text(root.querySelector('.counts [data-zone="quiet-room"]'))).toBe('Quiet room: 2 of 2 desks free');
    expect(text(root.querySelector('.legend'))).toContain('in use');
  });

  it('updates when a desk changes', async () => {
    const el = await mount(DESKS);
    el.desks = DESKS.map((d) => (d.id === 'd11' ? { ...d, occupied: true } : d));
    await el.updateComplete;
    const root = el.shadowRoot!;
    expect(root.querySelector('[data-desk="d11"]')?.getAttribute('data-occupied')).toBe('true');
    expect(text(root.querySelector('.counts [data-zone="quiet-room"]'))).toBe('Quiet room: 1 of 2 desks free');
  });

  it('says since when each desk is in its state, for hosts, in site time and the reader’s language', async () => {
    const el = await mount(DESKS);
    expect(el.shadowRoot!.querySelector('.since')).toBeNull(); // members: no since
    el.since = true;
    await el.updateComplete;
    const d02 = el.shadowRoot!.querySelector('[data-desk="d02"]')!;
    expect(text(d02.querySelector('.since'))).toMatch(/^since (10:30|Mon 2 Jun, 10:30)$/);
    expect(d02.getAttribute('aria-label')).toMatch(/^Desk 2: in use, since /);
    expect(el.shadowRoot!.querySelector('[data-desk="d03"] .since')).toBeNull(); // never reported
    locale.set('da', false);
    await el.updateComplete;
    expect(text(d02.querySelector('.word'))).toBe('optaget');
    expect(text(d02.querySelector('.since'))).toMatch(/^siden /);
  });
});

describe('floor plan: book from it (issue 16)', () => {
  // The member's plan books d01 and d11 and the meeting room; d02, d03 and d12 are not theirs to book.
  const BOOKABLE: BookableView = {
    rooms: [{ id: 'moedelokale', name: 'Mødelokale', doors: ['meeting'], zone: null }],
    desks: [
      { id: 'd01', name: 'Desk 1', zone: 'open-space' },
      { id: 'd11', name: 'Desk 11', zone: 'quiet-room' },
    ],
    aheadDays: 7,
    hoursLeft: 8,
  };

  async function mountBooking(): Promise<{ el: FloorPlan; calls: string[] }> {
    const api = fakeFetch([{ status: 200, body: BOOKABLE }]);
    vi.stubGlobal('fetch', api.fn);
    locale.set('da', false);
    const el = document.createElement('ss-floor-plan');
    el.site = SITE;
    el.desks = DESKS;
    el.book = true;
    document.body.append(el);
    el.compact = true; // a phone
    await settle(el);
    return { el, calls: api.calls.map((c) => c.url) };
  }

  it('makes the desks the person may book links to book them, with »Book« on them', async () => {
    const { el, calls } = await mountBooking();
    expect(calls).toEqual(['/api/bookable']);
    const root = el.shadowRoot!;
    const links = [...root.querySelectorAll('svg a[data-book]')];
    expect(links.map((a) => [a.getAttribute('data-book'), a.getAttribute('href')])).toEqual([
      ['d01', '/bookings?desk=d01'],
      ['d11', '/bookings?desk=d11'],
    ]);
    expect(links[0]!.getAttribute('aria-label')).toBe('Book Desk 1: ledig');
    expect(text(root.querySelector('[data-desk=d01] .book'))).toBe('Book');
    // The room is a link under the plan.
    const room = root.querySelector<HTMLAnchorElement>('[data-testid=book-rooms] a[data-book=moedelokale]')!;
    expect([room.getAttribute('href'), text(room), room.getAttribute('aria-label')]).toEqual(['/bookings?room=moedelokale', 'Mødelokale', 'Book Mødelokale']);
    expect(text(root.querySelector('[data-testid=book-rooms]'))).toBe('Book et lokale: Mødelokale');
  });

  it('shows nothing new on a desk the person may not book', async () => {
    const { el } = await mountBooking();
    const root = el.shadowRoot!;
    for (const id of ['d02', 'd03', 'd12']) {
      const g = root.querySelector(`[data-desk=${id}]`)!;
      expect(g.closest('a'), id).toBeNull();
      expect(g.querySelector('.book'), id).toBeNull();
    }
  });

  it('offers nothing without `book`, or when the services do not answer', async () => {
    const el = await mount(DESKS);
    expect(el.shadowRoot!.querySelector('a')).toBeNull();
    const api = fakeFetch([{ status: 500, body: { error: 'internal', message: 'boom' } }]);
    vi.stubGlobal('fetch', api.fn);
    const failing = document.createElement('ss-floor-plan');
    failing.site = SITE;
    failing.desks = DESKS;
    failing.book = true;
    document.body.append(failing);
    await settle(failing);
    expect(api.calls).toHaveLength(1);
    expect(failing.shadowRoot!.querySelector('a')).toBeNull();
    expect(failing.shadowRoot!.querySelectorAll('[data-desk]')).toHaveLength(DESKS.length);
  });
});

describe('desk list', () => {
  it('has a row per desk with zone, state and since', async () => {
    const el = document.createElement('ss-desk-list');
    el.site = SITE;
    el.desks = DESKS;
    document.body.append(el);
    await el.updateComplete;
    const rows = [...el.shadowRoot!.querySelectorAll('[data-desk-row]')].map((r) => [...r.children].map((c) => text(c)));
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['Desk 1', 'Open space', 'free'],
      ['Desk 2', 'Open space', 'in use'],
      ['Desk 3', 'Open space', 'unknown'],
      ['Desk 11', 'Quiet room', 'free'],
      ['Desk 12', 'Quiet room', 'free'],
    ]);
    expect(rows[2]![3]).toBe('no report yet');
    expect(el.shadowRoot!.querySelectorAll('[role=columnheader]')).toHaveLength(4);
    el.desks = DESKS.map((d) => (d.id === 'd01' ? { ...d, occupied: true } : d));
    await el.updateComplete;
    expect(text(el.shadowRoot!.querySelector('[data-desk-row=d01] [data-occupied]'))).toBe('in use');
  });
});
