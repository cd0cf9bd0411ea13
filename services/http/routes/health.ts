// GET /api/health (no auth): what a monitor or the host checks first.
import type { Health } from '../../../contracts/api/index.ts';
import type { HttpDeps } from '../context.ts';
import { route, routePlugin } from '../route.ts';

export type HealthOptions = Pick<HttpDeps, 'presence' | 'devices' | 'brokerClients' | 'ingress' | 'ingest' | 'history' | 'now' | 'startedAt'> & {
  siteId: string;
};

export const healthRoutes = routePlugin<HealthOptions>((app, o) => {
  route(app, 'health', (): Health => {
    const gateways = o.presence.views();
    const devices = o.devices.counts();
    return {
      // Degraded: something the site needs is not working as it should (a gateway offline, a device in fault).
      status: gateways.every((g) => g.online) && devices.fault === 0 ? 'ok' : 'degraded',
      site: o.siteId,
      uptimeS: Math.max(0, Math.floor((o.now() - o.startedAt) / 1000)),
      rssBytes: process.memoryUsage.rss(),
      broker: { clients: o.brokerClients() },
      gateways,
      rejectedPayloads: o.ingress.rejectedCounts(),
      events: o.ingest.counts(),
      history: o.history.health(),
      devices,
    };
  });
});
