// The Pi example site in process against a real aedes broker (fake GPIO, serial ports absent):
// raw readings go out at the configured rate while connected and wait in the outbox while not;
// the status carries the contact time and the offline-only flag.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseSiteConfig } from '../../config/load.ts';
import type { Secrets } from '../../config/schema.ts';
import { topics } from '../../contracts/topics.ts';
import { buildGateway, type Gateway } from '../../gateway/gateway.ts';
import { freePort } from '../helpers/site.ts';
import { startBroker, startServicesClient, waitFor, type TestBroker } from './helpers/broker.ts';

const EXAMPLE = new URL('../../config/examples/pi-site.yaml', import.meta.url).pathname;
const T = topics('pi-example');
const secret = 'x'.repeat(24);
const secrets: Secrets = {
  siteKey: secret,
  sessionSecret: secret,
  mqtt: { services: secret, automation: secret, bridge: secret },
  gateways: { 'gw-pi': { key: secret, mqttPassword: secret } },
};

describe('raw readings and status of a hardware site', () => {
  let dir: string;
  let port: number;
  let broker: TestBroker;
  let services: Awaited<ReturnType<typeof startServicesClient>>;
  let gw: Gateway;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ss-readings-'));
    port = await freePort();
    broker = await startBroker(port);
    services = await startServicesClient(port, `${T.root}/#`);
    await services.client.publishAsync(T.serviceStatus('services'), JSON.stringify({ v: 1, ts: Date.now(), service: 'services', state: 'online' }), {
      qos: 1,
      retain: true,
    });
    const raw = parse(readFileSync(EXAMPLE, 'utf8'));
    raw.gateways[0].dataDir = join(dir, 'gw-pi');
    raw.broker.url = `mqtt://127.0.0.1:${port}`;
    const config = parseSiteConfig(raw, dir);
    gw = buildGateway(config, secrets, 'gw-pi', {
      gpio: 'fake',
      readingsEveryMs: 100,
      backoff: { minMs: 100, maxMs: 200 },
      serialBackoff: { minMs: 5000, maxMs: 5000 },
    });
    await gw.start();
  });
  afterEach(async () => {
    await gw.stop();
    services.close();
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('readings go out while connected (QoS 0) and wait in the outbox while not', async () => {
    const reading = await waitFor(() => services.received.find((m) => m.topic === T.sensorReading('d1-pir')), 5000, 'a PIR reading');
    expect(reading.payload).toMatchObject({ v: 1, sensor: 'd1-pir', kind: 'motion', value: 0 });
    await waitFor(() => gw.status().lastContact !== undefined && gw.link.connected, 5000, 'contact');
    expect(gw.status()).toMatchObject({ state: 'online', offlineOnly: false, aclStale: false, outboxDropped: 0 });

    services.close();
    await broker.close();
    await waitFor(() => !gw.link.connected, 5000, 'link down');
    const downAt = Date.now();
    await waitFor(() => gw.outbox.depth >= 6, 5000, 'readings kept');
    expect(gw.status().offlineOnly).toBe(false); // 36 h are far off

    const cutAt = Date.now();
    broker = await startBroker(port);
    // Every publish the broker takes in, whether anyone subscribed yet or not.
    const readings: Array<{ ts: number }> = [];
    broker.broker.on('publish', (packet, client) => {
      if (client && packet.topic.endsWith('/reading')) readings.push(JSON.parse(packet.payload.toString()));
    });
    services = await startServicesClient(port, `${T.root}/#`);
    await waitFor(() => gw.outbox.depth === 0, 10_000, 'outbox drained');
    // The ones taken while disconnected arrived after all.
    await waitFor(() => readings.some((r) => r.ts > downAt && r.ts < cutAt), 5000, 'buffered readings delivered');
  });
});
