// Desk sensors checked against the door (services/sensors): a desk sensor whose reports do not
// fit what the doors and the other sensors say is SUSPECT, with a reason and the numbers that
// made it so. A suspect desk's time is left out of analytics from `since` until a host confirms
// the sensor is fine (`POST /api/sensors/:id/confirm`) or it recovers on its own.
import { Type, type Static } from '@sinclair/typebox';
import { Id, strictObject } from './common.ts';

/**
 * `stuck-occupied`: occupied for hours while nobody passed a door and no other sensor saw anyone
 * (a stuck PIR). `never-occupied`: never occupied for days while its zone was busy (a dead
 * battery, a radar aimed wrong). `flapping`: changes many times an hour, hour after hour (a
 * radar seeing a fan).
 */
export const SUSPECT_REASONS = ['stuck-occupied', 'never-occupied', 'flapping'] as const;
export type SuspectReason = (typeof SUSPECT_REASONS)[number];
export const SuspectReasonSchema = Type.Union(SUSPECT_REASONS.map((r) => Type.Literal(r)));

/** The numbers behind a suspicion (those of its reason). */
export const SuspectEvidence = Type.Object(
  {
    /** stuck-occupied: hours occupied without a break, and hours of it with no door passage and no other sensor occupied. */
    occupiedHours: Type.Optional(Type.Number({ minimum: 0 })),
    quietHours: Type.Optional(Type.Number({ minimum: 0 })),
    /** never-occupied: days looked at, and days of them its zone was busy. */
    days: Type.Optional(Type.Integer({ minimum: 0 })),
    busyDays: Type.Optional(Type.Integer({ minimum: 0 })),
    /** flapping: changes in the busiest hour, and hours in a row above the limit. */
    changesPerHour: Type.Optional(Type.Integer({ minimum: 0 })),
    hours: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  strictObject,
);
export type SuspectEvidence = Static<typeof SuspectEvidence>;

export const SensorSuspectView = Type.Object({
  desk: Id,
  /** The desk's name and zone, from the site. */
  name: Type.String(),
  zone: Id,
  reason: SuspectReasonSchema,
  /** From when its reports are left out of analytics (epoch ms). */
  since: Type.Integer(),
  /** When the check first found it (epoch ms). */
  detectedAt: Type.Integer(),
  evidence: SuspectEvidence,
});
export type SensorSuspectView = Static<typeof SensorSuspectView>;

/** `POST /api/sensors/:id/confirm`: the host checked the desk and the sensor is fine. */
export const ConfirmSensorBody = Type.Object(
  {
    /** true: count the suspect time again too (the sensor was right all along); false (default): count from now. */
    backfill: Type.Optional(Type.Boolean()),
  },
  strictObject,
);
export type ConfirmSensorBody = Static<typeof ConfirmSensorBody>;
