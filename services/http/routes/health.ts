// GET /api/health (no login needed): what a monitor or the host checks first. Anyone gets the
// status; a host or operator (or the automation token) gets everything behind it: gateways with
// their versions, uptimes and outbox depths are a map of the site for an attacker.
import type { FastifyRequest } from 'fastify';
import type { Health, HealthSummary } from '../../../contracts/api/index.ts';
import type { HttpDeps } from '../context.ts';
import type { Viewer } from '../security.ts';
import { route, routePlugin } from '../route.ts';

export type HealthOptions = Pick<HttpDeps, 'presence' | 'devices' | 'brokerClients' | 'ingress' | 'ingest' | 'history' | 'now' | 'startedAt'> & {
  siteId: string;
  /** Who asks: staff get the full health. */
  viewer(request: FastifyRequest): Viewer;
};

export const healthRoutes = routePlugin<HealthOptions>((app, o) => {
  route(app, 'health', (request): Health | HealthSummary => {
    const gateways = o.presence.views();
    const devices = o.devices.counts();
    // Degraded: something the site needs is not working as it should (a gateway offline, a device in fault).
    const status = gateways.every((g) => g.online) && devices.fault === 0 ? 'ok' : 'degraded';
    if (o.viewer(request) !== 'staff') return { status };
    return {
      status,
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
