// Composition root of the services process: builds every component from the config (nothing
// listens yet); listen() starts them in order, close() stops them in reverse.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createLogger, type Logger } from '../contracts/log.ts';
import { Ingress } from '../contracts/ingress.ts';
import { topics, parseTopic } from '../contracts/topics.ts';
import type { AccessList } from '../contracts/payloads.ts';
import type { SiteConfig, Secrets } from '../config/schema.ts';
import { isExternalBroker, parseBrokerUrl, servicesClientId } from '../config/broker.ts';
import { openStore, type Store } from './db/store.ts';
import type { Db } from './db/database.ts';
import { seedIfEmpty } from './seed.ts';
import { hashPassword } from './auth/password.ts';
import { Broker } from './broker/broker.ts';
import { AccessLists, type Publish } from './access/access-lists.ts';
import { GatewayPresence } from './ingest/gateway-presence.ts';
import { Ingest } from './ingest/ingest.ts';
import { Devices } from './ingest/devices.ts';
import { LiveHub } from './live/hub.ts';
import { MqttLink, LinkError } from './mqtt/link.ts';
import { createHistoryStore, History } from './history/history.ts';
import { doorEventPoint } from './history/point.ts';
import type { HistoryStore } from './history/store.ts';
import { Enrolments } from './enrol/enrolments.ts';
import { Analytics } from './analytics/analytics.ts';
import { RetentionJob } from './privacy/retention.ts';
import { eraseMember, erasureTransform } from './privacy/erasure.ts';
import { createViews } from './views.ts';
import { createSessions } from './http/session.ts';
import { buildHttp } from './http/server.ts';

/** The repository root: the nearest folder above this file with a package.json (the same from
 * source and from the compiled dist/node tree). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const DEFAULT_DASHBOARD_DIR = join(projectRoot(), 'dist/dashboard/');

export interface AppOptions {
  logger?: Logger;
  now?: () => number;
  /** Built dashboard to serve at `/` (default: dist/dashboard in the repository). */
  dashboardDir?: string;
}

export interface App {
  http: FastifyInstance;
  /** The embedded broker; null with `broker.external`. */
  broker: Broker | null;
  /** The SQLite connection (better-sqlite3). */
  db: Db;
  /** Repositories over `db`. */
  store: Store;
  accessLists: AccessLists;
  history: History;
  /** Recompiles and publishes every gateway's access list (after member, plan or card changes). */
  recompile(): Promise<AccessList[]>;
  /** mqttPort: the embedded listener's, or the external broker's (from `broker.url`). */
  listen(): Promise<{ httpPort: number; mqttPort: number }>;
  close(): Promise<void>;
}

/** Door events received this long before the last one are written to history again at start:
 * they may have been in the writer's memory when the process died (writes are idempotent). */
const HISTORY_REPLAY_MS = 10 * 60_000;

/** The address the services' own client uses to reach the embedded broker. */
function loopback(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

export async function buildApp(config: SiteConfig, secrets: Secrets, opts: AppOptions = {}): Promise<App> {
  const log = opts.logger ?? createLogger('services');
  const now = opts.now ?? Date.now;
  const startedAt = now();
  const store = openStore(config.services.dataDir);
  try {
    store.state.syncSite(config.doors, config.desks);
    const seeded = await seedIfEmpty(store, config, secrets.siteKey, now());
    if (seeded > 0) log.info({ members: seeded }, 'seed loaded');
  } catch (err) {
    store.close();
    throw err;
  }

  let historyStore: HistoryStore;
  try {
    historyStore = await createHistoryStore(config, secrets, log);
  } catch (err) {
    store.close();
    throw err;
  }
  const erased = erasureTransform(store);
  const history = new History({ config, store: historyStore, log, transform: erased.transform });
  const presence = new GatewayPresence(config.gateways);
  presence.load(store.state);
  const devices = new Devices(config, presence, store.devices);
  devices.load(now());
  const hub = new LiveHub();
  const ingress = new Ingress({ site: config.site.id, log, now });
  // Embedded: door events are stored before the broker acknowledges them (see
  // BrokerOptions.beforeAck): the gateway deletes an event from its outbox on PUBACK, so PUBACK
  // must mean "stored". External (Mosquitto): no such hook; the services hold a persistent
  // session instead, so the broker queues door events while they are away (see start()).
  const external = isExternalBroker(config);
  const broker = external
    ? null
    : new Broker({
        config,
        secrets,
        log,
        beforeAck: (topic, payload) => {
          if (parseTopic(topic)?.kind === 'doorEvent') ingest.handle(topic, payload);
        },
      });
  const accessLists = new AccessLists({ config, secrets, store, log, now });
  const recompile = () => accessLists.recompile();
  const enrolments = new Enrolments({ store, hub, log, now, timeZone: config.site.timeZone, recompile });
  const doorsByGateway = new Map(config.gateways.map((g) => [g.id, config.doors.filter((d) => d.gateway === g.id).map((d) => d.id)]));
  const zoneByDesk = new Map(config.desks.map((d) => [d.id, d.zone]));
  const ingest = new Ingest({
    ingress,
    store,
    hub,
    presence,
    devices,
    doorsOf: (gw) => doorsByGateway.get(gw) ?? [],
    zoneOf: (desk) => zoneByDesk.get(desk),
    history,
    enrolments,
    log,
    now,
  });
  const retention = new RetentionJob({ retention: config.history.retentionDays, store, history: historyStore, log, now });
  const sessions = createSessions(store, config.services.sessionTtlH, now);
  let link: MqttLink | null = null;
  const publish: Publish = (topic, payload, o) =>
    link ? link.publish(topic, payload, o) : Promise.reject(new LinkError('mqtt link not started'));
  const http = await buildHttp(
    {
      config,
      secrets,
      store,
      views: createViews({ config, store, presence, now }),
      presence,
      ingress,
      ingest,
      devices,
      hub,
      sessions,
      publish,
      brokerClients: () => (broker ? broker.clients : null),
      log,
      now,
      startedAt,
      dummyHash: await hashPassword(randomBytes(18).toString('base64url')),
      accessLists,
      enrolments,
      history,
      analytics: new Analytics(config, historyStore, now),
      erase: (member) => eraseMember({ store, history: historyStore, log, now }, member, erased.refresh),
      dashboardDir: opts.dashboardDir ?? DEFAULT_DASHBOARD_DIR,
    },
  );

  let listening: Promise<{ httpPort: number; mqttPort: number }> | null = null;
  let closing: Promise<void> | null = null;

  async function start(): Promise<{ httpPort: number; mqttPort: number }> {
    const { mqtt, http: httpCfg } = config.services;
    for (const { event, ns } of store.events.lastReceived(HISTORY_REPLAY_MS)) history.record(doorEventPoint(event, ns ?? undefined));
    history.start();
    const t = topics(config.site.id);
    let mqttPort: number;
    if (broker) {
      await broker.start();
      // Readings are the firehose: taken inside the process from the embedded broker.
      await broker.subscribeLocal(t.wildcard.sensorReading, (topic, payload) => ingest.handle(topic, payload));
      mqttPort = await broker.listen(mqtt.host, mqtt.port);
      broker.attachWebSocket(http.server, mqtt.wsPath);
    } else {
      mqttPort = parseBrokerUrl(config.broker.url).port;
    }
    await http.listen({ host: httpCfg.host, port: httpCfg.port });
    const httpPort = (http.server.address() as AddressInfo).port;
    const subscriptions = [t.wildcard.gatewayStatus, t.wildcard.doorState, t.wildcard.deskOccupancy, t.wildcard.deviceHealth];
    link = new MqttLink({
      ...(broker
        ? { url: `mqtt://${loopback(mqtt.host)}:${mqttPort}`, subscriptions }
        : {
            // A fixed client id and clean: false: Mosquitto keeps our session (subscriptions and
            // the QoS 1 messages for them) while we are down, and hands the door events over when
            // we are back; ingest stores each once (by event id). Only door events are queued:
            // the rest is retained state (status heartbeats, health), subscribed at QoS 0 so that
            // it cannot fill the queue (max_queued_messages) and push door events out; its latest
            // values come with each (re)subscribe. Readings are QoS 0 too: not queued.
            url: config.broker.url,
            clientId: servicesClientId(config.site.id),
            clean: false,
            subscriptions: [t.wildcard.doorEvent],
            qos0Subscriptions: [...subscriptions, t.wildcard.sensorReading],
          }),
      username: 'services',
      password: secrets.mqtt.services,
      site: config.site.id,
      log,
      now,
      onMessage: (topic, payload) => ingest.handle(topic, payload),
      onConnect: () => void accessLists.republish(),
    });
    await link.start();
    accessLists.setPublisher(publish);
    await accessLists.recompile();
    accessLists.start();
    retention.start();
    return { httpPort, mqttPort };
  }

  async function stop(): Promise<void> {
    await retention.stop();
    accessLists.stop();
    enrolments.stop();
    hub.close();
    accessLists.setPublisher(null);
    await link?.close();
    await broker?.closeWebSocket();
    await http.close();
    await broker?.close();
    await history.stop();
    store.close();
  }

  return {
    http,
    broker,
    db: store.db,
    store,
    accessLists,
    history,
    recompile,
    listen() {
      if (closing) return Promise.reject(new Error('app closed'));
      listening ??= start();
      return listening;
    },
    close() {
      // A start still waiting for an external broker that is down: give up the wait.
      if (!closing && link && !link.connected) void link.close();
      closing ??= (listening ?? Promise.resolve()).catch(() => undefined).then(stop);
      return closing;
    },
  };
}
