// The services' own MQTT client: subscribes to what the gateways report, publishes commands,
// access lists and the services' retained status (with an MQTT last will: offline).
import { randomBytes } from 'node:crypto';
import { connect, type MqttClient, type ISubscriptionMap } from 'mqtt';
import type { Logger } from '../../runtime/log.ts';
import { topics, type Outgoing, type Topics } from '../../contracts/topics.ts';
import { PAYLOAD_VERSION, type ServiceStatus } from '../../contracts/payloads.ts';

export const SERVICE_ID = 'services';

export interface LinkOptions {
  url: string;
  username: string;
  password: string;
  site: string;
  /** Subscribed at QoS 1. */
  subscriptions: readonly string[];
  /** Subscribed at QoS 0 (high-rate topics not worth queueing for an absent session). */
  qos0Subscriptions?: readonly string[];
  /** Default: `services-<random>`, a fresh clean session at each start. */
  clientId?: string;
  /**
   * false: a persistent session (an external broker queues the QoS 1 messages of our
   * subscriptions while we are away and delivers them when we reconnect). Needs a fixed clientId.
   */
  clean?: boolean;
  log: Logger;
  now: () => number;
  onMessage: (topic: string, payload: Buffer) => void;
  /** Called after each reconnect (not the first connect), once the status is published. */
  onConnect?: () => void;
}

export class LinkError extends Error {
  readonly code = 'SS_ERR_MQTT_LINK';
}

export class MqttLink {
  readonly #opts: LinkOptions;
  readonly #t: Topics;
  #client: MqttClient | null = null;
  #closing: Promise<void> | null = null;

  constructor(opts: LinkOptions) {
    this.#opts = opts;
    this.#t = topics(opts.site);
  }

  get connected(): boolean {
    return this.#client?.connected ?? false;
  }

  async start(): Promise<void> {
    const o = this.#opts;
    const will = this.#t.message('serviceStatus', SERVICE_ID, this.#status('offline'));
    const clean = o.clean ?? true;
    if (!clean && !o.clientId) throw new LinkError('a persistent session needs a fixed clientId');
    const client = connect(o.url, {
      clientId: o.clientId ?? `services-${randomBytes(4).toString('hex')}`,
      clean,
      username: o.username,
      password: o.password,
      protocolVersion: 4,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      will: { ...will, payload: Buffer.from(will.payload) },
    });
    this.#client = client;
    // Nagle off: mqtt.js leaves it on, and then a PUBLISH written while the previous packet is
    // unacknowledged waits for the broker's delayed ACK. Two door commands at once (last one
    // out locks every door) took ~38 ms to be acknowledged instead of ~2 ms.
    client.on('connect', () => (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true));
    // Attached before the first packet arrives: a resumed session delivers its queued messages
    // right after CONNACK, and mqtt.js acknowledges a QoS 1 message once 'message' has run.
    client.on('message', (topic, payload) => o.onMessage(topic, payload));
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        client.off('connect', onConnect);
        client.off('error', onError);
        client.off('end', onEnd);
        if (err) {
          client.end(true);
          reject(err);
        } else resolve();
      };
      const onConnect = () => done();
      // A refused CONNECT (bad credentials: a numeric CONNACK code) is final; a broker that is
      // not there yet (ECONNREFUSED, …) is retried every reconnectPeriod until it is.
      const onError = (err: Error & { code?: unknown }) => {
        if (typeof err.code === 'number') done(err);
        else o.log.warn({ err: err.message, url: o.url }, 'mqtt broker not reachable yet, retrying');
      };
      // close() while the broker has not answered yet (an external broker that is down).
      const onEnd = () => done(new LinkError('mqtt link closed before it connected'));
      client.on('connect', onConnect);
      client.on('error', onError);
      client.on('end', onEnd);
    });
    client.on('error', (err) => o.log.warn({ err: err.message }, 'mqtt link error'));
    client.on('offline', () => o.log.warn({}, 'mqtt link offline'));
    const subs: ISubscriptionMap = {};
    for (const topic of o.subscriptions) subs[topic] = { qos: 1 };
    for (const topic of o.qos0Subscriptions ?? []) subs[topic] = { qos: 0 };
    client.on('connect', () => {
      o.log.info({}, 'mqtt link reconnected');
      // A resumed session keeps its subscriptions and mqtt.js does not renew them; subscribe
      // again anyway, for the retained state that changed at QoS 0 while we were away.
      if (!clean) client.subscribe(subs, (err) => err && o.log.warn({ err: err.message }, 'mqtt resubscribe failed'));
      void this.#announce().then(() => o.onConnect?.());
    });
    await client.subscribeAsync(subs);
    await this.#announce();
  }

  /** Publishes one contract message; rejects with LinkError when the broker is unreachable. */
  async publish(m: Outgoing): Promise<void> {
    const client = this.#client;
    if (!client?.connected) throw new LinkError('mqtt link not connected');
    try {
      await client.publishAsync(m.topic, m.payload, { qos: m.qos, retain: m.retain });
    } catch (err) {
      throw new LinkError('mqtt publish failed', { cause: err });
    }
  }

  /** Publishes the retained offline status, then disconnects. Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    client.removeAllListeners('connect');
    if (client.connected) {
      const offline = this.publish(this.#t.message('serviceStatus', SERVICE_ID, this.#status('offline')));
      await withTimeout(offline.catch(() => undefined), 2000);
    }
    await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
  }

  async #announce(): Promise<void> {
    try {
      await this.publish(this.#t.message('serviceStatus', SERVICE_ID, this.#status('online')));
    } catch (err) {
      this.#opts.log.warn({ err }, 'service status not published');
    }
  }

  #status(state: ServiceStatus['state']): ServiceStatus {
    return { v: PAYLOAD_VERSION, ts: this.#opts.now(), service: SERVICE_ID, state };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
