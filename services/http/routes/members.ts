// Members: list, create, read, change (status, plan, role, opt-in, password), their
// credentials, data export and erasure. Hosts manage members; only operators give or change
// roles, manage hosts and operators, or erase.
import { apiError } from '../../../contracts/errors.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  ApiError,
  MemberView,
  MemberPage,
  MemberQuery,
  NewMemberBody,
  MemberPatchBody,
  CredentialView,
  CredentialBody,
  ErasureBody,
  ErasureResult,
  type Role,
} from '../../../contracts/api/index.ts';
import type { Member } from '../../db/members-repo.ts';
import { hashPassword } from '../../auth/password.ts';
import { credentialView } from '../../admin/credential-view.ts';
import { exportMember } from '../../privacy/export.ts';
import { memberOf, ROLE_RANK } from '../auth.ts';
import { IdParams, notFound, changed, checkDates, checkPlan, slugId } from '../admin.ts';
import type { ApiContext } from '../context.ts';

/** A password hash nothing verifies against: the member logs in only once given a password. */
export const NO_LOGIN = 'no-login';

export function memberView(ctx: ApiContext, m: Member & { createdAt?: number }): MemberView {
  const credentials = ctx.store.credentials.liveCount(m.id);
  const createdAt = m.createdAt ?? ctx.store.members.record(m.id)?.createdAt ?? 0;
  return { id: m.id, name: m.name, email: m.email, role: m.role, plan: m.plan, status: m.active ? 'active' : 'suspended', presenceOptIn: m.presenceOptIn, createdAt, credentials };
}

/** May this caller manage that member? Hosts manage members; operators everyone. */
function mayManage(caller: Member, target: Member): boolean {
  return caller.role === 'operator' || (target.role === 'member' && ROLE_RANK[caller.role] >= ROLE_RANK.host) || caller.id === target.id;
}

function activeOperators(ctx: ApiContext): number {
  return ctx.store.members.list({ role: 'operator', status: 'active', limit: 1, offset: 0 }).total;
}

/** Refuses a change that would leave the site without an active operator. */
function keepAnOperator(ctx: ApiContext, target: Member, next: { role?: Role; active?: boolean } | 'erase'): void {
  if (target.role !== 'operator' || !target.active) return;
  const stays = next !== 'erase' && (next.role ?? target.role) === 'operator' && (next.active ?? target.active);
  if (!stays && activeOperators(ctx) <= 1) throw apiError('last-operator', 'This is the only active operator: make someone else operator first.');
}

export function memberRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { store } = ctx;
  const errors = { '4xx': ApiError };
  const tags = ['members'];

  const target = (request: FastifyRequest<{ Params: IdParams }>): Member => {
    const m = store.members.byId(request.params.id);
    if (!m) throw notFound('member');
    if (!mayManage(memberOf(request), m)) throw apiError('forbidden', 'Only an operator manages hosts and operators.');
    return m;
  };

  app.get<{ Querystring: MemberQuery }>(
    '/api/members',
    { config: { access: 'host' }, schema: { tags, summary: 'List members', querystring: MemberQuery, response: { 200: MemberPage, ...errors } } },
    async (request): Promise<MemberPage> => {
      const { limit = 100, offset = 0, ...f } = request.query;
      const page = store.members.list({ ...f, limit, offset });
      return { items: page.items.map((m) => memberView(ctx, m)), total: page.total };
    },
  );

  app.post<{ Body: NewMemberBody }>(
    '/api/members',
    { config: { access: 'host' }, schema: { tags, summary: 'Add a member', body: NewMemberBody, response: { 201: MemberView, ...errors } } },
    async (request, reply) => {
      const b = request.body;
      const role = b.role ?? 'member';
      if (role !== 'member' && memberOf(request).role !== 'operator') throw apiError('forbidden', 'Only an operator adds hosts and operators.');
      checkPlan(ctx, b.plan);
      if (store.members.withHashByEmail(b.email)) throw apiError('email-taken', 'Another member has this email address.');
      const taken = (id: string) => store.members.byId(id) !== undefined || store.erasures.pseudonymOf(id) !== undefined;
      if (b.id && taken(b.id)) throw apiError('id-taken', `The id "${b.id}" is taken.`);
      const id = b.id ?? slugId(b.name, taken, 'member');
      const passwordHash = b.password ? await hashPassword(b.password) : NO_LOGIN;
      const m: Member = { id, name: b.name, email: b.email, role, plan: b.plan ?? null, presenceOptIn: b.presenceOptIn ?? false, active: (b.status ?? 'active') === 'active' };
      store.members.insert({ ...m, passwordHash }, ctx.now());
      await changed(ctx, request, 'member.create', id, { role, plan: m.plan, status: b.status ?? 'active' });
      return reply.code(201).send(memberView(ctx, m));
    },
  );

  app.get<{ Params: IdParams }>(
    '/api/members/:id',
    { config: { access: 'host' }, schema: { tags, summary: 'One member', params: IdParams, response: { 200: MemberView, ...errors } } },
    async (request) => memberView(ctx, target(request)),
  );

  app.patch<{ Params: IdParams; Body: MemberPatchBody }>(
    '/api/members/:id',
    {
      config: { access: 'host' },
      schema: { tags, summary: 'Change a member: status (suspend), plan, role, name, email, password, opt-in', params: IdParams, body: MemberPatchBody, response: { 200: MemberView, ...errors } },
    },
    async (request) => {
      const m = target(request);
      const b = request.body;
      const caller = memberOf(request);
      if (b.role !== undefined && b.role !== m.role && caller.role !== 'operator') throw apiError('forbidden', 'Only an operator changes roles.');
      checkPlan(ctx, b.plan);
      if (b.email && b.email.toLowerCase() !== m.email.toLowerCase() && store.members.withHashByEmail(b.email)) {
        throw apiError('email-taken', 'Another member has this email address.');
      }
      const active = b.status === undefined ? undefined : b.status === 'active';
      keepAnOperator(ctx, m, { role: b.role, active });
      store.members.update(m.id, {
        name: b.name,
        email: b.email,
        role: b.role,
        plan: b.plan,
        presenceOptIn: b.presenceOptIn,
        active,
        passwordHash: b.password ? await hashPassword(b.password) : undefined,
      });
      // Only which fields changed, and the non-personal new values: the audit outlives names.
      const detail: Record<string, unknown> = { fields: Object.keys(b).sort() };
      for (const k of ['role', 'plan', 'status', 'presenceOptIn'] as const) if (b[k] !== undefined) detail[k] = b[k];
      const action = b.status === 'suspended' ? 'member.suspend' : b.status === 'active' && !m.active ? 'member.activate' : 'member.update';
      await changed(ctx, request, action, m.id, detail);
      return memberView(ctx, store.members.byId(m.id)!);
    },
  );

  app.get<{ Params: IdParams }>(
    '/api/members/:id/credentials',
    { config: { access: 'host' }, schema: { tags, summary: "A member's cards and PINs", params: IdParams, response: { 200: Type.Array(CredentialView), ...errors } } },
    async (request) => {
      const m = target(request);
      return store.credentials.forMember(m.id).map((c) => credentialView(c, ctx.config.site.timeZone, ctx.now()));
    },
  );

  app.post<{ Params: IdParams; Body: CredentialBody }>(
    '/api/members/:id/credentials',
    {
      config: { access: 'host' },
      schema: { tags, summary: 'Add a card by its fingerprint (to enrol at a reader, use /api/enrolments)', params: IdParams, body: CredentialBody, response: { 201: CredentialView, ...errors } },
    },
    async (request, reply) => {
      const m = target(request);
      const b = request.body;
      checkDates(b.validFrom, b.validTo);
      checkPlan(ctx, b.plan);
      if (store.credentials.liveByFingerprint(b.fingerprint)) throw apiError('card-taken', 'That card already belongs to someone. Revoke it there first.');
      const c = store.credentials.insert({ member: m.id, fingerprint: b.fingerprint, label: b.label, plan: b.plan, validFrom: b.validFrom, validTo: b.validTo }, ctx.now());
      await changed(ctx, request, 'credential.create', m.id, { credential: c.id, kind: 'card' });
      return reply.code(201).send(credentialView(c, ctx.config.site.timeZone, ctx.now()));
    },
  );

  app.get<{ Params: IdParams }>(
    '/api/members/:id/export',
    { config: { access: 'operator' }, schema: { tags: ['privacy'], summary: "A member's data (GDPR art. 15/20), as JSON", params: IdParams, response: errors } },
    async (request) => {
      const m = target(request);
      store.audit.write({ ts: ctx.now(), actor: memberOf(request).id, action: 'privacy.export', target: m.id, source: request.ip });
      return exportMember(ctx, m);
    },
  );

  app.post<{ Params: IdParams; Body: ErasureBody }>(
    '/api/members/:id/erase',
    {
      config: { access: 'operator' },
      schema: { tags: ['privacy'], summary: 'Erase a member: personal data goes, their events stay under a pseudonym', params: IdParams, body: ErasureBody, response: { 200: ErasureResult, ...errors } },
    },
    async (request) => {
      const m = target(request);
      keepAnOperator(ctx, m, 'erase');
      const result = await ctx.erase(m.id);
      await changed(ctx, request, 'member.erase', result.pseudonym, { events: result.events, history: result.history });
      return result;
    },
  );
}

