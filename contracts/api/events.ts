// Door events, paged newest first (GET /api/events).
import { Type, type Static } from '@sinclair/typebox';
import { AccessDecision, AccessReason, AccessVia, DoorEventKind } from '../payloads.ts';
import { BoundedInt, Id } from './common.ts';
import { CardTail } from '../patterns.ts';

export const EventView = Type.Object({
  id: Type.String(),
  ts: Type.Integer(),
  door: Id,
  doorName: Type.String(),
  type: Type.Union([Type.Literal('access'), Type.Literal('door')]),
  decision: Type.Optional(AccessDecision),
  reason: Type.Optional(AccessReason),
  via: Type.Optional(AccessVia),
  /** A card nobody has: the end of its number, as the gateway sent it ("…0A01" on the card). */
  cardTail: Type.Optional(CardTail),
  kind: Type.Optional(DoorEventKind),
  /** Shown only to hosts and operators, to the member themself, or when the member opted in. */
  memberName: Type.Optional(Type.String()),
  /**
   * A network member of another space let in on its visa: that space's name (never the person).
   * Shown only to hosts and operators.
   */
  visitorFrom: Type.Optional(Type.String()),
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
    limit: Type.Optional(BoundedInt({ minimum: 1, maximum: 200, default: 50 })),
    before: Type.Optional(Type.String({ maxLength: 100 })),
    door: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type EventQuery = Static<typeof EventQuery>;
