// The emergency state of the site as the doors report it: which doors are in lockdown (locked,
// members' cards refused until released, hosts' own cards still open) and which are held open
// (unlocked until released). Only what a door itself said counts: a door behind an offline gateway is in neither list but in `unknown`.
import type { DoorView } from '../../../contracts/api/index.ts';

export interface EmergencyState {
  lockdown: DoorView[];
  held: DoorView[];
  /** Doors whose mode is not known now (gateway offline or never heard). */
  unknown: DoorView[];
}

export function emergencyState(doors: readonly DoorView[]): EmergencyState {
  const s: EmergencyState = { lockdown: [], held: [], unknown: [] };
  for (const d of doors) {
    if (!d.gatewayOnline || !d.state) s.unknown.push(d);
    else if (d.state.mode === 'lockdown') s.lockdown.push(d);
    else if (d.state.mode === 'held') s.held.push(d);
  }
  return s;
}

export const emergencyActive = (s: EmergencyState): boolean => s.lockdown.length > 0 || s.held.length > 0;
