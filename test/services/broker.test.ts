import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { startApp, publishJson, waitFor, subackCodes, type Running } from './helpers.ts';

/** Demo site plus a second gateway with its own door, to test isolation between gateways. */
const twoGateways = (raw: Record<string, any>) => { // eslint-disable-line @typescript-eslint/no-explicit-any
  raw.gateways.push({ id: 'gw-annex', name: 'Annex Pi', dataDir: 'gw-annex', offlineAfterH: 36 });
  raw.doors.push({
    id: 'annex', name: 'Annex door', gateway: 'gw-annex', unlockMs: 3000,
    reader: { driver: 'sim', id: 'annex-reader' }, lock: { driver: 'sim', id: 'annex-lock', failMode: 'secure' },
  });
};

const closed = (c: MqttClient) => new Promise<void>((resolve) => c.once('close', () => resolve()));

function collect(c: MqttClient): { topic: string; payload: string }[] {
  const got: { topic: string; payload: string }[] = [];
  c.on('message', (topic, payload) => got.push({ topic, payload: payload.toString() }));
  return got;
}

describe('broker', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startApp({ edit: twoGateways });
  });
  afterAll(() => r.stop());

  it('refuses a wrong password and an unknown user with return code 4', async () => {
    const url = `mqtt://127.0.0.1:${r.mqttPort}`;
    for (const [username, password] of [
      ['gateway:gw-main', 'not-the-password'],
      ['gateway:gw-nope', 'whatever-password'],
      ['root', r.site.secrets.mqtt.services],
      ['services', undefined],
    ] as const) {
      const err = await connectAsync(url, { username, password, protocolVersion: 4, reconnectPeriod: 0 }).then(
        (c) => {
          c.end(true);
          return null;
        },
        (e: Error & { code?: number }) => e,
      );
      expect(err?.code, username).toBe(4);
    }
  });

  it('refuses a client id already held by another identity (return code 2)', async () => {
    const main = await r.gateway('gw-main');
    const err = await r.connect('automation', r.site.secrets.mqtt.automation, { clientId: main.options.clientId! }).then(
      () => null,
      (e: Error & { code?: number }) => e,
    );
    expect(err?.code).toBe(2);
    expect(main.connected).toBe(true);
  });

  it('lets a gateway publish its own doors, and disconnects it for another gateway\'s door', async () => {
    const spy = await r.connect('services', r.site.secrets.mqtt.services);
    const got = collect(spy);
    await spy.subscribeAsync(`${r.t.root}/door/+/state`, { qos: 1 });
    const main = await r.gateway('gw-main');
    const state = { v: 1, ts: Date.now(), door: 'front', lock: 'locked', contact: 'closed', mode: 'normal', alarms: [] };
    await publishJson(main, r.t.doorState('front'), state);
    await waitFor(() => got.some((m) => m.topic === r.t.doorState('front')));

    const gone = closed(main);
    main.publish(r.t.doorState('annex'), JSON.stringify({ ...state, door: 'annex' }), { qos: 0 });
    await gone;
    await new Promise((res) => setTimeout(res, 100));
    expect(got.some((m) => m.topic === r.t.doorState('annex'))).toBe(false);
  });

  it('gives SUBACK 128 for another gateway\'s access list and commands, and keeps the client connected', async () => {
    const main = await r.gateway('gw-main');
    const codes = await subackCodes(main, [
      r.t.acl('gw-annex'),
      r.t.doorCommand('annex'),
      r.t.acl('gw-main'),
      r.t.doorCommand('front'),
      `${r.t.root}/#`,
      'smartspace/+/acl/gw-annex',
    ]);
    expect(codes).toEqual([128, 128, 1, 1, 128, 128]);
    expect(main.connected).toBe(true);
  });

  it('delivers to a gateway on door/+/command only its own doors\' commands', async () => {
    const main = await r.gateway('gw-main');
    const got = collect(main);
    await main.subscribeAsync(`${r.t.root}/door/+/command`, { qos: 1 });
    const services = await r.connect('services', r.site.secrets.mqtt.services);
    await services.publishAsync(r.t.doorCommand('annex'), '{}', { qos: 1 });
    await services.publishAsync(r.t.doorCommand('front'), '{}', { qos: 1 });
    await waitFor(() => got.length > 0);
    await new Promise((res) => setTimeout(res, 100));
    expect(got.map((m) => m.topic)).toEqual([r.t.doorCommand('front')]);
  });

  it('lets automation read everything but access lists, and publish nothing', async () => {
    const auto = await r.connect('automation', r.site.secrets.mqtt.automation);
    const got = collect(auto);
    expect(await subackCodes(auto, [`${r.t.root}/#`, `${r.t.root}/acl/gw-main`])).toEqual([1, 128]);
    // Retained: the services' status arrives, the retained access lists do not.
    await waitFor(() => got.some((m) => m.topic === r.t.serviceStatus('services')));
    await new Promise((res) => setTimeout(res, 100));
    expect(got.filter((m) => m.topic.includes('/acl/'))).toEqual([]);

    const gone = closed(auto);
    auto.publish(r.t.doorCommand('front'), '{}', { qos: 0 });
    await gone;
  });

  it('lets the bridge publish desk occupancy but not door state', async () => {
    const bridge = await r.connect('bridge', r.site.secrets.mqtt.bridge);
    await publishJson(bridge, r.t.deskOccupancy('d01'), { v: 1, ts: 1, desk: 'd01', occupied: true, since: 1 });
    expect(bridge.connected).toBe(true);
    const gone = closed(bridge);
    bridge.publish(r.t.doorState('front'), '{}', { qos: 0 });
    await gone;
  });

  it('speaks MQTT over WebSocket on the HTTP port', async () => {
    const ws = await connectAsync(`ws://127.0.0.1:${r.httpPort}${r.site.config.services.mqtt.wsPath}`, {
      username: 'automation',
      password: r.site.secrets.mqtt.automation,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    r.clients.push(ws);
    const got = collect(ws);
    await ws.subscribeAsync(r.t.serviceStatus('services'), { qos: 1 });
    await waitFor(() => got.length > 0);
    expect(JSON.parse(got[0]!.payload)).toMatchObject({ service: 'services', state: 'online' });
  });

  it('counts connected clients in health', async () => {
    const before = ((await (await fetch(`${r.base}/api/health`)).json()) as { broker: { clients: number } }).broker.clients;
    await r.connect('automation', r.site.secrets.mqtt.automation);
    const after = ((await (await fetch(`${r.base}/api/health`)).json()) as { broker: { clients: number } }).broker.clients;
    expect(after).toBe(before + 1);
  });

  it('closes without hanging while MQTT-over-WebSocket and TCP clients are still connected', async () => {
    const own = await startApp();
    const ws = await connectAsync(`ws://127.0.0.1:${own.httpPort}/mqtt`, {
      username: 'automation',
      password: own.site.secrets.mqtt.automation,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    const tcp = await connectAsync(`mqtt://127.0.0.1:${own.mqttPort}`, {
      username: 'automation',
      password: own.site.secrets.mqtt.automation,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    const gone = Promise.all([closed(ws), closed(tcp)]);
    await own.app.close();
    await gone;
    await own.stop();
  });
});
