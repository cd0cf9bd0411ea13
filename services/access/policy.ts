// May this member open this door now? The same rule the gateway applies to a card, for
// remote unlocks and for the dashboard's canUnlock.
import { withinWindows } from '../../contracts/schedule.ts';
import type { Member, Plan } from '../db/members-repo.ts';

export type UnlockRefusal = 'inactive' | 'no-plan' | 'door-not-in-plan' | 'outside-schedule';

/** null when allowed, else why not. */
export function unlockRefusal(member: Member, plan: Plan | undefined, door: string, timeZone: string, now: number): UnlockRefusal | null {
  if (!member.active) return 'inactive';
  if (!plan) return 'no-plan';
  if (!plan.doors.includes(door)) return 'door-not-in-plan';
  if (!withinWindows(plan.windows, timeZone, now)) return 'outside-schedule';
  return null;
}

export function canUnlock(member: Member, plan: Plan | undefined, door: string, timeZone: string, now: number): boolean {
  return unlockRefusal(member, plan, door, timeZone, now) === null;
}
