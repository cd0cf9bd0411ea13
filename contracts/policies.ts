// Rules that the services enforce and the dashboard shows before asking: written once here.
// Plain TypeScript (the dashboard bundles it).
import type { Role } from './api/common.ts';

/** Each role includes the ones before it. */
export const ROLE_RANK: Record<Role, number> = { member: 0, host: 1, operator: 2 };

/** Does `role` include `needed` (an operator is a host is a member)? */
export const hasRole = (role: Role, needed: Role): boolean => ROLE_RANK[role] >= ROLE_RANK[needed];

interface Person {
  id: string;
  role: Role;
}

/**
 * May `caller` manage `target` (details, cards, passes, enrolment)? Operators anyone; hosts
 * members and themselves; members nobody but themselves.
 */
export function mayManage(caller: Person, target: Person): boolean {
  return caller.role === 'operator' || (target.role === 'member' && hasRole(caller.role, 'host')) || caller.id === target.id;
}
