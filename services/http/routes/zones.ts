// Zones and how full they are now. Doors and desks themselves (and their zones) are defined in
// the site config, next to the hardware they are wired to; the API reads them.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ApiError, ZoneView, ZoneOccupancy } from '../../../contracts/api/index.ts';
import type { ApiContext } from '../context.ts';

export function zoneRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { config, store } = ctx;
  const errors = { '4xx': ApiError };
  const desksIn = (zone: string) => config.desks.filter((d) => d.zone === zone);

  app.get('/api/zones', { config: { access: 'member' }, schema: { tags: ['desks'], summary: 'Zones, their capacity and desks', response: { 200: Type.Array(ZoneView), ...errors } } }, async () =>
    config.zones.map((z): ZoneView => ({ id: z.id, name: z.name, capacity: z.capacity ?? null, desks: desksIn(z.id).length })),
  );

  app.get(
    '/api/zones/occupancy',
    { config: { access: 'member', automation: true }, schema: { tags: ['desks'], summary: 'Desks occupied now, per zone (unknown desks count as free)', response: { 200: Type.Array(ZoneOccupancy), ...errors } } },
    async () => {
      const states = store.state.deskStates();
      return config.zones.map((z): ZoneOccupancy => {
        const desks = desksIn(z.id);
        return { zone: z.id, name: z.name, occupied: desks.filter((d) => states.get(d.id)?.occupied === true).length, capacity: z.capacity ?? null, desks: desks.length };
      });
    },
  );
}
