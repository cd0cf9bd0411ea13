// The embedded broker: aedes with per-client credentials and topic ACLs, a TCP listener and
// MQTT over WebSocket on the HTTP server. aedes opens no port itself; we own the listeners.
import { createServer, type Server as NetServer, type AddressInfo } from 'node:net';
import { TLSSocket, createSecureContext, type SecureContext } from 'node:tls';
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Aedes, type Client, type AuthenticateError } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { Logger } from '../../runtime/log.ts';
import type { SiteConfig, Secrets } from '../../config/schema.ts';
import { authenticate, describeIdentity, type Identity } from './identity.ts';
import { createTopicAcl } from './acl.ts';
import { wholeReads } from './whole-reads.ts';
import { limitPackets } from './packet-limit.ts';
import { ConnectThrottle, type ConnectThrottleOptions } from './connect-throttle.ts';
import { MAX_MQTT_PACKET_BYTES } from '../../contracts/mqtt-limits.ts';

export interface BrokerOptions {
  config: SiteConfig;
  secrets: Secrets;
  log: Logger;
  /**
   * Called synchronously for every authorized publish from a client, before the broker answers
   * PUBACK. aedes sends the PUBACK of a QoS 1 publish *before* it delivers the message to any
   * subscriber (lib/handlers/publish.js), so a gateway that deletes an event from its outbox
   * on PUBACK would lose it if the services died in between. Storing door events here makes
   * the PUBACK mean "stored".
   */
  beforeAck?: (topic: string, payload: Buffer) => void;
  /** Largest MQTT packet a client may send (whole packet); larger drops the connection. */
  maxPacketBytes?: number;
  /** Login throttling (connect-throttle.ts defaults unless set). */
  throttle?: ConnectThrottleOptions;
}

/** What the broker refused, since start (health, tests). */
export interface BrokerRefusals {
  /** Passwords checked (each CONNECT that was not throttled). */
  passwordChecks: number;
  /** CONNECTs refused by the login throttle, without a password check. */
  throttledConnects: number;
  /** Publishes refused by the topic ACL (a gateway speaking for another's device, …). */
  deniedPublishes: number;
}

/** Distinct (user, topic) pairs whose refused publish is logged; more are only counted. */
const DENIED_LOG_LIMIT = 1000;

export class Broker {
  readonly #opts: BrokerOptions;
  readonly #identities = new WeakMap<Client, Identity>();
  #aedes: Aedes | null = null;
  #tcp: NetServer | null = null;
  #tlsServer: NetServer | null = null;
  #tlsContext: SecureContext | null = null;
  readonly #tlsSockets = new Set<TLSSocket>();
  #wss: WebSocketServer | null = null;
  #detachWs: (() => void) | null = null;
  #closing: Promise<void> | null = null;
  #oversized = 0;
  readonly #refusals: BrokerRefusals = { passwordChecks: 0, throttledConnects: 0, deniedPublishes: 0 };
  readonly #deniedLogged = new Set<string>();

  constructor(opts: BrokerOptions) {
    this.#opts = opts;
  }

  /** Connected MQTT clients (TCP and WebSocket), for health. */
  get clients(): number {
    return this.#aedes?.connectedClients ?? 0;
  }

  /** Connections dropped because a packet was larger than the limit, since start. */
  get oversizedPackets(): number {
    return this.#oversized;
  }

  /** Refused logins and publishes since start (a copy). */
  get refusals(): BrokerRefusals {
    return { ...this.#refusals };
  }

  /** Creates the aedes instance (no listener yet). */
  async start(): Promise<void> {
    if (this.#aedes) return;
    const { config, secrets, log } = this.#opts;
    const acl = createTopicAcl(config);
    const throttle = new ConnectThrottle(this.#opts.throttle);
    const refusals = this.#refusals;
    const who = (c: Client | null) => (c ? this.#identities.get(c) : undefined);
    // `aedes` is read inside authenticate, which runs only after createBroker has resolved.
    const aedes: Aedes = await Aedes.createBroker({
      // Client ids from gateways and tools are often longer than MQTT 3.1.1's guaranteed 23.
      maxClientsIdLength: 128,
      // A subscriber that stops reading must not stall delivery to everyone else.
      drainTimeout: 10_000,
      maxTopicLevels: 8,
      authenticate: (client, username, password, done) => {
        const remote = remoteOf(client) ?? '';
        const user = username ?? '';
        // A blocked address or username is answered at once, unchecked and unlogged (the block's
        // start was logged): a flood of guesses costs neither a check nor a log line each.
        if (throttle.blocked(user, remote)) {
          refusals.throttledConnects++;
          done(authError('not authorized: too many failed logins, try again later', 5), false);
          return;
        }
        refusals.passwordChecks++;
        const id = authenticate(username, password, secrets);
        if (!id) {
          log.warn({ clientId: client.id, username, remote }, 'mqtt authentication failed');
          for (const by of throttle.failed(user, remote)) {
            log.warn({ username, remote, by }, 'mqtt logins throttled: too many failed logins');
          }
          done(authError('bad username or password', 4), false);
          return;
        }
        throttle.succeeded(user, remote);
        // A client id already held by another identity is refused rather than taken over
        // (aedes would drop the older connection): one gateway must not kick another off.
        const holder = (aedes as unknown as { clients: Record<string, Client | undefined> }).clients[client.id];
        const held = holder && holder !== client ? who(holder) : undefined;
        if (held && describeIdentity(held) !== describeIdentity(id)) {
          log.warn({ clientId: client.id, user: describeIdentity(id), holder: describeIdentity(held) }, 'mqtt client id in use');
          done(authError('client id in use', 2), false);
          return;
        }
        this.#identities.set(client, id);
        done(null, true);
      },
      authorizePublish: (client, packet, done) => {
        const id = who(client);
        if (id && acl.canPublish(id, packet.topic)) {
          if (this.#opts.beforeAck) {
            const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
            this.#opts.beforeAck(packet.topic, payload);
          }
          return done(null);
        }
        refusals.deniedPublishes++;
        const user = id ? describeIdentity(id) : '';
        const key = `${user}\u0000${packet.topic}`;
        if (!this.#deniedLogged.has(key) && this.#deniedLogged.size < DENIED_LOG_LIMIT) {
          this.#deniedLogged.add(key);
          log.warn({ clientId: client?.id, user, topic: packet.topic }, 'mqtt publish denied (logged once per user and topic)');
        }
        // An error disconnects the client (aedes): a device that publishes outside its ACL is broken or hostile.
        done(new Error('publish not allowed'));
      },
      authorizeSubscribe: (client, sub, done) => {
        const id = who(client);
        if (id && acl.canSubscribe(id, sub.topic)) return done(null, sub);
        log.warn({ clientId: client.id, user: id && describeIdentity(id), topic: sub.topic }, 'mqtt subscribe denied');
        // (null, null): SUBACK 0x80 for this filter, the connection stays up (MQTT 3.1.1 §3.9.3).
        done(null, null);
      },
      authorizeForward: (client, packet) => {
        const id = who(client);
        return id && acl.canRead(id, packet.topic) ? packet : null;
      },
    });
    aedes.on('clientReady', (c) => log.debug({ clientId: c.id, user: describe(who(c)) }, 'mqtt client connected'));
    aedes.on('clientDisconnect', (c) => log.debug({ clientId: c.id, user: describe(who(c)) }, 'mqtt client disconnected'));
    aedes.on('clientError', (c, err) => log.debug({ clientId: c.id, err: err.message }, 'mqtt client error'));
    aedes.on('connectionError', (c, err) => log.debug({ clientId: c.id, err: err.message }, 'mqtt connection error'));
    this.#aedes = aedes;
  }

  /**
   * Delivers messages matching `filter` to `handler` inside this process, without an MQTT
   * connection: no second encode and parse per message. For the high-rate, unretained topics
   * (sensor readings); retained state still comes through the services' MQTT link.
   */
  subscribeLocal(filter: string, handler: (topic: string, payload: Buffer) => void): Promise<void> {
    const aedes = this.#required();
    const deliver = (packet: { topic: string; payload: Buffer | string }, cb: () => void) => {
      try {
        handler(packet.topic, typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload);
      } finally {
        cb();
      }
    };
    return new Promise((resolve) => aedes.subscribe(filter, deliver, () => resolve()));
  }

  /**
   * Serves one MQTT connection over any duplex stream, with the same credentials and ACLs as the
   * listeners (the unit tests hand it one end of an in-memory pair: no socket).
   */
  handle(stream: Duplex): void {
    this.#serve(stream);
  }

  /** Every connection, whatever its listener: whole reads, the packet size limit, then aedes. */
  #serve(stream: Duplex, req?: IncomingMessage): void {
    const aedes = this.#required();
    const maxBytes = this.#opts.maxPacketBytes ?? MAX_MQTT_PACKET_BYTES;
    // Set once aedes has the connection (the callback runs on a later read, never before).
    const conn: { client?: Client } = {};
    const limited = limitPackets(wholeReads(stream), {
      maxBytes,
      onOversize: (announced) => {
        this.#oversized++;
        const remote = req?.socket.remoteAddress ?? (stream as { remoteAddress?: string }).remoteAddress;
        this.#opts.log.warn(
          { clientId: conn.client?.id, user: conn.client && describe(this.#identities.get(conn.client)), remote, announced, maxBytes },
          'mqtt packet too large: connection dropped',
        );
      },
    });
    conn.client = aedes.handle(limited, req);
  }

  /** Starts the TCP listener; resolves with the bound port (config port 0 = ephemeral). */
  async listen(host: string, port: number): Promise<number> {
    this.#required();
    const tcp = createServer((socket) => this.#serve(socket));
    this.#tcp = tcp;
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, host, () => {
        tcp.off('error', reject);
        resolve();
      });
    });
    tcp.on('error', (err) => this.#opts.log.error({ err }, 'mqtt listener error'));
    return (tcp.address() as AddressInfo).port;
  }

  /** The certificate of the TLS listener: before listenTls(), and again to renew it (new connections get it). */
  setTls(files: { cert: Buffer; key: Buffer }): void {
    this.#tlsContext = createSecureContext({ cert: files.cert, key: files.key, minVersion: 'TLSv1.2' });
  }

  /** Starts the MQTT-over-TLS listener (setTls first); resolves with the bound port. */
  async listenTls(host: string, port: number): Promise<number> {
    this.#required();
    if (!this.#tlsContext) throw new Error('broker: setTls() before listenTls()');
    const { log } = this.#opts;
    // A TCP server that wraps each socket itself: the peer's address is known when a handshake
    // fails (a gateway that does not trust our certificate, plain MQTT sent to this port), which
    // node:tls's tlsClientError no longer has. One line, and the listener goes on.
    const server = createServer((raw) => {
      const remote = raw.remoteAddress;
      const socket = new TLSSocket(raw, { isServer: true, secureContext: this.#tlsContext! });
      this.#tlsSockets.add(socket);
      let secure = false;
      let failure: Error | undefined;
      const onHandshakeError = (err: Error) => (failure ??= err);
      socket.on('error', onHandshakeError);
      socket.once('close', () => {
        this.#tlsSockets.delete(socket);
        if (!secure) log.warn({ remote, err: failure?.message ?? 'closed by the client (does it trust our certificate?)' }, 'mqtt tls handshake failed');
      });
      socket.once('secure', () => {
        secure = true;
        socket.off('error', onHandshakeError);
        this.#serve(socket);
      });
    });
    this.#tlsServer = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => log.error({ err }, 'mqtt tls listener error'));
    return (server.address() as AddressInfo).port;
  }

  /** Stops the TLS listener and drops its clients (they reconnect to the next one). */
  async closeTls(): Promise<void> {
    const server = this.#tlsServer;
    this.#tlsServer = null;
    if (!server?.listening) return;
    // close() waits for open connections: a connected gateway would hold it forever.
    for (const socket of this.#tlsSockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** MQTT over WebSocket on an existing HTTP server, at `path`. */
  attachWebSocket(server: HttpServer, path: string): void {
    this.#required();
    const wss = new WebSocketServer({ noServer: true });
    this.#wss = wss;
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (pathname !== path) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const stream = createWebSocketStream(ws);
        stream.on('error', () => ws.terminate());
        this.#serve(stream, req);
      });
    };
    server.on('upgrade', onUpgrade);
    this.#detachWs = () => server.off('upgrade', onUpgrade);
  }

  /**
   * Drops MQTT-over-WebSocket clients and stops taking upgrades. Call before closing the HTTP
   * server: an upgraded socket still counts as one of its connections, and close() would wait.
   */
  async closeWebSocket(): Promise<void> {
    this.#detachWs?.();
    this.#detachWs = null;
    const wss = this.#wss;
    this.#wss = null;
    if (!wss) return;
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  /** Closes listeners and every client connection. Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    await this.closeWebSocket();
    await this.closeTls();
    const aedes = this.#aedes;
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    const tcp = this.#tcp;
    if (tcp?.listening) await new Promise<void>((resolve) => tcp.close(() => resolve()));
  }

  #required(): Aedes {
    if (!this.#aedes) throw new Error('broker not started');
    return this.#aedes;
  }
}

/** CONNACK return codes, MQTT 3.1.1 §3.2.2.3: 2 identifier rejected, 4 bad username or password, 5 not authorized. */
function authError(message: string, returnCode: 2 | 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode });
}

function describe(id: Identity | undefined): string | undefined {
  return id && describeIdentity(id);
}

function remoteOf(client: Client): string | undefined {
  const conn = client.conn as { remoteAddress?: string };
  return client.req?.socket.remoteAddress ?? conn.remoteAddress;
}
