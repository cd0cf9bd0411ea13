// Compiles the access list of one gateway: active members × live credentials × their plan's
// doors that this gateway drives. Pure; the caller adds version, ts and signature.
import type { AclEntry } from '../../contracts/payloads.ts';
import type { Grant, Plan } from '../db/members-repo.ts';

export function compileEntries(grants: readonly Grant[], plans: ReadonlyMap<string, Plan>, gatewayDoors: ReadonlySet<string>): AclEntry[] {
  const entries: AclEntry[] = [];
  for (const g of grants) {
    const plan = plans.get(g.plan);
    if (!plan) continue;
    const doors = plan.doors.filter((d) => gatewayDoors.has(d)).sort();
    if (doors.length === 0) continue;
    const entry: AclEntry = { fp: g.fingerprint, member: g.member, doors, offline: plan.offline };
    if (plan.windows.length > 0) entry.windows = plan.windows;
    entries.push(entry);
  }
  // Stable order: the same members give the same bytes.
  return entries.sort((a, b) => (a.fp < b.fp ? -1 : a.fp > b.fp ? 1 : 0));
}
