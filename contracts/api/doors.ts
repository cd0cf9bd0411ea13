// Doors: their state, the Unlock button and door commands.
import { Type, type Static } from '@sinclair/typebox';
import { CommandAction, DoorState } from '../payloads.ts';
import { Id, Reason, strictObject } from './common.ts';

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

export const UnlockAccepted = Type.Object({
  commandId: Type.String(),
  action: CommandAction,
  /** The command is void after this (epoch ms). */
  exp: Type.Integer(),
});
export type UnlockAccepted = Static<typeof UnlockAccepted>;

export const DoorCommandBody = Type.Object({ action: CommandAction, reason: Type.Optional(Reason) }, strictObject);
export type DoorCommandBody = Static<typeof DoorCommandBody>;
