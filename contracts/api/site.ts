// The site, its desks and zones (GET /api/site, /api/desks, /api/zones…).
import { Type, type Static } from '@sinclair/typebox';
import { Id } from './common.ts';

export const SiteView = Type.Object({
  id: Id,
  name: Type.String(),
  timeZone: Type.String(),
  floor: Type.Object({ width: Type.Number(), height: Type.Number() }),
  zones: Type.Array(Type.Object({ id: Id, name: Type.String(), capacity: Type.Optional(Type.Integer()) })),
});
export type SiteView = Static<typeof SiteView>;

export const DeskView = Type.Object({
  id: Id,
  name: Type.String(),
  zone: Id,
  x: Type.Number(),
  y: Type.Number(),
  /** null: unknown (never reported, every sensor of the desk in fault, or its gateway offline). */
  occupied: Type.Union([Type.Boolean(), Type.Null()]),
  since: Type.Union([Type.Integer(), Type.Null()]),
});
export type DeskView = Static<typeof DeskView>;

export const ZoneView = Type.Object({ id: Id, name: Type.String(), capacity: Type.Union([Type.Integer(), Type.Null()]), desks: Type.Integer() });
export type ZoneView = Static<typeof ZoneView>;

/** `GET /api/zones/occupancy`: desks occupied now per zone, and desks whose state is unknown. */
export const ZoneOccupancy = Type.Object({
  zone: Id,
  name: Type.String(),
  occupied: Type.Integer(),
  /** Desks whose state is unknown (sensors in fault, gateway offline, never reported): not free. */
  unknown: Type.Integer(),
  capacity: Type.Union([Type.Integer(), Type.Null()]),
  desks: Type.Integer(),
});
export type ZoneOccupancy = Static<typeof ZoneOccupancy>;
