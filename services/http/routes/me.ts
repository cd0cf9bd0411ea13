// The logged-in member's own controls: named presence opt-in, data export, erasure, when their
// plan lets them in with their own cards and passes, and their password. Each acts on the
// caller only: no route here takes a member id.
import { apiError } from '../../../contracts/errors.ts';
import type { MyAccess, MyNetwork, MyVisits } from '../../../contracts/api/index.ts';
import type { SiteConfig } from '../../../config/schema.ts';
import { credentialView } from '../../admin/credential-view.ts';
import { hashPassword, verifyPassword } from '../../auth/password.ts';
import { exportMember } from '../../privacy/export.ts';
import { myVisits } from '../../privacy/my-visits.ts';
import { myNetwork } from '../../network/my-network.ts';
import { memberOf } from '../auth.ts';
import { toMe } from './auth.ts';
import type { HttpDeps } from '../context.ts';
import { route, routePlugin } from '../route.ts';

export type MeRoutesOptions = Pick<HttpDeps, 'store' | 'now' | 'erase' | 'accessLists' | 'sessions'> & {
  config: Pick<SiteConfig, 'site' | 'doors' | 'network'>;
};

/** Tries at the current password per session a minute: enough for typos, not for guessing. */
export const PASSWORD_RATE = { max: 10, timeWindow: '1 minute' } as const;

export const meRoutes = routePlugin<MeRoutesOptions>((app, o) => {
  const { store } = o;

  route(app, 'setPresence', (request) => {
    const m = memberOf(request);
    store.members.update(m.id, { presenceOptIn: request.body.optIn });
    store.audit.write({ ts: o.now(), actor: m.id, action: 'privacy.presence', target: m.id, detail: { optIn: request.body.optIn }, source: request.ip });
    return toMe(store.members.byId(m.id)!, o.config.network);
  });

  // Visits at other spaces, as those spaces reported them home (counted at both ends).
  route(app, 'myNetwork', (request): MyNetwork => {
    const m = memberOf(request);
    const member = { id: m.id, networkMember: store.members.byId(m.id)?.networkMember ?? false };
    return myNetwork({ network: o.config.network, timeZone: o.config.site.timeZone, repo: store.network, member, now: o.now() });
  });

  route(app, 'myExport', (request) => {
    const m = memberOf(request);
    store.audit.write({ ts: o.now(), actor: m.id, action: 'privacy.export', target: m.id, source: request.ip });
    return exportMember(o, m);
  });

  // Reading one's own visits is not an export: no audit entry (the dashboard asks often).
  route(app, 'myVisits', (request): MyVisits => {
    const m = memberOf(request);
    return myVisits(store.events.entriesOf(m.id), o.config.site.timeZone, request.query.limit ?? 60);
  });

  route(app, 'myAccess', (request): MyAccess => {
    const m = memberOf(request);
    const now = o.now();
    const timeZone = o.config.site.timeZone;
    const plan = m.plan ? store.plans.byId(m.plan) : undefined;
    const doorName = (id: string) => o.config.doors.find((d) => d.id === id)?.name ?? id;
    const credentials = store.credentials
      .forMember(m.id)
      .map((c) => credentialView(c, timeZone, now))
      .filter((c) => c.status !== 'revoked');
    return {
      timeZone,
      plan: plan
        ? {
            id: plan.id,
            name: plan.name,
            windows: plan.windows,
            doors: plan.doors.map((id) => ({ id, name: doorName(id) })),
            validFrom: plan.validFrom,
            validTo: plan.validTo,
          }
        : null,
      credentials,
      // A pass is a PIN with an end date (POST /api/passes); it is left while it works or will.
      passesLeft: credentials.filter((c) => c.kind === 'pin' && c.validTo !== null && (c.status === 'live' || c.status === 'not-yet-valid')).length,
    };
  });

  // The new hash moves the member's session generation on (migration 4's trigger): every other
  // session ends; this one is renewed, so the phone it was changed on stays logged in.
  route(
    app,
    'changePassword',
    async (request, reply) => {
      const m = memberOf(request);
      const found = m.email === null ? undefined : store.members.withHashByEmail(m.email);
      const ok = found?.member.id === m.id && (await verifyPassword(request.body.current, found.passwordHash));
      if (!ok) {
        store.audit.write({ ts: o.now(), actor: m.id, action: 'member.password.refused', target: m.id, source: request.ip });
        throw apiError('wrong-password', 'The current password is not right.');
      }
      store.members.update(m.id, { passwordHash: await hashPassword(request.body.password) });
      store.audit.write({ ts: o.now(), actor: m.id, action: 'member.password', target: m.id, detail: { self: true }, source: request.ip });
      o.sessions.renew(request, reply, m.id);
    },
    { rateLimit: PASSWORD_RATE },
  );

  route(app, 'eraseMe', async (request, reply) => {
    const m = memberOf(request);
    if (m.role === 'operator' && store.members.list({ role: 'operator', status: 'active', limit: 1, offset: 0 }).total <= 1) {
      throw apiError('last-operator', 'You are the only active operator: make someone else operator first.');
    }
    const result = await o.erase(m.id);
    store.audit.write({
      ts: o.now(),
      actor: result.pseudonym,
      action: 'member.erase',
      target: result.pseudonym,
      detail: { self: true, events: result.events },
      source: request.ip,
    });
    await o.accessLists.recompile();
    o.sessions.destroy(request, reply);
    return result;
  });
});
