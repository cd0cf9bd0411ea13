// The embedded broker inside the running app: MQTT over WebSocket on the HTTP port, the client
// count in health, and closing with clients still connected over TCP and WebSocket. The ACLs and
// credentials themselves: broker.test.ts (in memory).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { connect as tcpConnect } from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';
import { startApp, waitFor, type Running } from './helpers.ts';

const closed = (c: MqttClient) => new Promise<void>((resolve) => c.once('close', () => resolve()));

function collect(c: MqttClient): { topic: string; payload: string }[] {
  const got: { topic: string; payload: string }[] = [];
  c.on('message', (topic, payload) => got.push({ topic, payload: payload.toString() }));
  return got;
}

/** Whether anything accepts a TCP connection on loopback `port`. */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = tcpConnect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe('broker in the app', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startApp();
  });
  afterAll(() => r.stop());

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
    try {
      const opts = { username: 'automation', password: own.site.secrets.mqtt.automation, protocolVersion: 4 as const, reconnectPeriod: 0 };
      const before = own.app.broker!.clients;
      const ws = await connectAsync(`ws://127.0.0.1:${own.httpPort}/mqtt`, opts);
      const tcp = await connectAsync(`mqtt://127.0.0.1:${own.mqttPort}`, opts);
      expect(own.app.broker!.clients).toBe(before + 2);
      const gone = Promise.all([closed(ws), closed(tcp)]);
      // A close() that waited for the clients would never resolve: the test's timeout fails it.
      await own.app.close();
      await gone;
      expect([ws.connected, tcp.connected]).toEqual([false, false]);
      // Both listeners are gone, not merely idle.
      expect(await accepts(own.mqttPort)).toBe(false);
      expect(await accepts(own.httpPort)).toBe(false);
    } finally {
      await own.stop();
    }
  });
});
