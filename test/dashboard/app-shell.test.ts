import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveMessage, Me } from '../../contracts/api.ts';
import '../../dashboard/src/components/app-shell.ts';
import type { AppShell } from '../../dashboard/src/components/app-shell.ts';
import { accessEvent, desk, door, gateway, SITE, text } from './fixtures.ts';

const ME: Me = { id: 'm-mette', name: 'Mette Holm', email: 'mette@example.dk', role: 'host', presenceOptIn: true };

/** The services as the dashboard sees them: answers per "METHOD path". */
function services(routes: Record<string, () => { status: number; body?: unknown }>) {
  const calls: string[] = [];
  const fn = async (url: string | URL | Request, init?: RequestInit) => {
    const key = `${init?.method ?? 'GET'} ${String(url)}`;
    calls.push(key);
    const route = routes[key];
    if (!route) return new Response(JSON.stringify({ error: 'not-found', message: 'no route' }), { status: 404 });
    const { status, body } = route();
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
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
