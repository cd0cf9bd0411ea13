// Members: list, create, read, change (status, plan, role, opt-in, password), their
// credentials, data export and erasure. Hosts manage members; only operators give or change
// roles, manage hosts and operators, or erase.
import type { FastifyRequest } from 'fastify';
import { apiError } from '../../../contracts/errors.ts';
import type { MemberPage, MemberView, Role } from '../../../contracts/api/index.ts';
import { mayManage } from '../../../contracts/policies.ts';
import type { Member } from '../../db/members-repo.ts';
import { hashPassword } from '../../auth/password.ts';
import { credentialView } from '../../admin/credential-view.ts';
import { exportMember } from '../../privacy/export.ts';
import { memberOf } from '../auth.ts';
import { notFound, changed, checkDates, checkPlan, newMemberId } from '../admin.ts';
import type { AdminDeps, HttpDeps } from '../context.ts';
import { route, routePlugin } from '../route.ts';

/** A password hash nothing verifies against: the member logs in only once given a password. */
/**
 * A one-off guest has a name and no e-mail (migration 8): they get in with their pass only. Login
 * is by e-mail, so a password or a host's role without one would be a login nobody can use.
 */
function needsEmail(email: string | null, password: string | undefined, role: Role): void {
  if (email !== null) return;
  if (password) throw apiError('no-email', 'A password needs an e-mail address to log in with: add one, or leave the password out.');
  if (role !== 'member') throw apiError('no-email', 'A host or operator needs an e-mail address to log in with.');
}

export const NO_LOGIN = 'no-login';

export function memberView(ctx: Pick<AdminDeps, 'store'>, m: Member & { createdAt?: number }): MemberView {
  const credentials = ctx.store.credentials.liveCount(m.id);
  const createdAt = m.createdAt ?? ctx.store.members.record(m.id)?.createdAt ?? 0;
  return {
    id: m.id,
    name: m.name,
    email: m.email,
    role: m.role,
    plan: m.plan,
    status: m.active ? 'active' : 'suspended',
    presenceOptIn: m.presenceOptIn,
    networkMember: m.networkMember ?? false,
    createdAt,
    credentials,
  };
}

function activeOperators(ctx: Pick<AdminDeps, 'store'>): number {
  return ctx.store.members.list({ role: 'operator', status: 'active', limit: 1, offset: 0 }).total;
}

/** Refuses a change that would leave the site without an active operator. */
function keepAnOperator(ctx: Pick<AdminDeps, 'store'>, target: Member, next: { role?: Role; active?: boolean } | 'erase'): void {
  if (target.role !== 'operator' || !target.active) return;
  const stays = next !== 'erase' && (next.role ?? target.role) === 'operator' && (next.active ?? target.active);
  if (!stays && activeOperators(ctx) <= 1) throw apiError('last-operator', 'This is the only active operator: make someone else operator first.');
}

export type MemberRoutesOptions = AdminDeps & Pick<HttpDeps, 'erase' | 'sessions'>;

export const memberRoutes = routePlugin<MemberRoutesOptions>((app, ctx) => {
  const { store } = ctx;

  const target = (request: FastifyRequest<{ Params: { id: string } }>): Member => {
    const m = store.members.byId(request.params.id);
    if (!m) throw notFound('member');
    if (!mayManage(memberOf(request), m)) throw apiError('forbidden', 'Only an operator manages hosts and operators.');
    return m;
  };

  route(app, 'members', (request): MemberPage => {
    const { limit = 100, offset = 0, ...f } = request.query;
    const page = store.members.list({ ...f, limit, offset });
    return { items: page.items.map((m) => memberView(ctx, m)), total: page.total };
  });

  route(app, 'addMember', async (request) => {
    const b = request.body;
    const role = b.role ?? 'member';
    if (role !== 'member' && memberOf(request).role !== 'operator') throw apiError('forbidden', 'Only an operator adds hosts and operators.');
    checkPlan(ctx, b.plan);
    needsEmail(b.email ?? null, b.password, role);
    if (b.email && store.members.withHashByEmail(b.email)) throw apiError('email-taken', 'Another member has this email address.');
    const taken = (id: string) => store.members.byId(id) !== undefined || store.erasures.pseudonymOf(id) !== undefined;
    if (b.id && taken(b.id)) throw apiError('id-taken', `The id "${b.id}" is taken.`);
    const id = b.id ?? newMemberId(taken);
    const passwordHash = b.password ? await hashPassword(b.password) : NO_LOGIN;
    const m: Member = {
      id,
      name: b.name,
      email: b.email ?? null,
      role,
      plan: b.plan ?? null,
      presenceOptIn: b.presenceOptIn ?? false,
      active: (b.status ?? 'active') === 'active',
    };
    store.members.insert({ ...m, passwordHash }, ctx.now());
    await changed(ctx, request, 'member.create', id, { role, plan: m.plan, status: b.status ?? 'active' });
    return memberView(ctx, m);
  });

  route(app, 'member', (request) => memberView(ctx, target(request)));

  route(app, 'changeMember', async (request, reply) => {
    const m = target(request);
    const b = request.body;
    const caller = memberOf(request);
    if (b.role !== undefined && b.role !== m.role && caller.role !== 'operator') throw apiError('forbidden', 'Only an operator changes roles.');
    checkPlan(ctx, b.plan);
    needsEmail(b.email ?? m.email, b.password, b.role ?? m.role);
    if (b.email && b.email.toLowerCase() !== m.email?.toLowerCase() && store.members.withHashByEmail(b.email)) {
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
      networkMember: b.networkMember,
      active,
      passwordHash: b.password ? await hashPassword(b.password) : undefined,
    });
    // A new password, role or status ends the member's sessions (the members table's session
    // generation); when they changed it themselves, the session they did it from goes on.
    if (caller.id === m.id && (b.password || b.role !== undefined || b.status !== undefined)) ctx.sessions.renew(request, reply, m.id);
    // Only which fields changed, and the non-personal new values: the audit outlives names.
    const detail: Record<string, unknown> = { fields: Object.keys(b).sort() };
    for (const k of ['role', 'plan', 'status', 'presenceOptIn', 'networkMember'] as const) if (b[k] !== undefined) detail[k] = b[k];
    const action = b.status === 'suspended' ? 'member.suspend' : b.status === 'active' && !m.active ? 'member.activate' : 'member.update';
    await changed(ctx, request, action, m.id, detail);
    return memberView(ctx, store.members.byId(m.id)!);
  });

  route(app, 'memberCredentials', (request) => {
    const m = target(request);
    return store.credentials.forMember(m.id).map((c) => credentialView(c, ctx.config.site.timeZone, ctx.now()));
  });

  route(app, 'addCredential', async (request) => {
    const m = target(request);
    const b = request.body;
    checkDates(b.validFrom, b.validTo);
    checkPlan(ctx, b.plan);
    if (store.credentials.liveByFingerprint(b.fingerprint)) throw apiError('card-taken', 'That card already belongs to someone. Revoke it there first.');
    const c = store.credentials.insert(
      { member: m.id, fingerprint: b.fingerprint, label: b.label, plan: b.plan, validFrom: b.validFrom, validTo: b.validTo },
      ctx.now(),
    );
    await changed(ctx, request, 'credential.create', m.id, { credential: c.id, kind: 'card' });
    return credentialView(c, ctx.config.site.timeZone, ctx.now());
  });

  route(app, 'exportMember', (request) => {
    const m = target(request);
    store.audit.write({ ts: ctx.now(), actor: memberOf(request).id, action: 'privacy.export', target: m.id, source: request.ip });
    return exportMember(ctx, m);
  });

  route(app, 'eraseMember', async (request) => {
    const m = target(request);
    keepAnOperator(ctx, m, 'erase');
    const result = await ctx.erase(m.id);
    await changed(ctx, request, 'member.erase', result.pseudonym, { events: result.events, history: result.history });
    return result;
  });
});
