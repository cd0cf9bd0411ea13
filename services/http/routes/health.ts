// GET /api/health (no auth): what a monitor or the host checks first.
import type { FastifyInstance } from 'fastify';
import { Health } from '../../../contracts/api/index.ts';
import type { ApiContext } from '../context.ts';

export function healthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get(
    '/api/health',
    { config: { access: 'public' }, schema: { tags: ['site'], summary: 'Health of the site: gateways, devices, broker, ingest, history', response: { 200: Health } } },
    async (): Promise<Health> => {
    const gateways = ctx.presence.views();
    const devices = ctx.devices.counts();
    return {
      // Degraded: something the site needs is not working as it should (a gateway offline, a device in fault).
      status: gateways.every((g) => g.online) && devices.fault === 0 ? 'ok' : 'degraded',
      site: ctx.config.site.id,
      uptimeS: Math.max(0, Math.floor((ctx.now() - ctx.startedAt) / 1000)),
      broker: { clients: ctx.brokerClients() },
      gateways,
      rejectedPayloads: ctx.ingress.rejectedCounts(),
      events: ctx.ingest.counts(),
      history: ctx.history.health(),
      devices,
    };
    },
  );
}
