// The gateway's one MQTT connection (mqtt.js, MQTT 3.1.1: aedes refuses v5). Turns mqtt.js
// into `up` / `down` / `message` events, resubscribes on every connect, backs off
// exponentially between attempts (mqtt.js only knows a fixed period, so the period is set
// again before each attempt), and keeps the last will current. It never logs: the wiring does.
import { EventEmitter } from 'node:events';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { Backoff } from '../../runtime/backoff.ts';
import { deliveryOf, type Outgoing } from '../../contracts/topics.ts';

export interface MqttLinkOptions {
  url: string;
  clientId: string;
  username: string;
  password: string;
  /** Topics to subscribe (QoS 1) on every connect. */
  subscriptions: readonly string[];
  /** Last will, rebuilt before every connect attempt so that its `ts` is fresh. */
  will: () => Outgoing;
  backoff?: { minMs?: number; maxMs?: number };
  connectTimeoutMs?: number;
  keepaliveS?: number;
}

interface LinkEvents {
  up: [];
  /** The connection was lost; the next attempt is in `retryInMs`. */
  down: [{ retryInMs: number }];
  message: [string, Buffer];
  error: [{ err: Error; during: 'connect' | 'subscribe' | 'publish' | 'stop' }];
}

export class MqttLink extends EventEmitter<LinkEvents> {
  readonly #opts: MqttLinkOptions;
  readonly #backoff: Backoff;
  #client: MqttClient | undefined;
  #up = false;

  constructor(opts: MqttLinkOptions) {
    super();
    this.#opts = opts;
    this.#backoff = new Backoff(opts.backoff?.minMs ?? 1000, opts.backoff?.maxMs ?? 30_000);
  }

  get connected(): boolean {
    return this.#up && this.#client?.connected === true;
  }

  start(): void {
    if (this.#client) return;
    this.#backoff.reset();
    const will = this.#opts.will();
    const options: IClientOptions = {
      protocolVersion: 4,
      clean: true,
      clientId: this.#opts.clientId,
      username: this.#opts.username,
      password: this.#opts.password,
      reconnectPeriod: this.#backoff.minMs,
      connectTimeout: this.#opts.connectTimeoutMs ?? 10_000,
      keepalive: this.#opts.keepaliveS ?? 30,
      resubscribe: false,
      will: { ...will, payload: Buffer.from(will.payload) },
    };
    const client = connect(this.#opts.url, options);
    this.#client = client;
    // Nagle off (mqtt.js leaves it on): an event written while the previous packet, e.g. the
    // door's state, is unacknowledged would wait for the broker's delayed ACK (~40 ms).
    client.on('connect', () => (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true));
    // Runs before mqtt.js's own close handler, which arms the reconnect timer with this period.
    client.prependListener('close', () => {
      const retryInMs = this.#backoff.next();
      client.options.reconnectPeriod = retryInMs;
      const w = this.#opts.will();
      if (client.options.will) client.options.will.payload = Buffer.from(w.payload);
      if (this.#up) {
        this.#up = false;
        this.emit('down', { retryInMs });
      }
    });
    client.on('connect', () => {
      this.#backoff.reset();
      client.options.reconnectPeriod = this.#backoff.minMs;
      this.#up = true;
      if (this.#opts.subscriptions.length > 0) {
        client.subscribe([...this.#opts.subscriptions], { qos: 1 }, (err, granted) => {
          const refused = granted?.filter((g) => g.qos === 128).map((g) => g.topic) ?? [];
          if (err) this.emit('error', { err, during: 'subscribe' });
          else if (refused.length > 0) this.emit('error', { err: new Error(`subscription refused: ${refused.join(', ')}`), during: 'subscribe' });
        });
      }
      this.emit('up');
    });
    client.on('message', (topic, payload) => this.emit('message', topic, payload));
    client.on('error', (err) => this.emit('error', { err, during: 'connect' }));
  }

  /** Publishes only while connected (retained state is republished on connect instead). */
  publish(m: Outgoing, done?: (err?: Error) => void): boolean {
    const client = this.#client;
    if (!client || !this.connected) return false;
    client.publish(m.topic, m.payload, { qos: m.qos, retain: m.retain }, (err) => {
      if (err && !done) this.emit('error', { err, during: 'publish' });
      done?.(err ?? undefined);
    });
    return true;
  }

  /**
   * Sender for the outbox: mqtt.js calls back on PUBACK (QoS 1) or once written (QoS 0). QoS and
   * retain come from the topic's row in the contract table.
   */
  readonly send = (topic: string, payload: string, done: (err?: Error) => void): void => {
    const client = this.#client;
    if (!client) return done(new Error('link stopped'));
    const d = deliveryOf(topic);
    if (!d) return done(new Error(`not a contract topic: ${topic}`));
    client.publish(topic, payload, d, (err) => done(err ?? undefined));
  };

  /**
   * Publishes `final` (the offline status) if connected, then disconnects: cleanly when the
   * broker answers within `timeoutMs`, by closing the socket otherwise. Safe twice.
   */
  async stop(final?: Outgoing, timeoutMs = 1000): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#client = undefined;
    const wasUp = this.#up && client.connected;
    this.#up = false;
    if (wasUp) {
      await withTimeout(
        new Promise<void>((resolve) => {
          if (!final) return resolve();
          client.publish(final.topic, final.payload, { qos: final.qos, retain: final.retain }, () => resolve());
        }),
        timeoutMs,
      );
      const ended = await withTimeout(new Promise<boolean>((resolve) => client.end(false, {}, () => resolve(true))), timeoutMs);
      if (ended) return;
    }
    client.end(true);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    }),
  ]);
}
