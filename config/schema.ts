// The site config: one TypeBox schema is the type, the boot-time validator and, through
// `npm run schema`, config/schema.json for editors.
import { Type, type Static } from '@sinclair/typebox';
import { ID_PATTERN } from '../contracts/topics.ts';

const Id = Type.String({ pattern: ID_PATTERN, description: 'letters, digits, _ . - (max 64)' });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Port = Type.Integer({ minimum: 0, maximum: 65535 });
const Host = Type.String({ minLength: 1, maxLength: 255 });
const strict = { additionalProperties: false } as const;

/** A simulated device: the demo and the tests drive it; on a Pi it is replaced by a real driver. */
const SimBinding = Type.Object({ driver: Type.Literal('sim'), id: Id }, strict);

export const LockBinding = Type.Object(
  {
    driver: Type.Literal('sim'),
    id: Id,
    /** What the lock does when power or the gateway dies: secure stays locked, safe opens. */
    failMode: Type.Union([Type.Literal('secure'), Type.Literal('safe')], { default: 'secure' }),
  },
  strict,
);

export const DoorConfig = Type.Object(
  {
    id: Id,
    name: Name,
    gateway: Id,
    unlockMs: Type.Integer({ minimum: 500, maximum: 60_000, default: 5000 }),
    reader: SimBinding,
    lock: LockBinding,
    contact: Type.Optional(SimBinding),
    exitButton: Type.Optional(SimBinding),
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
    sensor: SimBinding,
    /** Position of the desk's centre on the floor plan, in floor units (see `floor`). */
    position: Type.Object({ x: Type.Number({ minimum: 0 }), y: Type.Number({ minimum: 0 }) }, strict),
  },
  strict,
);
export type DeskConfig = Static<typeof DeskConfig>;

export const ZoneConfig = Type.Object(
  { id: Id, name: Name, capacity: Type.Optional(Type.Integer({ minimum: 1 })) },
  strict,
);
export type ZoneConfig = Static<typeof ZoneConfig>;

export const GatewayConfig = Type.Object(
  {
    id: Id,
    name: Name,
    /** Gateway state (access list, outbox), relative to the config file. */
    dataDir: Type.String({ minLength: 1 }),
    /** After this long without the services, only offline-capable credentials open doors. */
    offlineAfterH: Type.Number({ minimum: 0.01, maximum: 24 * 365, default: 36 }),
  },
  strict,
);
export type GatewayConfig = Static<typeof GatewayConfig>;

export const SiteConfig = Type.Object(
  {
    site: Type.Object(
      {
        id: Id,
        name: Name,
        timeZone: Type.String({ minLength: 1, default: 'Europe/Copenhagen' }),
      },
      strict,
    ),
    /** Where gateways and Node-RED reach the broker. */
    broker: Type.Object({ url: Type.String({ pattern: '^(mqtts?|wss?)://' }) }, strict),
    services: Type.Object(
      {
        http: Type.Object({ host: Host, port: Port }, strict),
        /** The embedded aedes broker: TCP listener, and MQTT over WebSocket on the HTTP port. */
        mqtt: Type.Object({ host: Host, port: Port, wsPath: Type.String({ pattern: '^/', default: '/mqtt' }) }, strict),
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
  },
  strict,
);
export type SiteConfig = Static<typeof SiteConfig>;

/** Secrets never live in the site config: they come from the environment or a secrets file. */
export const Secret = Type.String({ minLength: 16, maxLength: 256 });
export const SecretsFile = Type.Object(
  {
    siteKey: Secret,
    sessionSecret: Secret,
    mqtt: Type.Object({ services: Secret, automation: Secret, bridge: Secret }, strict),
    gateways: Type.Record(Type.String({ pattern: ID_PATTERN }), Type.Object({ key: Secret, mqttPassword: Secret }, strict)),
  },
  strict,
);
export type Secrets = Static<typeof SecretsFile>;
