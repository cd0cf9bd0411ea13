// What a door card says about a door. Unknown wins over any last state: a door whose gateway
// is offline is never shown as locked.
import type { DoorView } from '../../contracts/api.ts';

export type DoorStatus = 'locked' | 'unlocked' | 'open' | 'unknown';

export const DOOR_STATUS_WORDS: Record<DoorStatus, string> = {
  locked: 'Locked',
  unlocked: 'Unlocked',
  open: 'Open',
  unknown: 'Unknown',
};

export function doorStatus(door: DoorView): DoorStatus {
  if (!door.gatewayOnline || !door.state) return 'unknown';
  if (door.state.contact === 'open') return 'open';
  return door.state.lock === 'unlocked' ? 'unlocked' : 'locked';
}

/** The lock as far as we know it: undefined when unknown. */
export function knownLock(door: DoorView): 'locked' | 'unlocked' | undefined {
  return door.gatewayOnline && door.state ? door.state.lock : undefined;
}

/** A second line for the card: why it is unknown, alarms, unusual modes. Empty when nothing to add. */
export function doorDetail(door: DoorView): string {
  if (!door.gatewayOnline) return 'The door’s gateway is offline: state not known. Cards still work at the door.';
  if (!door.state) return 'No report from the door yet.';
  const notes: string[] = [];
  if (door.state.alarms.includes('forced-open')) notes.push('Forced open');
  if (door.state.alarms.includes('held-open')) notes.push('Held open too long');
  if (door.state.mode === 'held') notes.push('Held unlocked');
  if (door.state.mode === 'lockdown') notes.push('Lockdown');
  return notes.join(' · ');
}
