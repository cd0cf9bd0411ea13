// The embedded broker's credentials and topic ACLs, over in-memory connections (no socket):
// the same aedes set-up the services listen with. In the running app (WebSocket, health,
// closing): broker.integration.test.ts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { pino } from 'pino';
import type { IClientOptions, MqttClient } from 'mqtt';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { connectInMemory } from '../helpers/mqtt-memory.ts';
import type { Duplex } from 'node:stream';
import { Broker } from '../../services/broker/broker.ts';
import { topics } from '../../contracts/topics.ts';
import { publishJson, waitFor, subackCodes } from './helpers.ts';

/** Demo site plus a second gateway with its own door, to test isolation between gateways. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const twoGateways = (raw: Record<string, any>) => {
  raw.gateways.push({ id: 'gw-annex', name: 'Annex Pi', dataDir: 'gw-annex', offlineAfterH: 36 });
  raw.doors.push({
    id: 'annex',
    name: 'Annex door',
    gateway: 'gw-annex',
    unlockMs: 3000,
    reader: { driver: 'sim', id: 'annex-reader' },
    lock: { driver: 'sim', id: 'annex-lock', failMode: 'secure' },
  });
  // d16 takes its presence from zigbee2mqtt through the bridge process.
  raw.bridge = { source: { url: 'mqtt://127.0.0.1:1884' } };
  raw.desks[15].sensor = { driver: 'zigbee2mqtt', id: 'd16-fp1', friendlyName: 'Desk 16' };
};

const closed = (c: MqttClient) => new Promise<void>((resolve) => c.once('close', () => resolve()));

function collect(c: MqttClient): { topic: string; payload: string }[] {
  const got: { topic: string; payload: string }[] = [];
  c.on('message', (topic, payload) => got.push({ topic, payload: payload.toString() }));
  return got;
}

type Line = { msg: string } & Record<string, unknown>;

/** A logger whose warn-and-above lines land in `lines`. */
function captureLog(lines: Line[]) {
  return pino({ level: 'warn' }, { write: (s: string) => void lines.push(JSON.parse(s) as Line) });
}

describe('broker', () => {
  const logged: Line[] = [];
  let site: TestSite;
  let broker: Broker;
  let t: ReturnType<typeof topics>;
  const clients: MqttClient[] = [];
  const connect = async (username: string, password: string | undefined, o: IClientOptions = {}) => {
    const c = await connectInMemory(broker, { username, password, ...o });
    clients.push(c);
    return c;
  };
  const gateway = (id: string) => connect(`gateway:${id}`, site.secrets.gateways[id]!.mqttPassword);

  beforeAll(async () => {
    site = await makeTestSite(twoGateways, { ports: false });
    t = topics(site.config.site.id);
    broker = new Broker({ config: site.config, secrets: site.secrets, log: captureLog(logged) });
    await broker.start();
  });
  afterAll(async () => {
    for (const c of clients) c.end(true);
    await broker?.close();
    site?.cleanup();
  });

  it('refuses a wrong password and an unknown user with return code 4', async () => {
    for (const [username, password] of [
      ['gateway:gw-main', 'not-the-password'],
      ['gateway:gw-nope', 'whatever-password'],
      ['root', site.secrets.mqtt.services],
      ['services', undefined],
    ] as const) {
      const err = await connect(username, password).then(
        () => null,
        (e: Error & { code?: number }) => e,
      );
      expect(err?.code, username).toBe(4);
    }
  });

  it('refuses a client id already held by another identity (return code 2)', async () => {
    const main = await gateway('gw-main');
    const err = await connect('automation', site.secrets.mqtt.automation, { clientId: main.options.clientId! }).then(
      () => null,
      (e: Error & { code?: number }) => e,
    );
    expect(err?.code).toBe(2);
    expect(main.connected).toBe(true);
  });

  it("lets a gateway publish its own doors, and disconnects it for another gateway's door", async () => {
    const spy = await connect('services', site.secrets.mqtt.services);
    const got = collect(spy);
    await spy.subscribeAsync(`${t.root}/door/+/state`, { qos: 1 });
    const main = await gateway('gw-main');
    const state = { v: 1, ts: Date.now(), door: 'front', lock: 'locked', contact: 'closed', mode: 'normal', alarms: [] };
    await publishJson(main, t.doorState('front'), state);
    await waitFor(() => got.some((m) => m.topic === t.doorState('front')));

    const gone = closed(main);
    main.publish(t.doorState('annex'), JSON.stringify({ ...state, door: 'annex' }), { qos: 0 });
    await gone;
    // A marker sent after the refused publish has arrived: the refused one would be there by now.
    const marker = await gateway('gw-main');
    await publishJson(marker, t.doorState('front'), { ...state, ts: state.ts + 1 });
    await waitFor(() => got.filter((m) => m.topic === t.doorState('front')).length === 2);
    expect(got.some((m) => m.topic === t.doorState('annex'))).toBe(false);
  });

  it("gives SUBACK 128 for another gateway's access list and commands, and keeps the client connected", async () => {
    const main = await gateway('gw-main');
    const codes = await subackCodes(main, [
      t.acl('gw-annex'),
      t.doorCommand('annex'),
      t.acl('gw-main'),
      t.doorCommand('front'),
      `${t.root}/#`,
      'smartspace/+/acl/gw-annex',
    ]);
    expect(codes).toEqual([128, 128, 1, 1, 128, 128]);
    expect(main.connected).toBe(true);
  });

  it("delivers to a gateway on door/+/command only its own doors' commands", async () => {
    const main = await gateway('gw-main');
    const got = collect(main);
    await main.subscribeAsync(`${t.root}/door/+/command`, { qos: 1 });
    const services = await connect('services', site.secrets.mqtt.services);
    // In order over one connection: once the last (own door) has arrived, the other was not sent.
    await services.publishAsync(t.doorCommand('annex'), '{}', { qos: 1 });
    await services.publishAsync(t.doorCommand('front'), '{}', { qos: 1 });
    await waitFor(() => got.length > 0);
    expect(got.map((m) => m.topic)).toEqual([t.doorCommand('front')]);
  });

  it('lets automation read everything but access lists, and publish only its own status', async () => {
    const services = await connect('services', site.secrets.mqtt.services);
    await publishJson(services, t.acl('gw-main'), { v: 1 }, true);
    await publishJson(services, t.serviceStatus('services'), { v: 1, service: 'services', state: 'online' }, true);
    const auto = await connect('automation', site.secrets.mqtt.automation);
    const got = collect(auto);
    expect(await subackCodes(auto, [`${t.root}/#`, `${t.root}/acl/gw-main`])).toEqual([1, 128]);
    // Retained: the services' status arrives, the retained access list does not. Retained
    // messages follow the SUBACK in one batch; a later live message marks the end of it.
    await publishJson(services, t.serviceStatus('marker'), { v: 1 });
    await waitFor(() => got.some((m) => m.topic === t.serviceStatus('marker')));
    expect(got.some((m) => m.topic === t.serviceStatus('services'))).toBe(true);
    expect(got.filter((m) => m.topic.includes('/acl/'))).toEqual([]);

    // Its own retained status (the services alert when it stays offline) goes through.
    await publishJson(auto, t.serviceStatus('automation'), { v: 1, ts: 1, service: 'automation', state: 'online' }, true);
    await waitFor(() => got.some((m) => m.topic === t.serviceStatus('automation')));
    expect(auto.connected).toBe(true);
    let gone = closed(auto);
    auto.publish(t.doorCommand('front'), '{}', { qos: 0 });
    await gone;
    expect(auto.connected).toBe(false);
    // Nor may it speak for the services.
    const again = await connect('automation', site.secrets.mqtt.automation);
    gone = closed(again);
    again.publish(t.serviceStatus('services'), JSON.stringify({ v: 1, ts: 1, service: 'services', state: 'offline' }), { qos: 0, retain: true });
    await gone;
    expect(again.connected).toBe(false);
  });

  it("lets the bridge publish its bridged desks' occupancy but not a gateway's desk, nor door state", async () => {
    const bridge = await connect('bridge', site.secrets.mqtt.bridge);
    await publishJson(bridge, t.deskOccupancy('d16'), { v: 1, ts: 1, desk: 'd16', occupied: true, since: 1 });
    expect(bridge.connected).toBe(true);
    let gone = closed(bridge);
    bridge.publish(t.deskOccupancy('d01'), JSON.stringify({ v: 1, ts: 1, desk: 'd01', occupied: true, since: 1 }), { qos: 0 });
    await gone;
    expect(bridge.connected).toBe(false);
    const again = await connect('bridge', site.secrets.mqtt.bridge);
    gone = closed(again);
    again.publish(t.doorState('front'), '{}', { qos: 0 });
    await gone;
    expect(again.connected).toBe(false);
  });

  it("refuses a gateway's health and readings for another gateway's devices: dropped, counted, logged once", async () => {
    const spy = await connect('services', site.secrets.mqtt.services);
    const got = collect(spy);
    await spy.subscribeAsync([`${t.root}/device/+/health`, `${t.root}/sensor/+/reading`], { qos: 1 });
    const health = (device: string, gateway: string, state: 'ok' | 'fault') => ({ v: 1, ts: Date.now(), device, gateway, kind: 'lock', state });
    const before = broker.refusals.deniedPublishes;
    logged.length = 0;
    // The finding: gw-main marks gw-annex's lock faulty (then "ok" again, hiding a real fault).
    const refused = async (gw: string, topic: string) => {
      const c = await gateway(gw);
      const gone = closed(c);
      c.publish(topic, JSON.stringify(health('annex-lock', gw, 'fault')), { qos: 1 });
      await gone;
    };
    await refused('gw-main', t.deviceHealth('annex-lock'));
    await refused('gw-main', t.deviceHealth('annex-lock'));
    await refused('gw-main', t.deviceHealth('annex-reader'));
    await refused('gw-annex', t.sensorReading('d01-pir'));
    // Its own devices go through (a lock, a desk sensor's health and readings); the marker is last.
    const main = await gateway('gw-main');
    await publishJson(main, t.sensorReading('d01-pir'), { v: 1, ts: 1, sensor: 'd01-pir' });
    await publishJson(main, t.deviceHealth('d01-pir'), health('d01-pir', 'gw-main', 'ok'));
    await publishJson(main, t.deviceHealth('front-lock'), health('front-lock', 'gw-main', 'ok'));
    await waitFor(() => got.some((m) => m.topic === t.deviceHealth('front-lock')));
    expect(got.map((m) => m.topic)).toEqual([t.sensorReading('d01-pir'), t.deviceHealth('d01-pir'), t.deviceHealth('front-lock')]);
    expect(main.connected).toBe(true);
    expect(broker.refusals.deniedPublishes - before).toBe(4);
    // One line per (user, topic): three pairs, not four messages.
    const denied = logged.filter((l) => l.msg.startsWith('mqtt publish denied'));
    expect(denied.map((l) => `${l.user as string} ${l.topic as string}`)).toEqual([
      `gateway:gw-main ${t.deviceHealth('annex-lock')}`,
      `gateway:gw-main ${t.deviceHealth('annex-reader')}`,
      `gateway:gw-annex ${t.sensorReading('d01-pir')}`,
    ]);
  });

  it('counts connected clients', async () => {
    const before = broker.clients;
    const c = await connect('automation', site.secrets.mqtt.automation);
    expect(broker.clients).toBe(before + 1);
    const gone = closed(c);
    c.end(true);
    await gone;
    await waitFor(() => broker.clients === before);
  });
});

describe('broker login throttling (issue 12, finding 14)', () => {
  let site: TestSite;
  let broker: Broker;
  const clients: MqttClient[] = [];
  beforeAll(async () => {
    site = await makeTestSite(undefined, { ports: false });
    // A clock that stands still: what is refused depends on counts, not on how fast this runs.
    broker = new Broker({ config: site.config, secrets: site.secrets, log: pino({ level: 'silent' }), throttle: { now: () => 1_000_000 } });
    await broker.start();
  });
  afterAll(async () => {
    for (const c of clients) c.end(true);
    await broker?.close();
    site?.cleanup();
  });

  /** CONNECT from `address` (what a TCP socket's remoteAddress would be); the CONNACK code, 0 = accepted. */
  const attempt = async (address: string, username: string, password: string): Promise<number> => {
    const from = { handle: (s: Duplex) => broker.handle(Object.assign(s, { remoteAddress: address })) };
    try {
      clients.push(await connectInMemory(from, { username, password }));
      return 0;
    } catch (err) {
      return (err as { code: number }).code;
    }
  };

  it('refuses a burst of wrong passwords mostly without checking them; the real gateway still connects', async () => {
    const right = site.secrets.gateways['gw-main']!.mqttPassword;
    expect(await attempt('10.0.0.2', 'gateway:gw-main', right)).toBe(0);
    const before = broker.refusals;
    // One address guessing: 5 checked, the rest refused unchecked (CONNACK 5, not authorized).
    const codes: number[] = [];
    for (let i = 0; i < 100; i++) codes.push(await attempt('10.0.0.66', 'gateway:gw-main', `guess-${i}`));
    // Many addresses guessing one username: 5 checked, then the username is blocked.
    for (let i = 0; i < 100; i++) codes.push(await attempt(`10.0.1.${i}`, 'bridge', `guess-${i}`));
    const after = broker.refusals;
    expect(after.passwordChecks - before.passwordChecks).toBe(10);
    expect(after.throttledConnects - before.throttledConnects).toBe(190);
    expect(codes.filter((c) => c === 4)).toHaveLength(10);
    expect(codes.filter((c) => c === 5)).toHaveLength(190);

    // Unaffected: the real gateway from its address, another user from another address.
    expect(await attempt('10.0.0.2', 'gateway:gw-main', right)).toBe(0);
    expect(await attempt('10.0.0.3', 'automation', site.secrets.mqtt.automation)).toBe(0);
    // Refused unchecked: anything from the guessing address; a guessed username from an address it never used.
    expect(await attempt('10.0.0.66', 'automation', site.secrets.mqtt.automation)).toBe(5);
    expect(await attempt('10.0.0.9', 'gateway:gw-main', right)).toBe(5);
    expect(await attempt('10.0.0.9', 'bridge', site.secrets.mqtt.bridge)).toBe(5);
    expect(broker.refusals.passwordChecks - after.passwordChecks).toBe(2);
  });
});
