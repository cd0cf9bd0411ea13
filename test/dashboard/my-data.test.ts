import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Me, MyVisits } from '../../contracts/api/index.ts';
import { VISIT_DAYS_SHOWN } from '../../dashboard/src/components/my-data-panel.ts';
import type { MyDataPanel } from '../../dashboard/src/components/my-data-panel.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { exportFileName } from '../../dashboard/src/data/my-visits.ts';
import { door, fakeFetch, T0, text } from './fixtures.ts';

const H = 3600_000;
const ME: Me = { id: 'm-jonas', name: 'Jonas Brandt', email: 'jonas@example.dk', role: 'member', presenceOptIn: false };

/** `GET /api/me/visits` as the services answer: site days, newest first. */
const VISITS: MyVisits = {
  days: [
    { date: '2025-06-02', first: T0, last: T0 + 6 * H, entries: 2, doors: ['front', 'meeting'] },
    { date: '2025-06-01', first: T0 - 23 * H, last: T0 - 23 * H, entries: 1, doors: ['front'] },
  ],
  total: 2,
};

/** The full export (the download), as the services send it: only passed through here. */
const EXPORT = {
  exportedAt: new Date(T0).toISOString(),
  member: { id: 'm-jonas', name: 'Jonas Brandt' },
  events: [
    {
      v: 1,
      ts: T0,
      id: 'ev-1',
      type: 'access',
      door: 'front',
      gateway: 'gw-main',
      decision: 'granted',
      reason: 'ok',
      via: 'card',
      member: 'm-jonas',
      offline: false,
    },
  ],
};

afterEach(() => {
  locale.reset();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

describe('my data file', () => {
  it('names the file after the day', () => {
    expect(exportFileName('2025-06-02')).toBe('smartspace-my-data-2025-06-02.json');
  });
});

describe('my data panel', () => {
  async function mount(answers: Parameters<typeof fakeFetch>[0], me: Me = ME) {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0 + 8 * H);
    const api = fakeFetch(answers);
    vi.stubGlobal('fetch', api.fn);
    const el = document.createElement('ss-my-data');
    el.me = me;
    el.doors = [door(), door({ id: 'meeting', name: 'Meeting room' })];
    document.body.append(el);
    await settle(el);
    return { el, api, root: el.shadowRoot! };
  }

  async function settle(el: MyDataPanel) {
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 0));
      await el.updateComplete;
    }
  }

  it('lists my visits from /api/me/visits (not the audited export) in site time with door names', async () => {
    const { root, api } = await mount([{ status: 200, body: VISITS }]);
    expect(api.calls.map((c) => c.url)).toEqual([`/api/me/visits?limit=${VISIT_DAYS_SHOWN}`]);
    expect([...root.querySelectorAll('[data-visit]')].map((li) => text(li))).toEqual([
      'Mon, 2 Jun 2025 10:30–16:30 · 2 entries Front door, Meeting room',
      'Sun, 1 Jun 2025 at 11:30 · 1 entry Front door',
    ]);
  });

  it('says what failed when the visits cannot be loaded, and tries again', async () => {
    const { el, root, api } = await mount([new TypeError('offline'), { status: 200, body: { days: [], total: 0 } }]);
    expect(text(root.querySelector('[data-testid=visits-failed] p'))).toBe(
      'Could not load your visits: no connection to the server. Use your card, check your connection or call the host.',
    );
    root.querySelector<HTMLButtonElement>('[data-testid=visits-failed] button')!.click();
    await settle(el);
    expect(root.querySelector('[data-testid=visits-failed]')).toBeNull();
    expect(text(root.querySelector('section'))).toContain('No visits yet.');
    expect(api.calls.map((c) => c.url)).toEqual(['/api/me/visits?limit=60', '/api/me/visits?limit=60']);
  });

  it('says how many days there are in all when there are more than it lists', async () => {
    const { root } = await mount([{ status: 200, body: { ...VISITS, total: 75 } }]);
    expect(text(root.querySelector('.note'))).toBe('Showing the latest 2 of 75 days. The download has them all.');
  });

  it('downloads my data as a JSON file', async () => {
    const { el, root, api } = await mount([
      { status: 200, body: VISITS },
      { status: 200, body: EXPORT },
    ]);
    const blobs: Blob[] = [];
    vi.stubGlobal('URL', Object.assign(class extends URL {}, { createObjectURL: (b: Blob) => (blobs.push(b), 'blob:x'), revokeObjectURL: () => {} }));
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    root.querySelector<HTMLButtonElement>('[data-action=download]')!.click();
    await settle(el);
    expect(api.calls.map((c) => c.url)).toEqual(['/api/me/visits?limit=60', '/api/me/export']);
    expect(clicked).toHaveLength(1);
    expect(clicked[0]!.download).toBe('smartspace-my-data-2025-06-02.json');
    expect(clicked[0]!.getAttribute('href')).toBe('blob:x');
    expect(blobs[0]!.type).toBe('application/json');
    expect(JSON.parse(await blobs[0]!.text())).toEqual(EXPORT);
    expect(text(root.querySelector('[data-testid=download-note]'))).toBe('Downloaded smartspace-my-data-2025-06-02.json.');
  });

  it('says so in Danish when the download fails, and downloads nothing', async () => {
    locale.set('da', false);
    const { el, root } = await mount([
      { status: 200, body: VISITS },
      { status: 500, body: { error: 'internal', message: 'boom' } },
    ]);
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    root.querySelector<HTMLButtonElement>('[data-action=download]')!.click();
    await settle(el);
    expect(click).not.toHaveBeenCalled();
    const note = root.querySelector('[data-testid=download-note]')!;
    expect(note.getAttribute('role')).toBe('alert');
    expect(text(note)).toMatch(/^Kunne ikke hente dine data: /);
    expect(text(note)).not.toContain('boom');
  });

  it('opts in to being shown and tells the app who I now am', async () => {
    const { el, root, api } = await mount([
      { status: 200, body: VISITS },
      { status: 200, body: { ...ME, presenceOptIn: true } },
    ]);
    const seen: Me[] = [];
    document.body.addEventListener('me-changed', (ev) => seen.push((ev as CustomEvent<Me>).detail));
    const toggle = root.querySelector<HTMLInputElement>('[data-action=presence]')!;
    expect(toggle.checked).toBe(false);
    expect(toggle.getAttribute('role')).toBe('switch');
    toggle.checked = true;
    toggle.dispatchEvent(new Event('change'));
    await settle(el);
    const put = api.calls[1]!;
    expect([put.url, put.init?.method, put.init?.body]).toEqual(['/api/me/presence', 'PUT', '{"optIn":true}']);
    expect(seen.map((m) => m.presenceOptIn)).toEqual([true]);
    expect(toggle.checked).toBe(true);
    expect(text(root.querySelector('[data-testid=presence-note]'))).toBe('Your name is now shown to other members.');
  });

  it('keeps the switch where it was put while the change is on its way', async () => {
    const { el, root } = await mount([{ status: 200, body: VISITS }]);
    let answer!: (res: Response) => void;
    vi.stubGlobal('fetch', () => new Promise<Response>((resolve) => (answer = resolve)));
    const toggle = root.querySelector<HTMLInputElement>('[data-action=presence]')!;
    toggle.checked = true;
    toggle.dispatchEvent(new Event('change'));
    await settle(el);
    expect(toggle.checked).toBe(true);
    expect(toggle.disabled).toBe(true);
    expect(text(root.querySelector('[role=status]'))).toBe('Saving…');
    answer(new Response(JSON.stringify({ ...ME, presenceOptIn: true }), { status: 200 }));
    await settle(el);
    expect(toggle.checked).toBe(true);
    expect(toggle.disabled).toBe(false);
  });

  it('puts the switch back and says why when the change fails', async () => {
    const { el, root } = await mount(
      [
        { status: 200, body: VISITS },
        { status: 429, body: { error: 'rate-limited', message: 'slow down' } },
      ],
      { ...ME, presenceOptIn: true },
    );
    const toggle = root.querySelector<HTMLInputElement>('[data-action=presence]')!;
    toggle.checked = false;
    toggle.dispatchEvent(new Event('change'));
    await settle(el);
    expect(toggle.checked).toBe(true);
    const note = root.querySelector('[data-testid=presence-note]')!;
    expect(note.getAttribute('role')).toBe('alert');
    expect(text(note)).toBe('Could not change whether your name is shown: too many attempts. Wait a minute and try again.');
  });
});
