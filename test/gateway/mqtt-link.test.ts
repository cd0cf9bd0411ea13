// The shared MQTT link (runtime/mqtt-link.ts) in memory: aedes over a duplex pair, no socket.
// Subscriptions at QoS 1 and 0, resubscribe after a lost connection, backoff between attempts,
// a last will rebuilt before each attempt.
import { describe, it, expect, afterEach } from 'vitest';
import { once } from 'node:events';
import { Aedes, type Subscription } from 'aedes';
import { MqttLink, plainTcpStream } from '../../runtime/mqtt-link.ts';
import { connectInMemory, duplexPair } from '../helpers/mqtt-memory.ts';
import { wholeReads } from '../../services/broker/whole-reads.ts';
import type { Duplex } from 'node:stream';

let broker: Aedes | null = null;
let link: MqttLink | null = null;
afterEach(async () => {
  await link?.stop();
  link = null;
  await new Promise<void>((resolve) => (broker ? broker.close(() => resolve()) : resolve()));
  broker = null;
});

/** An aedes broker and a stream factory that hands each new client connection to it. */
async function memoryBroker() {
  const b = await Aedes.createBroker();
  broker = b;
  const serverSides: Duplex[] = [];
  const stream = () => {
    const [client, server] = duplexPair();
    serverSides.push(server);
    b.handle(wholeReads(server));
    return client;
  };
  return { b, stream, serverSides };
}

function subscriptionsOf(b: Aedes, clientId: string): Promise<Subscription[]> {
  return new Promise((resolve, reject) => {
    const c = (b as unknown as { clients: Record<string, { subscriptions: Record<string, { qos: number }> }> }).clients[clientId];
    if (!c) return reject(new Error(`no client ${clientId}`));
    resolve(Object.entries(c.subscriptions).map(([topic, s]) => ({ topic, qos: s.qos }) as Subscription));
  });
}

describe('MqttLink over an in-memory stream', () => {
  it('subscribes at QoS 1 and 0 on connect, receives, publishes, and subscribes again after a lost connection', async () => {
    const { b, stream, serverSides } = await memoryBroker();
    let wills = 0;
    link = new MqttLink({
      stream,
      clientId: 'memory-1',
      subscriptions: ['a/+/event'],
      qos0Subscriptions: ['a/+/reading'],
      will: () => ({ topic: 'a/me/status', payload: JSON.stringify({ state: 'offline', n: ++wills }), qos: 1, retain: true }),
      backoff: { minMs: 20, maxMs: 80, jitter: 0 },
    });
    const subscribed = once(link, 'subscribed');
    link.start();
    expect(await subscribed).toEqual([{ refused: [] }]);
    expect(link.connected).toBe(true);
    expect((await subscriptionsOf(b, 'memory-1')).sort((x, y) => x.topic.localeCompare(y.topic))).toEqual([
      { topic: 'a/+/event', qos: 1 },
      { topic: 'a/+/reading', qos: 0 },
    ]);

    const got = once(link, 'message');
    b.publish({ cmd: 'publish', topic: 'a/x/event', payload: Buffer.from('hi'), qos: 1, retain: false, dup: false }, () => undefined);
    const [topic, payload] = await got;
    expect([topic, String(payload)]).toEqual(['a/x/event', 'hi']);

    const seen = new Promise<string>((resolve) =>
      b.subscribe(
        'b/out',
        (p, cb) => (resolve(String(p.payload)), cb()),
        () => undefined,
      ),
    );
    await link.publishAsync({ topic: 'b/out', payload: 'x', qos: 1, retain: false });
    expect(await seen).toBe('x');

    // The connection breaks: the broker publishes the will; the link retries after the backoff,
    // with a will rebuilt for the new attempt, and subscribes again.
    const willSeen = new Promise<string>((resolve) =>
      b.subscribe(
        'a/me/status',
        (p, cb) => (resolve(String(p.payload)), cb()),
        () => undefined,
      ),
    );
    const down = once(link, 'down');
    serverSides[0]!.destroy();
    expect(await down).toEqual([{ retryInMs: 20 }]);
    expect(JSON.parse(await willSeen)).toEqual({ state: 'offline', n: 1 });
    const again = once(link, 'subscribed');
    await again;
    expect(serverSides).toHaveLength(2);
    expect(wills).toBe(2);
    expect((await subscriptionsOf(b, 'memory-1')).length).toBe(2);
  });

  it('backs off exponentially while nobody answers, up to the maximum', async () => {
    // A stream that is closed at once: every attempt fails.
    const delays: number[] = [];
    link = new MqttLink({
      stream: () => {
        const [client, server] = duplexPair();
        setImmediate(() => server.destroy());
        return client;
      },
      clientId: 'memory-2',
      backoff: { minMs: 5, maxMs: 20, jitter: 0 },
    });
    link.on('error', () => undefined);
    const fourth = new Promise<void>((resolve) =>
      link!.on('retry', ({ retryInMs }) => {
        delays.push(retryInMs);
        if (delays.length === 4) resolve();
      }),
    );
    link.start();
    await fourth;
    expect(delays).toEqual([5, 10, 20, 20]);
    expect(link.connected).toBe(false);
  });

  it('drops a connection on which the broker announces a packet over the limit, on the first and on a later connection', async () => {
    const { b, stream } = await memoryBroker();
    link = new MqttLink({
      stream,
      clientId: 'memory-big',
      subscriptions: ['a/#'],
      maxPacketBytes: 64 * 1024,
      backoff: { minMs: 5, maxMs: 5, jitter: 0 },
    });
    const errors: string[] = [];
    link.on('error', ({ err, during }) => errors.push(`${during}: ${err.message}`));
    const got: string[] = [];
    link.on('message', (topic, payload) => got.push(`${topic} ${payload.length}`));
    const publisher = await connectInMemory(b, { clientId: 'memory-pub' });
    for (let round = 1; round <= 2; round++) {
      const subscribed = new Promise<void>((resolve) => link!.once('subscribed', () => resolve()));
      if (round === 1) link.start();
      await subscribed;
      // (events.once would reject on the link's 'error', which comes first.)
      const down = new Promise<void>((resolve) => link!.once('down', () => resolve()));
      await publisher.publishAsync('a/big', Buffer.alloc(256 * 1024, 'x'), { qos: 1 });
      await down;
      expect(errors).toHaveLength(round);
    }
    expect(errors[0]).toMatch(/^receive: mqtt packet from the broker too large \(2621\d\d bytes, limit 65536\)/);
    // Connected again: small messages still arrive, the big ones never did.
    await new Promise<void>((resolve) => link!.once('subscribed', () => resolve()));
    await publisher.publishAsync('a/small', 'hi', { qos: 1 });
    await new Promise<void>((resolve) => link!.once('message', () => resolve()));
    expect(got).toEqual(['a/small 2']);
    publisher.end(true);
  });

  it('publish() refuses while not connected; publishAsync() rejects', async () => {
    link = new MqttLink({ stream: () => duplexPair()[0], clientId: 'memory-3', connectTimeoutMs: 50 });
    link.on('error', () => undefined);
    link.start();
    expect(link.publish({ topic: 't', payload: '1', qos: 0, retain: false })).toBe(false);
    await expect(link.publishAsync({ topic: 't', payload: '1', qos: 1, retain: false })).rejects.toThrow(/not connected/);
  });
});

describe('plain mqtt:// URLs get our own TCP stream (mqtt.js would load every transport first)', () => {
  it('mqtt:// and tcp:// with a host get one; TLS, WebSocket, credentials in the URL and nonsense are left to mqtt.js', () => {
    for (const url of ['mqtt://127.0.0.1:1883', 'mqtt://broker.local', 'tcp://10.0.0.2:1884', 'mqtt://[::1]:1883']) {
      expect(typeof plainTcpStream(url), url).toBe('function');
    }
    for (const url of ['mqtts://broker.local:8883', 'ws://127.0.0.1:8080/mqtt', 'wss://x/mqtt', 'mqtt://user:pw@broker.local', 'mqtt://', 'not a url']) {
      expect(plainTcpStream(url), url).toBeUndefined();
    }
  });
});
