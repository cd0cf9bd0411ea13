// Gateways, their devices and the health of the site (GET /api/devices, /api/health).
import { Type, type Static } from '@sinclair/typebox';
import { DEVICE_COMMAND_FAILURES } from '../payloads.ts';
import { Id, strictObject } from './common.ts';

export const GatewayView = Type.Object({
  id: Id,
  name: Type.String(),
  online: Type.Boolean(),
  lastSeen: Type.Union([Type.Integer(), Type.Null()]),
  aclVersion: Type.Union([Type.Integer(), Type.Null()]),
  outboxDepth: Type.Union([Type.Integer(), Type.Null()]),
  /** From the gateway's last status (absent before it first reported). */
  version: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  uptimeS: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  /** Invalid payloads the gateway dropped at its ingress, per topic kind, since it started. */
  rejected: Type.Optional(Type.Record(Type.String(), Type.Integer())),
  /** Raw readings the full outbox thinned; events are never dropped. */
  outboxDropped: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  /** True when the gateway has been without the services so long that only offline-allowed plans open doors. */
  offlineOnly: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  /** True when its access list is older than the offline limit. */
  aclStale: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  /** Resident set size of the gateway process at its last status, bytes (null from a gateway too old to say). */
  rssBytes: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
});
export type GatewayView = Static<typeof GatewayView>;

/**
 * A device of a gateway (reader, lock, door contact, exit button, desk sensor) as its gateway
 * last reported it on `…/device/<id>/health`. `state` is `unknown` while the device's gateway is
 * offline (what it last said may no longer hold), never `ok`.
 */
export const DeviceState = Type.Union([Type.Literal('ok'), Type.Literal('warning'), Type.Literal('fault'), Type.Literal('unknown')]);
export type DeviceState = Static<typeof DeviceState>;

export const DeviceView = Type.Object({
  id: Id,
  gateway: Type.Union([Id, Type.Null()]),
  /** Device kind as the gateway sends it: one of contracts/payloads.ts DEVICE_KINDS, or a newer gateway's own. */
  kind: Type.String(),
  state: DeviceState,
  /** Since when `state` holds (epoch ms), as the services saw it: when it turned fault (or ok), or its gateway went offline; after a restart, the start. */
  since: Type.Union([Type.Integer(), Type.Null()]),
  /** Why it is in fault, or (warning) what to see to, in words. */
  error: Type.Union([Type.String(), Type.Null()]),
  firmware: Type.Union([Type.String(), Type.Null()]),
  /** Last time the device itself was heard from or driven (epoch ms), as the gateway saw it. */
  lastSeen: Type.Union([Type.Integer(), Type.Null()]),
  /** When the services last received its health report (epoch ms). */
  reportedAt: Type.Union([Type.Integer(), Type.Null()]),
  /** Frames the codec rejected (bad checksum, garbage) since the gateway started. */
  dropped: Type.Union([Type.Integer(), Type.Null()]),
  droppedBytes: Type.Union([Type.Integer(), Type.Null()]),
  /** The door or desk it belongs to, when the site config says. */
  door: Type.Union([Id, Type.Null()]),
  desk: Type.Union([Id, Type.Null()]),
  /** True for an OSDP reader (the site config says): an operator may enrol its key (POST /api/devices/:id/enrol). */
  enrol: Type.Optional(Type.Boolean()),
});
export type DeviceView = Static<typeof DeviceView>;

export const DeviceList = Type.Object({ items: Type.Array(DeviceView) });
export type DeviceList = Static<typeof DeviceList>;

/** The history store, for health: where points go and how many wait on disk. */
export const HistoryHealth = Type.Object({
  store: Type.String(),
  up: Type.Boolean(),
  written: Type.Integer(),
  spooled: Type.Integer(),
  rejected: Type.Integer(),
});
export type HistoryHealth = Static<typeof HistoryHealth>;

/** Degraded: something the site needs is not working as it should (a gateway offline, a device in fault). */
export const HealthStatus = Type.Union([Type.Literal('ok'), Type.Literal('degraded')]);
export type HealthStatus = Static<typeof HealthStatus>;

/**
 * `GET /api/health` for anyone (a monitor, a container's health check, `smartspace check`): the
 * status and nothing that names a gateway, a version, an uptime or a queue.
 */
export const HealthSummary = Type.Object({ status: HealthStatus });
export type HealthSummary = Static<typeof HealthSummary>;

/** `GET /api/health` for a host or operator logged in, or the automation token: everything. */
export const Health = Type.Object({
  status: HealthStatus,
  site: Id,
  uptimeS: Type.Number(),
  /** Resident set size of the services process, bytes. Each gateway's is in `gateways`. */
  rssBytes: Type.Optional(Type.Integer()),
  /** Clients connected to the embedded broker; null with an external broker (not known to the services). */
  broker: Type.Object({ clients: Type.Union([Type.Integer(), Type.Null()]) }),
  gateways: Type.Array(GatewayView),
  /** Invalid MQTT payloads dropped at the services' ingress, per topic kind. */
  rejectedPayloads: Type.Record(Type.String(), Type.Integer()),
  events: Type.Object({ stored: Type.Integer(), duplicates: Type.Integer() }),
  history: Type.Optional(HistoryHealth),
  /**
   * Devices heard of, and how many are in fault, unknown (gateway offline) or warning (working,
   * but something to see to, e.g. an OSDP reader left in install mode: not degraded).
   */
  devices: Type.Optional(Type.Object({ total: Type.Integer(), fault: Type.Integer(), unknown: Type.Integer(), warning: Type.Integer() })),
});
export type Health = Static<typeof Health>;

/** What the route may answer: the summary, or the summary with every part of the full health. */
export const HealthReply = Type.Composite([HealthSummary, Type.Partial(Type.Omit(Health, ['status']))], {
  description: 'Without a host or operator login (or the automation token) `status` only; with one, everything.',
});
export type HealthReply = Static<typeof HealthReply>;

/**
 * `POST /api/devices/:id/enrol`: what the gateway answered. `ok`: the OSDP reader is on a fresh
 * key (made on the gateway, kept in its secrets file, never sent here); else why not
 * (contracts/payloads.ts DEVICE_COMMAND_FAILURES; `timeout`: no answer from the gateway in time).
 */
export const DeviceEnrolReply = Type.Object({
  device: Id,
  ok: Type.Boolean(),
  reason: Type.Optional(Type.Union(DEVICE_COMMAND_FAILURES.map((r) => Type.Literal(r)))),
});
export type DeviceEnrolReply = Static<typeof DeviceEnrolReply>;

/** `GET /api/devices?gateway=…`: one gateway's devices. */
export const DeviceQuery = Type.Object({ gateway: Type.Optional(Id) }, strictObject);
export type DeviceQuery = Static<typeof DeviceQuery>;
