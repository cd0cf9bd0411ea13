// The site config: one TypeBox schema is the type, the boot-time validator and, through
// `npm run schema`, config/schema.json for editors.
import { Type, type SchemaOptions, type Static, type TProperties } from '@sinclair/typebox';
import { PatternString } from '../contracts/patterns.ts';
import { CARD_FORMATS, DESK_SENSOR_PROTOCOL_NAMES, READER_PROTOCOL_NAMES } from '../contracts/readers.ts';
import { TimeWindow } from '../contracts/payloads.ts';
import { WEBHOOK_EVENT_KINDS, WEBHOOK_SECRET_PATTERN } from '../contracts/webhooks.ts';

const Id = PatternString('id', { description: 'letters, digits, _ . - (max 64)' });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Port = Type.Integer({ minimum: 0, maximum: 65535 });
const Host = Type.String({ minLength: 1, maxLength: 255 });
const strict = { additionalProperties: false } as const;

// Driver bindings: `driver: sim` is a simulated device (the demo and the tests drive it);
// `serial` and `gpio` are real hardware. Each device kind is a union with one strict object per
// driver, so the schema itself says which fields a driver takes and needs (and config/schema.json
// completes them in an editor); the loader picks the branch by `driver` when it reports an error
// (`doors[0].reader.path: missing, required for driver serial`). What a schema cannot say (a pin
// or port bound twice, the card formats of a protocol) is checked by config/load.ts.
const literals = <T extends string>(names: readonly T[], opts: SchemaOptions = {}) =>
  Type.Union(
    names.map((n) => Type.Literal(n)),
    opts,
  );
const binding = <D extends string, P extends TProperties>(driver: D, fields: P, description: string) =>
  Type.Object({ driver: Type.Literal(driver), id: Id, ...fields }, { ...strict, description });
const Pin = Type.Integer({ minimum: 0, maximum: 53, description: 'BCM GPIO number (GPIO17 = 17), not the header pin number' });
const SerialPath = Type.String({ minLength: 1, maxLength: 255, description: 'serial device, e.g. /dev/serial/by-id/usb-…' });
const BaudRate = Type.Integer({ minimum: 1200, maximum: 921_600 });
/** true: the input is active (door open, button pressed, motion) when the pin reads low. */
const ActiveLow = Type.Boolean();
const DebounceMs = Type.Integer({ minimum: 0, maximum: 5000 });
const GpioInput = { pin: Pin, activeLow: Type.Optional(ActiveLow), debounceMs: Type.Optional(DebounceMs) };

/** Card reader: sim, or serial (protocols.md §1 RDM6300, §2 PN532 over HSU, §3.6 Wiegand converters). */
export const ReaderBinding = Type.Union([
  binding('sim', {}, 'a simulated card reader'),
  binding(
    'serial',
    {
      path: SerialPath,
      protocol: literals(READER_PROTOCOL_NAMES),
      /** Default per protocol: 9600 (RDM6300, Wiegand converters), 115200 (PN532). */
      baudRate: Type.Optional(BaudRate),
      /** How the card number is printed (§1.4); must match the cards in the member list. Default hex (rdm6300), w26 (wiegand). */
      format: Type.Optional(literals(CARD_FORMATS)),
      /** Identical reads closer together than this are one presentation (§1.3). Default 300. */
      holdMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    },
    'a card reader on a serial port',
  ),
  binding(
    'osdp',
    {
      /** The RS-485 adapter; several readers (different addresses) may share one path (multi-drop). */
      path: SerialPath,
      /** The reader's OSDP address on the line, 0..126 (set on the reader, often by DIP switch or card). */
      address: Type.Integer({ minimum: 0, maximum: 126 }),
      /** Line speed; every reader on one path must use the same. Default 9600. */
      baudRate: Type.Optional(BaudRate),
      /**
       * Talk to the reader only inside a Secure Channel, with the key in the secrets file
       * (`gateways.<id>.osdp.<reader id>`). Default: true when the secrets file holds a key.
       */
      secure: Type.Optional(Type.Boolean()),
      /** How a Wiegand card number is printed (§1.4); raw cards are hex. Default w26. */
      format: Type.Optional(literals(CARD_FORMATS)),
      /**
       * Enrol a factory reader (on the published install key): with no key in the secrets file
       * the gateway writes a fresh random one there, then moves the reader to it (KEYSET). Remove
       * it once the reader is keyed.
       */
      installMode: Type.Optional(Type.Boolean()),
    },
    'an OSDP reader on an RS-485 line',
  ),
]);

/** What the lock does when power or the gateway dies: secure stays locked, safe opens. */
const FailMode = Type.Union([Type.Literal('secure'), Type.Literal('safe')], { default: 'secure' });
export const LockBinding = Type.Union([
  binding('sim', { failMode: FailMode }, 'a simulated lock'),
  binding(
    'gpio',
    {
      failMode: FailMode,
      pin: Pin,
      /** true for relay boards that energise on a low input (most opto-isolated boards). */
      activeLow: Type.Optional(ActiveLow),
    },
    'a lock relay on a GPIO output',
  ),
]);

/** Door contact or exit button: sim, or a debounced GPIO input. */
export const InputBinding = Type.Union([binding('sim', {}, 'a simulated input'), binding('gpio', GpioInput, 'a debounced GPIO input')]);

/** A desk presence source: sim, a PIR on GPIO, or an LD2410 radar on serial (protocols.md §4). */
export const DeskSensorBinding = Type.Union([
  binding('sim', {}, 'a simulated presence sensor'),
  binding('gpio', GpioInput, 'a PIR on a GPIO input'),
  binding(
    'serial',
    {
      path: SerialPath,
      protocol: literals(DESK_SENSOR_PROTOCOL_NAMES),
      /** Default 256000 (§4.1). */
      baudRate: Type.Optional(BaudRate),
      /** Written to the radar at each connect (§4.3 command 0060): farthest gate 2–8 and the no-one duration. */
      maxGate: Type.Optional(Type.Integer({ minimum: 2, maximum: 8 })),
      noOneS: Type.Optional(Type.Integer({ minimum: 0, maximum: 65_535 })),
    },
    'an LD2410 radar on a serial port',
  ),
  binding(
    'zigbee2mqtt',
    {
      /** The device's friendly_name in zigbee2mqtt (its topic `<zigbee2mqttBaseTopic>/<friendlyName>`). */
      friendlyName: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^#+]+$' }),
      /** Which field is presence: `occupancy` (motion sensors: Hue) or `presence` (mmWave: Aqara FP1, Tuya); default whichever arrives. */
      field: Type.Optional(literals(['occupancy', 'presence'] as const)),
      /** Overrides `bridge.reportIntervalS` for this sensor. */
      reportIntervalS: Type.Optional(Type.Integer({ minimum: 0, maximum: 604_800 })),
    },
    'a zigbee2mqtt presence or motion sensor, through the bridge process',
  ),
  binding(
    'esphome',
    {
      /** The node's MQTT topic prefix (ESPHome `mqtt.topic_prefix`, default its name). */
      node: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^#+]+$' }),
      /** The binary sensor's name or object id (`Desk presence` → `desk_presence`). */
      sensor: Type.String({ minLength: 1, maxLength: 200 }),
      /** Overrides `bridge.reportIntervalS` for this sensor. */
      reportIntervalS: Type.Optional(Type.Integer({ minimum: 0, maximum: 604_800 })),
    },
    'an ESPHome binary sensor, through the bridge process',
  ),
]);
export type DeskSensorBinding = Static<typeof DeskSensorBinding>;
/** Desk sensor drivers read by the bridge process (bridge/main.ts), not by a gateway. */
export const BRIDGED_DRIVERS = ['zigbee2mqtt', 'esphome'] as const;
export type BridgedSensorBinding = Extract<DeskSensorBinding, { driver: (typeof BRIDGED_DRIVERS)[number] }>;
export const isBridged = (b: DeskSensorBinding): b is BridgedSensorBinding => (BRIDGED_DRIVERS as readonly string[]).includes(b.driver);

/**
 * Occupancy hysteresis: a desk is taken once presence has lasted `enterS` (gaps shorter than
 * that bridged: a passer-by does not take a desk), and free after `holdS` without any presence
 * (a PIR misses someone who sits still).
 */
const OccupancyTuning = {
  enterS: Type.Number({ minimum: 0, maximum: 600 }),
  holdS: Type.Number({ minimum: 1, maximum: 86_400 }),
};

export const DoorConfig = Type.Object(
  {
    id: Id,
    name: Name,
    gateway: Id,
    /** The zone the door leads into (a tag on its history, for per-zone entries). */
    zone: Type.Optional(Id),
    unlockMs: Type.Integer({ minimum: 500, maximum: 60_000, default: 5000 }),
    reader: ReaderBinding,
    lock: LockBinding,
    contact: Type.Optional(InputBinding),
    exitButton: Type.Optional(InputBinding),
    /** Door open longer than this raises the held-open alarm; 0 = never. */
    heldOpenS: Type.Integer({ minimum: 0, maximum: 3600, default: 60 }),
  },
  strict,
);
export type DoorConfig = Static<typeof DoorConfig>;

export const DeskConfig = Type.Object(
  {
    id: Id,
    name: Name,
    zone: Id,
    gateway: Id,
    sensor: DeskSensorBinding,
    /** More presence sources of the same desk (e.g. a PIR and an LD2410), combined. */
    extraSensors: Type.Optional(Type.Array(DeskSensorBinding, { maxItems: 4 })),
    /** Overrides the gateway's `occupancy` for this desk. */
    occupancy: Type.Optional(Type.Object({ enterS: Type.Optional(OccupancyTuning.enterS), holdS: Type.Optional(OccupancyTuning.holdS) }, strict)),
    /** Position of the desk's centre on the floor plan, in floor units (see `floor`). */
    position: Type.Object({ x: Type.Number({ minimum: 0 }), y: Type.Number({ minimum: 0 }) }, strict),
  },
  strict,
);
export type DeskConfig = Static<typeof DeskConfig>;

export const ZoneConfig = Type.Object({ id: Id, name: Name, capacity: Type.Optional(Type.Integer({ minimum: 1 })) }, strict);
export type ZoneConfig = Static<typeof ZoneConfig>;

export const GatewayConfig = Type.Object(
  {
    id: Id,
    name: Name,
    /** Gateway state (access list, outbox), relative to the config file. */
    dataDir: Type.String({ minLength: 1 }),
    /** After this long without the services, only offline-capable credentials open doors. */
    offlineAfterH: Type.Number({ minimum: 0.01, maximum: 24 * 365, default: 36 }),
    /** Disk budget of the outbox; when full, raw readings are thinned oldest-first (events are never dropped). */
    outboxMaxMb: Type.Number({ minimum: 1, maximum: 100_000, default: 64 }),
    /** Raw sensor readings on `sensor/<id>/reading` every this many seconds; 0 = off. */
    readingsEveryS: Type.Integer({ minimum: 0, maximum: 86_400, default: 60 }),
    occupancy: Type.Object(
      { enterS: Type.Number({ ...OccupancyTuning.enterS, default: 10 }), holdS: Type.Number({ ...OccupancyTuning.holdS, default: 120 }) },
      { ...strict, default: {} },
    ),
    /**
     * The gateway's own Prometheus endpoint (`GET /metrics`); absent: none. Another address than
     * loopback needs `gateways.<id>.metricsToken` in the secrets file.
     */
    metrics: Type.Optional(
      Type.Object({ host: Type.String({ minLength: 1, default: '127.0.0.1' }), port: Type.Integer({ minimum: 1, maximum: 65_535 }) }, strict),
    ),
    /**
     * GPIO (protocols.md §7). sysfs: the chip base is detected under `sysfsRoot`; `base` overrides
     * it. chardev: the Pi header chip is found by its label; `chip` (`gpiochip0`) overrides it.
     * `--gpio auto` takes sysfs when `sysfsRoot` (default /sys/class/gpio) exists.
     */
    gpio: Type.Optional(
      Type.Object(
        {
          sysfsRoot: Type.Optional(Type.String({ minLength: 1 })),
          base: Type.Optional(Type.Integer({ minimum: 0, maximum: 4096 })),
          chip: Type.Optional(Type.String({ pattern: '^(/dev/)?(gpiochip)?[0-9]+$' })),
        },
        strict,
      ),
    ),
  },
  strict,
);
export type GatewayConfig = Static<typeof GatewayConfig>;

/**
 * Home Assistant MQTT discovery (README, Home Assistant). Home Assistant logs in to the site's
 * broker as `homeassistant` (password: secrets mqtt.homeassistant) and reads what the services
 * announce under `discoveryPrefix`; it unlocks only the doors listed in `unlockDoors`.
 */
export const HomeAssistantConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true }),
    /** Home Assistant's discovery prefix (its MQTT integration's setting). */
    discoveryPrefix: Type.String({ pattern: '^[A-Za-z0-9_-]+$', maxLength: 64, default: 'homeassistant' }),
    /** Node id in the discovery topics; default the site id. */
    nodeId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]+$', maxLength: 64 })),
    /** Which entities to announce. */
    expose: Type.Object(
      {
        doors: Type.Boolean({ default: true }),
        desks: Type.Boolean({ default: true }),
        zones: Type.Boolean({ default: true }),
        gateways: Type.Boolean({ default: true }),
        devices: Type.Boolean({ default: true }),
      },
      { ...strict, default: {} },
    ),
    /** Access events in Home Assistant carry the member's name (else only granted/denied and why). */
    names: Type.Boolean({ default: false }),
    /** Doors Home Assistant may unlock (its lock entity); others show as locks it cannot open. */
    unlockDoors: Type.Array(Id, { default: [], uniqueItems: true }),
  },
  strict,
);
export type HomeAssistantConfig = Static<typeof HomeAssistantConfig>;

/**
 * The bridge process (README, zigbee2mqtt / ESPHome sensors): reads zigbee2mqtt and ESPHome on
 * another broker and publishes the desks whose sensors are `driver: zigbee2mqtt` / `esphome`
 * as the `bridge` MQTT role (password: secrets mqtt.bridge).
 */
export const BridgeConfig = Type.Object(
  {
    /** The broker zigbee2mqtt and ESPHome publish to (often Mosquitto on the same Pi); password: secrets `bridgeSource.password`. */
    source: Type.Object(
      {
        url: Type.String({ pattern: '^(mqtts?|wss?)://' }),
        username: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
      },
      strict,
    ),
    /** zigbee2mqtt's `mqtt.base_topic`. */
    zigbee2mqttBaseTopic: Type.String({ pattern: '^[^#+]+$', maxLength: 200, default: 'zigbee2mqtt' }),
    /** A sensor not heard for this long is unknown (its desk is not occupied); 0 = never. Per sensor: `reportIntervalS`. */
    reportIntervalS: Type.Integer({ minimum: 0, maximum: 604_800, default: 3600 }),
  },
  strict,
);
export type BridgeConfig = Static<typeof BridgeConfig>;

const Days = (dflt: number) => Type.Integer({ minimum: 1, maximum: 36_500, default: dflt });

/** How long each history measurement is kept, in days (then deleted by the services' retention job). */
export const RetentionConfig = Type.Object(
  {
    /** Access and door events; also how long audit entries of access decisions keep their member. */
    doorEvents: Days(90),
    occupancy: Days(730),
    readings: Days(30),
    health: Days(30),
    /** Audit rows of refused requests (api.refused: a wrong bearer token, counted per minute). */
    refusedRequests: Days(30),
  },
  { ...strict, default: {} },
);
export type RetentionConfig = Static<typeof RetentionConfig>;

/** Where door events, occupancy changes, readings and device health go (SQLite by default). */
export const HistoryConfig = Type.Object(
  {
    store: Type.Union([Type.Literal('sqlite'), Type.Literal('influxdb1'), Type.Literal('influxdb2')], { default: 'sqlite' }),
    /** InfluxDB 1.x (Debian, Raspberry Pi OS). Password from secrets `history.password`. */
    influxdb1: Type.Optional(
      Type.Object(
        {
          url: Type.String({ pattern: '^https?://' }),
          database: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
          username: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        },
        strict,
      ),
    ),
    /** InfluxDB 2.x / Cloud. Token from secrets `history.token`. */
    influxdb2: Type.Optional(
      Type.Object(
        {
          url: Type.String({ pattern: '^https?://' }),
          org: Type.String({ minLength: 1, maxLength: 100 }),
          bucket: Type.String({ minLength: 1, maxLength: 100 }),
        },
        strict,
      ),
    ),
    /** Points per write; a batch is written when full or after flushMs. */
    batchSize: Type.Integer({ minimum: 1, maximum: 50_000, default: 5000 }),
    flushMs: Type.Integer({ minimum: 10, maximum: 60_000, default: 1000 }),
    /** Disk spool for while the store is down; beyond this the oldest spooled points are dropped (and counted). */
    spoolMaxMb: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1024 }),
    retentionDays: RetentionConfig,
  },
  { ...strict, default: {} },
);
export type HistoryConfig = Static<typeof HistoryConfig>;

/** A server certificate and its private key: PEM files, relative to the config file (checked by config/tls.ts). */
const TlsFiles = Type.Object(
  {
    /** The certificate, followed by its intermediates (Let's Encrypt's fullchain.pem). */
    cert: Type.String({ minLength: 1 }),
    key: Type.String({ minLength: 1 }),
  },
  strict,
);

/** Where alerts go besides the dashboard (services/alerts): e-mail to hosts, web push to their phones, the site's webhooks. */
export const AlertsConfig = Type.Object(
  {
    /** The language of e-mail, push and webhook texts. */
    language: Type.Union([Type.Literal('da'), Type.Literal('en')], { default: 'da' }),
    /** The dashboard's address as hosts open it (https://…): the link in e-mails and push notifications. */
    dashboardUrl: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 500 })),
    /** E-mail over SMTP to each host who chose it. Password from secrets `alerts.smtpPassword`. */
    email: Type.Optional(
      Type.Object(
        {
          host: Host,
          /** 587 (STARTTLS) by default; 465 with `secure: true`. */
          port: Type.Integer({ minimum: 1, maximum: 65535, default: 587 }),
          /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
          secure: Type.Boolean({ default: false }),
          user: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          /** The sender, e.g. `Hus 7 <alarm@example.dk>`. */
          from: Type.String({ minLength: 3, maxLength: 200 }),
        },
        strict,
      ),
    ),
    /** Web push to the installed phone app (VAPID keys in the secrets file, generated once). */
    push: Type.Boolean({ default: true }),
    /**
     * JSON POSTs: `json` (Home Assistant, anything), `slack` (Slack, Teams, Mattermost incoming
     * webhooks), `ntfy` (a topic URL). The URL is a secret (it carries the token): secrets
     * `alerts.webhooks.<id>.url`. Sent by the same delivery code as `webhooks` (services/webhooks/send.ts).
     */
    webhooks: Type.Array(
      Type.Object(
        {
          id: Id,
          format: Type.Union([Type.Literal('json'), Type.Literal('slack'), Type.Literal('ntfy')], { default: 'json' }),
          /** Only these kinds (default: all). */
          kinds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 20 })),
        },
        strict,
      ),
      { default: [], maxItems: 20 },
    ),
    /** A failed delivery is tried again after firstMs, doubling up to maxMs, `attempts` times in all; then it shows as failed. */
    retry: Type.Object(
      {
        firstMs: Type.Integer({ minimum: 10, maximum: 3_600_000, default: 5000 }),
        maxMs: Type.Integer({ minimum: 10, maximum: 86_400_000, default: 600_000 }),
        attempts: Type.Integer({ minimum: 1, maximum: 100, default: 12 }),
      },
      { ...strict, default: {} },
    ),
    /**
     * Node-RED (the automation) raises the door, gateway and zone alerts. When its MQTT status says
     * offline (its last will, or a clean stop) for this long, the services raise `automation-offline`
     * themselves. The wait lets a deploy or a restart pass without an alert.
     */
    automationGraceS: Type.Integer({ minimum: 1, maximum: 3600, default: 120 }),
  },
  { ...strict, default: {} },
);
export type AlertsConfig = Static<typeof AlertsConfig>;

/**
 * Desk sensors checked against the door (services/sensors): when a desk sensor is SUSPECT, and
 * how often the check runs. A suspect desk is left out of analytics until a host confirms it.
 */
export const SensorCheckConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true }),
    /** Minutes between checks (one also runs at start). */
    everyMin: Type.Integer({ minimum: 1, maximum: 1440, default: 10 }),
    /** Stuck occupied: taken this many hours without a break, the last this many hours with no door passage and no other desk taken. */
    stuckHours: Type.Number({ minimum: 1, maximum: 168, default: 10 }),
    /** Never occupied: not taken once in this many days… */
    silentDays: Type.Integer({ minimum: 2, maximum: 60, default: 7 }),
    /** …while on at least `busyDays` of them the zone's other desks were busy: `busyShare` of them taken at once for `busyHours` or more. */
    busyDays: Type.Integer({ minimum: 1, maximum: 60, default: 3 }),
    busyHours: Type.Number({ minimum: 0.25, maximum: 24, default: 2 }),
    busyShare: Type.Number({ minimum: 0.1, maximum: 1, default: 0.75 }),
    /** Flapping: more than this many changes an hour, `flapHours` hours in a row. */
    flapPerHour: Type.Integer({ minimum: 2, maximum: 3600, default: 12 }),
    flapHours: Type.Integer({ minimum: 1, maximum: 48, default: 2 }),
  },
  { ...strict, default: {} },
);
export type SensorCheckConfig = Static<typeof SensorCheckConfig>;

/**
 * Bookings (issue 16): the bookable meeting rooms (a room is one or more doors, and optionally the
 * zone whose desk sensors tell whether anyone came), the grace around a booking during which
 * its door opens, and the no-show release. Desks are bookable as they are (`desks`).
 */
export const BookingsConfig = Type.Object(
  {
    rooms: Type.Array(
      Type.Object(
        {
          id: Id,
          name: Name,
          /** The doors into the room: they open for the booker's cards and the booking's PIN. */
          doors: Type.Array(Id, { minItems: 1, maxItems: 10, uniqueItems: true }),
          /** The zone whose desk sensors see people in the room (no-show release); none: no release. */
          zone: Type.Optional(Id),
        },
        strict,
      ),
      { maxItems: 100, default: [] },
    ),
    /** Minutes before the start and after the end during which the room's door opens for the booking. */
    graceMin: Type.Integer({ minimum: 0, maximum: 120, default: 5 }),
    /** Release a room booking when its zone's sensors see nobody this many minutes after the start; 0 = never. */
    noShowMin: Type.Integer({ minimum: 0, maximum: 240, default: 15 }),
    /** Bookings starting within this many days are in the gateways' access lists (the list stays small). */
    listDays: Type.Integer({ minimum: 1, maximum: 60, default: 7 }),
  },
  strict,
);
export type BookingsConfig = Static<typeof BookingsConfig>;

/**
 * Outgoing webhooks (services/webhooks, README "Webhooks"): a signed POST (Standard Webhooks) per
 * event to each subscription that takes its kind, queued in SQLite, in order per subscription,
 * retried with backoff; given up after `retry.attempts` tries or `retry.maxAgeH` hours (a dead
 * letter the dashboard can send again). URL and signing secret: secrets `webhooks.<id>.url` and
 * `webhooks.<id>.secret` (`whsec_…`, generated by `smartspace init` / `npm start` when missing).
 */
export const WebhooksConfig = Type.Object(
  {
    subscriptions: Type.Array(
      Type.Object(
        {
          id: Id,
          kinds: Type.Array(literals(WEBHOOK_EVENT_KINDS), { minItems: 1, uniqueItems: true }),
        },
        strict,
      ),
      { default: [], maxItems: 20 },
    ),
    /** Access events carry the member's name (else only granted/denied and why), as `homeAssistant.names`. */
    names: Type.Boolean({ default: false }),
    /** Each attempt gives up after this long (connect, answer and body). */
    timeoutMs: Type.Integer({ minimum: 100, maximum: 60_000, default: 10_000 }),
    /** Waits from firstMs doubling up to maxMs (with jitter); 429 waits its Retry-After instead. */
    retry: Type.Object(
      {
        firstMs: Type.Integer({ minimum: 10, maximum: 3_600_000, default: 5000 }),
        maxMs: Type.Integer({ minimum: 10, maximum: 86_400_000, default: 600_000 }),
        attempts: Type.Integer({ minimum: 1, maximum: 1000, default: 30 }),
        maxAgeH: Type.Number({ minimum: 0.001, maximum: 24 * 30, default: 24 }),
      },
      { ...strict, default: {} },
    ),
  },
  { ...strict, default: {} },
);
export type WebhooksConfig = Static<typeof WebhooksConfig>;

/**
 * A network of spaces (issue 18): this site's place in it and what it shares. Absent: the site
 * is in no network and nothing leaves it. Needs `broker.external: true`: Mosquitto bridges the
 * `net/<id>/` subtree to the network broker (`npm run mosquitto:config` writes the bridge).
 */
export const NetworkConfig = Type.Object(
  {
    /** The network's id (the `net/<id>/` topic subtree). */
    id: Id,
    /** This site's id in the network (its own `net/<id>/site/<site>/` subtree). */
    site: Id,
    /** The network broker this site's Mosquitto bridges to: mqtts://host:port. Login: secrets `network.mqttPassword`, user `site.<site>`. */
    broker: Type.Object(
      {
        url: Type.String({ pattern: '^mqtts://' }),
        /** CA certificate (PEM, relative to the config file) the bridge trusts for the network broker. */
        ca: Type.String({ minLength: 1 }),
      },
      strict,
    ),
    /** Every site of the network (this one too) with its Ed25519 public key (base64 SPKI DER): visas from a site are verified with it. */
    sites: Type.Array(Type.Object({ id: Id, name: Name, publicKey: Type.String({ pattern: '^[A-Za-z0-9+/=]{40,100}$' }) }, strict), {
      minItems: 1,
      maxItems: 1000,
    }),
    /** What this site shares; each off unless turned on. */
    share: Type.Object(
      {
        /** Publish visas for this site's network members, and admit other sites' network members under `visiting`. */
        visiting: Type.Boolean({ default: false }),
        /** Live free desks. */
        summaries: Type.Boolean({ default: false }),
        /** Anonymous monthly visit counts. */
        usageCounts: Type.Boolean({ default: false }),
      },
      { ...strict, default: {} },
    ),
    /** What visiting network members of other sites get here (with `share.visiting`). */
    visiting: Type.Object(
      {
        /** Visit days per calendar month per visa (local days with a granted door). */
        daysPerMonth: Type.Integer({ minimum: 1, maximum: 31, default: 2 }),
        /** The doors they may open. */
        doors: Type.Array(Id, { default: [] }),
        /** When; empty or absent: any time. */
        windows: Type.Optional(Type.Array(TimeWindow, { maxItems: 21 })),
        /** May their cards open the doors while the gateway is long offline? */
        offline: Type.Boolean({ default: true }),
      },
      { ...strict, default: {} },
    ),
    /**
     * Members of this site (by their login e-mail) who coordinate the network: they see every
     * space's free desks and usage and the network's report (GET /api/network). A list here, not
     * a role: coordinating is a network duty next to whatever rank the person has at the site.
     */
    coordinators: Type.Array(PatternString('email', { minLength: 3, maxLength: 254 }), { default: [], maxItems: 50 }),
    /**
     * With `share.usageCounts`: how often the month's counts go out again when they changed
     * (checked every 30 s; default 10 minutes: a funder's report needs no fresher figures, and at 500 sites each
     * message is delivered to every other site).
     */
    usageEveryS: Type.Integer({ minimum: 30, maximum: 86_400, default: 600 }),
    /** How long a visa published by this site is valid; it is re-published well before. */
    visaDays: Type.Integer({ minimum: 1, maximum: 90, default: 7 }),
    /**
     * This site's own limit on its network members' visit days elsewhere per calendar month (all
     * other sites together, as they report them home). Absent: only each visited site's limit.
     * Reached: the member's visas are re-published ending that day.
     */
    homeDaysPerMonth: Type.Optional(Type.Integer({ minimum: 1, maximum: 31 })),
  },
  strict,
);
export type NetworkConfig = Static<typeof NetworkConfig>;

export const SiteConfig = Type.Object(
  {
    site: Type.Object(
      {
        id: Id,
        name: Name,
        timeZone: Type.String({ minLength: 1, default: 'Europe/Copenhagen' }),
        /** The language of reports and exports when none is asked for: da or en. Default en. */
        language: Type.Optional(Type.Union([Type.Literal('da'), Type.Literal('en')])),
        /**
         * When the space is staffed/open, local weekly windows: what utilisation in reports is
         * measured against. Default Monday–Friday 08:00–18:00.
         */
        openingHours: Type.Optional(Type.Array(TimeWindow, { minItems: 1, maxItems: 21 })),
      },
      strict,
    ),
    /** Where gateways and Node-RED reach the broker (and the services too, when it is external). */
    broker: Type.Object(
      {
        url: Type.String({ pattern: '^(mqtts?|wss?)://' }),
        /**
         * A CA certificate (PEM file, relative to the config file) that clients of an mqtts:// or
         * wss:// `url` trust: gateways, Node-RED, the services with `external`. For a private CA or a
         * self-signed broker certificate; absent: the system's CAs.
         */
        ca: Type.Optional(Type.String({ minLength: 1 })),
        /**
         * false (default): the services run the broker (aedes, `services.mqtt`). true: an external
         * broker (Mosquitto, `npm run mosquitto:config`) at `url`; the services connect to it with a
         * persistent session and start no broker of their own (`services.mqtt` is then unused).
         */
        external: Type.Boolean({ default: false }),
      },
      strict,
    ),
    services: Type.Object(
      {
        http: Type.Object(
          {
            host: Host,
            port: Port,
            /** HTTPS on this port (and MQTT over wss at `services.mqtt.wsPath`). SIGHUP reloads the files (certificate renewals). */
            tls: Type.Optional(TlsFiles),
            /**
             * Reverse proxies (Caddy, nginx) in front: their addresses or CIDRs, or `loopback`,
             * `linklocal`, `uniquelocal`. From these only, X-Forwarded-For gives the client's
             * address (rate limits, audit) and X-Forwarded-Proto the scheme (Secure cookie, HSTS).
             */
            trustProxy: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 32 })),
            /** Strict-Transport-Security max-age on HTTPS replies (direct, or https at the proxy); 0 = no header. */
            hstsMaxAgeS: Type.Integer({ minimum: 0, maximum: 63_072_000, default: 15_552_000 }),
            /** The API docs (/docs, Swagger UI, and its OpenAPI JSON) for anyone; false (default): hosts and operators logged in. */
            publicDocs: Type.Boolean({ default: false }),
          },
          strict,
        ),
        /**
         * The embedded aedes broker: TCP listener, and MQTT over WebSocket on the HTTP port (unused with `broker.external`).
         * `tls`: a second listener, MQTT over TLS, for gateways on other machines; keep the plain one on 127.0.0.1.
         */
        mqtt: Type.Object(
          {
            host: Host,
            port: Port,
            wsPath: Type.String({ pattern: '^/', default: '/mqtt' }),
            tls: Type.Optional(
              Type.Object({ host: Type.String({ minLength: 1, maxLength: 255, default: '0.0.0.0' }), port: Port, ...TlsFiles.properties }, strict),
            ),
          },
          strict,
        ),
        dataDir: Type.String({ minLength: 1 }),
        /** Members, plans and cards to load into an empty database (the demo's). */
        seed: Type.Optional(Type.String({ minLength: 1 })),
        commandTtlMs: Type.Integer({ minimum: 1000, maximum: 300_000, default: 15_000 }),
        sessionTtlH: Type.Number({ minimum: 0.1, maximum: 24 * 90, default: 12 }),
      },
      strict,
    ),
    floor: Type.Object({ width: Type.Number({ minimum: 1 }), height: Type.Number({ minimum: 1 }) }, strict),
    gateways: Type.Array(GatewayConfig, { minItems: 1 }),
    zones: Type.Array(ZoneConfig),
    doors: Type.Array(DoorConfig),
    desks: Type.Array(DeskConfig),
    history: HistoryConfig,
    homeAssistant: Type.Optional(HomeAssistantConfig),
    alerts: AlertsConfig,
    sensorCheck: SensorCheckConfig,
    webhooks: WebhooksConfig,
    bridge: Type.Optional(BridgeConfig),
    /**
     * The public availability page (/public), its widget (/public/widget.js) and JSON
     * (/api/public/availability): free desks now, open hours today, a host in, a forecast. Off by
     * default: every public path is then unknown (404).
     */
    public: Type.Object(
      {
        enabled: Type.Boolean({ default: false }),
        /** A host or operator who opted in to presence counts as in for this long after they let themselves in today. */
        hostInHours: Type.Number({ minimum: 0.5, maximum: 24, default: 4 }),
      },
      { ...strict, default: {} },
    ),
    bookings: Type.Optional(BookingsConfig),
    network: Type.Optional(NetworkConfig),
  },
  strict,
);
export type SiteConfig = Static<typeof SiteConfig>;

const WebhookUrl = Type.String({ pattern: '^https?://', maxLength: 1000 });

/** Secrets never live in the site config: they come from the environment or a secrets file. */
export const Secret = Type.String({ minLength: 16, maxLength: 256 });
export const SecretsFile = Type.Object(
  {
    siteKey: Secret,
    sessionSecret: Secret,
    mqtt: Type.Object(
      {
        services: Secret,
        automation: Secret,
        bridge: Secret,
        /** Home Assistant's login to the broker (homeAssistant in the site config). */
        homeassistant: Type.Optional(Secret),
      },
      strict,
    ),
    /** Bearer token for automation (Node-RED) on the HTTP API; generated by ensureSecretsFile. Absent: no automation access. */
    automationToken: Type.Optional(Secret),
    /** The bridge's login to its source broker (`bridge.source`). */
    bridgeSource: Type.Optional(Type.Object({ password: Type.String({ minLength: 1, maxLength: 256 }) }, strict)),
    /** Credentials of the history store: InfluxDB 1.x password or 2.x token. */
    history: Type.Optional(
      Type.Object(
        { password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })), token: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })) },
        strict,
      ),
    ),
    /**
     * Node-RED's own login and credential key (config/node-red/settings.cjs). Each absent one is
     * derived from the site key; SMARTSPACE_NODE_RED_ADMIN_USER, _ADMIN_PASSWORD and
     * _CREDENTIAL_SECRET override them.
     */
    nodeRed: Type.Optional(
      Type.Object(
        {
          adminUser: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          adminPassword: Type.Optional(Type.String({ minLength: 8, maxLength: 256 })),
          credentialSecret: Type.Optional(Secret),
        },
        strict,
      ),
    ),
    gateways: Type.Record(
      PatternString('id'),
      Type.Object(
        {
          key: Secret,
          mqttPassword: Secret,
          /** Bearer token for the gateway's /metrics when it listens on another address than loopback. */
          metricsToken: Type.Optional(Secret),
          /** OSDP Secure Channel base keys (SCBK), 32 hex digits, by reader id (`driver: osdp`). */
          osdp: Type.Optional(Type.Record(PatternString('id'), Type.String({ pattern: '^[0-9A-Fa-f]{32}$', description: '16-byte SCBK as 32 hex digits' }))),
        },
        strict,
      ),
    ),
    /**
     * A network of spaces (`network` in the site config): the network key (HMAC of a member's card
     * uid as other sites know it; the same at every site), this site's login to the network broker
     * and its Ed25519 signing key (base64 PKCS#8 DER; its public half goes in `network.sites`).
     */
    network: Type.Optional(Type.Object({ key: Secret, mqttPassword: Secret, signingKey: Type.String({ pattern: '^[A-Za-z0-9+/=]{40,200}$' }) }, strict)),
    /** Alert channels: the SMTP password; the VAPID key pair of web push (base64url, generated once by ensureSecretsFile). */
    alerts: Type.Optional(
      Type.Object(
        {
          smtpPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
          vapidPublicKey: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{80,100}$' })),
          vapidPrivateKey: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{40,50}$' })),
          /** The URL of each alert webhook (`alerts.webhooks` in the site config), by id. */
          webhooks: Type.Optional(Type.Record(PatternString('id'), Type.Object({ url: WebhookUrl }, strict))),
        },
        strict,
      ),
    ),
    /** Each outgoing webhook subscription's URL and signing secret (`webhooks.subscriptions`), by id. */
    webhooks: Type.Optional(
      Type.Record(PatternString('id'), Type.Object({ url: WebhookUrl, secret: Type.String({ pattern: WEBHOOK_SECRET_PATTERN, maxLength: 256 }) }, strict)),
    ),
  },
  strict,
);
export type Secrets = Static<typeof SecretsFile>;
