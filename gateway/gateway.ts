// buildGateway: the gateway's components for one gateway id, wired together. main.ts, the
// tests and the benchmark all build it here; nothing runs until `start()`.
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import type { SiteConfig, Secrets } from '../config/schema.ts';
import { ConfigError } from '../config/load.ts';
import { topics as topicsFor } from '../contracts/topics.ts';
import { Ingress } from '../contracts/ingress.ts';
import type { GatewayStatus } from '../contracts/payloads.ts';
import { DriverFactory } from './drivers/factory.ts';
import type { SimHardware } from './drivers/sim/sim-hardware.ts';
import { DoorController } from './door/door-controller.ts';
import { DoorAccess } from './door/door-access.ts';
import { DoorEventWriter } from './door/door-events.ts';
import { AccessControl } from './access/access-control.ts';
import { CommandHandler } from './commands/command-handler.ts';
import { ReplayGuard } from './commands/replay-guard.ts';
import { GatewayDb } from './outbox/gateway-db.ts';
import { Outbox } from './outbox/outbox.ts';
import { MqttLink } from './mqtt/mqtt-link.ts';
import { ServicesStatus } from './mqtt/services-status.ts';
import { StatusReporter } from './mqtt/status-reporter.ts';
import { DeskEstimator } from './occupancy/desk-estimator.ts';
import { HealthReporter, type ReportedDevice } from './health/health-reporter.ts';
import { SimControlServer } from './sim/control-server.ts';
import { Lifecycle } from './lifecycle.ts';

export interface GatewayOptions {
  log?: Logger;
  /** Serve the sim control API here (loopback only). */
  simControl?: { host: string; port: number };
  /** Desk hold time (default 60 s). */
  holdMs?: number;
  statusEveryMs?: number;
  backoff?: { minMs?: number; maxMs?: number };
  outboxWindow?: number;
  now?: () => number;
}

export interface Gateway {
  readonly id: string;
  readonly log: Logger;
  readonly doors: ReadonlyMap<string, DoorController>;
  readonly desks: ReadonlyMap<string, DeskEstimator>;
  /** The simulated devices, by device id (every binding is `driver: sim` today). */
  readonly sim: SimHardware;
  readonly outbox: Outbox;
  readonly access: AccessControl;
  readonly commands: CommandHandler;
  readonly link: MqttLink;
  readonly ingress: Ingress;
  /** `host:port` of the sim control API once started, else null. */
  simControlAddress(): string | null;
  status(): GatewayStatus;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function buildGateway(config: SiteConfig, secrets: Secrets, gatewayId: string, opts: GatewayOptions = {}): Gateway {
  const gw = config.gateways.find((g) => g.id === gatewayId);
  if (!gw) throw new ConfigError(`--gateway: unknown gateway "${gatewayId}" (config has ${config.gateways.map((g) => g.id).join(', ')})`, 'gateway');
  const gwSecrets = secrets.gateways[gatewayId];
  if (!gwSecrets) throw new ConfigError(`secrets.gateways.${gatewayId}: missing`, `secrets.gateways.${gatewayId}`);
  const log = opts.log ?? pino({ level: 'silent' });
  const now = opts.now ?? Date.now;
  const t = topicsFor(config.site.id);
  const doorConfigs = config.doors.filter((d) => d.gateway === gatewayId);
  const deskConfigs = config.desks.filter((d) => d.gateway === gatewayId);
  const offlineAfterMs = gw.offlineAfterH * 3_600_000;

  const ingress = new Ingress({ site: config.site.id, log });
  const db = new GatewayDb(join(gw.dataDir, 'gateway.db'));
  const outbox = new Outbox(() => db.handle, { window: opts.outboxWindow, now });
  const access = new AccessControl({ gatewayId, key: gwSecrets.key, offlineAfterMs, dataDir: gw.dataDir, log });
  const services = new ServicesStatus();

  // Retained state goes out only while connected; all of it is republished on connect.
  const retained = (topic: string, payload: object): void => {
    link.publish(topic, JSON.stringify(payload), { qos: 1, retain: true });
  };
  const status = new StatusReporter({
    gatewayId,
    topic: t.gatewayStatus(gatewayId),
    publish: retained,
    everyMs: opts.statusEveryMs,
    now,
    source: {
      aclVersion: () => access.list.version,
      aclStale: () => access.list.isStale(now()),
      outboxDepth: () => outbox.depth,
      rejected: () => ingress.rejectedCounts(),
    },
  });
  const link = new MqttLink({
    url: config.broker.url,
    clientId: `smartspace-${config.site.id}-gateway-${gatewayId}`,
    username: `gateway:${gatewayId}`,
    password: gwSecrets.mqttPassword,
    subscriptions: [t.acl(gatewayId), t.wildcard.serviceStatus, ...doorConfigs.map((d) => t.doorCommand(d.id))],
    will: () => ({ topic: t.gatewayStatus(gatewayId), payload: JSON.stringify(status.offline()) }),
    backoff: opts.backoff,
  });

  const events = new DoorEventWriter({
    gatewayId,
    doorIds: doorConfigs.map((d) => d.id),
    topics: t,
    outbox,
    isOffline: () => !link.connected || !services.online,
    now,
  });

  const drivers = new DriverFactory(now);
  const devices: Array<ReportedDevice & { start(): void | Promise<void>; stop(): void | Promise<void> }> = [];
  const doors = new Map<string, DoorController>();
  const doorAccess: DoorAccess[] = [];
  for (const d of doorConfigs) {
    const dd = drivers.door(d);
    devices.push(dd.reader, dd.lock, ...(dd.contact ? [dd.contact] : []), ...(dd.exitButton ? [dd.exitButton] : []));
    const door = new DoorController({ id: d.id, unlockMs: d.unlockMs, lock: dd.lock, contact: dd.contact, now });
    door.on('state', (s) => retained(t.doorState(d.id), s));
    door.on('activity', (kind) => {
      log.warn({ door: d.id, kind }, 'door alarm');
      events.activity(d.id, kind);
    });
    doors.set(d.id, door);
    doorAccess.push(new DoorAccess({ door, reader: dd.reader, exitButton: dd.exitButton, acl: access.list, siteKey: secrets.siteKey, events, log, now }));
  }
  const desks = new Map<string, DeskEstimator>();
  for (const d of deskConfigs) {
    const sensor = drivers.presence(d.sensor);
    devices.push(sensor);
    const desk = new DeskEstimator({ desk: d.id, sensor, holdMs: opts.holdMs, now });
    desk.on('change', (o) => {
      log.debug({ desk: d.id, occupied: o.occupied }, 'desk occupancy');
      retained(t.deskOccupancy(d.id), o);
    });
    desks.set(d.id, desk);
  }

  const commands = new CommandHandler({ key: gwSecrets.key, doors, replay: new ReplayGuard(() => db.handle), events, log, now });
  const health = new HealthReporter({ devices, gatewayId, topics: t, publish: retained, now });

  link.on('up', () => {
    log.info({ url: config.broker.url, outboxDepth: outbox.depth }, 'mqtt connected');
    status.publishOnline();
    for (const door of doors.values()) retained(t.doorState(door.id), door.state());
    for (const desk of desks.values()) {
      const o = desk.current();
      if (o) retained(t.deskOccupancy(desk.desk), o);
    }
    health.publishAll();
    outbox.attach(link.send);
  });
  link.on('down', ({ retryInMs }) => {
    outbox.detach();
    services.clear();
    log.warn({ retryInMs, outboxDepth: outbox.depth }, 'mqtt disconnected');
  });
  link.on('error', ({ err, during }) => log.warn({ during, error: err.message }, 'mqtt error'));
  link.on('message', (topic, buf) => {
    // The one validation step for everything we receive; null = rejected and counted.
    const m = ingress.accept(topic, buf);
    if (!m) return;
    try {
      switch (m.kind) {
        case 'acl':
          if (access.offer(m.payload).outcome !== 'refused') status.publishOnline();
          break;
        case 'doorCommand':
          commands.handle(m.payload);
          break;
        case 'serviceStatus':
          if (services.update(m.payload)) log.info({ servicesOnline: services.online }, 'services status');
          break;
        default:
          break;
      }
    } catch (err) {
      log.error({ err, kind: m.kind, id: m.id }, 'inbound message failed');
    }
  });

  const simControl = opts.simControl ? new SimControlServer(drivers.sim, opts.simControl) : undefined;
  const lc = new Lifecycle()
    .add({ name: 'gateway db', start: () => db.start(), stop: () => db.stop() })
    .add({ name: 'access list', start: () => access.start(), stop: () => access.stop() })
    .add({ name: 'devices', start: () => Promise.all(devices.map((d) => d.start())).then(() => undefined), stop: () => Promise.all(devices.map((d) => d.stop())).then(() => undefined) })
    .add({ name: 'doors', start: () => doors.forEach((d) => d.start()), stop: () => doors.forEach((d) => d.stop()) })
    .add({ name: 'outbox', start: () => outbox.start(), stop: () => outbox.stop() })
    .add({ name: 'door access', start: () => doorAccess.forEach((a) => a.start()), stop: () => doorAccess.forEach((a) => a.stop()) })
    .add({ name: 'desks', start: () => desks.forEach((d) => d.start()), stop: () => desks.forEach((d) => d.stop()) })
    .add({ name: 'commands', start: () => commands.start(), stop: () => commands.stop() })
    .add({ name: 'health', start: () => health.start(), stop: () => health.stop() })
    .add({ name: 'status', start: () => status.start(), stop: () => status.stop() })
    .add({ name: 'mqtt', start: () => link.start(), stop: () => link.stop({ topic: t.gatewayStatus(gatewayId), payload: JSON.stringify(status.offline()) }) });
  if (simControl) lc.add({ name: 'sim control', start: () => simControl.start(), stop: () => simControl.stop() });

  return {
    id: gatewayId,
    log,
    doors,
    desks,
    sim: drivers.sim,
    outbox,
    access,
    commands,
    link,
    ingress,
    simControlAddress: () => simControl?.address ?? null,
    status: () => status.online(),
    start: () => lc.start(),
    stop: () => lc.stop((name, err) => log.error({ err, component: name }, 'stop failed')),
  };
}
