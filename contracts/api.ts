// HTTP API and live-stream shapes shared by the services (route schemas) and the dashboard
// (types only: `import type`, so TypeBox stays out of the browser bundle).
import { Type, type Static } from '@sinclair/typebox';
import { ID_PATTERN } from './topics.ts';
import { DoorState, AccessDecision, AccessReason, AccessVia, DoorEventKind, CommandAction } from './payloads.ts';

const Id = Type.String({ pattern: ID_PATTERN });

export const Role = Type.Union([Type.Literal('member'), Type.Literal('host'), Type.Literal('operator')]);
export type Role = Static<typeof Role>;

export const ApiError = Type.Object({
  error: Type.String({ description: 'stable machine-readable code, e.g. invalid-credentials' }),
  message: Type.String({ description: 'what went wrong and what to do, for people' }),
});
export type ApiError = Static<typeof ApiError>;

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const Me = Type.Object({
  id: Id,
  name: Type.String(),
  email: Type.String(),
  role: Role,
  presenceOptIn: Type.Boolean(),
});
export type Me = Static<typeof Me>;

export const SiteView = Type.Object({
  id: Id,
  name: Type.String(),
  timeZone: Type.String(),
  floor: Type.Object({ width: Type.Number(), height: Type.Number() }),
  zones: Type.Array(Type.Object({ id: Id, name: Type.String(), capacity: Type.Optional(Type.Integer()) })),
});
export type SiteView = Static<typeof SiteView>;

export const DoorView = Type.Object({
  id: Id,
  name: Type.String(),
  gateway: Id,
  /** Last state the gateway reported; null when never heard or the gateway is offline (unknown). */
  state: Type.Union([DoorState, Type.Null()]),
  gatewayOnline: Type.Boolean(),
  /** May the logged-in user unlock this door now (plan and schedule)? */
  canUnlock: Type.Boolean(),
});
export type DoorView = Static<typeof DoorView>;

export const DeskView = Type.Object({
  id: Id,
  name: Type.String(),
  zone: Id,
  x: Type.Number(),
  y: Type.Number(),
  /** null: unknown (never reported). */
  occupied: Type.Union([Type.Boolean(), Type.Null()]),
  since: Type.Union([Type.Integer(), Type.Null()]),
});
export type DeskView = Static<typeof DeskView>;

export const EventView = Type.Object({
  id: Type.String(),
  ts: Type.Integer(),
  door: Id,
  doorName: Type.String(),
  type: Type.Union([Type.Literal('access'), Type.Literal('door')]),
  decision: Type.Optional(AccessDecision),
  reason: Type.Optional(AccessReason),
  via: Type.Optional(AccessVia),
  kind: Type.Optional(DoorEventKind),
  /** Shown only to hosts and operators, to the member themself, or when the member opted in. */
  memberName: Type.Optional(Type.String()),
  offline: Type.Optional(Type.Boolean()),
});
export type EventView = Static<typeof EventView>;

export const EventPage = Type.Object({
  items: Type.Array(EventView),
  /** Pass as `before` to get the next (older) page; null at the end. */
  next: Type.Union([Type.String(), Type.Null()]),
});
export type EventPage = Static<typeof EventPage>;

export const EventQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    before: Type.Optional(Type.String({ maxLength: 100 })),
    door: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type EventQuery = Static<typeof EventQuery>;

export const UnlockAccepted = Type.Object({
  commandId: Type.String(),
  action: CommandAction,
  /** The command is void after this (epoch ms). */
  exp: Type.Integer(),
});
export type UnlockAccepted = Static<typeof UnlockAccepted>;

export const GatewayView = Type.Object({
  id: Id,
  name: Type.String(),
  online: Type.Boolean(),
  lastSeen: Type.Union([Type.Integer(), Type.Null()]),
  aclVersion: Type.Union([Type.Integer(), Type.Null()]),
  outboxDepth: Type.Union([Type.Integer(), Type.Null()]),
});
export type GatewayView = Static<typeof GatewayView>;

export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  site: Id,
  uptimeS: Type.Number(),
  broker: Type.Object({ clients: Type.Integer() }),
  gateways: Type.Array(GatewayView),
  /** Invalid MQTT payloads dropped at the services' ingress, per topic kind. */
  rejectedPayloads: Type.Record(Type.String(), Type.Integer()),
  events: Type.Object({ stored: Type.Integer(), duplicates: Type.Integer() }),
});
export type Health = Static<typeof Health>;

/** Live stream (`GET /api/live`, Server-Sent Events): one JSON message per `data:` line. */
export type LiveMessage =
  | { type: 'snapshot'; doors: DoorView[]; desks: DeskView[]; events: EventView[]; gateways: GatewayView[] }
  | { type: 'door'; door: DoorView }
  | { type: 'desk'; desk: DeskView }
  | { type: 'event'; event: EventView }
  | { type: 'gateway'; gateway: GatewayView };
