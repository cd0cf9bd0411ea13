// The embedded broker inside the running app: MQTT over WebSocket on the HTTP port, the client
// count in health, and closing with clients still connected over TCP and WebSocket. The ACLs and
// credentials themselves: broker.test.ts (in memory). The packet size limit on a real socket.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { connect as tcpConnect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { connectAsync, type MqttClient } from 'mqtt';
import { MAX_MQTT_PACKET_BYTES } from '../../contracts/mqtt-limits.ts';
import { startApp, waitFor, fullHealth, type Running } from './helpers.ts';

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
    const before = (await fullHealth(r)).broker.clients ?? 0;
    await r.connect('automation', r.site.secrets.mqtt.automation);
    const after = (await fullHealth(r)).broker.clients ?? 0;
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

describe('broker packet size limit', () => {
  const lines: { msg: string; announced?: number; user?: string }[] = [];
  let r: Running;
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as (typeof lines)[number]);
        cb();
      },
    });
    r = await startApp({ app: { logger: pino({ level: 'warn' }, sink) } });
  });
  afterAll(() => r.stop());

  it('takes a publish just under the limit', async () => {
    const gw = await r.gateway('gw-main');
    const payload = Buffer.alloc(MAX_MQTT_PACKET_BYTES - 1024, 'x');
    await gw.publishAsync(r.t.gatewayStatus('gw-main'), payload, { qos: 1 });
    expect(gw.connected).toBe(true);
    expect(r.app.broker!.oversizedPackets).toBe(0);
  });

  it('drops a gateway that announces a 200 MB publish before buffering it, logs it once, and goes on serving', async () => {
    const gw = await r.gateway('gw-main');
    const socket = gw.stream as Socket;
    const gone = closed(gw);
    let socketClosed = false;
    socket.once('close', () => (socketClosed = true));
    // A PUBLISH (QoS 0) whose fixed header announces 200 MB, then its body 64 KB at a time for
    // as long as the broker takes it.
    const announced = 200 * 1024 * 1024;
    const topic = Buffer.from(r.t.gatewayStatus('gw-main'));
    const header = Buffer.concat([Buffer.from([0x30]), varint(announced), Buffer.from([topic.length >> 8, topic.length & 0xff]), topic]);
    socket.write(header);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let written = header.length;
    while (!socketClosed && written < announced) {
      const ok = socket.write(chunk, () => undefined);
      written += chunk.length;
      if (!ok)
        await new Promise<void>((resolve) => {
          socket.once('drain', resolve);
          socket.once('close', resolve);
        });
    }
    await gone;
    // Dropped on the header: far from all of the 200 MB went in (the rest is what the kernel
    // buffers took before the reset).
    expect(written).toBeLessThan(32 * 1024 * 1024);
    expect(r.app.broker!.oversizedPackets).toBe(1);
    const logged = lines.filter((l) => l.msg === 'mqtt packet too large: connection dropped');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ announced: 1 + 4 + announced, user: 'gateway:gw-main' });
    // The broker and the API go on: another client connects and publishes, health answers.
    const other = await r.connect('automation', r.site.secrets.mqtt.automation);
    await other.subscribeAsync(r.t.serviceStatus('services'), { qos: 1 });
    expect((await fetch(`${r.base}/api/health`)).status).toBe(200);
  });
});

/** The MQTT remaining-length encoding (§2.2.3). */
function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}
