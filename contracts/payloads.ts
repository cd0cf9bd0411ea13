// Payload schemas for every topic of the MQTT contract, and the vocabularies they use. One source
// of truth: each vocabulary is a const list (for code that iterates it, e.g. words per reason),
// its type derives from the list, and its TypeBox schema from the list too. The schema gives the
// static type, the runtime validator and the JSON Schema. The topic table is in topics.ts.
import { Type, type Static } from '@sinclair/typebox';
import { CardTail, EventId, Hex64, Id, PatternString } from './patterns.ts';

/** Schema version of every payload on the wire. */
export const PAYLOAD_VERSION = 1;

const V = Type.Literal(PAYLOAD_VERSION);
const Ts = Type.Integer({ minimum: 0, description: 'epoch ms, UTC' });
/** A union of string literals from a const list. */
const oneOf = <T extends string>(list: readonly T[]) => Type.Union(list.map((x) => Type.Literal(x)));

/**
 * Why a known credential opens nothing at all (AclEntry.refused): its member is suspended, or its
 * pass or plan ended (kept in the list for a while so that the door can say so, offline too), or a
 * visiting network member's visit days this month at this site are used (network of spaces).
 */
export const ACL_REFUSALS = ['suspended', 'expired', 'visits-used'] as const;
export type AclRefusal = (typeof ACL_REFUSALS)[number];
/**
 * Why an access decision came out as it did (`ok` for a grant). `unknown-credential`: a card or
 * PIN nobody has (`via` says which); `outside-schedule`: outside the hours of the member's plan;
 * `lockdown`: refused because the door is in lockdown; `lockdown-host`: granted in a lockdown to a
 * host's or operator's own card (they come to handle it), so the feed and audit show who.
 */
export const ACCESS_REASONS = [
  'ok',
  'unknown-credential',
  ...ACL_REFUSALS,
  'door-not-in-plan',
  'outside-schedule',
  'no-access-list',
  'offline-not-allowed',
  'lockdown',
  'lockdown-host',
] as const;
export type AccessReason = (typeof ACCESS_REASONS)[number];
/**
 * Refusals that count as "denied attempts" (someone trying a card or PIN nobody has). A suspended
 * member retrying their own card, or a member outside their hours, is someone known: named in the
 * feed, not an intruder alarm.
 */
export const DENIED_ATTEMPT_REASONS = ['unknown-credential'] as const satisfies readonly AccessReason[];
/** Does this access decision count toward the "denied attempts" alarm? */
export const isDeniedAttempt = (e: { decision: AccessDecision; reason: AccessReason }): boolean =>
  e.decision === 'denied' && (DENIED_ATTEMPT_REASONS as readonly AccessReason[]).includes(e.reason);
/**
 * How a door was asked to open: the credential's kind. `card`, a keypad `pin` (a day or guest
 * pass), `remote` (the app, a host or an automation, through the services), `exit-button` (from
 * inside: always opens, identifies nobody).
 */
export const ACCESS_VIAS = ['card', 'pin', 'remote', 'exit-button'] as const;
export type AccessVia = (typeof ACCESS_VIAS)[number];
export const ACCESS_DECISIONS = ['granted', 'denied'] as const;
export type AccessDecision = (typeof ACCESS_DECISIONS)[number];
/** Door events that are alarms rather than plain activity (also the alarms in a door's state). */
export const ALARM_KINDS = ['held-open', 'forced-open'] as const;
export type DoorAlarm = (typeof ALARM_KINDS)[number];
/** Something that happened to a door itself: opened, closed, alarms, command refused. */
export const DOOR_EVENT_KINDS = ['opened', 'closed', 'relocked', ...ALARM_KINDS, 'command-refused'] as const;
export type DoorEventKind = (typeof DOOR_EVENT_KINDS)[number];
/**
 * What a gateway device is. The health payload carries the kind as a plain string, so that a
 * newer gateway's new kind still reaches operators (shown as sent); these are the ones we name.
 */
export const DEVICE_KINDS = ['card-reader', 'lock', 'door-contact', 'exit-button', 'presence-sensor'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
/**
 * unlock: one grant for unlockMs; lock: relock now; hold: held unlocked until release;
 * lockdown: locked, cards refused, until release; release: back to normal.
 */
/**
 * A device's health as its gateway reports it. `warning`: it works, but something a host should
 * see to is on (an OSDP reader in install mode, on the published key); `error` says what.
 */
export const DEVICE_HEALTH_STATES = ['ok', 'warning', 'fault'] as const;
export type DeviceHealthStateName = (typeof DEVICE_HEALTH_STATES)[number];
export const COMMAND_ACTIONS = ['unlock', 'lock', 'hold', 'release', 'lockdown'] as const;
export type CommandAction = (typeof COMMAND_ACTIONS)[number];

export const GatewayStatus = Type.Object(
  {
    v: V,
    ts: Ts,
    gateway: Id,
    state: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
    /** Version of the access list in use, 0 when none. */
    aclVersion: Type.Optional(Type.Integer({ minimum: 0 })),
    /** True when the access list is older than the offline limit. */
    aclStale: Type.Optional(Type.Boolean()),
    outboxDepth: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Outbox size on disk, bytes. */
    outboxBytes: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Raw readings the full outbox thinned (dropped) so far; events are never dropped. */
    outboxDropped: Type.Optional(Type.Integer({ minimum: 0 })),
    /** True when only credentials whose plan allows offline use open doors (long without the services). */
    offlineOnly: Type.Optional(Type.Boolean()),
    /** Last contact with the services, epoch ms (now while in contact). */
    lastContact: Type.Optional(Ts),
    uptimeS: Type.Optional(Type.Number({ minimum: 0 })),
    /** Rejected inbound payloads per topic kind. */
    rejected: Type.Optional(Type.Record(Type.String(), Type.Integer({ minimum: 0 }))),
    version: Type.Optional(Type.String({ maxLength: 64 })),
    /** Resident set size of the gateway process, bytes (a Pi has little memory to spare). */
    rssBytes: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type GatewayStatus = Static<typeof GatewayStatus>;

export const ServiceStatus = Type.Object(
  {
    v: V,
    ts: Ts,
    service: Id,
    state: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
  },
  { additionalProperties: false },
);
export type ServiceStatus = Static<typeof ServiceStatus>;

export const LockState = Type.Union([Type.Literal('locked'), Type.Literal('unlocked')]);
export const ContactState = Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('unknown')]);
export const DoorMode = Type.Union([Type.Literal('normal'), Type.Literal('held'), Type.Literal('lockdown')]);
export const DoorAlarm = oneOf(ALARM_KINDS);

export const DoorState = Type.Object(
  {
    v: V,
    ts: Ts,
    door: Id,
    lock: LockState,
    contact: ContactState,
    mode: DoorMode,
    alarms: Type.Array(DoorAlarm, { maxItems: 4 }),
    /** When the current unlock ends (epoch ms), if unlocked by a grant. */
    relockAt: Type.Optional(Ts),
  },
  { additionalProperties: false },
);
export type DoorState = Static<typeof DoorState>;

export const AccessDecision = oneOf(ACCESS_DECISIONS);
export const AccessReason = oneOf(ACCESS_REASONS);
export const AccessVia = oneOf(ACCESS_VIAS);

/** An access decision made at a door. Card UIDs never appear: only the fingerprint. */
export const AccessEvent = Type.Object(
  {
    v: V,
    ts: Ts,
    id: EventId,
    type: Type.Literal('access'),
    door: Id,
    gateway: Id,
    decision: AccessDecision,
    reason: AccessReason,
    via: AccessVia,
    member: Type.Optional(Id),
    /** HMAC-SHA256(site key, uid), hex. */
    fingerprint: Type.Optional(Hex64),
    /**
     * Only on a card nobody has (reason unknown-credential, via card): the last characters of its
     * number (contracts/readers.ts cardTail), so that a host enrolling it can tell which card it
     * is. Never for a PIN; never the whole number.
     */
    cardTail: Type.Optional(CardTail),
    /**
     * Only on a card nobody has, at a site in a network of spaces: HMAC(network key, uid), so that
     * a card enrolled by this tap can get a visa (the uid itself never leaves the gateway).
     */
    netFingerprint: Type.Optional(Hex64),
    /** Id of the remote command that caused this, for via = remote. */
    commandId: Type.Optional(EventId),
    /** True when the gateway decided without contact to the services. */
    offline: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type AccessEvent = Static<typeof AccessEvent>;

export const DoorEventKind = oneOf(DOOR_EVENT_KINDS);
export const DoorActivityEvent = Type.Object(
  {
    v: V,
    ts: Ts,
    id: EventId,
    type: Type.Literal('door'),
    door: Id,
    gateway: Id,
    kind: DoorEventKind,
    detail: Type.Optional(Type.String({ maxLength: 200 })),
    commandId: Type.Optional(EventId),
  },
  { additionalProperties: false },
);
export type DoorActivityEvent = Static<typeof DoorActivityEvent>;

export const DoorEvent = Type.Union([AccessEvent, DoorActivityEvent]);
export type DoorEvent = Static<typeof DoorEvent>;

export const CommandAction = oneOf(COMMAND_ACTIONS);

/** A signed door command. `sig` = HMAC-SHA256(gateway key, canonical JSON without sig). */
export const DoorCommand = Type.Object(
  {
    v: V,
    ts: Ts,
    id: EventId,
    door: Id,
    action: CommandAction,
    /** Expiry, epoch ms. The gateway refuses it after this. */
    exp: Ts,
    /** Member id on whose behalf (for the access event). */
    member: Type.Optional(Id),
    sig: Hex64,
  },
  { additionalProperties: false },
);
export type DoorCommand = Static<typeof DoorCommand>;

/** osdp-enrol: key an OSDP reader in install mode (a fresh key made on the gateway, never sent). */
export const DEVICE_COMMAND_ACTIONS = ['osdp-enrol'] as const;
export type DeviceCommandAction = (typeof DEVICE_COMMAND_ACTIONS)[number];
/**
 * Why a device command failed. Refused before it ran: `bad-signature`, `expired`,
 * `expiry-too-far`, `replay`, `unknown-device` (not this gateway's), `not-supported` (not an OSDP
 * reader), `busy` (one is running), `cannot-save-key` (the gateway cannot write its secrets
 * file). Ran and failed: `offline` (the reader does not answer), `not-install-mode` (it refused
 * the install key: it has a key already, or is not in install mode), `no-secure-channel` (it
 * offers none), `line-error` (noise or tampering on the line). `timeout`: the services heard no
 * result from the gateway in time.
 */
export const DEVICE_COMMAND_FAILURES = [
  'bad-signature',
  'expired',
  'expiry-too-far',
  'replay',
  'unknown-device',
  'not-supported',
  'busy',
  'cannot-save-key',
  'offline',
  'not-install-mode',
  'no-secure-channel',
  'line-error',
  'timeout',
] as const;
export type DeviceCommandFailure = (typeof DEVICE_COMMAND_FAILURES)[number];

/** A signed command for one device of a gateway; `sig` as for door commands (the gateway's key). */
export const DeviceCommand = Type.Object(
  {
    v: V,
    ts: Ts,
    id: EventId,
    device: Id,
    action: oneOf(DEVICE_COMMAND_ACTIONS),
    /** Expiry, epoch ms. The gateway refuses it after this. */
    exp: Ts,
    sig: Hex64,
  },
  { additionalProperties: false },
);
export type DeviceCommand = Static<typeof DeviceCommand>;

/** What became of a device command, from the gateway that has the device. Never carries a key. */
export const DeviceCommandResult = Type.Object(
  {
    v: V,
    ts: Ts,
    device: Id,
    gateway: Id,
    /** The command's id. */
    command: EventId,
    action: oneOf(DEVICE_COMMAND_ACTIONS),
    ok: Type.Boolean(),
    reason: Type.Optional(oneOf(DEVICE_COMMAND_FAILURES)),
  },
  { additionalProperties: false },
);
export type DeviceCommandResult = Static<typeof DeviceCommandResult>;

export const DeskOccupancy = Type.Object(
  {
    v: V,
    ts: Ts,
    desk: Id,
    /** null: unknown (every presence sensor of the desk in fault, or none has reported yet). */
    occupied: Type.Union([Type.Boolean(), Type.Null()]),
    /** When this state began, epoch ms. */
    since: Ts,
  },
  { additionalProperties: false },
);
export type DeskOccupancy = Static<typeof DeskOccupancy>;

export const SensorReading = Type.Object(
  {
    v: V,
    ts: Ts,
    sensor: Id,
    kind: Type.String({ minLength: 1, maxLength: 32 }),
    value: Type.Number(),
    unit: Type.Optional(Type.String({ maxLength: 16 })),
  },
  { additionalProperties: false },
);
export type SensorReading = Static<typeof SensorReading>;

export const DeviceHealth = Type.Object(
  {
    v: V,
    ts: Ts,
    device: Id,
    gateway: Type.Optional(Id),
    kind: Type.String({ minLength: 1, maxLength: 32 }),
    state: oneOf(DEVICE_HEALTH_STATES),
    lastSeen: Type.Optional(Ts),
    /** Why it is in fault, or (warning) what to see to, in words. */
    error: Type.Optional(Type.String({ maxLength: 200 })),
    firmware: Type.Optional(Type.String({ maxLength: 64 })),
    /** Frames dropped (bad checksum, garbage) since start. */
    dropped: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Bytes discarded by the codec (noise between frames, bytes of dropped frames) since start. */
    droppedBytes: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type DeviceHealth = Static<typeof DeviceHealth>;

/** A weekly time window in the site's time zone. days: 1 = Monday … 7 = Sunday. */
export const TimeWindow = Type.Object(
  {
    days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7 }),
    from: PatternString('timeFrom'),
    to: PatternString('timeTo'),
  },
  { additionalProperties: false },
);
export type TimeWindow = Static<typeof TimeWindow>;

export const AclEntry = Type.Object(
  {
    /**
     * Credential fingerprint, hex HMAC-SHA256(site key, uid). A keypad PIN is a credential too:
     * its fingerprint is that of the uid `PIN:<digits>`; the PIN itself never leaves the services.
     */
    fp: Hex64,
    member: Id,
    doors: Type.Array(Id),
    /** Empty or absent: any time. */
    windows: Type.Optional(Type.Array(TimeWindow)),
    /** May this credential open doors when the list is stale (gateway long offline)? */
    offline: Type.Boolean(),
    /**
     * Epoch ms after which this entry must not open doors (end of a pass or plan's validity, or a
     * closure starting). The services also recompile at that moment; this covers a gateway that
     * is offline then.
     */
    until: Type.Optional(Ts),
    /**
     * Epoch ms before which this entry must not open doors: a booking's window (with its grace)
     * starts then (issue 16). A fingerprint may have several entries (its plan's and one per
     * booking): the gateway grants if any entry grants, and a `refused` one refuses them all.
     */
    from: Type.Optional(Ts),
    /**
     * Present: a known credential that opens no door, and why (a suspended member, a pass or plan
     * that ended): the gateway refuses it with this reason and the member, offline too, instead
     * of "unknown". `doors` is then empty. Carries no more than a live entry does.
     */
    refused: Type.Optional(oneOf(ACL_REFUSALS)),
    /**
     * Present: a host's or operator's own card (not a pass or PIN). It opens a door in lockdown,
     * where every other credential is refused, when it would open the door anyway (its doors,
     * hours, offline rule); the event says `lockdown-host`.
     */
    host: Type.Optional(Type.Literal(true)),
  },
  { additionalProperties: false },
);
export type AclEntry = Static<typeof AclEntry>;

/** The signed access list for one gateway. `sig` as for commands. */
export const AccessList = Type.Object(
  {
    v: V,
    ts: Ts,
    gateway: Id,
    version: Type.Integer({ minimum: 1 }),
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    entries: Type.Array(AclEntry),
    sig: Hex64,
  },
  { additionalProperties: false },
);
export type AccessList = Static<typeof AccessList>;
