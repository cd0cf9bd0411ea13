// The gateway built in-process against a real aedes broker, driven through the sim control
// HTTP API, with a test client playing the services.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../contracts/signing.ts';
import { topics } from '../../contracts/topics.ts';
import { buildGateway, type Gateway } from '../../gateway/gateway.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startBroker, startServicesClient, waitFor, type Received, type TestBroker } from './helpers/broker.ts';
import { demoEntries, signedList } from './helpers/acl.ts';

const T = topics('klitmoller');

describe('gateway against a real broker', () => {
  let site: TestSite;
  let broker: TestBroker;
  let gw: Gateway | undefined;
  let services: Awaited<ReturnType<typeof startServicesClient>>;

  const build = () => buildGateway(site.config, site.secrets, 'gw-main', { simControl: { host: '127.0.0.1', port: 0 }, backoff: { minMs: 100, maxMs: 400 } });
  const sim = async (path: string, body?: object) => {
    const res = await fetch(
      `http://${gw!.simControlAddress()}${path}`,
      body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {},
    );
    return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const publishServicesSide = async () => {
    const key = site.secrets.gateways['gw-main']!.key;
    const acl = signedList({ gateway: 'gw-main', key, version: 1, entries: demoEntries(site.secrets.siteKey) });
    await services.client.publishAsync(T.acl('gw-main'), JSON.stringify(acl), { qos: 1, retain: true });
    await services.client.publishAsync(T.serviceStatus('services'), JSON.stringify({ v: 1, ts: Date.now(), service: 'services', state: 'online' }), {
      qos: 1,
      retain: true,
    });
  };
  const accessEvents = (r: Received[]) => r.filter((m) => m.topic === T.doorEvent('front') && m.payload.type === 'access');

  beforeEach(async () => {
    site = await makeTestSite();
    broker = await startBroker(site.mqttPort);
    services = await startServicesClient(broker.port, `${T.root}/#`);
    await publishServicesSide();
  });

  afterEach(async () => {
    await gw?.stop();
    gw = undefined;
    services.close();
    await broker.close();
    site.cleanup();
  });

  it('taps open the door for members, not for strangers, and every decision reaches the services', async () => {
    gw = build();
    await gw.start();
    const status = await waitFor(
      () => services.received.find((m) => m.topic === T.gatewayStatus('gw-main') && m.payload.aclVersion === 1),
      5000,
      'online status',
    );
    expect(status.payload).toMatchObject({ state: 'online', aclStale: false, outboxDepth: 0 });
    // The software version from the project's package.json, for the operators' gateway list.
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(status.payload.version).toBe(pkg.version);
    const late = await startServicesClient(broker.port, T.gatewayStatus('gw-main'));
    const retained = await waitFor(() => late.received[0], 5000, 'retained status');
    late.close();
    expect(retained).toMatchObject({ retain: true, payload: { state: 'online', gateway: 'gw-main' } });
    await waitFor(() => gw!.status().aclVersion === 1);

    expect(await sim('/sim/tap', { reader: 'front-reader', uid: '0400A1B2C3' })).toEqual({ status: 200, body: { ok: true } });
    const state = await sim('/sim/state');
    expect(state.body.locks['front-lock']).toEqual({ unlocked: true, operations: 1 });
    expect(state.body.locks['meeting-lock']).toEqual({ unlocked: false, operations: 0 });
    const granted = await waitFor(() => accessEvents(services.received)[0], 5000, 'granted event');
    expect(granted.payload).toMatchObject({
      v: 1,
      type: 'access',
      door: 'front',
      gateway: 'gw-main',
      decision: 'granted',
      reason: 'ok',
      via: 'card',
      member: 'mette',
      fingerprint: fingerprint(site.secrets.siteKey, '0400A1B2C3'),
      offline: false,
    });
    expect(JSON.stringify(services.received)).not.toContain('0400A1B2C3');
    await waitFor(() => services.received.some((m) => m.topic === T.doorState('front') && m.payload.lock === 'unlocked'), 5000, 'door state');

    await sim('/sim/tap', { reader: 'front-reader', uid: 'DEADBEEF01' });
    expect((await sim('/sim/state')).body.locks['front-lock'].operations).toBe(1);
    const denied = await waitFor(() => accessEvents(services.received)[1], 5000, 'denied event');
    expect(denied.payload).toMatchObject({ decision: 'denied', reason: 'unknown-credential', via: 'card' });
    expect(denied.payload.member).toBeUndefined();
    await waitFor(() => gw!.outbox.depth === 0, 5000, 'outbox drained');
  });

  it('a tap while the broker is down is delivered, exactly once, when a new broker comes up', async () => {
    gw = build();
    await gw.start();
    await waitFor(() => gw!.link.connected && gw!.status().aclVersion === 1, 5000, 'connected with a list');
    await sim('/sim/tap', { reader: 'front-reader', uid: '0400A1B2C3' });
    await waitFor(() => accessEvents(services.received).length === 1, 5000, 'first event');

    services.close();
    await broker.close();
    await waitFor(() => !gw!.link.connected, 5000, 'link down');
    expect(await sim('/sim/tap', { reader: 'front-reader', uid: '0400D4E5F6' })).toMatchObject({ status: 200 });
    expect((await sim('/sim/state')).body.locks['front-lock'].unlocked).toBe(true); // decided locally
    expect(gw.outbox.depth).toBe(1);

    broker = await startBroker(site.mqttPort);
    services = await startServicesClient(broker.port, `${T.root}/#`);
    const ev = await waitFor(() => accessEvents(services.received).find((m) => m.payload.member === 'jonas'), 10_000, 'event after reconnect');
    expect(ev.payload).toMatchObject({ decision: 'granted', via: 'card', offline: true });
    await waitFor(() => gw!.outbox.depth === 0, 5000, 'outbox drained');
    await new Promise((r) => setTimeout(r, 300));
    const ids = accessEvents(services.received).map((m) => m.payload.id);
    expect(ids).toEqual([ev.payload.id]);
    // Retained state is republished on reconnect.
    expect(services.received.some((m) => m.topic === T.doorState('front'))).toBe(true);
    expect(services.received.some((m) => m.topic === T.deskOccupancy('d01') && m.payload.occupied === false)).toBe(true);
  });

  it('offline, a suspended member is refused by name, a PIN says PIN, and the exit button leaves a trace', async () => {
    const key = site.secrets.gateways['gw-main']!.key;
    const siteKey = site.secrets.siteKey;
    const entries = demoEntries(siteKey).map((e) =>
      e.member === 'lars' ? { doors: [], fp: e.fp, member: 'lars', offline: false, refused: 'suspended' as const } : e,
    );
    entries.push({ fp: fingerprint(siteKey, 'PIN:4711'), member: 'sofie', doors: ['front'], offline: true });
    await services.client.publishAsync(T.acl('gw-main'), JSON.stringify(signedList({ gateway: 'gw-main', key, version: 2, entries })), {
      qos: 1,
      retain: true,
    });
    gw = build();
    await gw.start();
    await waitFor(() => gw!.link.connected && gw!.status().aclVersion === 2, 5000, 'connected with the list');
    services.close();
    await broker.close();
    await waitFor(() => !gw!.link.connected, 5000, 'link down');

    await sim('/sim/tap', { reader: 'front-reader', uid: '0400445566' }); // Lars, suspended
    expect((await sim('/sim/state')).body.locks['front-lock'].operations).toBe(0);
    await sim('/sim/tap', { reader: 'front-reader', uid: 'PIN:4711' }); // Sofie's day pass
    await sim('/sim/exit', { button: 'front-exit' });
    expect(gw.outbox.depth).toBe(3);

    broker = await startBroker(site.mqttPort);
    services = await startServicesClient(broker.port, `${T.root}/#`);
    await waitFor(() => accessEvents(services.received).length === 3, 10_000, 'events after reconnect');
    const events = accessEvents(services.received);
    expect(events.map((m) => m.payload)).toEqual([
      expect.objectContaining({ decision: 'denied', reason: 'suspended', member: 'lars', via: 'card', offline: true }),
      expect.objectContaining({ decision: 'granted', reason: 'ok', member: 'sofie', via: 'pin', offline: true }),
      expect.objectContaining({ decision: 'granted', reason: 'ok', via: 'exit-button', offline: true }),
    ]);
    expect(events[2]!.payload.member).toBeUndefined();
    expect(events[2]!.payload.fingerprint).toBeUndefined();
    expect(JSON.stringify(services.received)).not.toMatch(/0400445566|PIN:4711|4711/);
  });

  it('unsent events survive a restart of the gateway', async () => {
    services.close();
    await broker.close();
    gw = build();
    await gw.start();
    await sim('/sim/tap', { reader: 'front-reader', uid: '0400445566' }); // no list yet: denied, still an event
    expect(gw.outbox.depth).toBe(1);
    await gw.stop();

    broker = await startBroker(site.mqttPort);
    services = await startServicesClient(broker.port, `${T.root}/#`);
    gw = build();
    await gw.start();
    const ev = await waitFor(() => accessEvents(services.received)[0], 10_000, 'event after restart');
    expect(ev.payload).toMatchObject({ decision: 'denied', reason: 'no-access-list', offline: true });
  });

  it('a signed remote unlock opens the door; stop leaves an offline status', async () => {
    const { sign } = await import('../../contracts/signing.ts');
    gw = build();
    await gw.start();
    // The retained list arriving proves the (single) SUBSCRIBE, commands included, is in place.
    await waitFor(() => gw!.link.connected && gw!.access.list.version === 1, 5000, 'subscribed');
    const key = site.secrets.gateways['gw-main']!.key;
    const now = Date.now();
    const cmd = sign({ v: 1 as const, ts: now, id: 'cmd-0001-abcdef', door: 'meeting', action: 'unlock' as const, exp: now + 15_000, member: 'ida' }, key);
    await services.client.publishAsync(T.doorCommand('meeting'), JSON.stringify(cmd), { qos: 1 });
    const ev = await waitFor(() => services.received.find((m) => m.topic === T.doorEvent('meeting')), 5000, 'remote event');
    expect(ev.payload).toMatchObject({ via: 'remote', commandId: 'cmd-0001-abcdef', member: 'ida', decision: 'granted' });
    expect((await sim('/sim/state')).body.locks['meeting-lock'].unlocked).toBe(true);

    await services.client.publishAsync(T.doorCommand('meeting'), 'not json', { qos: 1 });
    await waitFor(() => gw!.status().rejected?.doorCommand === 1, 5000, 'rejected count');

    await gw.stop();
    await gw.stop();
    gw = undefined;
    await waitFor(() => services.received.find((m) => m.topic === T.gatewayStatus('gw-main') && m.payload.state === 'offline'), 5000, 'offline status');
  });
});
