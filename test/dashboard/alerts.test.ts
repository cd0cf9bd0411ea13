import { afterEach, describe, expect, it } from 'vitest';
import type { EventView } from '../../contracts/api/index.ts';
import { DENIED_BURST, deriveAlerts } from '../../dashboard/src/data/alerts.ts';
import '../../dashboard/src/components/alerts-panel.ts';
import type { AlertsPanel } from '../../dashboard/src/components/alerts-panel.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { device, faultyReader } from './device-fixture.ts';
import { accessEvent, desk, door, doorState, gateway, T0, text } from './fixtures.ts';

const denied = (n: number, ts: number, doorId = 'front'): EventView =>
  accessEvent({ id: `ev-denied${String(n).padStart(3, '0')}`, ts, door: doorId, decision: 'denied', reason: 'unknown-credential' });

const doorEvent = (kind: EventView['kind'], ts: number): EventView => ({
  id: `ev-${kind}-${ts}`,
  ts,
  door: 'front',
  doorName: 'Front door',
  type: 'door',
  kind,
});

const none = { doors: [], gateways: [], events: [] };

afterEach(() => {
  locale.reset();
  document.body.replaceChildren();
});

describe('alerts', () => {
  it('has none when all is well', () => {
    expect(deriveAlerts({ doors: [door()], gateways: [gateway()], events: [accessEvent()] }, T0)).toEqual([]);
  });

  it('raises forced open and held open from the door’s alarms, since the door event', () => {
    const forced = door({ state: doorState({ contact: 'open', alarms: ['forced-open'], ts: T0 + 5 }) });
    const held = door({ id: 'meeting', name: 'Meeting room', state: doorState({ door: 'meeting', contact: 'open', alarms: ['held-open'], ts: T0 + 9 }) });
    const alerts = deriveAlerts({ ...none, doors: [held, forced], events: [doorEvent('forced-open', T0 + 2)] }, T0 + 10);
    expect(alerts).toEqual([
      { id: 'forced-open:front', kind: 'forced-open', severity: 'critical', subject: 'Front door', since: T0 + 2 },
      { id: 'held-open:meeting', kind: 'held-open', severity: 'warning', subject: 'Meeting room', since: T0 + 9 },
    ]);
  });

  it('says a gateway is offline, and does not trust its doors’ last alarms', () => {
    const gone = door({ gatewayOnline: false, state: doorState({ alarms: ['forced-open'] }) });
    const alerts = deriveAlerts({ ...none, doors: [gone], gateways: [gateway({ online: false, lastSeen: T0 - 60_000 })] }, T0);
    expect(alerts.map((a) => [a.kind, a.subject, a.since])).toEqual([['gateway-offline', 'Cupboard Pi', T0 - 60_000]]);
  });

  it('notes a door in lockdown', () => {
    const alerts = deriveAlerts({ ...none, doors: [door({ state: doorState({ mode: 'lockdown' }) })] }, T0);
    expect(alerts.map((a) => a.id)).toEqual(['lockdown:front']);
  });

  it('raises repeated denied attempts: three at one door within a minute', () => {
    const events = [denied(3, T0 + 50_000), denied(2, T0 + 20_000), denied(1, T0)];
    const [alert] = deriveAlerts({ ...none, events }, T0 + 60_000);
    expect(alert).toMatchObject({ id: 'denied:front', kind: 'denied', severity: 'warning', subject: 'Front door', count: 3, since: T0 + 50_000 });
  });

  it('does not count denials spread out, at different doors, or long ago', () => {
    const spread = [denied(3, T0 + 130_000), denied(2, T0 + 65_000), denied(1, T0)];
    expect(deriveAlerts({ ...none, events: spread }, T0 + 140_000)).toEqual([]);
    const doors = [denied(3, T0 + 2_000, 'meeting'), denied(2, T0 + 1_000), denied(1, T0)];
    expect(deriveAlerts({ ...none, events: doors }, T0 + 3_000)).toEqual([]);
    const burst = [denied(3, T0 + 2_000), denied(2, T0 + 1_000), denied(1, T0)];
    expect(deriveAlerts({ ...none, events: burst }, T0 + 2_000 + DENIED_BURST.showMs - 1)).toHaveLength(1);
    expect(deriveAlerts({ ...none, events: burst }, T0 + 2_000 + DENIED_BURST.showMs + 1)).toEqual([]);
  });

  it('says a device is not working while its gateway is online, naming its door or desk, since it failed', () => {
    const sensor = device({ id: 'd05-pir', kind: 'presence-sensor', door: null, desk: 'd05', state: 'fault', since: T0 - 5_000, error: 'no answer' });
    const alerts = deriveAlerts(
      {
        ...none,
        doors: [door()],
        gateways: [gateway()],
        devices: [faultyReader(T0 - 60_000), device({ id: 'front-lock', kind: 'lock' }), sensor],
        desks: [desk('d05', 'open-space', 0, 0, null)],
      },
      T0,
    );
    expect(alerts).toEqual([
      {
        id: 'device-fault:d05-pir',
        kind: 'device-fault',
        severity: 'warning',
        subject: 'Desk 5',
        since: T0 - 5_000,
        device: { id: 'd05-pir', kind: 'presence-sensor', place: 'Desk 5', error: 'no answer' },
      },
      {
        id: 'device-fault:front-reader',
        kind: 'device-fault',
        severity: 'warning',
        subject: 'Front door',
        since: T0 - 60_000,
        device: { id: 'front-reader', kind: 'card-reader', place: 'Front door', error: 'no frames for 30 s' },
      },
    ]);
  });

  it('does not double up while the device’s gateway is offline (the gateway alert says it), and clears on recovery', () => {
    const input = { ...none, doors: [door()], devices: [faultyReader(T0 - 60_000)] };
    const offline = deriveAlerts({ ...input, gateways: [gateway({ online: false, lastSeen: T0 - 30_000 })] }, T0);
    expect(offline.map((a) => a.id)).toEqual(['gateway-offline:gw-main']);
    expect(deriveAlerts({ ...input, gateways: [gateway()] }, T0).map((a) => a.id)).toEqual(['device-fault:front-reader']);
    // A device whose gateway is not known at all is not vouched for either.
    expect(deriveAlerts({ ...input, gateways: [] }, T0)).toEqual([]);
    const recovered = deriveAlerts({ ...input, gateways: [gateway()], devices: [device({ since: T0 })] }, T0 + 1_000);
    expect(recovered).toEqual([]);
  });

  it('puts urgent ones first', () => {
    const alerts = deriveAlerts(
      {
        doors: [door({ id: 'meeting', name: 'Meeting room', state: doorState({ door: 'meeting', mode: 'lockdown' }) })],
        gateways: [gateway({ id: 'gw-2', name: 'Loft Pi', online: false })],
        events: [],
      },
      T0,
    );
    expect(alerts.map((a) => a.severity)).toEqual(['critical', 'warning']);
  });
});

describe('alerts panel', () => {
  async function mount(): Promise<AlertsPanel> {
    const el = document.createElement('ss-alerts');
    el.doors = [door()];
    el.gateways = [gateway()];
    document.body.append(el);
    await el.updateComplete;
    return el;
  }

  it('says all is well, then shows and announces an alert that appears', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    expect(text(root.querySelector('[data-testid=no-alerts]'))).toMatch(/No alerts/);
    expect(text(root.querySelector('[role=alert]'))).toBe('');

    el.doors = [door({ state: doorState({ contact: 'open', alarms: ['forced-open'], ts: Date.now() }) })];
    await el.updateComplete;
    const item = root.querySelector('[data-alert=forced-open]')!;
    expect(item.getAttribute('data-severity')).toBe('critical');
    expect(text(item.querySelector('.title'))).toBe('Front door was forced open');
    expect(text(item.querySelector('.hint'))).toMatch(/Check the door/);
    expect(text(item.querySelector('time'))).toMatch(/^since \d\d:\d\d$/);
    expect(text(root.querySelector('[role=alert]'))).toBe('Front door was forced open');
  });

  it('shows a faulty device with what to do, announces it, and takes it away when it recovers', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    el.devices = [faultyReader(Date.now() - 60_000)];
    await el.updateComplete;
    const item = root.querySelector('[data-alert=device-fault]')!;
    expect(item.getAttribute('data-severity')).toBe('warning');
    expect(item.getAttribute('data-subject')).toBe('Front door');
    expect(text(item.querySelector('.title'))).toBe('Reader at Front door is not working');
    expect(text(item.querySelector('time'))).toMatch(/^since \d\d:\d\d$/);
    expect(text(item.querySelector('.hint'))).toBe('Check its cable and power. The gateway says: “no frames for 30 s”.');
    expect(text(root.querySelector('[role=status]'))).toBe('Reader at Front door is not working');
    el.devices = [device()];
    await el.updateComplete;
    expect(root.querySelector('[data-alert=device-fault]')).toBeNull();
    expect(root.querySelector('[data-testid=no-alerts]')).not.toBeNull();
  });

  it('says only what is known of a gateway that stopped answering: never that cards still work (finding 3)', async () => {
    // The services cannot tell a dead Pi from a lost network: a fail-secure door of a dead Pi opens for nobody.
    for (const lang of ['en', 'da'] as const) {
      locale.set(lang, false);
      const el = await mount();
      el.gateways = [gateway({ online: false, lastSeen: Date.now() })];
      await el.updateComplete;
      const hint = text(el.shadowRoot!.querySelector('[data-alert=gateway-offline] .hint'));
      expect(hint).not.toMatch(/still work|virker stadig/i);
      expect(hint).toMatch(
        lang === 'en'
          ? /still has power.*last access list.*lost power.*fail-secure.*stay locked/
          : /stadig strøm.*sidste adgangsliste.*mistet strømmen.*fail-secure.*låst/,
      );
      el.remove();
    }
  });

  it('speaks Danish', async () => {
    locale.set('da', false);
    const el = await mount();
    el.gateways = [gateway({ online: false, lastSeen: Date.now() })];
    await el.updateComplete;
    expect(text(el.shadowRoot!.querySelector('h2'))).toBe('Alarmer 1');
    expect(text(el.shadowRoot!.querySelector('[data-alert] .title'))).toBe('Gateway Cupboard Pi svarer ikke');
    expect(text(el.shadowRoot!.querySelector('[data-alert] time'))).toMatch(/^siden \d\d[.:]\d\d$/);
  });

  it('names a faulty device in Danish', async () => {
    locale.set('da', false);
    const el = await mount();
    el.devices = [device({ id: 'front-lock', kind: 'lock', state: 'fault', since: Date.now(), error: null })];
    await el.updateComplete;
    expect(text(el.shadowRoot!.querySelector('[data-alert=device-fault] .title'))).toBe('Lås ved Front door virker ikke');
    expect(text(el.shadowRoot!.querySelector('[data-alert=device-fault] .hint'))).toBe('Tjek kabel og strøm.');
  });
});
