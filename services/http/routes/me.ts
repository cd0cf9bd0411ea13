// The logged-in member's own privacy controls: named presence opt-in, data export, erasure.
import { apiError } from '../../../contracts/errors.ts';
import type { FastifyInstance } from 'fastify';
import { ApiError, Me, PresenceBody, ErasureBody, ErasureResult, MyVisits, MyVisitsQuery } from '../../../contracts/api/index.ts';
import { exportMember } from '../../privacy/export.ts';
import { myVisits } from '../../privacy/my-visits.ts';
import { memberOf } from '../auth.ts';
import { toMe } from './auth.ts';
import type { ApiContext } from '../context.ts';

export function meRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { store } = ctx;
  const tags = ['privacy'];
  const errors = { '4xx': ApiError };

  app.put<{ Body: PresenceBody }>(
    '/api/me/presence',
    { config: { access: 'member' }, schema: { tags, summary: 'Show my name in presence and the event feed to other members (opt-in)', body: PresenceBody, response: { 200: Me, ...errors } } },
    async (request) => {
      const m = memberOf(request);
      store.members.update(m.id, { presenceOptIn: request.body.optIn });
      store.audit.write({ ts: ctx.now(), actor: m.id, action: 'privacy.presence', target: m.id, detail: { optIn: request.body.optIn }, source: request.ip });
      return toMe(store.members.byId(m.id)!);
    },
  );

  app.get('/api/me/export', { config: { access: 'member' }, schema: { tags, summary: 'All my data, as JSON', response: errors } }, async (request) => {
    const m = memberOf(request);
    store.audit.write({ ts: ctx.now(), actor: m.id, action: 'privacy.export', target: m.id, source: request.ip });
    return exportMember(ctx, m);
  });

  // Reading one's own visits is not an export: no audit entry (the dashboard asks often).
  app.get<{ Querystring: MyVisitsQuery }>(
    '/api/me/visits',
    { config: { access: 'member' }, schema: { tags, summary: 'The days I was let in (card, PIN or app), newest first', querystring: MyVisitsQuery, response: { 200: MyVisits, ...errors } } },
    async (request): Promise<MyVisits> => {
      const m = memberOf(request);
      return myVisits(store.events.entriesOf(m.id), ctx.config.site.timeZone, request.query.limit ?? 60);
    },
  );

  app.post<{ Body: ErasureBody }>(
    '/api/me/erase',
    { config: { access: 'member' }, schema: { tags, summary: 'Erase me: my personal data goes, my visits stay counted under a pseudonym', body: ErasureBody, response: { 200: ErasureResult, ...errors } } },
    async (request, reply) => {
      const m = memberOf(request);
      if (m.role === 'operator' && store.members.list({ role: 'operator', status: 'active', limit: 1, offset: 0 }).total <= 1) {
        throw apiError('last-operator', 'You are the only active operator: make someone else operator first.');
      }
      const result = await ctx.erase(m.id);
      store.audit.write({ ts: ctx.now(), actor: result.pseudonym, action: 'member.erase', target: result.pseudonym, detail: { self: true, events: result.events }, source: request.ip });
      await ctx.accessLists.recompile();
      ctx.sessions.destroy(request, reply);
      return result;
    },
  );
}
