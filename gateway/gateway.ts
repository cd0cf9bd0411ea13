// buildGateway: the gateway's components for one gateway id, wired together. main.ts, the
// tests and the benchmark all build it here; nothing runs until `start()`.
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import type { SiteConfig, Secrets } from '../config/schema.ts';
import { gatewaySlice, saveOsdpKey } from '../config/load.ts';
import { gatewayMqttUsername } from '../config/broker.ts';
import { readCa } from '../config/tls.ts';
import { contractPublisher, topics as topicsFor, wireMessage } from '../contracts/topics.ts';
import { Ingress } from '../contracts/ingress.ts';
import type { GatewayStatus } from '../contracts/payloads.ts';
import type { SimHardware } from './drivers/sim/sim-hardware.ts';
import type { GpioBackend } from './drivers/gpio/gpio-port.ts';
import type { GpioMode } from './drivers/gpio/select-backend.ts';
import type { PortFactory } from './drivers/serial/serial-link.ts';
import type { DoorController } from './door/door-controller.ts';
import { DoorEventWriter } from './door/door-events.ts';
import { AccessControl } from './access/access-control.ts';
import { CommandHandler } from './commands/command-handler.ts';
import { DeviceCommands } from './commands/device-commands.ts';
import { ReplayGuard } from './commands/replay-guard.ts';
import { GatewayDb } from './outbox/gateway-db.ts';
import { Outbox } from './outbox/outbox.ts';
import { MqttLink } from './mqtt/mqtt-link.ts';
import { ServicesStatus } from './mqtt/services-status.ts';
import { StatusReporter } from './mqtt/status-reporter.ts';
import type { DeskEstimator } from './occupancy/desk-estimator.ts';
import { ReadingsPublisher } from './occupancy/readings-publisher.ts';
import { HealthReporter } from './health/health-reporter.ts';
import { readKv, writeKv } from './outbox/gateway-db.ts';
import { buildHardware, startDevices, stopDevices, type ManagedDevice } from './hardware.ts';
import type { SimControlServer } from './sim/control-server.ts';
import { MetricsServer, checkMetricsListen, gatewayMetrics } from './metrics.ts';
import { Lifecycle } from '../runtime/lifecycle.ts';
import { softwareVersion } from '../runtime/version.ts';

/** node:tls verification failures: the broker's certificate is not one we trust. */
const TLS_TRUST_ERRORS: ReadonlySet<string> = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export interface GatewayOptions {
  log?: Logger;
  /** Serve the sim control API here (loopback only). */
  simControl?: { host: string; port: number };
  /** Overrides of every desk's occupancy timing (config: `occupancy.holdS`, `enterS`). */
  holdMs?: number;
  enterMs?: number;
  statusEveryMs?: number;
  /** Period of the device health refresh (codec drop counters). */
  healthEveryMs?: number;
  /** Overrides the config's `readingsEveryS`. */
  readingsEveryMs?: number;
  backoff?: { minMs?: number; maxMs?: number };
  /** Reconnect delays of serial devices. */
  serialBackoff?: { minMs?: number; maxMs?: number };
  /** `auto` (default: the Pi's GPIO, sysfs or chardev), `chardev`, `sysfs`, `fake` (pins in memory, driven through sim control), or a backend. */
  gpio?: GpioMode | GpioBackend;
  portFactory?: PortFactory;
  /** The secrets file: install mode (OSDP readers) writes the keys it makes there. */
  secretsPath?: string;
  outboxWindow?: number;
  now?: () => number;
}

export interface Gateway {
  readonly id: string;
  readonly log: Logger;
  readonly doors: ReadonlyMap<string, DoorController>;
  readonly desks: ReadonlyMap<string, DeskEstimator>;
  /** Every driver of this gateway (readers, locks, contacts, buttons, desk sensors). */
  readonly devices: readonly ManagedDevice[];
  /** The simulated devices, by device id (bindings with `driver: sim`), and the fake GPIO if any. */
  readonly sim: SimHardware;
  readonly outbox: Outbox;
  readonly access: AccessControl;
  readonly commands: CommandHandler;
  readonly link: MqttLink;
  readonly ingress: Ingress;
  /** `host:port` of the sim control API once started, else null. */
  simControlAddress(): string | null;
  /** `host:port` of the gateway's /metrics once started, else null (none configured). */
  metricsAddress(): string | null;
  status(): GatewayStatus;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function buildGateway(config: SiteConfig, secrets: Secrets, gatewayId: string, opts: GatewayOptions = {}): Gateway {
  const slice = gatewaySlice(config, secrets, gatewayId);
  const { gateway: gw, secrets: gwSecrets } = slice;
  const log = opts.log ?? pino({ level: 'silent' });
  const now = opts.now ?? Date.now;
  const t = topicsFor(config.site.id);
  const doorConfigs = slice.doors;
  const offlineAfterMs = gw.offlineAfterH * 3_600_000;

  const ingress = new Ingress({ site: config.site.id, log });
  const db = new GatewayDb(join(gw.dataDir, 'gateway.db'));
  const outbox = new Outbox(() => db.handle, { window: opts.outboxWindow, maxBytes: Math.round(gw.outboxMaxMb * 1024 * 1024), now });
  const contactStore = {
    read: () => {
      const v = readKv(db.handle, 'lastContact');
      return v === undefined ? undefined : Number(v);
    },
    write: (at: number) => writeKv(db.handle, 'lastContact', String(at)),
  };
  const access = new AccessControl({ gatewayId, key: gwSecrets.key, offlineAfterMs, dataDir: gw.dataDir, contactStore, log, now });
  const services = new ServicesStatus();

  // State goes out only while connected (all of it is republished on connect); topic, QoS and
  // retain come from the contract's topic table.
  const publish = contractPublisher(config.site.id, (m) => link.publish(m));
  let offlineOnlyLogged = false;
  const status = new StatusReporter({
    gatewayId,
    publish: (s) => publish('gatewayStatus', gatewayId, s),
    everyMs: opts.statusEveryMs,
    version: softwareVersion(),
    now,
    source: {
      aclVersion: () => access.list.version,
      offlineOnly: () => {
        const restricted = access.contact.offlineOnly(now());
        if (restricted !== offlineOnlyLogged) {
          offlineOnlyLogged = restricted;
          for (const r of hw.readers) r.indicate?.(restricted ? 'offline-only' : 'normal');
          if (restricted)
            log.warn(
              { lastContact: access.contact.lastContact(), offlineAfterH: gw.offlineAfterH },
              'offline too long: only offline-capable credentials open doors',
            );
          else log.info('services reachable: all credentials open doors again');
        }
        return restricted;
      },
      lastContact: () => access.contact.lastContact(),
      outboxDepth: () => outbox.depth,
      outboxBytes: () => outbox.bytes,
      outboxDropped: () => outbox.dropped,
      rejected: () => ingress.rejectedCounts(),
    },
  });
  const link = new MqttLink({
    url: config.broker.url,
    // A private CA's certificate (broker.ca); read now, so a bad file stops the start (exit 2).
    ...(config.broker.ca ? { tls: { ca: readCa(config.broker.ca) } } : {}),
    clientId: `smartspace-${config.site.id}-gateway-${gatewayId}`,
    username: gatewayMqttUsername(config, gatewayId),
    password: gwSecrets.mqttPassword,
    subscriptions: [
      t.acl(gatewayId),
      t.wildcard.serviceStatus,
      ...doorConfigs.map((d) => t.doorCommand(d.id)),
      // Enrolment (device commands) is for OSDP readers only.
      ...doorConfigs.flatMap((d) => (d.reader.driver === 'osdp' ? [t.deviceCommand(d.reader.id)] : [])),
    ],
    will: () => t.message('gatewayStatus', gatewayId, status.offline()),
    backoff: opts.backoff,
  });
  const updateContact = () => access.contact.setInContact(link.connected && services.online);

  const events = new DoorEventWriter({
    gatewayId,
    doorIds: doorConfigs.map((d) => d.id),
    topics: t,
    outbox,
    isOffline: () => !link.connected || !services.online,
    now,
  });

  const hw = buildHardware(slice, {
    acl: access.list,
    siteKey: secrets.siteKey,
    // A networked site: visiting network members are listed by HMAC(network key, uid).
    ...(config.network && secrets.network ? { networkKey: secrets.network.key } : {}),
    events,
    log,
    now,
    holdMs: opts.holdMs,
    enterMs: opts.enterMs,
    gpio: opts.gpio,
    serialBackoff: opts.serialBackoff,
    portFactory: opts.portFactory,
    ...(opts.secretsPath !== undefined && { saveOsdpKey: (reader: string, hex: string | undefined) => saveOsdpKey(opts.secretsPath!, gatewayId, reader, hex) }),
  });
  const { doors, desks, devices, doorAccess } = hw;
  for (const door of doors.values()) {
    door.on('state', (s) => publish('doorState', door.id, s));
    door.on('activity', (kind) => {
      log.warn({ door: door.id, kind }, 'door alarm');
      try {
        events.activity(door.id, kind);
      } catch (err) {
        log.error({ err, door: door.id }, 'door event not stored');
      }
    });
  }
  for (const desk of desks.values()) {
    desk.on('change', (o) => {
      log.debug({ desk: desk.desk, occupied: o.occupied }, 'desk occupancy');
      publish('deskOccupancy', desk.desk, o);
    });
  }
  const readings = new ReadingsPublisher({
    sensors: hw.sensors,
    topics: t,
    everyMs: opts.readingsEveryMs ?? gw.readingsEveryS * 1000,
    now,
    send: (topic, reading) => {
      // QoS 0 straight out while connected; kept (bounded, thinned first) while not.
      if (!link.publish(wireMessage(topic, reading))) outbox.enqueueReading(topic, reading);
    },
  });
  for (const d of devices) {
    d.on('health', (h) => {
      if (h.state === 'fault') log.warn({ device: d.id, kind: d.kind, error: h.error }, 'device fault');
      else if (h.state === 'warning') log.warn({ device: d.id, kind: d.kind, warning: h.error }, 'device warning');
      else log.info({ device: d.id, kind: d.kind }, 'device ok');
    });
  }

  const replay = new ReplayGuard(() => db.handle);
  const commands = new CommandHandler({ key: gwSecrets.key, doors, replay, events, log, now });
  const deviceCommands = new DeviceCommands({
    gatewayId,
    key: gwSecrets.key,
    devices: new Map(devices.map((d) => [d.id, d])),
    replay,
    publish: (device, result) => publish('deviceCommandResult', device, result),
    log,
    now,
  });
  const health = new HealthReporter({
    devices,
    gatewayId,
    topics: t,
    publish: (topic, h) => link.publish(wireMessage(topic, h)),
    everyMs: opts.healthEveryMs,
    now,
  });

  link.on('up', () => {
    untrustedLogged = false;
    log.info({ url: config.broker.url, outboxDepth: outbox.depth }, 'mqtt connected');
    // Device health first: whoever sees this gateway online already knows which ports are in fault.
    health.publishAll();
    status.publishOnline();
    for (const door of doors.values()) publish('doorState', door.id, door.state());
    for (const desk of desks.values()) {
      const o = desk.current();
      if (o) publish('deskOccupancy', desk.desk, o);
    }
    outbox.attach(link.sendStored);
    updateContact();
  });
  link.on('down', ({ retryInMs }) => {
    outbox.detach();
    services.clear();
    updateContact();
    log.warn({ retryInMs, outboxDepth: outbox.depth }, 'mqtt disconnected');
  });
  let untrustedLogged = false;
  link.on('error', ({ err, during }) => {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && TLS_TRUST_ERRORS.has(code)) {
      // Retried like any failed connect (the certificate may be fixed), but said once, plainly:
      // this is a setup mistake, not a network blip.
      if (untrustedLogged) return;
      untrustedLogged = true;
      log.error(
        { url: config.broker.url, error: err.message, code, ca: config.broker.ca ?? '(system CAs)' },
        "mqtt broker's TLS certificate is not trusted: set broker.ca to the CA that signed it (and check the name or address it is for)",
      );
      return;
    }
    log.warn({ during, error: err.message }, 'mqtt error');
  });
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
        case 'deviceCommand':
          void deviceCommands.handle(m.payload);
          break;
        case 'serviceStatus':
          if (services.update(m.payload)) log.info({ servicesOnline: services.online }, 'services status');
          updateContact();
          break;
        default:
          break;
      }
    } catch (err) {
      log.error({ err, kind: m.kind, id: m.id }, 'inbound message failed');
    }
  });

  // Loaded only when asked for (node:http and its parser stay out of a Pi's memory otherwise).
  let simControl: SimControlServer | undefined;
  const lc = new Lifecycle()
    .add({ name: 'gateway db', start: () => db.start(), stop: () => db.stop() })
    .add({ name: 'access list', start: () => access.start(), stop: () => access.stop() })
    .add({ name: 'devices', start: () => startDevices(devices), stop: () => stopDevices(devices) })
    .add({ name: 'doors', start: () => doors.forEach((d) => d.start()), stop: () => doors.forEach((d) => d.stop()) })
    .add({ name: 'outbox', start: () => outbox.start(), stop: () => outbox.stop() })
    .add({ name: 'door access', start: () => doorAccess.forEach((a) => a.start()), stop: () => doorAccess.forEach((a) => a.stop()) })
    .add({ name: 'desks', start: () => desks.forEach((d) => d.start()), stop: () => desks.forEach((d) => d.stop()) })
    .add({ name: 'readings', start: () => readings.start(), stop: () => readings.stop() })
    .add({ name: 'commands', start: () => commands.start(), stop: () => commands.stop() })
    .add({ name: 'health', start: () => health.start(), stop: () => health.stop() })
    .add({ name: 'status', start: () => status.start(), stop: () => status.stop() })
    .add({ name: 'mqtt', start: () => link.start(), stop: () => link.stop(t.message('gatewayStatus', gatewayId, status.offline())) });
  let metricsServer: MetricsServer | undefined;
  if (gw.metrics) {
    checkMetricsListen(gw.metrics, gwSecrets.metricsToken, config.gateways.indexOf(gw));
    const source = {
      gatewayId,
      linkConnected: () => link.connected,
      linkReconnects: () => link.reconnects,
      outbox,
      eventCounts: () => events.counts(),
      rejected: () => ingress.rejectedCounts(),
      aclVersion: () => access.list.version,
      offlineOnly: () => access.contact.offlineOnly(now()),
      devices,
    };
    const server = new MetricsServer(gatewayMetrics(source), gw.metrics, gwSecrets.metricsToken);
    metricsServer = server;
    lc.add({ name: 'metrics', start: () => server.start(), stop: () => server.stop() });
  }
  const simAt = opts.simControl;
  if (simAt) {
    lc.add({
      name: 'sim control',
      start: async () => {
        const { SimControlServer } = await import('./sim/control-server.ts');
        simControl ??= new SimControlServer(hw.drivers.sim, simAt);
        await simControl.start();
      },
      stop: () => simControl?.stop(),
    });
  }

  return {
    id: gatewayId,
    log,
    doors,
    desks,
    devices,
    sim: hw.drivers.sim,
    outbox,
    access,
    commands,
    link,
    ingress,
    simControlAddress: () => simControl?.address ?? null,
    metricsAddress: () => metricsServer?.address ?? null,
    status: () => status.online(),
    start: () => lc.start(),
    stop: () => lc.stop((name, err) => log.error({ err, component: name }, 'stop failed')),
  };
}
