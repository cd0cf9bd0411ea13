// What a door card says about a door. Unknown wins over any last state: a door whose gateway
// is offline is never shown as locked. An alarm (forced or held open) is its own state, in red;
// a door simply open after an unlock or the exit button is not an alarm and is not red.
import type { DoorView } from '../../../contracts/api/index.ts';
import type { DoorState } from '../../../contracts/payloads.ts';
import { t } from '../words/locale.ts';

export type DoorStatus = 'locked' | 'unlocked' | 'open' | 'alarm' | 'unknown';

export function doorStatus(door: DoorView): DoorStatus {
  if (!door.gatewayOnline || !door.state) return 'unknown';
  if (door.state.alarms.length > 0) return 'alarm';
  if (door.state.contact === 'open') return 'open';
  return door.state.lock === 'unlocked' ? 'unlocked' : 'locked';
}

/** The lock as far as we know it: undefined when unknown. */
export function knownLock(door: DoorView): 'locked' | 'unlocked' | undefined {
  return door.gatewayOnline && door.state ? door.state.lock : undefined;
}

/** Why the state is unknown; empty when it is known. */
export function unknownReason(door: DoorView): string {
  if (!door.gatewayOnline) return t().door.gatewayOffline;
  if (!door.state) return t().door.noReport;
  return '';
}

export interface DoorNote {
  text: string;
  /** An alarm (forced or held open) rather than a mode someone chose. */
  alarm: boolean;
}

/** The worse alarm first. */
const ALARM_ORDER: readonly DoorState['alarms'][number][] = ['forced-open', 'held-open'];

/** Alarms first, then unusual modes (held unlocked, lockdown). Empty when all is normal. */
export function doorNotes(door: DoorView): DoorNote[] {
  const state = door.gatewayOnline ? door.state : null;
  if (!state) return [];
  const m = t().door;
  const notes: DoorNote[] = [];
  for (const alarm of ALARM_ORDER) if (state.alarms.includes(alarm)) notes.push({ text: m.alarms[alarm], alarm: true });
  if (state.mode === 'held') notes.push({ text: m.modeHeld, alarm: false });
  if (state.mode === 'lockdown') notes.push({ text: m.modeLockdown, alarm: false });
  return notes;
}
