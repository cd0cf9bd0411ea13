import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EnrolmentView, LiveMessage, Me, Role } from '../../contracts/api/index.ts';
import '../../dashboard/src/components/app-shell.ts';
import type { AppShell } from '../../dashboard/src/components/app-shell.ts';
import { da } from '../../dashboard/src/words/da.ts';
import { en } from '../../dashboard/src/words/en.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { device, faultyReader } from './device-fixture.ts';
import { accessEvent, desk, door, doorState, gateway, SITE, text, urlOf } from './fixtures.ts';

const ME: Me = { id: 'm-mette', name: 'Mette Holm', email: 'mette@example.dk', role: 'host', presenceOptIn: true };
const meAs = (role: Role): Me => ({ ...ME, role });

/** The services as the dashboard sees them: answers per "METHOD path". */
function services(routes: Record<string, () => { status: number; body?: unknown }>) {
  const calls: string[] = [];
  const fn = (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const key = `${init?.method ?? 'GET'} ${urlOf(url)}`;
    calls.push(key);
    const route = routes[key];
    if (!route) return Promise.resolve(new Response(JSON.stringify({ error: 'not-found', message: 'no route' }), { status: 404 }));
    const { status, body } = route();
    return Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), { status }));
  };
  return { fn, calls };
}

class FakeEventSource {
  static all: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  emit(msg: LiveMessage): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(msg) }));
  }
  close(): void {
    this.closed = true;
  }
}

async function flush(el: AppShell): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
  }
}

async function mount(): Promise<AppShell> {
  const el = document.createElement('ss-app');
  document.body.append(el);
  await flush(el);
  return el;
}

const main = {
  'GET /api/me': () => ({ status: 200, body: ME }),
  'GET /api/site': () => ({ status: 200, body: SITE }),
  'GET /api/doors': () => ({ status: 200, body: [door()] }),
  'GET /api/desks': () => ({ status: 200, body: [desk('d01', 'open-space', 120, 140, false)] }),
  'GET /api/events?limit=30': () => ({ status: 200, body: { items: [], next: null } }),
  'POST /api/logout': () => ({ status: 204 }),
};

afterEach(() => {
  document.body.replaceChildren();
  vi.unstubAllGlobals();
  FakeEventSource.all = [];
  history.replaceState(null, '', '/');
  locale.reset();
});

/** Texts as a person sees them (and attributes a screen reader speaks), through every open shadow root. */
function visibleTexts(root: Node): string[] {
  const out: string[] = [];
  const walk = (node: Node) => {
    if (node instanceof HTMLElement && node.tagName === 'STYLE') return;
    if (node.nodeType === Node.TEXT_NODE) out.push(node.textContent ?? '');
    if (node instanceof Element) {
      for (const name of ['aria-label', 'title']) if (node.hasAttribute(name)) out.push(node.getAttribute(name)!);
      if (node.shadowRoot) walk(node.shadowRoot);
    }
    node.childNodes.forEach(walk);
  };
  walk(root);
  return out.map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** Every plain string of a catalogue (functions are checked through what they render). */
function strings(obj: object): string[] {
  return Object.values(obj).flatMap((v) => (typeof v === 'string' ? [v] : typeof v === 'object' && v ? strings(v) : []));
}

const SNAPSHOT: LiveMessage = {
  type: 'snapshot',
  doors: [door({ state: doorState({ contact: 'open', alarms: ['forced-open'] }) }), door({ id: 'meeting', name: 'Meeting room', canUnlock: false })],
  desks: [desk('d01', 'open-space', 120, 140, true), desk('d11', 'quiet-room', 130, 450, false)],
  events: [accessEvent({ id: 'ev-snap0001', ts: Date.now() - 60_000, memberName: 'Mette Holm' })],
  gateways: [gateway(), gateway({ id: 'gw-loft', name: 'Loft Pi', online: false })],
};

async function inApp(role: Role, path = '/', extra: Record<string, () => { status: number; body?: unknown }> = {}) {
  history.replaceState(null, '', path);
  const api = services({ ...main, 'GET /api/me': () => ({ status: 200, body: meAs(role) }), ...extra });
  vi.stubGlobal('fetch', api.fn);
  vi.stubGlobal('EventSource', FakeEventSource);
  const el = await mount();
  FakeEventSource.all[0]!.emit(SNAPSHOT);
  await flush(el);
  return { el, api, root: el.shadowRoot! };
}

const navLinks = (root: ShadowRoot) => [...root.querySelectorAll<HTMLAnchorElement>('nav a')];

describe('navigation by role', () => {
  it.each([
    ['member', ['Now', 'Bookings', 'Who’s in', 'My data']],
    // The phone's tab bar first, then what is behind "More" on a phone (in one row on a desktop).
    ['host', ['Overview', 'Floor plan', 'Members', 'Cards', 'Activity', 'Who’s in', 'Bookings', 'Reports', 'Plans', 'Emergency', 'My data']],
    [
      'operator',
      ['Overview', 'Gateways', 'Floor plan', 'Members', 'Activity', 'Who’s in', 'Bookings', 'Reports', 'Plans', 'Cards', 'Audit log', 'Emergency', 'My data'],
    ],
  ] as const)('gives a %s their screens', async (role, names) => {
    const { root } = await inApp(role);
    expect(navLinks(root).map((a) => text(a).replace(/ \d+ Alerts$/, ''))).toEqual(names);
    expect(navLinks(root)[0]!.getAttribute('aria-current')).toBe('page');
  });

  it('shows a member only the doors they may open, and no alerts', async () => {
    const { root } = await inApp('member');
    const panel = root.querySelector('ss-doors-panel')!;
    expect([...panel.shadowRoot!.querySelectorAll('ss-door-card')].map((c) => c.door.id)).toEqual(['front']);
    expect(text(panel.shadowRoot!.querySelector('h2'))).toBe('Your doors');
    expect(text(panel.shadowRoot!.querySelector('ul + p'))).toBe('One other door does not open for you now.');
    expect(root.querySelector('ss-alerts')).toBeNull();
    expect(root.querySelector('[data-testid=alert-count]')).toBeNull();
  });

  it('shows a host alerts, all doors and since-when on the floor plan, with the alert count in the nav', async () => {
    const { root } = await inApp('host');
    const alerts = root.querySelector('ss-alerts')!;
    expect([...alerts.shadowRoot!.querySelectorAll('[data-alert]')].map((li) => li.getAttribute('data-alert'))).toEqual(['forced-open', 'gateway-offline']);
    expect(text(alerts.shadowRoot!.querySelector('[data-alert=gateway-offline] .title'))).toBe('Gateway Loft Pi stopped answering');
    expect(text(root.querySelector('[data-testid=alert-count]'))).toBe('2 Alerts');
    const plan = root.querySelector('ss-floor-plan')!;
    expect(text(plan.shadowRoot!.querySelector('[data-desk=d01] .since'))).toMatch(/^since /);
  });

  it('passes the live devices on: a faulty device alerts hosts (not behind an offline gateway), operators see it on Gateways', async () => {
    const { el, root } = await inApp('operator');
    const live = FakeEventSource.all[0]!;
    live.emit({ type: 'device', device: faultyReader(Date.now() - 60_000) });
    live.emit({ type: 'device', device: device({ id: 'loft-reader', gateway: 'gw-loft', door: null, state: 'fault', error: 'gone' }) });
    await flush(el);
    const alerts = root.querySelector('ss-alerts')!;
    expect([...alerts.shadowRoot!.querySelectorAll('[data-alert]')].map((li) => li.getAttribute('data-alert'))).toEqual([
      'forced-open',
      'gateway-offline',
      'device-fault',
    ]);
    expect(text(alerts.shadowRoot!.querySelector('[data-alert=device-fault] .title'))).toBe('Reader at Front door is not working');
    expect(text(root.querySelector('[data-testid=alert-count]'))).toBe('3 Alerts');

    history.pushState(null, '', '/gateways');
    window.dispatchEvent(new PopStateEvent('popstate'));
    await flush(el);
    const gw = root.querySelector('ss-gateways')!;
    const states = [...gw.shadowRoot!.querySelectorAll('tr[data-device]')].map((tr) => [tr.getAttribute('data-device'), tr.getAttribute('data-state')]);
    expect(states).toEqual([
      ['front-reader', 'fault'],
      ['loft-reader', 'unknown'],
    ]);

    live.emit({ type: 'device', device: device() });
    await flush(el);
    expect(text(root.querySelector('[data-testid=alert-count]'))).toBe('2 Alerts');
  });

  it('changes screen on a nav click without loading the page, and moves focus to it', async () => {
    const { el, root } = await inApp('operator');
    const link = navLinks(root).find((a) => a.dataset.route === 'gateways')!;
    link.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true, button: 0 }));
    await flush(el);
    expect(location.pathname).toBe('/gateways');
    expect(root.querySelector('main')?.dataset.route).toBe('gateways');
    expect(root.activeElement).toBe(root.querySelector('main'));
    const gw = root.querySelector('ss-gateways')!;
    expect([...gw.shadowRoot!.querySelectorAll('[data-gateway]')].map((a) => [a.getAttribute('data-gateway'), a.getAttribute('data-online')])).toEqual([
      ['gw-main', 'true'],
      ['gw-loft', 'false'],
    ]);
    expect(gw.shadowRoot!.querySelector<HTMLAnchorElement>('[data-action=node-red]')?.href).toBe('http://localhost:1880/');
    expect(document.title).toBe('Gateways · Klitmøller Kystkontor');

    history.back();
    await new Promise((r) => setTimeout(r, 20));
    await flush(el);
    expect(root.querySelector('main')?.dataset.route).toBe('home');
  });

  it('sends a member who asks for an operator screen to their home', async () => {
    const { root } = await inApp('member', '/gateways');
    expect(location.pathname).toBe('/');
    expect(root.querySelector('main')?.dataset.route).toBe('home');
  });

  it('gives a member their own data screen, and keeps who they are in step after opting in', async () => {
    const { el, root, api } = await inApp('member', '/mine', {
      'GET /api/me/visits?limit=60': () => ({ status: 200, body: { days: [], total: 0 } }),
      'PUT /api/me/presence': () => ({ status: 200, body: { ...meAs('member'), presenceOptIn: false } }),
    });
    expect(root.querySelector('main')?.dataset.route).toBe('mine');
    const panel = root.querySelector('ss-my-data')!;
    await panel.updateComplete;
    expect(api.calls).toContain('GET /api/me/visits?limit=60');
    expect(api.calls).not.toContain('GET /api/me/export'); // viewing is not an export (that one is audited)
    const toggle = panel.shadowRoot!.querySelector<HTMLInputElement>('[data-action=presence]')!;
    expect(toggle.checked).toBe(true);
    toggle.checked = false;
    toggle.dispatchEvent(new Event('change'));
    await flush(el);
    expect(api.calls).toContain('PUT /api/me/presence');
    expect(el.me?.presenceOptIn).toBe(false);
    expect(panel.me?.presenceOptIn).toBe(false);
  });

  it('gives a host the cards screen and passes it enrolment progress from the stream', async () => {
    const { el, root } = await inApp('host', '/cards', {
      'GET /api/members?status=active&limit=500': () => ({ status: 200, body: { items: [], total: 0 } }),
    });
    expect(root.querySelector('main')?.dataset.route).toBe('cards');
    const enrolment = {
      id: 'e1',
      member: 'm-jonas',
      memberName: 'Jonas Brandt',
      door: 'front',
      status: 'expired',
      startedAt: 1,
      expiresAt: 60_001,
      candidates: [] as EnrolmentView['candidates'],
      credential: null,
    } as const;
    FakeEventSource.all[0]!.emit({ type: 'enrolment', enrolment });
    await flush(el);
    expect(root.querySelector('ss-cards')!.enrolments).toEqual([enrolment]);
  });

  it('loads today’s earlier arrivals for “who is in”, page by page back to midnight', async () => {
    const now = Date.now();
    const page1 = { items: [accessEvent({ id: 'ev-today01', ts: now, memberName: 'Jonas Brandt' })], next: 'cursor-1' };
    const page2 = {
      items: [
        accessEvent({ id: 'ev-today02', ts: now - 1, memberName: 'Ida Thomsen' }),
        accessEvent({ id: 'ev-old00001', ts: now - 3 * 86400_000, memberName: 'Lars Vestergaard' }),
      ],
      next: 'cursor-2',
    };
    const { root, api } = await inApp('host', '/today', {
      'GET /api/events?limit=200': () => ({ status: 200, body: page1 }),
      'GET /api/events?limit=200&before=cursor-1': () => ({ status: 200, body: page2 }),
    });
    expect(api.calls.filter((c) => c.includes('limit=200'))).toEqual(['GET /api/events?limit=200', 'GET /api/events?limit=200&before=cursor-1']);
    const visitors = root.querySelector('ss-visitors')!;
    await visitors.updateComplete;
    expect([...visitors.shadowRoot!.querySelectorAll('[data-visitor]')].map((li) => li.getAttribute('data-visitor')).sort()).toEqual([
      'Ida Thomsen',
      'Jonas Brandt',
      'Mette Holm',
    ]);
  });
});

describe('session and language', () => {
  it('on a 401 from any call shows the login with a word on why, then returns to the same screen', async () => {
    let loggedIn = true;
    const { el, root } = await inApp('host', '/floor', {
      'GET /api/events?limit=200': () =>
        loggedIn ? { status: 200, body: { items: [], next: null } } : { status: 401, body: { error: 'unauthenticated', message: 'Log in first.' } },
      'POST /api/login': () => ({ status: 200, body: meAs('host') }),
    });
    loggedIn = false;
    navLinks(root)
      .find((a) => a.dataset.route === 'today')!
      .click();
    await flush(el);
    const login = root.querySelector('ss-login')!;
    expect(login).not.toBeNull();
    expect(location.pathname).toBe('/today');
    expect(FakeEventSource.all[0]!.closed).toBe(true);
    await login.updateComplete;
    expect(text(login.shadowRoot!.querySelector('[data-testid=login-notice]'))).toMatch(/session has ended/);

    loggedIn = true;
    login.shadowRoot!.querySelector<HTMLInputElement>('#email')!.value = 'mette@example.dk';
    login.shadowRoot!.querySelector<HTMLInputElement>('#password')!.value = 'host-mette';
    login.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await flush(el);
    expect(root.querySelector('main')?.dataset.route).toBe('today');
    expect(FakeEventSource.all).toHaveLength(2);
  });

  it('switches to Danish from the picker, everywhere, and remembers it', async () => {
    const { el, root } = await inApp('host');
    const picker = root.querySelector('header ss-lang-picker')!;
    const select = picker.shadowRoot!.querySelector('select')!;
    select.value = 'da';
    select.dispatchEvent(new Event('change'));
    await flush(el);
    expect(localStorage.getItem('smartspace.lang')).toBe('da');
    expect(document.documentElement.lang).toBe('da');
    expect(navLinks(root).map((a) => text(a).replace(/ \d+ Alarmer$/, ''))).toEqual([
      'Overblik',
      'Plantegning',
      'Medlemmer',
      'Kort',
      'Aktivitet',
      'Hvem er her',
      'Bookinger',
      'Rapporter',
      'Planer',
      'Nødstyring',
      'Mine data',
    ]);
    expect(text(root.querySelector('[data-action=logout]'))).toBe('Log ud');
    const card = root.querySelector('ss-doors-panel')!.shadowRoot!.querySelector('ss-door-card')!;
    expect(text(card.shadowRoot!.querySelector('.badge'))).toBe('Alarm');
  });

  it('puts a phone’s main places on the tab bar and the rest behind More, which closes on the way', async () => {
    const { el, root } = await inApp('host');
    const tabs = [...root.querySelectorAll<HTMLAnchorElement>('nav ul.tabs a')].map((a) => a.dataset.route);
    expect(tabs).toEqual(['home', 'floor', 'members', 'cards']);
    const more = root.querySelector<HTMLButtonElement>('nav [data-action=more]')!;
    expect(text(more)).toBe('More');
    expect(more.getAttribute('aria-controls')).toBe('more-sheet');
    expect(more.getAttribute('aria-expanded')).toBe('false');
    const sheet = root.querySelector('#more-sheet')!;
    expect([...sheet.querySelectorAll<HTMLAnchorElement>('a')].map((a) => a.dataset.route)).toEqual([
      'activity',
      'today',
      'bookings',
      'reports',
      'plans',
      'emergency',
      'mine',
    ]);
    more.click();
    await flush(el);
    expect(more.getAttribute('aria-expanded')).toBe('true');
    expect(root.querySelector('nav')!.classList.contains('open')).toBe(true);
    sheet.querySelector<HTMLAnchorElement>('a[data-route=reports]')!.click();
    await flush(el);
    expect(root.querySelector('main')!.dataset.route).toBe('reports');
    expect(more.getAttribute('aria-expanded')).toBe('false');
    // The current place is behind More: the button says so.
    expect(more.dataset.current).toBe('true');
    more.click();
    await flush(el);
    el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await flush(el);
    expect(more.getAttribute('aria-expanded')).toBe('false');
  });

  it('gives a member all their places on the tab bar, without More', async () => {
    const { root } = await inApp('member');
    expect([...root.querySelectorAll<HTMLAnchorElement>('nav ul.tabs a')].map((a) => a.dataset.route)).toEqual(['home', 'bookings', 'today', 'mine']);
    expect(root.querySelector('nav [data-action=more]')).toBeNull();
  });

  it.each(['member', 'host', 'operator'] as const)('leaves no English on a %s’s screens in Danish', async (role) => {
    locale.set('da', false);
    const { el, root } = await inApp(role);
    const english = new Set(strings(en).filter((s) => !strings(da).includes(s) && s.length > 3));
    for (const link of navLinks(root)) {
      link.click();
      await flush(el);
      for (const c of root.querySelectorAll('main *')) await (c as Partial<AppShell>).updateComplete;
      // A word alone must not be a whole text ("Open"); a sentence must not be anywhere in one.
      // (Site data such as "Open space" or "Desk 1" is not the catalogue's business.)
      const seen = visibleTexts(root);
      const left = [...english].filter((s) => seen.some((text) => text === s || (s.includes(' ') && text.includes(s))));
      expect(left, `${role} ${link.dataset.route}`).toEqual([]);
    }
  });
});

describe('app shell', () => {
  it('shows the login when nobody is logged in', async () => {
    vi.stubGlobal('fetch', services({ 'GET /api/me': () => ({ status: 401, body: { error: 'not-logged-in', message: 'Log in.' } }) }).fn);
    vi.stubGlobal('EventSource', FakeEventSource);
    const el = await mount();
    const login = el.shadowRoot!.querySelector('ss-login');
    expect(login).not.toBeNull();
    await login!.updateComplete;
    expect(login!.shadowRoot!.querySelector('#email')).not.toBeNull();
    expect(FakeEventSource.all).toHaveLength(0);
  });

  it('shows site, user and role, goes live, and applies the stream', async () => {
    vi.stubGlobal('fetch', services(main).fn);
    vi.stubGlobal('EventSource', FakeEventSource);
    const el = await mount();
    const root = el.shadowRoot!;
    expect(text(root.querySelector('h1'))).toBe('Klitmøller Kystkontor');
    expect(text(root.querySelector('.who'))).toBe('Mette Holm · Host');
    const indicator = root.querySelector('ss-live-indicator')!;
    expect(indicator.shadowRoot!.querySelector('[data-live]')?.getAttribute('data-live')).toBe('reconnecting');

    expect(FakeEventSource.all.map((s) => s.url)).toEqual(['/api/live']);
    FakeEventSource.all[0]!.emit({
      type: 'snapshot',
      doors: [door(), door({ id: 'meeting', name: 'Meeting room', canUnlock: false })],
      desks: [desk('d01', 'open-space', 120, 140, true)],
      events: [accessEvent({ id: 'ev-snap0001', memberName: 'Mette Holm' })],
      gateways: [gateway()],
    });
    await flush(el);
    expect(indicator.shadowRoot!.querySelector('[data-live]')?.getAttribute('data-live')).toBe('live');
    const doors = root.querySelector('ss-doors-panel')!;
    const cards = [...doors.shadowRoot!.querySelectorAll('ss-door-card')];
    expect(cards.map((c) => c.shadowRoot!.querySelector('[data-door]')?.getAttribute('data-state'))).toEqual(['locked', 'locked']);
    const plan = root.querySelector('ss-floor-plan')!;
    expect(plan.shadowRoot!.querySelector('[data-desk="d01"]')?.getAttribute('data-occupied')).toBe('true');
    const feed = root.querySelector('ss-event-feed')!;
    expect(feed.shadowRoot!.querySelector('[data-event-id="ev-snap0001"]')).not.toBeNull();

    FakeEventSource.all[0]!.emit({ type: 'gateway', gateway: gateway({ online: false }) });
    await flush(el);
    await Promise.all(cards.map((c) => c.updateComplete));
    expect(cards.map((c) => c.shadowRoot!.querySelector('[data-door]')?.getAttribute('data-state'))).toEqual(['unknown', 'unknown']);
  });

  it('goes back to the login when the stream drops and the session has ended', async () => {
    let loggedIn = true;
    const api = services({
      ...main,
      'GET /api/me': () => (loggedIn ? { status: 200, body: ME } : { status: 401, body: { error: 'not-logged-in', message: 'Log in.' } }),
    });
    vi.stubGlobal('fetch', api.fn);
    vi.stubGlobal('EventSource', FakeEventSource);
    const el = await mount();
    const source = FakeEventSource.all[0]!;
    source.emit({ type: 'snapshot', doors: [door()], desks: [], events: [], gateways: [] });
    await flush(el);

    source.onerror?.(new Event('error')); // dropped, session still fine: keep reconnecting
    await flush(el);
    const indicator = el.shadowRoot!.querySelector('ss-live-indicator')!;
    expect(indicator.shadowRoot!.querySelector('[data-live]')?.getAttribute('data-live')).toBe('reconnecting');
    expect(el.shadowRoot!.querySelector('ss-login')).toBeNull();

    loggedIn = false;
    source.onerror?.(new Event('error'));
    await flush(el);
    expect(el.shadowRoot!.querySelector('ss-login')).not.toBeNull();
    expect(source.closed).toBe(true);
  });

  it('logs out', async () => {
    const api = services(main);
    vi.stubGlobal('fetch', api.fn);
    vi.stubGlobal('EventSource', FakeEventSource);
    const el = await mount();
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-action=logout]')!.click();
    await flush(el);
    expect(api.calls).toContain('POST /api/logout');
    expect(el.shadowRoot!.querySelector('ss-login')).not.toBeNull();
    expect(FakeEventSource.all[0]!.closed).toBe(true);
  });
});
