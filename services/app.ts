// Composition root of the services process: builds every component from the config and opens
// nothing (no file, no port); listen() starts one ordered lifecycle of named components (store,
// history, broker, HTTP, MQTT link, access lists, retention), close() stops it in reverse. A
// failed start stops what had started.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server as TlsServer } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { createLogger, type Logger } from '../runtime/log.ts';
import { Ingress } from '../contracts/ingress.ts';
import { topics, parseTopic, contractPublisher } from '../contracts/topics.ts';
import type { AccessList } from '../contracts/payloads.ts';
import type { SiteConfig, Secrets } from '../config/schema.ts';
import { isExternalBroker, parseBrokerUrl, servicesClientId } from '../config/broker.ts';
import { describeCert, readCa, readServerTls } from '../config/tls.ts';
import { openStore, type Store } from './db/store.ts';
import { Lifecycle, StartError } from '../runtime/lifecycle.ts';
import { deferred, lazy } from '../runtime/deferred.ts';
import type { Db } from './db/database.ts';
import { seedHistory, seedIfEmpty } from './seed.ts';
import type { DemoHistory } from './demo-history.ts';
import { hashPassword } from './auth/password.ts';
import { Broker } from './broker/broker.ts';
import { AccessLists, type Publish } from './access/access-lists.ts';
import { watchExternalChanges } from './access/external-changes.ts';
import { GatewayPresence } from './ingest/gateway-presence.ts';
import { Ingest } from './ingest/ingest.ts';
import { Devices } from './ingest/devices.ts';
import { LiveHub } from './live/hub.ts';
import { MqttLink } from './mqtt/link.ts';
import { Network } from './network/network.ts';
import { NetworkView } from './network/summaries.ts';
import { reportTotals } from './analytics/report.ts';
import { createHistoryStore, History } from './history/history.ts';
import { doorEventPoint } from './history/point.ts';
import type { HistoryStore } from './history/store.ts';
import { Enrolments } from './enrol/enrolments.ts';
import { Analytics } from './analytics/analytics.ts';
import { AlertCentre } from './alerts/centre.ts';
import { SensorChecks } from './sensors/sensor-checks.ts';
import { AutomationWatch, AUTOMATION_SERVICE_ID } from './alerts/automation-watch.ts';
import { createChannels } from './alerts/channels.ts';
import { NoShowRelease } from './bookings/no-show.ts';
import { WebhookOutbox } from './webhooks/outbox.ts';
import { WebhookEvents } from './webhooks/events.ts';
import { RetentionJob } from './privacy/retention.ts';
import { eraseMember, erasureTransform } from './privacy/erasure.ts';
import { createViews, deskStates, zoneOccupancy } from './views.ts';
import { createSessions } from './http/session.ts';
import { buildHttp } from './http/server.ts';
import { ensurePrivateDir } from '../runtime/private-files.ts';
import { softwareVersion } from '../runtime/version.ts';
import { HomeAssistant, haSubscriptions } from './ha/home-assistant.ts';
import { sendDoorCommand } from './http/door-commands.ts';
import { DeviceCommands } from './http/device-commands.ts';

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
  /** The SQLite connection (better-sqlite3); open between listen() and close(). */
  readonly db: Db;
  /** Repositories over `db`; open between listen() and close(). */
  store: Store;
  accessLists: AccessLists;
  history: History;
  /** The alert centre (raise, acknowledge, deliveries). */
  alerts: AlertCentre;
  /** Desk sensors checked against the door (run a check now: `run()`). */
  sensors: SensorChecks;
  /** The outgoing webhooks' queue (README "Webhooks"). */
  webhooks: WebhookOutbox;
  /** Recompiles and publishes every gateway's access list (after member, plan or card changes). */
  recompile(): Promise<AccessList[]>;
  /** mqttPort: the embedded listener's, or the external broker's (from `broker.url`); mqttsPort: the embedded TLS listener's (0: none). */
  listen(): Promise<{ httpPort: number; mqttPort: number; mqttsPort: number }>;
  /** Reads the certificate files again (renewed certificates); new connections get them. Throws ConfigError. */
  reloadTls(): void;
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
  // Opened by the lifecycle's first components; the others are built with these stand-ins.
  const openedStore = deferred<Store>('the services database');
  const store = openedStore.ref;
  const openedHistory = deferred<HistoryStore>('the history store');
  const historyStore = openedHistory.ref;
  let erased: ReturnType<typeof erasureTransform> | null = null;
  // The data dir first, 0700: the history spool inside it is made next, and would otherwise
  // leave its parent with the usual mode for the database's opener to tighten (and warn about).
  ensurePrivateDir(config.services.dataDir);
  const history = new History({ config, store: historyStore, log, transform: (p) => (erased ? erased.transform(p) : p) });
  const presence = new GatewayPresence(config.gateways);
  const devices = new Devices(
    config,
    presence,
    lazy(() => store.devices),
  );
  const hub = new LiveHub();
  const ingress = new Ingress({ site: config.site.id, log, now });
  // Embedded: door events are stored before the broker acknowledges them (see
  // BrokerOptions.beforeAck): the gateway deletes an event from its outbox on PUBACK, so PUBACK
  // must mean "stored". External (Mosquitto): no such hook; the services hold a persistent
  // session instead, so the broker queues door events while they are away (see the link below).
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
  // A network of spaces (config `network`; needs broker.external, checked at load): over the same link.
  const linkRef: { current: MqttLink | null } = { current: null };
  // Summaries and usage counts: published from the desk views and the funder report (set below), others' kept.
  const viewRef: { current: NetworkView | null } = { current: null };
  const network =
    config.network && secrets.network
      ? new Network({
          network: config.network,
          secrets: secrets.network,
          siteName: config.site.name,
          timeZone: config.site.timeZone,
          doors: config.doors,
          repo: () => store.network,
          log: log.child({ part: 'network' }),
          now,
          send: (m) => linkRef.current?.publish(m) ?? Promise.reject(new Error('no broker link yet')),
          recompile: () => void recompile().catch((err: unknown) => log.error({ err }, 'access list recompile failed')),
          shared: { receive: (p, raw) => viewRef.current?.receive(p, raw) },
        })
      : null;
  const accessLists = new AccessLists({ config, secrets, store, log, now, ...(network ? { network } : {}) });
  const recompile = () => accessLists.recompile();
  const enrolments = new Enrolments({ store, hub, log, now, timeZone: config.site.timeZone, recompile });
  const doorsByGateway = new Map(config.gateways.map((g) => [g.id, config.doors.filter((d) => d.gateway === g.id).map((d) => d.id)]));
  const zoneByDesk = new Map(config.desks.map((d) => [d.id, d.zone]));
  const zoneByDoor = new Map(config.doors.flatMap((d) => (d.zone ? [[d.id, d.zone] as const] : [])));
  const deviceCommands = new DeviceCommands({
    presence,
    store,
    log,
    now,
    publish: (kind, id, payload) => publish(kind, id, payload),
    config,
    keyOf: (gw: string) => secrets.gateways[gw]?.key,
  });
  const ingest = new Ingest({
    ingress,
    store,
    hub,
    presence,
    devices,
    doorsOf: (gw) => doorsByGateway.get(gw) ?? [],
    zoneOf: (desk) => zoneByDesk.get(desk),
    doorZoneOf: (door) => zoneByDoor.get(door),
    history,
    enrolments,
    deviceResult: (r) => deviceCommands.result(r),
    serviceStatus: (s) => {
      if (s.service === AUTOMATION_SERVICE_ID) automationWatch.update(s);
    },
    log,
    now,
  });
  const retention = new RetentionJob({ retention: config.history.retentionDays, store, history: historyStore, log, now });
  const sessions = createSessions(store, config.services.sessionTtlH, now);
  const t = topics(config.site.id);
  const { mqtt, http: httpCfg } = config.services;
  let mqttPort = external ? parseBrokerUrl(config.broker.url).port : 0;
  let httpPort = 0;
  let mqttsPort = 0;
  const ingestAll = (topic: string, payload: Buffer) => ingest.handle(topic, payload);
  // Home Assistant (homeAssistant in the site config): its commands and birth come over the same link.
  let homeAssistant: HomeAssistant | undefined;
  const onMessage = (topic: string, payload: Buffer) => {
    if (homeAssistant?.handle(topic, payload) || network?.handle(topic, payload)) return;
    ingestAll(topic, payload);
    if (network && parseTopic(topic)?.kind === 'doorEvent') network.doorEvent(payload);
  };
  const subscriptions = [
    t.wildcard.gatewayStatus,
    t.wildcard.doorState,
    t.wildcard.deskOccupancy,
    t.wildcard.deviceHealth,
    t.wildcard.deviceCommandResult,
    t.serviceStatus(AUTOMATION_SERVICE_ID),
  ];
  const link = new MqttLink({
    ...(broker
      ? // The embedded listener's port is known once it listens.
        { url: () => `mqtt://${loopback(mqtt.host)}:${mqttPort}`, subscriptions, qos0Subscriptions: haSubscriptions(config.site.id, config.homeAssistant) }
      : {
          // A fixed client id and clean: false: Mosquitto keeps our session (subscriptions and
          // the QoS 1 messages for them) while we are down, and hands the door events over when
          // we are back; ingest stores each once (by event id). Only door events are queued:
          // the rest is retained state (status heartbeats, health), subscribed at QoS 0 so that
          // it cannot fill the queue (max_queued_messages) and push door events out; its latest
          // values come with each (re)subscribe. Readings are QoS 0 too: not queued.
          url: config.broker.url,
          ...(config.broker.ca ? { ca: () => readCa(config.broker.ca!) } : {}),
          clientId: servicesClientId(config.site.id),
          clean: false,
          subscriptions: [t.wildcard.doorEvent, ...(network?.subscriptions ?? [])],
          qos0Subscriptions: [...subscriptions, t.wildcard.sensorReading, ...haSubscriptions(config.site.id, config.homeAssistant)],
        }),
    username: 'services',
    password: secrets.mqtt.services,
    site: config.site.id,
    log,
    now,
    onMessage,
    onConnect: () => {
      void accessLists.republish();
      void network?.announce();
      void homeAssistant?.announce().catch((err: unknown) => log.warn({ err }, 'home assistant discovery failed'));
    },
  });
  linkRef.current = link;
  const channels = createChannels(config.alerts, secrets.alerts);
  const alerts = new AlertCentre({ config, store, hub, channels, log, now });
  const automationWatch = new AutomationWatch({ alerts, graceMs: config.alerts.automationGraceS * 1000, log: log.child({ part: 'automation-watch' }) });
  const sensors = new SensorChecks({ config, store, history: historyStore, alerts, log, now });
  const noShow = new NoShowRelease({ config, store, log, now, recompile, notice: channels.notice });
  const webhooks = new WebhookOutbox({ config, secrets: secrets.webhooks, store, log, now });
  const publish: Publish = contractPublisher(config.site.id, (m) => link.publish(m));
  const views = createViews({ config, store, presence, now });
  const analytics = new Analytics(config, historyStore, now, () => sensors.excluded());
  const networkView =
    network && config.network
      ? new NetworkView({
          network: config.network,
          siteName: config.site.name,
          timeZone: config.site.timeZone,
          desks: config.desks.length,
          zones: () => zoneOccupancy(config, deskStates(views)),
          totals: (month) => reportTotals(analytics, config, month),
          networkVisits: (from, to) => store.network.visitsAt(config.network!.site, from, to),
          send: (m) => link.publish(m),
          now,
          log: log.child({ part: 'network-view' }),
        })
      : null;
  viewRef.current = networkView;
  const webhookEvents = new WebhookEvents({
    config,
    hub,
    outbox: webhooks,
    doorState: (door) => store.state.doorState(door),
    deskStates: () => deskStates(views),
    device: (id) => devices.view(id),
    activeAlerts: () => alerts.active(),
    now,
  });
  const ha = config.homeAssistant;
  if (ha?.enabled) {
    homeAssistant = new HomeAssistant({
      config,
      ha,
      version: softwareVersion() ?? '0.0.0',
      dataDir: config.services.dataDir,
      publish: (m) => link.publish(m),
      deskStates: () => deskStates(views),
      sendDoorCommand: (req) => sendDoorCommand({ presence, store, log, now, publish, config, keyOf: (gw: string) => secrets.gateways[gw]?.key }, req),
      hub,
      log,
    });
  }
  const http = await buildHttp({
    config,
    secrets,
    store,
    views,
    presence,
    ingress,
    ingest,
    devices,
    deviceCommands,
    hub,
    sessions,
    publish,
    brokerClients: () => (broker ? broker.clients : null),
    linkReconnects: () => link.reconnects,
    log,
    now,
    startedAt,
    dummyHash: await hashPassword(randomBytes(18).toString('base64url')),
    accessLists,
    enrolments,
    history,
    analytics,
    ...(networkView ? { networkView } : {}),
    alerts,
    sensors,
    notice: channels.notice,
    webhooks,
    erase: (member) => eraseMember({ store, history: historyStore, log, now }, member, () => erased?.refresh()),
    dashboardDir: opts.dashboardDir ?? DEFAULT_DASHBOARD_DIR,
  });

  let pastToWrite: DemoHistory | null = null;
  const lc = new Lifecycle()
    .add({
      name: 'store',
      start: async () => {
        const s = openStore(config.services.dataDir);
        openedStore.set(s);
        s.state.syncSite(config.doors, config.desks);
        const seeded = await seedIfEmpty(s, config, secrets.siteKey, now(), config.network ? secrets.network?.key : undefined);
        if (seeded > 0) {
          log.info({ members: seeded }, 'seed loaded');
          // Only a database the seed just filled (a new data dir) gets the demo's past.
          pastToWrite = await seedHistory(s, config, secrets.siteKey, now());
        }
        erased = erasureTransform(s);
        presence.load(s.state);
        devices.load(now());
      },
      stop: () => {
        openedStore.current?.close();
        openedStore.set(null);
      },
    })
    .add({
      name: 'history',
      start: async () => {
        const hs = await createHistoryStore(config, secrets, log);
        openedHistory.set(hs);
        if (pastToWrite) {
          await hs.write(pastToWrite.points);
          log.info({ points: pastToWrite.points.length, from: pastToWrite.from, to: pastToWrite.to }, 'demo history written');
          pastToWrite = null;
        }
        for (const { event, ns } of store.events.lastReceived(HISTORY_REPLAY_MS)) history.record(doorEventPoint(event, ns ?? undefined));
        history.start();
      },
      // Flushes the writer, then closes the history store.
      stop: async () => {
        if (openedHistory.current) await history.stop();
        openedHistory.set(null);
      },
    });
  if (broker) {
    lc.add({
      name: 'broker',
      start: async () => {
        await broker.start();
        // Readings are the firehose: taken inside the process from the embedded broker.
        await broker.subscribeLocal(t.wildcard.sensorReading, ingestAll);
        mqttPort = await broker.listen(mqtt.host, mqtt.port);
      },
      stop: () => broker.close(),
    });
  }
  /** Reads the certificate files and hands them to the listeners (at start and on SIGHUP). */
  const loadTls = () => {
    if (httpCfg.tls) {
      const files = readServerTls(httpCfg.tls, 'services.http.tls');
      (http.server as unknown as TlsServer).setSecureContext({ cert: files.cert, key: files.key });
      log.info({ ...describeCert(files.leaf), listener: 'https' }, 'tls certificate loaded');
    }
    if (broker && mqtt.tls) {
      const files = readServerTls(mqtt.tls, 'services.mqtt.tls');
      broker.setTls(files);
      log.info({ ...describeCert(files.leaf), listener: 'mqtts' }, 'tls certificate loaded');
    }
  };
  if (broker && mqtt.tls) {
    const tlsCfg = mqtt.tls;
    lc.add({
      name: 'mqtt over tls',
      start: async () => {
        broker.setTls(readServerTls(tlsCfg, 'services.mqtt.tls'));
        mqttsPort = await broker.listenTls(tlsCfg.host, tlsCfg.port);
      },
      stop: () => broker.closeTls(),
    });
  }
  lc.add({
    name: 'http',
    start: async () => {
      if (httpCfg.tls) loadTls();
      await http.listen({ host: httpCfg.host, port: httpCfg.port });
      httpPort = (http.server.address() as AddressInfo).port;
    },
    stop: () => http.close(),
  });
  if (broker) {
    // Closed before the HTTP server, which waits for its (upgraded) connections.
    lc.add({ name: 'mqtt over websocket', start: () => broker.attachWebSocket(http.server, mqtt.wsPath), stop: () => broker.closeWebSocket() });
  }
  let unwatch = () => {};
  lc.add({ name: 'mqtt link', start: () => link.start(), stop: () => link.close() })
    .add({ name: 'live', start: () => undefined, stop: () => (enrolments.stop(), hub.close()) })
    .add({
      name: 'access lists',
      start: async () => {
        accessLists.setPublisher(publish);
        await accessLists.recompile();
        accessLists.start();
        if (network) await network.announce();
        // Members and cards the admin CLI writes (`smartspace import`) go out to the gateways.
        unwatch = watchExternalChanges(store.db, () => {
          log.info('database changed by another process: refreshing access lists');
          void accessLists.refresh().catch((err: unknown) => log.error({ err }, 'access list refresh failed'));
        });
      },
      stop: () => {
        unwatch();
        accessLists.stop();
        accessLists.setPublisher(null);
      },
    })
    .add({ name: 'retention', start: () => retention.start(), stop: () => retention.stop() })
    // This site's free desks and usage counts to the network (with share.summaries / usageCounts).
    .add({ name: 'network view', start: () => networkView?.start(), stop: () => networkView?.stop() })
    // Deliveries still queued in the database from before a restart go out now.
    .add({ name: 'alert delivery', start: () => alerts.start(), stop: () => alerts.stop() })
    // Desk sensors checked against the door: at start, then every sensorCheck.everyMin minutes.
    .add({ name: 'sensor check', start: () => sensors.start(), stop: () => sensors.stop() })
    .add({ name: 'automation watch', start: () => undefined, stop: () => automationWatch.stop() })
    .add({ name: 'no-show release', start: () => noShow.start(), stop: () => noShow.stop() })
    // Webhooks queued before a restart go out now, in order; new events queue behind them.
    .add({
      name: 'webhooks',
      start: () => {
        // Without subscriptions nothing follows the hub: no work on each message for nobody.
        if (config.webhooks.subscriptions.length > 0) webhookEvents.start();
        webhooks.start();
      },
      stop: async () => {
        webhookEvents.stop();
        await webhooks.stop();
      },
    });
  if (homeAssistant) {
    const h = homeAssistant;
    lc.add({ name: 'home assistant', start: () => h.start(), stop: () => h.stop() });
  }

  let listening: Promise<{ httpPort: number; mqttPort: number; mqttsPort: number }> | null = null;
  let closing: Promise<void> | null = null;
  const stop = () => lc.stop((name, err) => log.error({ err, component: name }, 'stop failed'));

  return {
    http,
    broker,
    get db() {
      return store.db;
    },
    store,
    accessLists,
    history,
    alerts,
    sensors,
    webhooks,
    recompile,
    reloadTls: loadTls,
    listen() {
      if (closing) return Promise.reject(new Error('app closed'));
      // What the failed component threw (a ConfigError, a LinkError…), with its name logged.
      listening ??= lc.start().then(
        () => ({ httpPort, mqttPort, mqttsPort }),
        (err: unknown) => {
          if (!(err instanceof StartError)) throw err;
          log.error({ component: err.component }, 'start failed');
          throw err.cause;
        },
      );
      return listening;
    },
    close() {
      // A start still waiting for an external broker that is down: give up the wait.
      if (!closing && !link.connected) void link.close();
      closing ??= (listening ?? Promise.resolve()).catch(() => undefined).then(stop);
      return closing;
    },
  };
}
