// GET /api/site, /api/doors, /api/desks, /api/events, /api/zones, /api/zones/occupancy, and
// /api/devices: the site as it is now. Doors and desks themselves (and their zones) are defined
// in the site config, next to the hardware they are wired to; the API reads them.
import { apiError } from '../../../contracts/errors.ts';
import type { EventPage, ZoneView } from '../../../contracts/api/index.ts';
import { deskStates, zoneOccupancy } from '../../views.ts';
import type { SiteConfig } from '../../../config/schema.ts';
import type { EventCursor } from '../../db/events-repo.ts';
import { memberOf } from '../auth.ts';
import type { HttpDeps } from '../context.ts';
import { route, routePlugin } from '../route.ts';

const encodeCursor = (c: EventCursor): string => Buffer.from(`${c.ts}:${c.id}`).toString('base64url');

function decodeCursor(s: string): EventCursor {
  const m = /^(\d{1,15}):([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(s, 'base64url').toString('utf8'));
  if (!m) throw apiError('bad-cursor', 'The "before" cursor is not one this server gave out.');
  return { ts: Number(m[1]), id: m[2]! };
}

export type SiteRoutesOptions = Pick<HttpDeps, 'views' | 'store' | 'devices'> & { config: Pick<SiteConfig, 'zones' | 'desks' | 'gateways'> };

export const siteRoutes = routePlugin<SiteRoutesOptions>((app, o) => {
  const { views, store, config } = o;
  const desksIn = (zone: string) => config.desks.filter((d) => d.zone === zone);

  route(app, 'site', () => views.site());
  route(app, 'doors', (request) => views.doors(request.actor?.kind === 'member' ? request.actor.member : null));
  route(app, 'desks', () => views.desks());

  route(app, 'events', (request): EventPage => {
    const { limit = 50, before, door } = request.query;
    const cursor = before ? decodeCursor(before) : undefined;
    const rows = store.events.page(limit + 1, cursor, door);
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => views.event(r, memberOf(request))),
      next: more && last ? encodeCursor({ ts: last.event.ts, id: last.event.id }) : null,
    };
  });

  route(app, 'zones', () => config.zones.map((z): ZoneView => ({ id: z.id, name: z.name, capacity: z.capacity ?? null, desks: desksIn(z.id).length })));

  // The desk views: a desk whose sensors are in fault or whose gateway is offline is unknown.
  route(app, 'zoneOccupancy', () => zoneOccupancy(config, deskStates(views)));

  route(app, 'devices', (request) => {
    const { gateway } = request.query;
    if (gateway !== undefined && !config.gateways.some((g) => g.id === gateway)) {
      throw apiError('unknown-gateway', `There is no gateway "${gateway}".`);
    }
    return { items: o.devices.views(gateway) };
  });
});
