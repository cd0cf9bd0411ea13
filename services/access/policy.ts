// May this member open this door now? The same rule the gateway applies to a card (plus what
// only the services know: validity dates and closures), for remote unlocks and canUnlock.
import { withinWindows } from '../../contracts/schedule.ts';
import type { Member } from '../db/members-repo.ts';
import type { Plan, Closure } from '../db/plans-repo.ts';
import { dateRangeBounds } from '../../contracts/local-time.ts';

export type UnlockRefusal = 'inactive' | 'no-plan' | 'plan-not-valid' | 'closed' | 'door-not-in-plan' | 'outside-schedule';

export interface PolicyContext {
  timeZone: string;
  now: number;
  closures: readonly Closure[];
}

/** True when `plan` is inside its validity dates and no closure holds for it at `now`. */
export function planOpen(plan: Plan, ctx: PolicyContext): 'plan-not-valid' | 'closed' | null {
  const v = dateRangeBounds(plan.validFrom, plan.validTo, ctx.timeZone);
  if (ctx.now < v.start || ctx.now >= v.end) return 'plan-not-valid';
  for (const c of ctx.closures) {
    if (c.plans.length > 0 && !c.plans.includes(plan.id)) continue;
    const b = dateRangeBounds(c.from, c.to, ctx.timeZone);
    if (b.start <= ctx.now && ctx.now < b.end) return 'closed';
  }
  return null;
}

/** null when allowed, else why not. */
export function unlockRefusal(member: Member, plan: Plan | undefined, door: string, ctx: PolicyContext): UnlockRefusal | null {
  if (!member.active) return 'inactive';
  if (!plan) return 'no-plan';
  const open = planOpen(plan, ctx);
  if (open) return open;
  if (!plan.doors.includes(door)) return 'door-not-in-plan';
  if (!withinWindows(plan.windows, ctx.timeZone, ctx.now)) return 'outside-schedule';
  return null;
}

export function canUnlock(member: Member, plan: Plan | undefined, door: string, ctx: PolicyContext): boolean {
  return unlockRefusal(member, plan, door, ctx) === null;
}
