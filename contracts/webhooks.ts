// Outgoing webhooks (services/webhooks): one signed HTTP POST per event to each subscription that
// takes its kind, so a booking tool or a chat can follow the space without MQTT. Signed as the
// Standard Webhooks spec says (https://www.standardwebhooks.com): headers `webhook-id`,
// `webhook-timestamp` (seconds) and `webhook-signature` = `v1,` + base64(HMAC-SHA256(key,
// `${id}.${timestamp}.${body}`)), the key being the base64 after `whsec_` of the secret, so a
// receiver can check it with an existing library. The body is `WebhookPayload`: versioned (`v`),
// never a card number or fingerprint, never a member id; a member's name only with
// `webhooks.names` in the site config.
import { Type, type Static } from '@sinclair/typebox';
import { Id } from './patterns.ts';
import { ACCESS_REASONS, ACCESS_VIAS, ALARM_KINDS } from './payloads.ts';
import { ALERT_KINDS, ALERT_SEVERITIES } from './api/alerts.ts';

export const WEBHOOK_EVENT_KINDS = [
  'access.granted',
  'access.denied',
  'door.opened',
  'door.closed',
  'alarm.raised',
  'alarm.cleared',
  'occupancy.changed',
  'device.fault',
  'alert',
] as const;
export type WebhookEventKind = (typeof WEBHOOK_EVENT_KINDS)[number];

/** The secret a subscription signs with: `whsec_` and base64 of at least 24 bytes (Standard Webhooks). */
export const WEBHOOK_SECRET_PATTERN = '^whsec_[A-Za-z0-9+/]{32,}={0,2}$';
/** The version of the payload below; a change a receiver must know about makes it 2. */
export const WEBHOOK_PAYLOAD_VERSION = 1;

const lit = <T extends string>(names: readonly T[]) => Type.Union(names.map((n) => Type.Literal(n)));
const Name = Type.String({ maxLength: 100 });

export const WebhookAccessData = Type.Object({
  /** The door event's id (the same in the event log and the history). */
  event: Type.String(),
  door: Id,
  doorName: Name,
  gateway: Id,
  reason: lit(ACCESS_REASONS),
  via: lit(ACCESS_VIAS),
  offline: Type.Boolean(),
  /** Only with `webhooks.names: true` and a known member. */
  member: Type.Optional(Name),
});
export const WebhookDoorData = Type.Object({ event: Type.String(), door: Id, doorName: Name, gateway: Id });
export const WebhookAlarmData = Type.Object({ door: Id, doorName: Name, alarm: lit(ALARM_KINDS) });
export const WebhookOccupancyData = Type.Object({
  zone: Id,
  zoneName: Name,
  /** The desk that changed; null: unknown (its sensors in fault). */
  desk: Id,
  occupied: Type.Union([Type.Boolean(), Type.Null()]),
  /** The zone after the change. */
  desks: Type.Integer(),
  taken: Type.Integer(),
  free: Type.Integer(),
});
export const WebhookDeviceData = Type.Object({
  device: Id,
  gateway: Type.Union([Id, Type.Null()]),
  kind: Type.String(),
  error: Type.Union([Type.String(), Type.Null()]),
});
export const WebhookAlertData = Type.Object({
  id: Type.Integer(),
  kind: lit(ALERT_KINDS),
  severity: lit(ALERT_SEVERITIES),
  subject: Type.String(),
  name: Name,
  status: lit(['raised', 'acknowledged', 'cleared'] as const),
  raisedAt: Type.String({ description: 'ISO 8601, UTC' }),
});

const payload = <K extends WebhookEventKind, D extends ReturnType<typeof Type.Object>>(kinds: readonly K[], data: D) =>
  Type.Object({
    v: Type.Literal(WEBHOOK_PAYLOAD_VERSION),
    type: lit(kinds),
    /** When it happened, ISO 8601 (the signature's timestamp is when it was sent). */
    timestamp: Type.String({ description: 'ISO 8601, UTC' }),
    site: Id,
    data,
  });

/** The body of every webhook POST. */
export const WebhookPayload = Type.Union([
  payload(['access.granted', 'access.denied'], WebhookAccessData),
  payload(['door.opened', 'door.closed'], WebhookDoorData),
  payload(['alarm.raised', 'alarm.cleared'], WebhookAlarmData),
  payload(['occupancy.changed'], WebhookOccupancyData),
  payload(['device.fault'], WebhookDeviceData),
  payload(['alert'], WebhookAlertData),
]);
export type WebhookPayload = Static<typeof WebhookPayload>;
