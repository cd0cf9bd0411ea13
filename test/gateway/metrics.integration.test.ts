// The gateway's own /metrics: off unless configured, loopback without a token, another address
// only with one, and the numbers only the Pi knows (link, outbox, decisions at its doors, codec
// drops per device).
import { afterEach, describe, expect, it } from 'vitest';
import { topics } from '../../contracts/topics.ts';
import { buildGateway, type Gateway } from '../../gateway/gateway.ts';
import { freePort, makeTestSite, type TestSite } from '../helpers/site.ts';
import { startBroker, startServicesClient, waitFor, type TestBroker } from './helpers/broker.ts';
import { demoEntries, signedList } from './helpers/acl.ts';

const T = topics('klitmoller');

describe('gateway /metrics', () => {
  let site: TestSite | undefined;
  let broker: TestBroker | undefined;
  let gw: Gateway | undefined;

  afterEach(async () => {
    await gw?.stop();
    gw = undefined;
    await broker?.close();
    broker = undefined;
    site?.cleanup();
    site = undefined;
  });

  const value = (text: string, sample: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
    return line === undefined ? undefined : Number(line.slice(sample.length + 1));
  };

  it('is absent unless configured', async () => {
    site = await makeTestSite();
    gw = buildGateway(site.config, site.secrets, 'gw-main');
    expect(gw.metricsAddress()).toBeNull();
  });

  it('refuses a listener beyond loopback without a token, naming the key', async () => {
    site = await makeTestSite((raw) => (raw.gateways[0].metrics = { host: '0.0.0.0', port: 9464 }));
    expect(() => buildGateway(site!.config, site!.secrets, 'gw-main')).toThrow(/gateways\[0\]\.metrics\.host .*metricsToken/);
  });

  it('asks for the token beyond loopback', async () => {
    const port = await freePort();
    site = await makeTestSite((raw) => (raw.gateways[0].metrics = { host: '0.0.0.0', port }));
    const token = 'm'.repeat(32);
    const secrets = { ...site.secrets, gateways: { ...site.secrets.gateways, 'gw-main': { ...site.secrets.gateways['gw-main']!, metricsToken: token } } };
    gw = buildGateway(site.config, secrets, 'gw-main');
    await gw.start();
    expect(gw.metricsAddress()).toBe(`0.0.0.0:${port}`);
    const url = `http://127.0.0.1:${port}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${'x'.repeat(32)}` } })).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('smartspace_gateway_mqtt_connected');
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
  });

  it('counts decisions at its doors, the outbox and each device, on loopback', async () => {
    const port = await freePort();
    site = await makeTestSite((raw) => (raw.gateways[0].metrics = { port }));
    broker = await startBroker(site.mqttPort);
    const services = await startServicesClient(broker.port, `${T.root}/#`);
    const key = site.secrets.gateways['gw-main']!.key;
    await services.client.publishAsync(
      T.acl('gw-main'),
      JSON.stringify(signedList({ gateway: 'gw-main', key, version: 1, entries: demoEntries(site.secrets.siteKey) })),
      {
        qos: 1,
        retain: true,
      },
    );
    gw = buildGateway(site.config, site.secrets, 'gw-main', { simControl: { host: '127.0.0.1', port: 0 } });
    await gw.start();
    await waitFor(() => gw!.status().aclVersion === 1);
    expect(gw.metricsAddress()).toBe(`127.0.0.1:${port}`);
    const tap = (uid: string) =>
      fetch(`http://${gw!.simControlAddress()}/sim/tap`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reader: 'front-reader', uid }),
      });
    await tap('0400A1B2C3');
    await tap('DEADBEEF01');
    await tap('DEADBEEF02');
    const text = await (await fetch(`http://${gw.metricsAddress()}/metrics`)).text();
    expect(value(text, 'smartspace_gateway_access_decisions_total{result="granted"}')).toBe(1);
    expect(value(text, 'smartspace_gateway_access_decisions_total{result="denied"}')).toBe(2);
    expect(value(text, 'smartspace_gateway_mqtt_connected')).toBe(1);
    expect(value(text, 'smartspace_gateway_acl_version')).toBe(1);
    expect(value(text, 'smartspace_gateway_device_up{device="front-reader",kind="card-reader"}')).toBe(1);
    expect(value(text, 'smartspace_gateway_outbox_depth')).toBeGreaterThanOrEqual(0);
    expect(value(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    services.close();
  });
});
