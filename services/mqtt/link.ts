// The services' MQTT link: the shared link (runtime/mqtt-link.ts: no-delay, backoff, fresh will,
// resubscribe on every connect) with the services' retained status (online on every connect,
// offline as the last will and on close). Subscribes to what the gateways report; publishes
// commands, access lists and the status.
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../runtime/log.ts';
import { MqttLink as Link } from '../../runtime/mqtt-link.ts';
import { topics, type Outgoing, type Topics } from '../../contracts/topics.ts';
import { PAYLOAD_VERSION, type ServiceStatus } from '../../contracts/payloads.ts';

export const SERVICE_ID = 'services';

export interface LinkOptions {
  /** Broker URL (or a function giving it at start), or a factory of the connection's stream. */
  url?: string | (() => string);
  stream?: () => Duplex;
  username: string;
  password: string;
  site: string;
  /** An mqtts:// broker's CA to trust (`broker.ca`), read when the link starts. */
  ca?: () => Buffer;
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
  #link: Link | null = null;
  #closing: Promise<void> | null = null;
  /** Rejects a start() still waiting for its first connection. */
  #abortStart: ((err: Error) => void) | null = null;

  constructor(opts: LinkOptions) {
    this.#opts = opts;
    this.#t = topics(opts.site);
  }

  get connected(): boolean {
    return this.#link?.connected ?? false;
  }

  /** Lost connections to the broker recovered since start. */
  get reconnects(): number {
    return this.#link?.reconnects ?? 0;
  }

  /** Resolves once connected, subscribed and the online status is out; retries an absent broker. */
  async start(): Promise<void> {
    const o = this.#opts;
    const clean = o.clean ?? true;
    if (!clean && !o.clientId) throw new LinkError('a persistent session needs a fixed clientId');
    const url = typeof o.url === 'function' ? o.url() : o.url;
    const link = new Link({
      ...(o.stream ? { stream: o.stream } : { url }),
      ...(o.ca ? { tls: { ca: o.ca() } } : {}),
      clientId: o.clientId ?? `services-${randomBytes(4).toString('hex')}`,
      clean,
      username: o.username,
      password: o.password,
      subscriptions: o.subscriptions,
      qos0Subscriptions: o.qos0Subscriptions ?? [],
      will: () => this.#status('offline'),
      // The services restart their link quickly: the broker is usually just restarting too.
      backoff: { minMs: 1000, maxMs: 5000 },
    });
    this.#link = link;
    link.on('message', (topic, payload) => o.onMessage(topic, payload));
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        link.off('subscribed', onSubscribed);
        link.off('error', onError);
        this.#abortStart = null;
        if (err) void link.stop().then(() => reject(err));
        else resolve();
      };
      const onSubscribed = () => done();
      // A refused CONNECT (bad credentials: a numeric CONNACK code) is final; a broker that is
      // not there yet (ECONNREFUSED, …) is retried until it is.
      const onError = ({ err, during }: { err: Error & { code?: unknown }; during: string }) => {
        if (during !== 'connect') o.log.warn({ err: err.message, during }, 'mqtt link error');
        else if (typeof err.code === 'number') done(err);
        else o.log.warn({ err: err.message, url }, 'mqtt broker not reachable yet, retrying');
      };
      // close() while the broker has not answered yet (an external broker that is down).
      this.#abortStart = done;
      link.on('subscribed', onSubscribed);
      link.on('error', onError);
      link.start();
    });
    link.on('error', ({ err, during }) => o.log.warn({ err: err.message, during }, 'mqtt link error'));
    link.on('down', ({ retryInMs }) => o.log.warn({ retryInMs }, 'mqtt link offline'));
    link.on('up', () => o.log.info({}, 'mqtt link reconnected'));
    link.on('subscribed', () => void this.#announce().then(() => o.onConnect?.()));
    await this.#announce();
  }

  /** Publishes one contract message; rejects with LinkError when the broker is unreachable. */
  async publish(m: Outgoing): Promise<void> {
    const link = this.#link;
    if (!link?.connected) throw new LinkError('mqtt link not connected');
    try {
      await link.publishAsync(m);
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
    const link = this.#link;
    if (!link) return;
    this.#abortStart?.(new LinkError('mqtt link closed before it connected'));
    link.removeAllListeners('subscribed');
    await link.stop(this.#status('offline'), 2000);
  }

  async #announce(): Promise<void> {
    try {
      await this.publish(this.#status('online'));
    } catch (err) {
      this.#opts.log.warn({ err }, 'service status not published');
    }
  }

  #status(state: ServiceStatus['state']): Outgoing {
    const status: ServiceStatus = { v: PAYLOAD_VERSION, ts: this.#opts.now(), service: SERVICE_ID, state };
    return this.#t.message('serviceStatus', SERVICE_ID, status);
  }
}
