// The alert centre's alerts on a host's phone: shown in the host's language with how often and
// what was not delivered, acknowledged with one press (POST /api/alerts/:id/ack), and the
// derived alert for the same condition not shown twice. The badge counts what is not acknowledged.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AlertView } from '../../contracts/api/index.ts';
import '../../dashboard/src/components/alerts-panel.ts';
import type { AlertsPanel } from '../../dashboard/src/components/alerts-panel.ts';
import { alertCount } from '../../dashboard/src/data/alert-centre.ts';
import { deriveAlerts } from '../../dashboard/src/data/alerts.ts';
import { applyLive, EMPTY_STATE } from '../../dashboard/src/data/store.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { notificationOf } from '../../dashboard/src/sw/push.ts';
import { door, fakeFetch, gateway, jsonBody, text } from './fixtures.ts';

function alertView(over: Partial<AlertView> = {}): AlertView {
  const now = Date.now();
  return {
    id: 7,
    kind: 'capacity',
    severity: 'warning',
    subject: 'zone:open-space',
    door: null,
    zone: 'open-space',
    gateway: null,
    name: 'Åbent kontor',
    detail: { occupied: 9, capacity: 10 },
    text: null,
    raisedAt: now - 60_000,
    count: 1,
    lastAt: now - 60_000,
    clearedAt: null,
    ackedAt: null,
    ackedBy: null,
    ackedByName: null,
    deliveries: [],
    ...over,
  };
}

afterEach(() => {
  locale.reset();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

async function mount(centre: AlertView[], over: Partial<AlertsPanel> = {}): Promise<AlertsPanel> {
  const el = document.createElement('ss-alerts');
  el.doors = [door()];
  el.gateways = [gateway()];
  el.centre = centre;
  Object.assign(el, over);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe('alert centre on the host’s phone', () => {
  it('shows a centre alert in Danish and acknowledges it with one press', async () => {
    locale.set('da', false);
    const alert = alertView({ count: 3, deliveries: [{ channel: 'email', target: 'Mette Kjær', state: 'pending', attempts: 2, error: 'ECONNREFUSED' }] });
    const api = fakeFetch([{ status: 200, body: { ...alert, ackedAt: Date.now(), ackedBy: 'm_mette', ackedByName: 'Mette Kjær' } }]);
    vi.stubGlobal('fetch', api.fn);
    const el = await mount([alert]);
    const root = el.shadowRoot!;
    const item = root.querySelector('[data-centre="7"]')!;
    expect(text(item.querySelector('.title'))).toBe('Åbent kontor er næsten fuld');
    expect(text(item)).toContain('9 af 10 pladser optaget.');
    expect(text(item)).toContain('3 gange');
    expect(text(item.querySelector('[data-testid=undelivered]'))).toBe('Ikke leveret endnu: e-mail');
    expect(text(root.querySelector('h2'))).toBe('Alarmer 1');

    const button = item.querySelector<HTMLButtonElement>('[data-testid=ack]')!;
    expect(text(button)).toBe('Kvittér');
    expect(button.getAttribute('aria-label')).toBe('Kvittér: Åbent kontor er næsten fuld');
    button.click();
    await vi.waitFor(() => expect(root.querySelector('[data-testid=acked]')).not.toBeNull());
    expect(api.calls.map((c) => [c.init?.method, c.url])).toEqual([['POST', '/api/alerts/7/ack']]);
    expect(text(root.querySelector('[data-testid=acked]'))).toMatch(/^Håndteres af Mette Kjær kl\. \d\d[.:]\d\d$/);
    expect(root.querySelector('[data-testid=ack]')).toBeNull();
    // Acknowledged: still listed, no longer counted.
    expect(text(root.querySelector('h2'))).toBe('Alarmer');
  });

  it('says so when the acknowledgement fails, and keeps the button', async () => {
    vi.stubGlobal('fetch', fakeFetch([{ status: 503, body: { error: 'shutting-down', message: 'x' } }]).fn);
    const el = await mount([alertView()]);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-testid=ack]')!.click();
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector('[role=alert].undelivered')).not.toBeNull());
    expect(text(el.shadowRoot!.querySelector('[role=alert].undelivered'))).toBe('Could not acknowledge. Try again.');
    expect(el.shadowRoot!.querySelector('[data-testid=ack]')).not.toBeNull();
  });

  it('shows a condition once: the centre’s gateway alert replaces the derived one, with the words of finding 3', async () => {
    const offline = gateway({ online: false, lastSeen: Date.now() - 60_000 });
    const centre = alertView({
      id: 9,
      kind: 'gateway-offline',
      severity: 'critical',
      subject: 'gateway:gw-main',
      gateway: 'gw-main',
      zone: null,
      name: 'Cupboard Pi',
      detail: {},
    });
    const el = await mount([centre], { gateways: [offline] });
    const items = el.shadowRoot!.querySelectorAll('[data-alert=gateway-offline]');
    expect(items).toHaveLength(1);
    expect(items[0]!.getAttribute('data-centre')).toBe('9');
    expect(text(items[0]!.querySelector('.hint'))).toMatch(/still has power.*fail-secure locks stay locked/);
    const derived = deriveAlerts({ doors: [], gateways: [offline], events: [] }, Date.now());
    expect(alertCount(derived, [centre])).toBe(1);
    expect(alertCount(derived, [{ ...centre, ackedAt: Date.now() }])).toBe(0);
  });

  it('keeps the live list: a raise adds, an acknowledgement updates, a clear removes', () => {
    let s = applyLive(EMPTY_STATE, { type: 'snapshot', doors: [], desks: [], events: [], gateways: [], alerts: [alertView()] });
    expect(s.alerts.map((a) => a.id)).toEqual([7]);
    s = applyLive(s, { type: 'alert', alert: alertView({ id: 8, raisedAt: Date.now() }) });
    expect(s.alerts.map((a) => a.id)).toEqual([8, 7]);
    s = applyLive(s, { type: 'alert', alert: alertView({ ackedAt: 1, ackedByName: 'Ida' }) });
    expect(s.alerts.find((a) => a.id === 7)?.ackedByName).toBe('Ida');
    s = applyLive(s, { type: 'alert', alert: alertView({ clearedAt: Date.now() }) });
    expect(s.alerts.map((a) => a.id)).toEqual([8]);
  });
});

describe('the push notification', () => {
  it('shows the alert’s words, one notification per alert, urgent ones until handled', () => {
    expect(
      notificationOf({ title: 'Hoveddør blev brudt op', body: 'Tjek døren.', id: 4, kind: 'forced-open', severity: 'critical', url: 'https://hus7.example/' }),
    ).toEqual({
      title: 'Hoveddør blev brudt op',
      options: {
        body: 'Tjek døren.',
        tag: 'alert-4',
        renotify: true,
        requireInteraction: true,
        data: { url: 'https://hus7.example/' },
        icon: '/icons/icon-192.png',
      },
    });
    expect(notificationOf({ title: 'x', severity: 'warning', url: 'javascript:alert(1)' }).options).toMatchObject({
      requireInteraction: false,
      data: { url: '/' },
    });
    expect(notificationOf(null).title).toBe('smartspace');
  });
});

describe('my alert choices', () => {
  it('loads when opened, and saves kinds, channels and quiet hours in Danish', async () => {
    locale.set('da', false);
    const api = fakeFetch([
      { status: 200, body: { kinds: ['forced-open', 'gateway-offline'], channels: ['email', 'push'], quiet: null } },
      { status: 200, body: { kinds: ['forced-open', 'gateway-offline', 'capacity'], channels: ['push'], quiet: { start: '22:00', end: '07:00' } } },
    ]);
    vi.stubGlobal('fetch', api.fn);
    const el = await mount([]);
    const details = el.shadowRoot!.querySelector('details')!;
    expect(text(details.querySelector('summary'))).toBe('Mine alarmer');
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector('ss-alert-prefs')?.shadowRoot?.querySelector('form')).toBeTruthy());
    const form = el.shadowRoot!.querySelector('ss-alert-prefs')!.shadowRoot!;
    const box = (sel: string) => form.querySelector<HTMLInputElement>(sel)!;
    expect(text(box('input[value=capacity]').parentElement)).toBe('Zoner, der er næsten fulde');
    const tick = (sel: string, on: boolean) => {
      box(sel).checked = on;
      box(sel).dispatchEvent(new Event('change'));
    };
    tick('input[value=capacity]', true);
    tick('input[value=email]', false);
    tick('input[name=quiet]', true);
    await el.updateComplete;
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await vi.waitFor(() => expect(form.querySelector('[data-testid=prefs-saved]')).not.toBeNull());
    expect(api.calls.map((c) => [c.init?.method ?? 'GET', c.url])).toEqual([
      ['GET', '/api/me/alert-prefs'],
      ['PUT', '/api/me/alert-prefs'],
    ]);
    expect(jsonBody(api.calls[1]!.init)).toEqual({
      kinds: ['forced-open', 'gateway-offline', 'capacity'],
      channels: ['push'],
      quiet: { start: '22:00', end: '07:00' },
    });
    expect(text(form.querySelector('[data-testid=prefs-saved]'))).toBe('Gemt.');
  });
});
