// The logged-in member's own privacy controls: named presence opt-in, data export, erasure.
import { apiError } from '../../../contracts/errors.ts';
import type { MyVisits } from '../../../contracts/api/index.ts';
import type { SiteConfig } from '../../../config/schema.ts';
import { exportMember } from '../../privacy/export.ts';
import { myVisits } from '../../privacy/my-visits.ts';
import { memberOf } from '../auth.ts';
import { toMe } from './auth.ts';
import type { HttpDeps } from '../context.ts';
import { route, routePlugin } from '../route.ts';

export type MeRoutesOptions = Pick<HttpDeps, 'store' | 'now' | 'erase' | 'accessLists' | 'sessions'> & { config: Pick<SiteConfig, 'site'> };

export const meRoutes = routePlugin<MeRoutesOptions>((app, o) => {
  const { store } = o;

  route(app, 'setPresence', (request) => {
    const m = memberOf(request);
    store.members.update(m.id, { presenceOptIn: request.body.optIn });
    store.audit.write({ ts: o.now(), actor: m.id, action: 'privacy.presence', target: m.id, detail: { optIn: request.body.optIn }, source: request.ip });
    return toMe(store.members.byId(m.id)!);
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
