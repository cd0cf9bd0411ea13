// GET /api/health (no auth): what a monitor or the host checks first.
import type { FastifyInstance } from 'fastify';
import { Health } from '../../../contracts/api.ts';
import type { ApiContext } from '../context.ts';

export function healthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get(
    '/api/health',
    { config: { access: 'public' }, schema: { tags: ['site'], summary: 'Health of the site: gateways, broker, ingest, history', response: { 200: Health } } },
    async (): Promise<Health> => {
    const gateways = ctx.presence.views();
    return {
      status: gateways.every((g) => g.online) ? 'ok' : 'degraded',
      site: ctx.config.site.id,
      uptimeS: Math.max(0, Math.floor((ctx.now() - ctx.startedAt) / 1000)),
      broker: { clients: ctx.brokerClients() },
      gateways,
      rejectedPayloads: ctx.ingress.rejectedCounts(),
      events: ctx.ingest.counts(),
      history: ctx.history.health(),
    };
    },
  );
}
