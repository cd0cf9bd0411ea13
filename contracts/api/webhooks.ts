// The outgoing webhooks' API (services/webhooks): hosts and operators see each subscription's
// health and the dead letters (deliveries given up), and send them again or delete them. The
// URL is a secret (it often carries a token): only its host is shown.
import { Type, type Static } from '@sinclair/typebox';
import { BoundedInt, Id, strictObject } from './common.ts';
import { WEBHOOK_EVENT_KINDS } from '../webhooks.ts';

const Ts = Type.Integer({ description: 'epoch ms' });
const OptionalTs = Type.Union([Ts, Type.Null()]);

export const WebhookSubscriptionView = Type.Object({
  id: Id,
  kinds: Type.Array(Type.Union(WEBHOOK_EVENT_KINDS.map((k) => Type.Literal(k)))),
  /** The target's host (and port): the rest of the URL stays in the secrets file. */
  host: Type.String(),
  /** Waiting to be sent (in order). */
  pending: Type.Integer({ minimum: 0 }),
  dead: Type.Integer({ minimum: 0 }),
  delivered: Type.Integer({ minimum: 0 }),
  lastOkAt: OptionalTs,
  lastErrorAt: OptionalTs,
  lastError: Type.Union([Type.String(), Type.Null()]),
  /** Failed attempts since the last success. */
  failures: Type.Integer({ minimum: 0 }),
});
export type WebhookSubscriptionView = Static<typeof WebhookSubscriptionView>;

export const DeadLetterView = Type.Object({
  id: Type.Integer(),
  subscription: Id,
  type: Type.String(),
  /** The `webhook-id` header: the same on every attempt, so a receiver can drop a repeat. */
  messageId: Type.String(),
  createdAt: Ts,
  attempts: Type.Integer({ minimum: 0 }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  deadAt: OptionalTs,
});
export type DeadLetterView = Static<typeof DeadLetterView>;

export const DeadLettersQuery = Type.Object({ limit: Type.Optional(BoundedInt({ minimum: 1, maximum: 500, default: 100 })) }, strictObject);
export const RetriedLetters = Type.Object({ retried: Type.Integer({ minimum: 0 }) });
export type RetriedLetters = Static<typeof RetriedLetters>;
