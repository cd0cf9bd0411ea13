// The administration calls the members and plans screens make (contracts/api.ts has the
// shapes; services/http/routes/{members,plans,credentials}.ts the paths and roles).
import type {
  ClosureBody,
  ClosureView,
  ErasureBody,
  ErasureResult,
  MemberPage,
  MemberPatchBody,
  MemberQuery,
  MemberView,
  NewMemberBody,
  PassBody,
  PassCreated,
  PlanBody,
  PlanPatchBody,
  PlanView,
} from '../../contracts/api/index.ts';
import type { Role } from '../../contracts/api/index.ts';
import { request } from './api.ts';

/**
 * May a viewer with `role` and id `meId` change member `m` (details, cards, passes)? Operators
 * anyone; hosts members and themselves — as services/http/routes/members.ts decides.
 */
export function mayManage(role: Role, meId: string, m: Pick<MemberView, 'id' | 'role'>): boolean {
  return role === 'operator' || m.role === 'member' || m.id === meId;
}

const id = (s: string) => encodeURIComponent(s);

/** The query string for a members page: only what is set, in a stable order. */
export function memberQuery(q: MemberQuery): string {
  const p = new URLSearchParams();
  const search = q.q?.trim();
  if (search) p.set('q', search);
  if (q.status) p.set('status', q.status);
  if (q.role) p.set('role', q.role);
  if (q.plan) p.set('plan', q.plan);
  if (q.limit !== undefined) p.set('limit', String(q.limit));
  if (q.offset) p.set('offset', String(q.offset));
  return p.toString();
}

export const manageApi = {
  members: (q: MemberQuery) => request<MemberPage>('GET', `/api/members?${memberQuery(q)}`),
  member: (memberId: string) => request<MemberView>('GET', `/api/members/${id(memberId)}`),
  addMember: (body: NewMemberBody) => request<MemberView>('POST', '/api/members', body),
  changeMember: (memberId: string, body: MemberPatchBody) => request<MemberView>('PATCH', `/api/members/${id(memberId)}`, body),
  eraseMember: (memberId: string) => request<ErasureResult>('POST', `/api/members/${id(memberId)}/erase`, { confirm: 'erase' } satisfies ErasureBody),
  issuePass: (body: PassBody) => request<PassCreated>('POST', '/api/passes', body),
  plans: () => request<PlanView[]>('GET', '/api/plans'),
  addPlan: (body: PlanBody) => request<PlanView>('POST', '/api/plans', body),
  changePlan: (planId: string, body: PlanPatchBody) => request<PlanView>('PATCH', `/api/plans/${id(planId)}`, body),
  deletePlan: (planId: string) => request<void>('DELETE', `/api/plans/${id(planId)}`),
  closures: () => request<ClosureView[]>('GET', '/api/closures'),
  addClosure: (body: ClosureBody) => request<ClosureView>('POST', '/api/closures', body),
  deleteClosure: (closureId: string) => request<void>('DELETE', `/api/closures/${id(closureId)}`),
};
