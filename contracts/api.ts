// HTTP API and live-stream shapes shared by the services (route schemas) and the dashboard
// (types only: `import type`, so TypeBox stays out of the browser bundle).
import { Type, type Static } from '@sinclair/typebox';
import { ID_PATTERN } from './topics.ts';
import { DoorState, AccessDecision, AccessReason, AccessVia, DoorEventKind, CommandAction, TimeWindow } from './payloads.ts';

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
});
export type GatewayView = Static<typeof GatewayView>;

/**
 * A device of a gateway (reader, lock, door contact, exit button, desk sensor) as its gateway
 * last reported it on `…/device/<id>/health`. `state` is `unknown` while the device's gateway is
 * offline (what it last said may no longer hold), never `ok`.
 */
export const DeviceState = Type.Union([Type.Literal('ok'), Type.Literal('fault'), Type.Literal('unknown')]);
export type DeviceState = Static<typeof DeviceState>;

export const DeviceView = Type.Object({
  id: Id,
  gateway: Type.Union([Id, Type.Null()]),
  /** Driver kind as the gateway names it (gateway/drivers/types.ts DeviceKind): "card-reader", "lock", "door-contact", "exit-button", "presence-sensor". */
  kind: Type.String(),
  state: DeviceState,
  /** Since when `state` holds (epoch ms), as the services saw it: when it turned fault (or ok), or its gateway went offline; after a restart, the start. */
  since: Type.Union([Type.Integer(), Type.Null()]),
  /** Why it is in fault, in words. */
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

export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  site: Id,
  uptimeS: Type.Number(),
  /** Clients connected to the embedded broker; null with an external broker (not known to the services). */
  broker: Type.Object({ clients: Type.Union([Type.Integer(), Type.Null()]) }),
  gateways: Type.Array(GatewayView),
  /** Invalid MQTT payloads dropped at the services' ingress, per topic kind. */
  rejectedPayloads: Type.Record(Type.String(), Type.Integer()),
  events: Type.Object({ stored: Type.Integer(), duplicates: Type.Integer() }),
  history: Type.Optional(HistoryHealth),
  /** Devices heard of, and how many are in fault or unknown (gateway offline). */
  devices: Type.Optional(Type.Object({ total: Type.Integer(), fault: Type.Integer(), unknown: Type.Integer() })),
});
export type Health = Static<typeof Health>;

/** Live stream (`GET /api/live`, Server-Sent Events): one JSON message per `data:` line. */
export type LiveMessage =
  /** `devices` only for hosts and operators. */
  | { type: 'snapshot'; doors: DoorView[]; desks: DeskView[]; events: EventView[]; gateways: GatewayView[]; devices?: DeviceView[] }
  | { type: 'door'; door: DoorView }
  | { type: 'desk'; desk: DeskView }
  | { type: 'event'; event: EventView }
  | { type: 'gateway'; gateway: GatewayView }
  /** A device's health changed (or its gateway went on- or offline); hosts and operators only. */
  | { type: 'device'; device: DeviceView }
  /** Card enrolment progress; sent to hosts and operators only. */
  | { type: 'enrolment'; enrolment: EnrolmentView };

// ---------------------------------------------------------------------------------------------
// Administration (issue 4): members, plans, closures, credentials and passes, enrolment, door
// commands, zones, audit, analytics, privacy. Dates a person picks are local dates in the
// site's time zone (YYYY-MM-DD, inclusive); instants are epoch ms, UTC.

const LocalDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'local date in the site time zone, YYYY-MM-DD' });
const OptionalDate = Type.Union([LocalDate, Type.Null()]);
const PersonName = Type.String({ minLength: 1, maxLength: 100 });
const Email = Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', minLength: 3, maxLength: 254 });
const Label = Type.String({ minLength: 1, maxLength: 100 });
const strictObject = { additionalProperties: false } as const;

export const MemberStatus = Type.Union([Type.Literal('active'), Type.Literal('suspended')]);
export type MemberStatus = Static<typeof MemberStatus>;

export const MemberView = Type.Object({
  id: Id,
  name: Type.String(),
  email: Type.String(),
  role: Role,
  plan: Type.Union([Id, Type.Null()]),
  status: MemberStatus,
  presenceOptIn: Type.Boolean(),
  createdAt: Type.Integer(),
  /** Live credentials (cards and PINs). */
  credentials: Type.Integer(),
});
export type MemberView = Static<typeof MemberView>;

export const MemberPage = Type.Object({ items: Type.Array(MemberView), total: Type.Integer() });
export type MemberPage = Static<typeof MemberPage>;

export const MemberQuery = Type.Object(
  {
    status: Type.Optional(MemberStatus),
    role: Type.Optional(Role),
    plan: Type.Optional(Id),
    /** Part of the name or email. */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  strictObject,
);
export type MemberQuery = Static<typeof MemberQuery>;

export const NewMemberBody = Type.Object(
  {
    /** Chosen by the server when absent. */
    id: Type.Optional(Id),
    name: PersonName,
    email: Email,
    /** Without one, the member cannot log in (cards and passes still work). */
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 1024 })),
    role: Type.Optional(Role),
    plan: Type.Optional(Type.Union([Id, Type.Null()])),
    status: Type.Optional(MemberStatus),
    presenceOptIn: Type.Optional(Type.Boolean()),
  },
  strictObject,
);
export type NewMemberBody = Static<typeof NewMemberBody>;

export const MemberPatchBody = Type.Object(
  {
    name: Type.Optional(PersonName),
    email: Type.Optional(Email),
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 1024 })),
    role: Type.Optional(Role),
    plan: Type.Optional(Type.Union([Id, Type.Null()])),
    status: Type.Optional(MemberStatus),
    presenceOptIn: Type.Optional(Type.Boolean()),
  },
  { ...strictObject, minProperties: 1 },
);
export type MemberPatchBody = Static<typeof MemberPatchBody>;

export const PlanView = Type.Object({
  id: Id,
  name: Type.String(),
  doors: Type.Array(Id),
  /** Weekly windows in the site's time zone; empty = any time. */
  windows: Type.Array(TimeWindow),
  /** May its cards open doors while the gateway has been offline longer than offlineAfterH? */
  offline: Type.Boolean(),
  validFrom: OptionalDate,
  validTo: OptionalDate,
  /** Members and live passes on this plan. */
  inUse: Type.Integer(),
});
export type PlanView = Static<typeof PlanView>;

export const PlanBody = Type.Object(
  {
    id: Type.Optional(Id),
    name: PersonName,
    doors: Type.Array(Id, { maxItems: 100, uniqueItems: true }),
    windows: Type.Optional(Type.Array(TimeWindow, { maxItems: 50 })),
    offline: Type.Optional(Type.Boolean()),
    validFrom: Type.Optional(OptionalDate),
    validTo: Type.Optional(OptionalDate),
  },
  strictObject,
);
export type PlanBody = Static<typeof PlanBody>;

export const PlanPatchBody = Type.Object(
  {
    name: Type.Optional(PersonName),
    doors: Type.Optional(Type.Array(Id, { maxItems: 100, uniqueItems: true })),
    windows: Type.Optional(Type.Array(TimeWindow, { maxItems: 50 })),
    offline: Type.Optional(Type.Boolean()),
    validFrom: Type.Optional(OptionalDate),
    validTo: Type.Optional(OptionalDate),
  },
  { ...strictObject, minProperties: 1 },
);
export type PlanPatchBody = Static<typeof PlanPatchBody>;

/** Closures and holidays: the listed plans (all when empty) open no doors on these dates. */
export const ClosureView = Type.Object({ id: Id, name: Type.String(), from: LocalDate, to: LocalDate, plans: Type.Array(Id) });
export type ClosureView = Static<typeof ClosureView>;

export const ClosureBody = Type.Object(
  { name: PersonName, from: LocalDate, to: LocalDate, plans: Type.Optional(Type.Array(Id, { maxItems: 100, uniqueItems: true })) },
  strictObject,
);
export type ClosureBody = Static<typeof ClosureBody>;

export const CredentialKind = Type.Union([Type.Literal('card'), Type.Literal('pin')]);
export const CredentialStatus = Type.Union([Type.Literal('live'), Type.Literal('not-yet-valid'), Type.Literal('expired'), Type.Literal('revoked')]);

export const CredentialView = Type.Object({
  id: Type.Integer(),
  member: Id,
  kind: CredentialKind,
  /** Last 6 hex digits of the fingerprint: tells two cards apart, identifies nothing. */
  tail: Type.String(),
  label: Type.Union([Type.String(), Type.Null()]),
  /** A pass's own plan; null = the member's plan. */
  plan: Type.Union([Id, Type.Null()]),
  validFrom: OptionalDate,
  validTo: OptionalDate,
  status: CredentialStatus,
  createdAt: Type.Integer(),
  revokedAt: Type.Union([Type.Integer(), Type.Null()]),
});
export type CredentialView = Static<typeof CredentialView>;

/** A card known by its fingerprint (e.g. moved from another system); at the door, use enrolment. */
export const CredentialBody = Type.Object(
  {
    fingerprint: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    label: Type.Optional(Label),
    plan: Type.Optional(Type.Union([Id, Type.Null()])),
    validFrom: Type.Optional(OptionalDate),
    validTo: Type.Optional(OptionalDate),
  },
  strictObject,
);
export type CredentialBody = Static<typeof CredentialBody>;

export const CredentialPatchBody = Type.Object(
  {
    label: Type.Optional(Type.Union([Label, Type.Null()])),
    plan: Type.Optional(Type.Union([Id, Type.Null()])),
    validFrom: Type.Optional(OptionalDate),
    validTo: Type.Optional(OptionalDate),
  },
  { ...strictObject, minProperties: 1 },
);
export type CredentialPatchBody = Static<typeof CredentialPatchBody>;

/** A day or guest pass: a keypad PIN valid on local dates from..to for the plan's doors. */
export const PassBody = Type.Object(
  {
    member: Id,
    kind: Type.Union([Type.Literal('day'), Type.Literal('guest')]),
    plan: Id,
    from: LocalDate,
    /** Default: the same day as `from`. */
    to: Type.Optional(LocalDate),
    label: Type.Optional(Label),
    /** 4–8 digits; chosen at random when absent. */
    pin: Type.Optional(Type.String({ pattern: '^[0-9]{4,8}$' })),
  },
  strictObject,
);
export type PassBody = Static<typeof PassBody>;

export const PassCreated = Type.Object({
  credential: CredentialView,
  /** The PIN, shown this once: the services keep only its fingerprint. */
  pin: Type.String(),
});
export type PassCreated = Static<typeof PassCreated>;

export const EnrolmentBody = Type.Object(
  {
    member: Id,
    /** The door whose reader takes the next unknown card. */
    door: Id,
    label: Type.Optional(Label),
    plan: Type.Optional(Type.Union([Id, Type.Null()])),
    validFrom: Type.Optional(OptionalDate),
    validTo: Type.Optional(OptionalDate),
    /** Replace: this credential is revoked when the new card is bound. */
    replaces: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  strictObject,
);
export type EnrolmentBody = Static<typeof EnrolmentBody>;

export const EnrolmentState = Type.Union([
  Type.Literal('waiting'),
  Type.Literal('bound'),
  Type.Literal('expired'),
  Type.Literal('cancelled'),
  Type.Literal('failed'),
]);

export const EnrolmentView = Type.Object({
  id: Type.String(),
  member: Id,
  memberName: Type.String(),
  door: Id,
  status: EnrolmentState,
  startedAt: Type.Integer(),
  /** The reader takes a card until then (60 s after the start). */
  expiresAt: Type.Integer(),
  credential: Type.Union([CredentialView, Type.Null()]),
  /** Why it failed, for people. */
  reason: Type.Optional(Type.String()),
});
export type EnrolmentView = Static<typeof EnrolmentView>;

export const DoorCommandBody = Type.Object(
  { action: CommandAction, reason: Type.Optional(Type.String({ maxLength: 200 })) },
  strictObject,
);
export type DoorCommandBody = Static<typeof DoorCommandBody>;

export const ZoneView = Type.Object({ id: Id, name: Type.String(), capacity: Type.Union([Type.Integer(), Type.Null()]), desks: Type.Integer() });
export type ZoneView = Static<typeof ZoneView>;

/** `GET /api/zones/occupancy`: desks occupied now per zone (unknown desks count as free). */
export const ZoneOccupancy = Type.Object({
  zone: Id,
  name: Type.String(),
  occupied: Type.Integer(),
  capacity: Type.Union([Type.Integer(), Type.Null()]),
  desks: Type.Integer(),
});
export type ZoneOccupancy = Static<typeof ZoneOccupancy>;

export const AuditView = Type.Object({
  id: Type.Integer(),
  ts: Type.Integer(),
  /** Member id, `automation`, an `erased-…` pseudonym, or null (system or expired). */
  actor: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  /** An IP address, or `gateway:<id>` for decisions made at a door. */
  source: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
export type AuditView = Static<typeof AuditView>;

export const AuditPage = Type.Object({ items: Type.Array(AuditView), next: Type.Union([Type.String(), Type.Null()]) });
export type AuditPage = Static<typeof AuditPage>;

export const AuditQuery = Type.Object(
  {
    from: Type.Optional(Type.Integer({ minimum: 0 })),
    to: Type.Optional(Type.Integer({ minimum: 0 })),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** Exact action, or a prefix ending in a dot: `member.` */
    action: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9.-]{0,63}$' })),
    target: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    before: Type.Optional(Type.String({ maxLength: 40 })),
  },
  strictObject,
);
export type AuditQuery = Static<typeof AuditQuery>;

/** Analytics over local dates from..to (inclusive, at most 366 days), optionally one zone or desk. */
export const AnalyticsQuery = Type.Object(
  { from: LocalDate, to: LocalDate, zone: Type.Optional(Id), desk: Type.Optional(Id) },
  strictObject,
);
export type AnalyticsQuery = Static<typeof AnalyticsQuery>;

/** A step function: each point's value holds until the next point (or `to`). */
export const OccupancyTimeline = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  series: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('desk'), Type.Literal('zone')]),
      id: Id,
      points: Type.Array(Type.Object({ ts: Type.Integer(), occupied: Type.Integer() })),
    }),
  ),
});
export type OccupancyTimeline = Static<typeof OccupancyTimeline>;

/** Share of desk time occupied per local hour of the week (day 1 = Monday), 0..1. */
export const UtilisationByHour = Type.Object({
  zone: Type.Union([Id, Type.Null()]),
  desks: Type.Integer(),
  cells: Type.Array(Type.Object({ day: Type.Integer(), hour: Type.Integer(), utilisation: Type.Number() })),
});
export type UtilisationByHour = Static<typeof UtilisationByHour>;

/** visits: distinct members in that day; entries: doors opened to members (card, PIN or remote). */
export const VisitsPerDay = Type.Object({
  days: Type.Array(Type.Object({ date: LocalDate, visits: Type.Integer(), entries: Type.Integer() })),
});
export type VisitsPerDay = Static<typeof VisitsPerDay>;

/** Desk utilisation per local day (desk time occupied out of all desk time, 24 h a day, 0..1): the trend. */
export const UtilisationTrend = Type.Object({
  zone: Type.Union([Id, Type.Null()]),
  desk: Type.Union([Id, Type.Null()]),
  desks: Type.Integer(),
  days: Type.Array(Type.Object({ date: LocalDate, utilisation: Type.Number(), deskHours: Type.Number() })),
});
export type UtilisationTrend = Static<typeof UtilisationTrend>;

export const UniqueMembersPerWeek = Type.Object({
  weeks: Type.Array(Type.Object({ week: Type.String({ description: 'ISO week, YYYY-Www' }), members: Type.Integer() })),
});
export type UniqueMembersPerWeek = Static<typeof UniqueMembersPerWeek>;

export const PeakOccupancy = Type.Object({
  zone: Type.Union([Id, Type.Null()]),
  peak: Type.Integer(),
  at: Type.Union([Type.Integer(), Type.Null()]),
  days: Type.Array(Type.Object({ date: LocalDate, peak: Type.Integer(), at: Type.Union([Type.Integer(), Type.Null()]) })),
});
export type PeakOccupancy = Static<typeof PeakOccupancy>;

export const MonthQuery = Type.Object({ month: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' }) }, strictObject);
export type MonthQuery = Static<typeof MonthQuery>;

export const PresenceBody = Type.Object({ optIn: Type.Boolean() }, strictObject);
export type PresenceBody = Static<typeof PresenceBody>;

/** `GET /api/me/visits`: the days I was let in (card, PIN or app; not the exit button), newest first. */
export const MyVisitsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 60 })) },
  strictObject,
);
export type MyVisitsQuery = Static<typeof MyVisitsQuery>;

export const MyVisits = Type.Object({
  days: Type.Array(
    Type.Object({
      date: LocalDate,
      first: Type.Integer(),
      last: Type.Integer(),
      entries: Type.Integer(),
      /** Door ids in order of first use that day. */
      doors: Type.Array(Id),
    }),
  ),
  /** Days with visits in all, also beyond `limit`. */
  total: Type.Integer(),
});
export type MyVisits = Static<typeof MyVisits>;

export const ErasureBody = Type.Object({ confirm: Type.Literal('erase') }, strictObject);
export type ErasureBody = Static<typeof ErasureBody>;

export const ErasureResult = Type.Object({
  /** What the member's id became in the events and audit that stay (so counts stay right). */
  pseudonym: Type.String(),
  events: Type.Integer(),
  audit: Type.Integer(),
  history: Type.Integer(),
});
export type ErasureResult = Static<typeof ErasureResult>;
