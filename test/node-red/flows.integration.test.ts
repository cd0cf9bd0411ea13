// The shipped rules (config/node-red/flows.json) in the real Node-RED runtime, against the
// services' real broker and a small server playing the services API. Alerts are the POSTs to
// the alert centre; the rule-failure and "space" debug nodes are swapped for test helpers, and
// the alert nodes' 2-minute / 30-second thresholds are shortened: time is set by the test.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { helper, allPalette, coreNodes, startBroker, siteSettings, collect, until, type BrokerFixture } from './helper.ts';
import { fakeServices, TOKEN } from './fake-services.ts';

type FlowJson = Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
const SHIPPED = JSON.parse(readFileSync(new URL('../../config/node-red/flows.json', import.meta.url), 'utf8')) as FlowJson;
const PALETTE_TYPES = ['smartspace-site', 'smartspace-events', 'smartspace-occupancy', 'smartspace-door', 'smartspace-hours', 'smartspace-alert'];
const CORE_TYPES = ['tab', 'comment', 'catch', 'debug', 'link in', 'link out', 'change'];

const MON_1000 = Date.parse('2026-03-02T10:00:00+01:00');
const MON_1930 = Date.parse('2026-03-02T19:30:00+01:00');

describe('config/node-red/flows.json', () => {
  it('is one readable flow per rule: a tab with a comment, known node types, links that meet', () => {
    const tabs = SHIPPED.filter((n) => n.type === 'tab');
    expect(tabs.map((t) => t.label)).toEqual([
      'Opening hours',
      'Last one out',
      'Capacity',
      'Door held open',
      'Denied attempts',
      'Gateway offline',
      'Alerts',
      'Heating & lights',
    ]);
    for (const t of tabs)
      expect(
        SHIPPED.some((n) => n.z === t.id && n.type === 'comment'),
        t.label,
      ).toBe(true);
    for (const n of SHIPPED) expect([...PALETTE_TYPES, ...CORE_TYPES], n.id).toContain(n.type);
    const byId = new Map(SHIPPED.map((n) => [n.id, n]));
    for (const n of SHIPPED.filter((x) => x.type === 'link out')) {
      for (const target of n.links) expect(byId.get(target)?.links, `${n.id} → ${target}`).toContain(n.id);
    }
    for (const n of SHIPPED) for (const out of n.wires ?? []) for (const w of out) expect(byId.has(w), `${n.id} → ${w}`).toBe(true);
  });

  it('holds no credentials: the site node takes them from the settings or flows_cred.json', () => {
    const site = SHIPPED.filter((n) => n.type === 'smartspace-site');
    expect(site).toHaveLength(1);
    expect(site[0]).toEqual({
      id: 'site',
      type: 'smartspace-site',
      name: 'this site',
      siteId: '',
      brokerUrl: '',
      mqttUser: 'automation',
      servicesUrl: '',
      timeZone: '',
    });
    expect(JSON.stringify(SHIPPED)).not.toMatch(/password|token"\s*:\s*"[^"]/i);
  });
});

describe('the shipped rules', () => {
  let fx: BrokerFixture;
  let gw: MqttClient;
  let svc: Awaited<ReturnType<typeof fakeServices>>;
  const t = (rest: string) => `smartspace/${fx.site.config.site.id}/${rest}`;
  const pub = (topic: string, payload: unknown, retain = false) => gw.publishAsync(t(topic), JSON.stringify(payload), { qos: 1, retain });
  const desk = (id: string, occupied: boolean) => pub(`desk/${id}/occupancy`, { v: 1, ts: Date.now(), desk: id, occupied, since: Date.now() });
  const commands = () =>
    svc.calls.filter((c) => c.method === 'POST' && c.url.endsWith('/commands')).map((c) => `${c.url.split('/')[3]} ${c.body.action} (${c.body.reason})`);
  /** What the rules sent to the alert centre. */
  const alertPosts = () => svc.calls.filter((c) => c.method === 'POST' && c.url === '/api/alerts').map((c) => c.body);

  beforeAll(async () => {
    fx = await startBroker();
    gw = await fx.gateway();
    svc = await fakeServices({ forbidden: [] });
  });
  afterAll(async () => {
    await fx.stop();
    await new Promise<void>((r) => svc.server.close(() => r()));
  });
  afterEach(async () => {
    await helper.unload();
    svc.calls.length = 0;
  });

  /** Loads the shipped flows with the site clock at `clockAt`; rule failures and space states go to helpers. */
  async function load(clockAt: number, edit: (n: FlowJson[number]) => FlowJson[number] = (n) => n) {
    const flows = structuredClone(SHIPPED)
      .map(edit)
      .map((n) => {
        if (n.id === 'debug-alert' || n.id === 'debug-space') return { id: n.id, type: 'helper', z: n.z, x: n.x, y: n.y };
        if (n.id === 'alert-held' || n.id === 'alert-gateway') return { ...n, afterS: 0.3 };
        return n;
      });
    helper.settings(siteSettings(fx, { servicesUrl: svc.url, automationToken: TOKEN, clockOffsetMs: clockAt - Date.now() }));
    await helper.load([...allPalette, ...Object.values(coreNodes)], flows);
    const alerts = collect(helper.getNode('debug-alert'));
    const space = collect(helper.getNode('debug-space'));
    // Every events / occupancy node has its subscription once the site is connected.
    await until(() => helper.getNode('site').connection.state === 'connected', 5000, 'the site connected');
    return { alerts, space };
  }

  it('opening hours: holds the front door when started during staffed hours', async () => {
    await load(MON_1000);
    await until(() => commands().length === 1, 5000, 'the hold');
    expect(commands()).toEqual(['front hold (opening hours: staffed)']);
    expect(svc.calls[0]!.auth).toBe(`Bearer ${TOKEN}`);
  });

  it('last one out after closing: locks every door and says "space empty"; first in says "space in use"', async () => {
    const { space } = await load(MON_1930);
    await until(() => commands().length === 1, 5000, 'the closed-hours lock');
    expect(commands()).toEqual(['front lock (opening hours: closed)']);
    await desk('d05', true);
    await until(() => space.length === 1, 5000, 'space in use');
    await desk('d05', false);
    await until(() => space.length === 2 && commands().length === 3, 5000, 'space empty and two locks');
    expect(space.map((m) => m.payload.state)).toEqual(['in-use', 'empty']);
    expect(space[1]).toMatchObject({ topic: 'space/empty', payload: { state: 'empty', ts: expect.any(Number) } });
    expect(commands().slice(1).sort()).toEqual(['front lock (last one out)', 'meeting lock (last one out)']);
  });

  it('last one out during opening hours: leaves the doors to the opening-hours rule', async () => {
    const { space } = await load(MON_1000);
    await until(() => commands().length === 1, 5000, 'the hold');
    await desk('d06', true);
    await desk('d06', false);
    await until(() => space.length === 1, 5000, 'space in use');
    await new Promise((r) => setTimeout(r, 300));
    expect(space.map((m) => m.payload.state)).toEqual(['in-use']);
    expect(commands()).toEqual(['front hold (opening hours: staffed)']);
  });

  it('capacity: one alert when a zone reaches the node’s 90 %, none while it stays there, cleared when it empties', async () => {
    await load(MON_1000);
    expect(SHIPPED.find((n) => n.id === 'alert-capacity')).toMatchObject({ type: 'smartspace-alert', rule: 'capacity', percent: 90 });
    const desks = ['d01', 'd02', 'd03', 'd04', 'd05', 'd06', 'd07', 'd08', 'd09', 'd10'];
    for (const d of desks) await desk(d, true);
    await until(() => alertPosts().length >= 1, 5000, 'the capacity alert');
    await new Promise((r) => setTimeout(r, 200));
    expect(alertPosts()).toEqual([{ kind: 'capacity', zone: 'open-space', detail: { occupied: 9, capacity: 10 } }]);
    expect(svc.calls.find((c) => c.url === '/api/alerts')!.auth).toBe(`Bearer ${TOKEN}`);
    for (const d of desks) await desk(d, false);
    await until(() => alertPosts().length >= 2, 5000, 'the clear');
    expect(alertPosts()[1]).toEqual({ kind: 'capacity', zone: 'open-space', clear: true });
  });

  it('capacity: the threshold is the node’s property (60 %), not an expression', async () => {
    await load(MON_1000, (n) => (n.id === 'alert-capacity' ? { ...n, percent: 60 } : n));
    const desks = ['d01', 'd02', 'd03', 'd04', 'd05', 'd06'];
    for (const d of desks) await desk(d, true);
    await until(() => alertPosts().length >= 1, 5000, 'the capacity alert at 6 of 10');
    expect(alertPosts()[0]).toEqual({ kind: 'capacity', zone: 'open-space', detail: { occupied: 6, capacity: 10 } });
    for (const d of desks) await desk(d, false);
    await until(() => alertPosts().length >= 2, 5000, 'the clear');
  });

  it('denied attempts: three unknown cards at one door within a minute give one alert; known members refused do not count', async () => {
    await load(MON_1000);
    const denied = (door: string, ts: number, reason = 'unknown-credential', member?: string) =>
      pub(`door/${door}/event`, {
        v: 1,
        ts,
        id: randomUUID(),
        type: 'access',
        door,
        gateway: 'gw-main',
        decision: 'denied',
        reason,
        via: 'card',
        ...(member !== undefined && { member }),
        offline: false,
      });
    const t0 = Date.now();
    // A suspended member retrying, an expired pass, outside their hours: named in the feed, no alarm.
    await denied('meeting', t0 - 40_000, 'suspended', 'lars');
    await denied('meeting', t0 - 35_000, 'suspended', 'lars');
    await denied('meeting', t0 - 32_000, 'expired', 'sofie');
    await denied('meeting', t0 - 31_000, 'outside-schedule', 'sofie');
    await denied('front', t0 - 70_000); // outside the minute
    await denied('front', t0 - 30_000);
    await denied('meeting', t0 - 20_000); // another door
    await denied('front', t0 - 10_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(alertPosts()).toEqual([]);
    await denied('front', t0);
    await denied('front', t0 + 1000); // the fourth: no second alert
    await until(() => alertPosts().length >= 1, 5000, 'the denied alert');
    await new Promise((r) => setTimeout(r, 200));
    expect(alertPosts()).toEqual([{ kind: 'denied', door: 'front', detail: { attempts: 3, windowS: 60 } }]);
  });

  it('door held open: an alert when the door stays open, none when it closes in time; gateway alarms at once', async () => {
    await load(MON_1000);
    const state = (door: string, contact: string) =>
      pub(`door/${door}/state`, { v: 1, ts: Date.now(), door, lock: 'locked', contact, mode: 'normal', alarms: [] });
    await state('meeting', 'open');
    await state('meeting', 'closed');
    await state('front', 'open');
    await until(() => alertPosts().length >= 1, 5000, 'the held-open alert');
    await new Promise((r) => setTimeout(r, 500));
    expect(alertPosts()).toEqual([{ kind: 'held-open', door: 'front', detail: { openS: 0 } }]);
    await pub('door/meeting/event', { v: 1, ts: Date.now(), id: randomUUID(), type: 'door', door: 'meeting', gateway: 'gw-main', kind: 'forced-open' });
    await until(() => alertPosts().length >= 2, 5000, 'the alarm alert');
    expect(alertPosts()[1]).toEqual({ kind: 'forced-open', door: 'meeting' });
    await state('front', 'closed');
    await until(() => alertPosts().length >= 3, 5000, 'the clear');
    expect(alertPosts()[2]).toEqual({ kind: 'held-open', door: 'front', clear: true });
  });

  it('gateway offline: an alert when it stays offline, none for a blip, cleared when back', async () => {
    await load(MON_1000);
    const status = (state: string) => pub('gateway/gw-main/status', { v: 1, ts: Date.now(), gateway: 'gw-main', state });
    await status('offline');
    await status('online');
    await new Promise((r) => setTimeout(r, 500));
    expect(alertPosts()).toEqual([]);
    await status('offline');
    await until(() => alertPosts().length >= 1, 5000, 'the offline alert');
    expect(alertPosts()).toEqual([{ kind: 'gateway-offline', gateway: 'gw-main' }]);
    await status('online');
    await until(() => alertPosts().length >= 2, 5000, 'the clear');
    expect(alertPosts()[1]).toEqual({ kind: 'gateway-offline', gateway: 'gw-main', clear: true });
  });

  it('a refused door command becomes an alert, and the rules keep running', async () => {
    await new Promise<void>((r) => svc.server.close(() => r()));
    svc = await fakeServices({ forbidden: ['front'] });
    const { alerts } = await load(MON_1000);
    await until(() => alerts.length >= 1, 5000, 'the refusal alert');
    // The title in the site's language (the demo's: Danish); the text is the rule's own words.
    expect(alerts[0]).toMatchObject({
      title: 'En automatisering fejlede',
      payload: expect.stringMatching(/^En automatisering fejlede\. Opening hours: hold front/),
    });
    expect(alerts[0]!.text).toMatch(/^Opening hours: hold front: the automation role may not do this on door "front" \(403/);
    await until(() => alertPosts().length >= 1, 5000, 'the rule-failed alert');
    expect(alertPosts()[0]).toMatchObject({ kind: 'rule-failed', text: expect.stringMatching(/^Opening hours: hold front: the automation role may not/) });
    expect(helper.getNode('door-hold').status).toBeDefined();
    await desk('d07', true);
    await until(() => alerts.length >= 1, 100).catch(() => undefined);
    await desk('d07', false);
  });
});

describe('the alert node, denied attempts', () => {
  let fx: BrokerFixture;
  let svc: Awaited<ReturnType<typeof fakeServices>>;
  beforeAll(async () => {
    fx = await startBroker();
    svc = await fakeServices();
  });
  afterAll(async () => {
    await helper.unload();
    await fx.stop();
    await new Promise<void>((r) => svc.server.close(() => r()));
  });

  it("counts per door on the events' own time, one alert per window; a later burst is a new alert", async () => {
    const node = SHIPPED.find((n) => n.id === 'alert-denied')!;
    const site = SHIPPED.find((n) => n.id === 'site')!;
    helper.settings(siteSettings(fx, { servicesUrl: svc.url, automationToken: TOKEN }));
    await helper.load([...allPalette], [{ id: 'f1', type: 'tab' }, { ...site }, { ...node, z: 'f1', wires: [[]] }]);
    const n = helper.getNode('alert-denied');
    const send = (door: string, ts: number) => n.receive({ door, ts, payload: { decision: 'denied', reason: 'unknown-credential' } });
    send('front', 0);
    send('front', 59_000);
    send('meeting', 59_500);
    send('front', 59_999);
    send('front', 61_000); // three within the minute again, but an alert went out 1 s ago
    send('front', 130_000);
    send('front', 131_000);
    send('front', 132_000);
    const posts = () => svc.calls.filter((c) => c.url === '/api/alerts').map((c) => c.body);
    await until(() => posts().length >= 3, 2000, 'the alerts');
    await new Promise((r) => setTimeout(r, 100));
    expect(posts()).toEqual([
      { kind: 'denied', door: 'front', detail: { attempts: 3, windowS: 60 } },
      { kind: 'denied', door: 'front', clear: true },
      { kind: 'denied', door: 'front', detail: { attempts: 3, windowS: 60 } },
    ]);
  });
});
