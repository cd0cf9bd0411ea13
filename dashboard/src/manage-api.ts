// The administration calls the members and plans screens make: each a route of the catalogue
// (contracts/routes.ts), so paths, bodies and replies are the services' own.
import type { MemberQuery, MemberView, Role } from '../../contracts/api/index.ts';
import { mayManage as mayManagePolicy } from '../../contracts/policies.ts';
import type { RouteBody } from '../../contracts/route-schemas.ts';
import { call } from './api.ts';

/**
 * May a viewer with `role` and id `meId` change member `m` (details, cards, passes)? Operators
 * anyone; hosts members and themselves — the services' rule (contracts/policies.ts).
 */
export function mayManage(role: Role, meId: string, m: Pick<MemberView, 'id' | 'role'>): boolean {
  return mayManagePolicy({ id: meId, role }, m);
}

/** A members page's query: only what is set, in a stable order. */
export function memberQueryValues(q: MemberQuery): MemberQuery {
  const search = q.q?.trim();
  return { q: search || undefined, status: q.status, role: q.role, plan: q.plan, limit: q.limit, offset: q.offset || undefined };
}

/** The query string for a members page. */
export function memberQuery(q: MemberQuery): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(memberQueryValues(q))) if (v !== undefined) p.set(k, String(v));
  return p.toString();
}

export const manageApi = {
  members: (q: MemberQuery) => call('members', { query: memberQueryValues(q) }),
  member: (memberId: string) => call('member', { params: { id: memberId } }),
  addMember: (body: RouteBody<'addMember'>) => call('addMember', { body }),
  changeMember: (memberId: string, body: RouteBody<'changeMember'>) => call('changeMember', { params: { id: memberId }, body }),
  eraseMember: (memberId: string) => call('eraseMember', { params: { id: memberId }, body: { confirm: 'erase' } }),
  issuePass: (body: RouteBody<'issuePass'>) => call('issuePass', { body }),
  plans: () => call('plans'),
  addPlan: (body: RouteBody<'addPlan'>) => call('addPlan', { body }),
  changePlan: (planId: string, body: RouteBody<'changePlan'>) => call('changePlan', { params: { id: planId }, body }),
  deletePlan: (planId: string) => call('deletePlan', { params: { id: planId } }),
  closures: () => call('closures'),
  addClosure: (body: RouteBody<'addClosure'>) => call('addClosure', { body }),
  deleteClosure: (closureId: string) => call('deleteClosure', { params: { id: closureId } }),
};
