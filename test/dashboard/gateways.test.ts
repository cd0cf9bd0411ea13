import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../dashboard/src/components/gateways-panel.ts';
import type { GatewaysPanel } from '../../dashboard/src/components/gateways-panel.ts';
import { byTrouble, deviceLabel, deviceStatus } from '../../dashboard/src/data/device-status.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { device, faultyReader } from './device-fixture.ts';
import { desk, door, fakeFetch, gateway, settle, T0, text } from './fixtures.ts';

afterEach(() => {
  locale.reset();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

const DEVICES = [
  device({ id: 'd05-pir', kind: 'presence-sensor', door: null, desk: 'd05', firmware: null, dropped: null, droppedBytes: null }),
  device({ id: 'front-lock', kind: 'lock', firmware: null }),
  faultyReader(T0 - 5 * 60_000),
  device({ id: 'meeting-reader', door: 'meeting', dropped: 3, droppedBytes: 41 }),
  device({ id: 'annex-reader', gateway: 'gw-annex', door: null }),
];

async function mount(over: Partial<GatewaysPanel> = {}): Promise<GatewaysPanel> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  const el = document.createElement('ss-gateways');
  el.gateways = [
    gateway({
      version: '0.1.0',
      uptimeS: 3 * 86_400 + 4 * 3600 + 120,
      rejected: { state: 2, reading: 0, health: 1 },
      outboxDropped: 12,
      rssBytes: 61 * 1048576 + 200_000,
    }),
  ];
  el.devices = DEVICES;
  el.doors = [door(), door({ id: 'meeting', name: 'Meeting room' })];
  el.desks = [desk('d05', 'open-space', 0, 0, null)];
  Object.assign(el, over);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const rows = (el: GatewaysPanel) =>
  [...el.shadowRoot!.querySelectorAll('tr[data-device]')].map((tr) => [
    tr.getAttribute('data-device'),
    tr.getAttribute('data-state'),
    text(tr.querySelector('th')),
  ]);

describe('device status', () => {
  it('is unknown while the gateway is offline or not known, whatever the device said last', () => {
    expect(deviceStatus(device(), [gateway()])).toBe('ok');
    expect(deviceStatus(faultyReader(T0), [gateway()])).toBe('fault');
    expect(deviceStatus(device(), [gateway({ online: false })])).toBe('unknown');
    expect(deviceStatus(faultyReader(T0), [gateway({ online: false })])).toBe('unknown');
    expect(deviceStatus(device(), [])).toBe('unknown');
    expect(deviceStatus(device({ gateway: null }), [gateway()])).toBe('unknown');
  });

  it('names a device by its kind and place, a kind it does not know as sent, one of no place by its id', () => {
    expect(deviceLabel(device(), 'Front door')).toBe('Reader at Front door');
    expect(deviceLabel(device({ kind: 'relay-board' }), 'Front door')).toBe('relay-board at Front door');
    expect(deviceLabel(device({ kind: 'toString' }), null)).toBe('toString front-reader');
    expect(deviceLabel(device({ id: 'hall-pir', kind: 'presence-sensor' }), null)).toBe('Desk sensor hall-pir');
  });

  it('lists trouble first, then doors before desks', () => {
    expect(byTrouble(DEVICES.slice(0, 4), [gateway()], [door()], []).map((d) => d.id)).toEqual(['front-reader', 'front-lock', 'meeting-reader', 'd05-pir']);
  });
});

describe('gateways panel', () => {
  it('shows each gateway’s version, uptime, outbox, thinned readings, memory and rejected payloads per kind', async () => {
    const el = await mount();
    const field = (name: string) => text(el.shadowRoot!.querySelector(`[data-gateway=gw-main] dd[data-field=${name}]`));
    expect(field('version')).toBe('0.1.0');
    expect(field('uptime')).toBe('3 d 4 h');
    expect(field('acl')).toBe('version 3');
    expect(field('outbox')).toBe('0');
    expect(field('thinned')).toBe('12');
    expect(field('memory')).toBe('61 MB');
    expect(field('rejected')).toBe('state 2 · health 1');
    expect(el.shadowRoot!.querySelector('[data-warning]')).toBeNull();
  });

  it('says “not reported” for what an older gateway does not send, and none when nothing was rejected', async () => {
    const el = await mount({ gateways: [gateway({ rejected: {} })] });
    const field = (name: string) => text(el.shadowRoot!.querySelector(`dd[data-field=${name}]`));
    expect([field('version'), field('uptime'), field('thinned'), field('memory'), field('rejected')]).toEqual([
      'not reported',
      'not reported',
      'not reported',
      'not reported',
      'none',
    ]);
  });

  it('says an offline gateway’s access list is not known, not that it has none', async () => {
    const el = await mount({ gateways: [gateway({ online: false, aclVersion: null }), gateway({ id: 'gw-new', name: 'New Pi', aclVersion: null })] });
    const acl = [...el.shadowRoot!.querySelectorAll('dd[data-field=acl]')].map((dd) => text(dd));
    expect(acl).toEqual(['not reported', 'none yet']);
  });

  it('warns when a gateway opens only for offline plans, or its access list is stale', async () => {
    const el = await mount({ gateways: [gateway({ offlineOnly: true, aclStale: true })] });
    const warnings = [...el.shadowRoot!.querySelectorAll('[data-warning]')].map((p) => p.getAttribute('data-warning'));
    expect(warnings).toEqual(['offline-only', 'acl-stale']);
    expect(text(el.shadowRoot!.querySelector('[data-warning=acl-stale]'))).toMatch(/older than the offline limit.*Check its network\.$/);
  });

  it('lists the gateway’s devices by what and where they are, trouble first, with firmware, since, last seen and rejected frames', async () => {
    const el = await mount();
    expect(rows(el)).toEqual([
      ['front-reader', 'fault', 'Reader at Front door front-reader'],
      ['front-lock', 'ok', 'Lock at Front door front-lock'],
      ['meeting-reader', 'ok', 'Reader at Meeting room meeting-reader'],
      ['d05-pir', 'ok', 'Desk sensor at Desk 5 d05-pir'],
    ]);
    const cell = (id: string, field: string) => text(el.shadowRoot!.querySelector(`tr[data-device=${id}] [data-field=${field}]`));
    expect(cell('front-reader', 'state')).toBe('fault no frames for 30 s');
    expect(cell('front-reader', 'since')).toBe('10:25');
    expect(cell('front-reader', 'firmware')).toBe('RDM6300 sim 1.0');
    expect(cell('front-reader', 'last-seen')).toBe('10:29');
    expect(cell('front-lock', 'firmware')).toBe('not reported');
    expect(cell('meeting-reader', 'rejected')).toBe('3 (41 bytes)');
    expect(cell('d05-pir', 'rejected')).toBe('not reported');
    expect(el.shadowRoot!.querySelector('[data-testid=devices-unknown]')).toBeNull();
  });

  it('shows the devices of an offline gateway as unknown, never ok, since the gateway was last seen', async () => {
    const el = await mount({ gateways: [gateway({ online: false, lastSeen: T0 - 2 * 60_000 })] });
    expect(rows(el).map(([id, state]) => [id, state])).toEqual([
      ['front-reader', 'unknown'],
      ['front-lock', 'unknown'],
      ['meeting-reader', 'unknown'],
      ['d05-pir', 'unknown'],
    ]);
    const states = [...el.shadowRoot!.querySelectorAll('[data-field=state] .state')].map((s) => text(s));
    expect(states).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
    expect(text(el.shadowRoot!.querySelector('tr[data-device=front-reader] [data-field=state]'))).toBe('unknown'); // not its last error either
    expect(text(el.shadowRoot!.querySelector('dd[data-field=acl]'))).toBe('version 3');
    expect(text(el.shadowRoot!.querySelector('tr[data-device=front-lock] [data-field=since]'))).toBe('10:28');
    expect(text(el.shadowRoot!.querySelector('[data-testid=devices-unknown]'))).toBe('The gateway is offline: what its devices do now is not known.');
  });

  it('follows the live state: a device recovering, a gateway coming back', async () => {
    const el = await mount({ gateways: [gateway({ online: false })] });
    el.gateways = [gateway()];
    el.devices = DEVICES.map((d) => (d.id === 'front-reader' ? device() : d));
    await el.updateComplete;
    expect(rows(el).every(([, state]) => state === 'ok')).toBe(true);
  });

  it('speaks Danish', async () => {
    locale.set('da', false);
    const el = await mount();
    expect(text(el.shadowRoot!.querySelector('h4'))).toBe('Enheder på Cupboard Pi');
    expect(text(el.shadowRoot!.querySelector('dd[data-field=uptime]'))).toBe('3 d 4 t');
    expect(rows(el)[0]).toEqual(['front-reader', 'fault', 'Kortlæser ved Front door front-reader']);
    expect(text(el.shadowRoot!.querySelector('tr[data-device=front-reader] .state'))).toBe('fejl');
    expect(el.shadowRoot!.querySelector('tr[data-device=front-reader] td')!.getAttribute('data-label')).toBe('Tilstand');
    expect(text(el.shadowRoot!.querySelector('summary'))).toMatch(/^3 enheder virker — (vis|skjul)$/);
  });

  it('on a phone, shows the devices needing attention openly and folds the working ones under a summary', async () => {
    vi.stubGlobal('matchMedia', (q: string) => ({ matches: false, media: q }));
    const el = await mount();
    const root = el.shadowRoot!;
    const attention = [...root.querySelectorAll('table[data-part=attention] tr[data-device]')].map((tr) => tr.getAttribute('data-device'));
    expect(attention).toEqual(['front-reader']);
    expect(root.querySelector('details tr[data-state=fault]')).toBeNull(); // a fault is never folded away
    const details = root.querySelector<HTMLDetailsElement>('details[data-testid=devices-working]')!;
    expect(details.open).toBe(false);
    expect(text(details.querySelector('summary'))).toBe('3 devices working — show');
    expect([...details.querySelectorAll('tr[data-device]')].map((tr) => tr.getAttribute('data-state'))).toEqual(['ok', 'ok', 'ok']);
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
    await el.updateComplete;
    expect(text(details.querySelector('summary'))).toBe('3 devices working — hide');
    el.devices = [...DEVICES]; // a live update keeps what the operator chose
    await el.updateComplete;
    expect(root.querySelector<HTMLDetailsElement>('details')!.open).toBe(true);
  });

  it('on a wide screen, starts with the working devices unfolded; with all devices unknown there is nothing to fold', async () => {
    vi.stubGlobal('matchMedia', (q: string) => ({ matches: true, media: q }));
    const wide = await mount();
    expect(wide.shadowRoot!.querySelector<HTMLDetailsElement>('details')!.open).toBe(true);
    document.body.replaceChildren();
    const offline = await mount({ gateways: [gateway({ online: false })] });
    expect(offline.shadowRoot!.querySelector('details')).toBeNull();
    expect(offline.shadowRoot!.querySelectorAll('table[data-part=attention] tr[data-device]')).toHaveLength(4);
  });

  it('says when no devices have reported', async () => {
    const el = await mount({ devices: [] });
    expect(text(el.shadowRoot!.querySelector('article'))).toContain('No devices reported yet.');
    expect(el.shadowRoot!.querySelector('table')).toBeNull();
  });

  it('shows an OSDP reader left in install mode as a warning with its reason; Enrol key asks the gateway and says what came of it (Danish)', async () => {
    locale.set('da', false);
    const reason = 'OSDP install mode is on in the site config: remove installMode from this reader once it is keyed';
    const osdp = device({ id: 'front-reader', state: 'warning', error: reason, enrol: true });
    const api = fakeFetch([
      { status: 200, body: { device: 'front-reader', ok: false, reason: 'not-install-mode' } },
      { status: 200, body: { device: 'front-reader', ok: true } },
    ]);
    vi.stubGlobal('fetch', api.fn);
    const el = await mount({ devices: [osdp, device({ id: 'front-lock', kind: 'lock' })] });
    const row = () => el.shadowRoot!.querySelector('tr[data-device=front-reader]')!;
    expect(row().getAttribute('data-state')).toBe('warning');
    expect(text(row().querySelector('[data-field=state]'))).toContain(`advarsel ${reason}`);
    // In view with the devices needing attention, not folded with the working ones.
    expect(row().closest('table')!.getAttribute('data-part')).toBe('attention');
    expect(el.shadowRoot!.querySelector('tr[data-device=front-lock] [data-action=enrol-key]')).toBeNull();

    const button = row().querySelector<HTMLButtonElement>('[data-action=enrol-key]')!;
    expect(text(button)).toBe('Tildel nøgle');
    button.click();
    await settle(el);
    expect(api.calls[0]).toMatchObject({ url: '/api/devices/front-reader/enrol', init: { method: 'POST' } });
    expect(text(row().querySelector('.enrol-status'))).toBe('Ikke tildelt: læseren afviste installationsnøglen. Sæt den først i installationstilstand.');
    row().querySelector<HTMLButtonElement>('[data-action=enrol-key]')!.click();
    await settle(el);
    expect(row().querySelector('.enrol-status')!.getAttribute('data-enrol')).toBe('ok');
    expect(text(row().querySelector('.enrol-status'))).toBe('Færdig: læseren taler nu kun krypteret (Secure Channel) med sin egen nøgle.');
  });
});
