// The one MQTT link of every process (gateway, services, the Node-RED palette): mqtt.js with
// MQTT 3.1.1 (aedes refuses v5), turned into `up` / `down` / `message` events. It
// - turns Nagle off on the socket (mqtt.js leaves it on: a packet written while the previous
//   one is unacknowledged waits for the broker's delayed ACK, ~40 ms);
// - backs off exponentially between attempts, capped at 5 s with 20 % jitter by default (a
//   gateway notices a broker that is back within a few seconds; mqtt.js only knows a fixed
//   period, so the period is set again before each attempt);
// - rebuilds the last will before each attempt, so that its `ts` is fresh;
// - subscribes on every connect (QoS 1 and QoS 0 lists), also for a resumed session, which
//   gets the retained state that changed at QoS 0 while it was away.
// - drops the connection when the broker announces a packet larger than `maxPacketBytes`
//   (MAX_MQTT_PACKET_BYTES), before mqtt.js buffers it: MQTT 3.1.1 has no maximum packet size
//   to announce (v5's `maximumPacketSize`; aedes speaks only 3.1.1), so the link follows the
//   packet headers of what it reads (runtime/packet-size.ts); at most one read chunk reaches
//   mqtt.js's parser before the socket is gone;
// It never logs: the owner listens to `error` and logs in its own words. Connects to a URL, or
// over any duplex stream a factory returns (tests run it in memory against aedes).
import { EventEmitter } from 'node:events';
import { createConnection } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect, MqttClient, type IClientOptions, type IPublishPacket, type ISubscriptionMap } from 'mqtt';
import { Backoff } from './backoff.ts';
import { PacketSizeScanner } from './packet-size.ts';
import { MAX_MQTT_PACKET_BYTES } from '../contracts/mqtt-limits.ts';

/**
 * Reconnect backoff of every link unless the owner sets its own: 1 s doubling to 3 s, 20 % jitter.
 * The cap bounds how long queued events wait once the broker is back (issue 12: at most 5 s): the
 * next attempt comes within 3 s, then connect and delivery. A 5 s cap measured p99 4.4 s, too close.
 */
export const LINK_BACKOFF = { minMs: 1000, maxMs: 3000, jitter: 0.2 } as const;

/** One message for the wire (the contract builds these from its topic table). */
export interface LinkMessage {
  topic: string;
  payload: string;
  qos: 0 | 1;
  retain: boolean;
}

export interface MqttLinkOptions {
  /** Broker URL (mqtt://, mqtts://, ws://), or … */
  url?: string;
  /** … a factory of the connection's stream, called before each attempt. */
  stream?: () => Duplex;
  clientId: string;
  username?: string;
  password?: string;
  /**
   * mqtts:// and wss://: the CA certificate(s) to trust instead of the system's (a private CA),
   * and the name the broker's certificate must carry when the URL's host is not it.
   */
  tls?: { ca?: Buffer | string; servername?: string };
  /** Subscribed at QoS 1 on every connect. */
  subscriptions?: readonly string[];
  /** Subscribed at QoS 0 on every connect (state not worth queueing for an absent session). */
  qos0Subscriptions?: readonly string[];
  /** Last will, rebuilt before every connect attempt. */
  will?: () => LinkMessage;
  /** false: a persistent session (the broker queues QoS 1 messages while we are away). */
  clean?: boolean;
  /** Defaults: LINK_BACKOFF. `jitter` 0: exact delays. */
  backoff?: { minMs?: number; maxMs?: number; jitter?: number };
  connectTimeoutMs?: number;
  keepaliveS?: number;
  /** Largest packet taken from the broker (whole packet); larger drops the connection. Default MAX_MQTT_PACKET_BYTES. */
  maxPacketBytes?: number;
}

/** `receive`: the broker sent a packet over the size limit; the connection was dropped. */
export type LinkPhase = 'connect' | 'subscribe' | 'publish' | 'receive' | 'stop';

export interface LinkEvents {
  up: [];
  /** The connection was lost; the next attempt is in `retryInMs`. */
  down: [{ retryInMs: number }];
  /** An attempt ended (whether or not it had connected); the next one is in `retryInMs`. */
  retry: [{ retryInMs: number }];
  /** The subscriptions of this connection were answered; `refused` lists those refused. */
  subscribed: [{ refused: string[] }];
  message: [string, Buffer, IPublishPacket];
  /** `code`: the CONNACK return code of a refused CONNECT (bad credentials: 4 or 5). */
  error: [{ err: Error & { code?: unknown }; during: LinkPhase }];
}

/**
 * The stream to a plain `mqtt://` broker, made here: mqtt.js's `connect(url)` first loads every
 * transport it knows (WebSocket, SOCKS, TLS) on its first call, ~100 ms of CPU in a gateway's
 * start (test/bench/cold-start.ts) before its sim control or a Pi's other work can run. Other
 * schemes, and a URL with credentials in it, are left to mqtt.js.
 */
export function plainTcpStream(url: string): (() => Duplex) | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if ((u.protocol !== 'mqtt:' && u.protocol !== 'tcp:') || u.username || u.password || !u.hostname) return undefined;
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = u.port ? Number(u.port) : 1883;
  return () => createConnection({ host, port });
}

export class MqttLink extends EventEmitter<LinkEvents> {
  readonly #opts: MqttLinkOptions;
  readonly #backoff: Backoff;
  #client: MqttClient | undefined;
  #up = false;
  #connects = 0;

  constructor(opts: MqttLinkOptions) {
    super();
    if (!opts.url && !opts.stream) throw new Error('MqttLink needs a url or a stream factory');
    this.#opts = opts;
    const b = opts.backoff;
    this.#backoff = new Backoff(b?.minMs ?? LINK_BACKOFF.minMs, b?.maxMs ?? LINK_BACKOFF.maxMs, { jitter: b?.jitter ?? LINK_BACKOFF.jitter });
  }

  get connected(): boolean {
    return this.#up && this.#client?.connected === true;
  }

  /** Connections made again after the first (each one a lost connection recovered). */
  get reconnects(): number {
    return Math.max(0, this.#connects - 1);
  }

  /** Connects in the background; safe to call again while started. */
  start(): void {
    if (this.#client) return;
    const o = this.#opts;
    this.#backoff.reset();
    const will = o.will?.();
    const options: IClientOptions = {
      protocolVersion: 4,
      clean: o.clean ?? true,
      clientId: o.clientId,
      reconnectPeriod: this.#backoff.minMs,
      connectTimeout: o.connectTimeoutMs ?? 10_000,
      keepalive: o.keepaliveS ?? 30,
      // We subscribe on every connect ourselves (mqtt.js would skip a resumed session).
      resubscribe: false,
      ...(o.username === undefined ? {} : { username: o.username }),
      ...(o.password === undefined ? {} : { password: o.password }),
      ...(o.tls?.ca === undefined ? {} : { ca: o.tls.ca }),
      ...(o.tls?.servername === undefined ? {} : { servername: o.tls.servername }),
      // Explicit: an untrusted broker certificate is refused, whatever mqtt.js defaults to.
      rejectUnauthorized: true,
      // ws://, wss://: the ws library would take one message of up to 100 MiB before our check.
      wsOptions: { maxPayload: o.maxPacketBytes ?? MAX_MQTT_PACKET_BYTES },
      ...(will ? { will: { ...will, payload: Buffer.from(will.payload) } } : {}),
    };
    const factory = o.stream ?? plainTcpStream(o.url!);
    const client = factory ? new MqttClient(() => factory(), options) : connect(o.url!, options);
    this.#client = client;
    this.#limitIncoming(client, o.maxPacketBytes ?? MAX_MQTT_PACKET_BYTES);
    client.on('connect', () => (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true));
    // Runs before mqtt.js's own close handler, which arms the reconnect timer with this period.
    client.prependListener('close', () => {
      const retryInMs = this.#backoff.next();
      client.options.reconnectPeriod = retryInMs;
      const w = o.will?.();
      if (w) client.options.will = { ...w, payload: Buffer.from(w.payload) };
      if (this.#up) {
        this.#up = false;
        this.emit('down', { retryInMs });
      }
      if (this.#client === client) this.emit('retry', { retryInMs });
    });
    // Attached before the first packet arrives: a resumed session delivers its queued messages
    // right after CONNACK, and mqtt.js acknowledges a QoS 1 message once 'message' has run.
    client.on('message', (topic, payload, packet) => this.emit('message', topic, payload, packet));
    client.on('connect', () => {
      this.#backoff.reset();
      client.options.reconnectPeriod = this.#backoff.minMs;
      this.#up = true;
      this.#connects++;
      this.emit('up');
      this.#subscribe(client);
    });
    client.on('error', (err) => this.emit('error', { err, during: 'connect' }));
  }

  /**
   * Checks every connection's incoming bytes. mqtt.js makes a new stream per attempt and sends
   * CONNECT on it synchronously ('packetsend'), before any byte can arrive; the first stream
   * already exists when the constructor returns.
   */
  #limitIncoming(client: MqttClient, maxBytes: number): void {
    const guarded = new WeakSet<object>();
    const guard = () => {
      const stream = client.stream as Duplex | undefined;
      if (!stream || guarded.has(stream)) return;
      guarded.add(stream);
      const scanner = new PacketSizeScanner(maxBytes);
      const onData = (chunk: Buffer) => {
        const over = scanner.scan(chunk);
        if (over === 0) return;
        stream.off('data', onData);
        stream.destroy();
        const size = Number.isNaN(over) ? 'a malformed length' : `${over} bytes`;
        this.emit('error', { err: new Error(`mqtt packet from the broker too large (${size}, limit ${maxBytes}): connection dropped`), during: 'receive' });
      };
      stream.prependListener('data', onData);
    };
    guard();
    client.on('packetsend', (packet) => {
      if (packet.cmd === 'connect') guard();
    });
  }

  #subscribe(client: MqttClient): void {
    const subs: ISubscriptionMap = {};
    for (const topic of this.#opts.qos0Subscriptions ?? []) subs[topic] = { qos: 0 };
    for (const topic of this.#opts.subscriptions ?? []) subs[topic] = { qos: 1 };
    if (Object.keys(subs).length === 0) return void this.emit('subscribed', { refused: [] });
    client.subscribe(subs, (err, granted) => {
      const refused = granted?.filter((g) => g.qos === 128).map((g) => g.topic) ?? [];
      if (err) this.emit('error', { err, during: 'subscribe' });
      else if (refused.length > 0) this.emit('error', { err: new Error(`subscription refused: ${refused.join(', ')}`), during: 'subscribe' });
      this.emit('subscribed', { refused: err ? Object.keys(subs) : refused });
    });
  }

  /** Publishes only while connected (retained state is republished on connect instead). */
  publish(m: LinkMessage, done?: (err?: Error) => void): boolean {
    const client = this.#client;
    if (!client || !this.connected) return false;
    client.publish(m.topic, m.payload, { qos: m.qos, retain: m.retain }, (err) => {
      if (err && !done) this.emit('error', { err, during: 'publish' });
      done?.(err ?? undefined);
    });
    return true;
  }

  /** Publishes and waits for the PUBACK (QoS 1) or the write (QoS 0); rejects when not connected. */
  publishAsync(m: LinkMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.publish(m, (err) => (err ? reject(err) : resolve()))) reject(new Error('mqtt link not connected'));
    });
  }

  /** Hands a message to mqtt.js even while disconnected (it queues it until the next connect). */
  send(m: LinkMessage, done: (err?: Error) => void): void {
    const client = this.#client;
    if (!client) return done(new Error('link stopped'));
    client.publish(m.topic, m.payload, { qos: m.qos, retain: m.retain }, (err) => done(err ?? undefined));
  }

  /**
   * Publishes `final` (e.g. the offline status) if connected, then disconnects: cleanly when the
   * broker answers within `timeoutMs`, by closing the socket otherwise. Safe twice.
   */
  async stop(final?: LinkMessage, timeoutMs = 1000): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#client = undefined;
    const wasUp = this.#up && client.connected;
    this.#up = false;
    if (wasUp) {
      if (final)
        await withTimeout(
          new Promise<void>((resolve) => client.publish(final.topic, final.payload, { qos: final.qos, retain: final.retain }, () => resolve())),
          timeoutMs,
        );
      const ended = await withTimeout(new Promise<boolean>((resolve) => client.end(false, {}, () => resolve(true))), timeoutMs);
      if (ended) return;
    }
    await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    }),
  ]);
}
