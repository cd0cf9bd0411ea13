// Node-RED with the shipped rules against the real services, broker and gateway, each its own
// process. Time is the test's: Node-RED's site clock is set through SMARTSPACE_NODE_RED_CLOCK,
// and a desk's occupancy is played over MQTT with the gateway's credentials (as its gateway would).
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, gatewayReady, eventually, sim, type Stack } from '../helpers/stack.ts';
import { logMsg } from '../../scripts/lib/proc.ts';
import { startNodeRed, debugLine, type NodeRedProcess } from '../node-red/process.ts';

const MON_1000 = '2026-03-02T10:00:00+01:00';
const MON_1930 = '2026-03-02T19:30:00+01:00';

describe('Node-RED rules end to end', () => {
  let site: TestSite;
  let stack: Stack;
  let bridge: MqttClient;
  let nr: NodeRedProcess | null = null;

  const token = () => site.secrets.automationToken ?? '';
  const frontUnlocked = async () => ((await sim(stack.simUrl, '/sim/state')) as { locks: Record<string, { unlocked: boolean }> }).locks['front-lock']!.unlocked;
  const command = (door: string, action: string) =>
    fetch(`${stack.baseUrl}/api/doors/${door}/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action, reason: 'test' }),
    });
  const desk = (id: string, occupied: boolean) =>
    bridge.publishAsync(
      `smartspace/${site.config.site.id}/desk/${id}/occupancy`,
      JSON.stringify({ v: 1, ts: Date.now(), desk: id, occupied, since: Date.now() }),
      { qos: 1, retain: true },
    );
  const connected = (p: NodeRedProcess) => p.proc.waitForLog((l) => /^connected to mqtt:/.test(String(l.json?.msg)), 15_000);

  beforeAll(async () => {
    site = await makeTestSite();
    stack = await startStack(site);
    await gatewayReady(stack.baseUrl, 'gw-main');
    bridge = await connectAsync(site.config.broker.url, {
      username: 'gateway:gw-main',
      password: site.secrets.gateways['gw-main']!.mqttPassword,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
  });
  afterAll(async () => {
    bridge?.end(true);
    await stack?.stop();
    site?.cleanup();
  });
  afterEach(async () => {
    await nr?.stop();
    nr = null;
  });

  it('opening hours: started at Monday 10:00, Node-RED holds the front door unlocked through the services', async () => {
    nr = await startNodeRed(site, { clock: MON_1000 });
    await eventually(() => frontUnlocked(), 15_000, 'the front door held unlocked');
    await stack.services!.waitForLog(
      (l) => logMsg('door command sent')(l) && l.json?.actor === 'automation' && l.json.action === 'hold' && l.json.door === 'front',
      5000,
    );
  });

  it('last one out after closing: the door is locked and "space empty" goes to heating and lights', async () => {
    nr = await startNodeRed(site, { clock: MON_1930 });
    await connected(nr);
    // At start-up the opening-hours rule locks the front door (closed at 19:30). Then a host
    // holds it open for the evening's event, through the same API.
    await eventually(async () => !(await frontUnlocked()), 15_000, 'the closed-hours lock');
    expect((await command('front', 'hold')).status).toBe(202);
    await eventually(() => frontUnlocked(), 10_000, 'the front door held');

    await desk('d01', true);
    await nr.proc.waitForLog(debugLine('space state', /in-use/), 10_000);
    await desk('d01', false);
    await nr.proc.waitForLog(debugLine('space state', /empty/), 10_000);
    await eventually(async () => !(await frontUnlocked()), 10_000, 'the front door locked by last one out');
    const sent = (door: string) => (l: { json?: Record<string, unknown> }) =>
      l.json?.msg === 'door command sent' && l.json.actor === 'automation' && l.json.action === 'lock' && l.json.door === door;
    await stack.services!.waitForLog(sent('front'), 5000);
    await stack.services!.waitForLog(sent('meeting'), 5000);
  });

  it('the editor and admin API answer only an operator login; the palette and the rules are loaded', async () => {
    nr = await startNodeRed(site, { clock: MON_1930 });
    expect((await fetch(`${nr.url}/flows`)).status).toBe(401);
    const bad = await fetch(`${nr.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: nr.settings.adminUser, password: 'not-the-password' }),
    });
    expect(bad.status).toBe(403);
    const auth = { authorization: `Bearer ${await nr.login()}` };
    const flows = (await (await fetch(`${nr.url}/flows`, { headers: auth })).json()) as Array<{ type: string; label?: string }>;
    expect(flows.filter((n) => n.type === 'tab').map((n) => n.label)).toContain('Last one out');
    const nodes = (await (await fetch(`${nr.url}/nodes`, { headers: { ...auth, accept: 'application/json' } })).json()) as Array<{
      module: string;
      types: string[];
    }>;
    const ours = nodes.filter((n) => n.module === 'node-red-smartspace').flatMap((n) => n.types);
    expect(ours.sort()).toEqual(['smartspace-alert', 'smartspace-door', 'smartspace-events', 'smartspace-hours', 'smartspace-occupancy', 'smartspace-site']);
  });

  it('capacity through the real alert centre: the shipped rule raises it with the automation token, a host sees it, it clears', async () => {
    nr = await startNodeRed(site, { clock: MON_1000 });
    await connected(nr);
    const login = await fetch(`${stack.baseUrl}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'mette@kystkontor.dk', password: 'host-mette' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const capacity = async () => {
      const res = await fetch(`${stack.baseUrl}/api/alerts`, { headers: { cookie } });
      const list = (await res.json()) as { kind: string; zone: string | null; detail: { occupied?: number }; clearedAt: number | null }[];
      return list.find((a) => a.kind === 'capacity' && a.zone === 'open-space') ?? null;
    };
    const desks = ['d01', 'd02', 'd03', 'd04', 'd05', 'd06', 'd07', 'd08', 'd09'];
    for (const d of desks) await desk(d, true);
    const raised = await eventually(
      async () => {
        const a = await capacity();
        return a && a.clearedAt === null ? a : null;
      },
      15_000,
      'the capacity alert in the services',
    );
    expect(raised.detail).toEqual({ occupied: 9, capacity: 10 });
    for (const d of desks) await desk(d, false);
    await eventually(async () => ((await capacity())?.clearedAt ?? null) !== null, 15_000, 'the capacity alert cleared');
  });

  it('a wrong automation token: the services refuse the command and the rule raises an alert', async () => {
    nr = await startNodeRed(site, { clock: MON_1000, env: { SMARTSPACE_AUTOMATION_TOKEN: 'a-wrong-token-0123456789' } });
    await nr.proc.waitForLog(
      debugLine('alert', /^En automatisering fejlede\. Opening hours: hold front: the services refused the automation token \(401/),
      10_000,
    );
  });
});
