// The alert centre (services/alerts): one store of alerts for the dashboard, Node-RED and the
// channels (e-mail, web push, webhooks). Node-RED's rules raise and clear alerts with the
// automation token; hosts see them live and acknowledge them; each host chooses kinds, channels
// and quiet hours. An alert is active from raised to cleared; raising an active one again counts
// it (no second alert, no second delivery).
import { Type, type Static } from '@sinclair/typebox';
import { BoundedInt, Id, strictObject } from './common.ts';
import { PATTERNS } from '../patterns.ts';
import { SuspectReasonSchema } from './sensors.ts';

export const ALERT_KINDS = [
  'forced-open',
  'held-open',
  'gateway-offline',
  'capacity',
  'denied',
  'device-fault',
  'rule-failed',
  'sensor-suspect',
  'automation-offline',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_SEVERITIES = ['critical', 'warning'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
/** Where a host's alerts go besides the dashboard. Webhooks are the site's (config `alerts.webhooks`), not a host's. */
export const ALERT_CHANNELS = ['email', 'push'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];
/** Webhook bodies: plain JSON (Home Assistant, anything), Slack/Teams/Mattermost incoming webhooks, ntfy. */
export const WEBHOOK_FORMATS = ['json', 'slack', 'ntfy'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
export const DELIVERY_STATES = ['pending', 'held', 'sent', 'failed'] as const;

const literals = <T extends string>(names: readonly T[]) => Type.Union(names.map((n) => Type.Literal(n)));
export const AlertKindSchema = literals(ALERT_KINDS);
export const AlertSeveritySchema = literals(ALERT_SEVERITIES);

/** The default severity of each kind when a rule does not say. */
export const ALERT_SEVERITY: Record<AlertKind, AlertSeverity> = {
  'forced-open': 'critical',
  'gateway-offline': 'critical',
  'held-open': 'warning',
  capacity: 'warning',
  denied: 'warning',
  'device-fault': 'warning',
  'rule-failed': 'warning',
  'sensor-suspect': 'warning',
  // While Node-RED is gone, nothing raises the other alerts (forced open, gateway gone): urgent.
  'automation-offline': 'critical',
};

/** Numbers a rule measured, shown in the words of the alert. */
export const AlertDetail = Type.Object(
  {
    occupied: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    capacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    attempts: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    windowS: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
    openS: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 * 7 })),
    /** sensor-suspect: why (contracts/api/sensors.ts SUSPECT_REASONS). */
    reason: Type.Optional(SuspectReasonSchema),
  },
  strictObject,
);
export type AlertDetail = Static<typeof AlertDetail>;

/** `POST /api/alerts` (automation, operators): raise an alert, or clear the active one of the same kind and subject. */
export const RaiseAlertBody = Type.Object(
  {
    kind: AlertKindSchema,
    severity: Type.Optional(AlertSeveritySchema),
    door: Type.Optional(Id),
    zone: Type.Optional(Id),
    gateway: Type.Optional(Id),
    /** A desk (its sensor): the services' own sensor check raises these. */
    desk: Type.Optional(Id),
    detail: Type.Optional(AlertDetail),
    /** The rule's own words (English, for the channels' fallback and the audit), e.g. a rule's error. */
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 300, pattern: PATTERNS.name })),
    /** true: the condition is over; clears the active alert of this kind and subject (nothing when none). */
    clear: Type.Optional(Type.Boolean()),
  },
  strictObject,
);
export type RaiseAlertBody = Static<typeof RaiseAlertBody>;

export const AlertDelivery = Type.Object({
  channel: Type.Union([...ALERT_CHANNELS.map((c) => Type.Literal(c)), Type.Literal('webhook')]),
  /** Who or where, masked: a host's name, a webhook's id. */
  target: Type.String(),
  state: literals(DELIVERY_STATES),
  attempts: Type.Integer(),
  /** Why the last attempt failed (never a secret). */
  error: Type.Union([Type.String(), Type.Null()]),
});
export type AlertDelivery = Static<typeof AlertDelivery>;

export const AlertView = Type.Object({
  id: Type.Integer(),
  kind: AlertKindSchema,
  severity: AlertSeveritySchema,
  /** What it is about: `door:front`, `zone:open-office`, `gateway:gw-main`, `desk:d01`, or `site`. */
  subject: Type.String(),
  door: Type.Union([Id, Type.Null()]),
  zone: Type.Union([Id, Type.Null()]),
  gateway: Type.Union([Id, Type.Null()]),
  /** The door's, zone's or gateway's name (else the id). */
  name: Type.String(),
  detail: AlertDetail,
  text: Type.Union([Type.String(), Type.Null()]),
  raisedAt: Type.Integer(),
  /** How often it was raised while active, and when last. */
  count: Type.Integer(),
  lastAt: Type.Integer(),
  clearedAt: Type.Union([Type.Integer(), Type.Null()]),
  ackedAt: Type.Union([Type.Integer(), Type.Null()]),
  ackedBy: Type.Union([Type.String(), Type.Null()]),
  ackedByName: Type.Union([Type.String(), Type.Null()]),
  deliveries: Type.Array(AlertDelivery),
});
export type AlertView = Static<typeof AlertView>;

export const AlertsQuery = Type.Object(
  {
    /** true: active only (not cleared); false or absent: recent ones too. */
    active: Type.Optional(Type.Boolean()),
    limit: Type.Optional(BoundedInt({ minimum: 1, maximum: 500, default: 100 })),
  },
  strictObject,
);
export type AlertsQuery = Static<typeof AlertsQuery>;

/** HH:MM, site time. */
const ClockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });

/** A host's choices (`GET/PUT /api/me/alert-prefs`). Quiet hours hold back warnings until they end; critical ones go out at once. */
export const AlertPrefs = Type.Object(
  {
    kinds: Type.Array(AlertKindSchema, { maxItems: ALERT_KINDS.length, uniqueItems: true }),
    channels: Type.Array(literals(ALERT_CHANNELS), { maxItems: ALERT_CHANNELS.length, uniqueItems: true }),
    /** From `start` to `end` (across midnight when end < start); null: none. */
    quiet: Type.Union([Type.Object({ start: ClockTime, end: ClockTime }, strictObject), Type.Null()]),
  },
  strictObject,
);
export type AlertPrefs = Static<typeof AlertPrefs>;

/** A browser's push subscription (PushSubscription.toJSON()), `PUT /api/me/push`. */
export const PushSubscriptionBody = Type.Object({
  endpoint: Type.String({ pattern: '^https?://', maxLength: 1000 }),
  expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  keys: Type.Object({ p256dh: Type.String({ minLength: 1, maxLength: 200 }), auth: Type.String({ minLength: 1, maxLength: 100 }) }),
});
export type PushSubscriptionBody = Static<typeof PushSubscriptionBody>;

/** `GET /api/alerts/push-key`: the VAPID public key the browser subscribes with (null: push not set up). */
export const PushKey = Type.Object({ publicKey: Type.Union([Type.String(), Type.Null()]) });
export type PushKey = Static<typeof PushKey>;
