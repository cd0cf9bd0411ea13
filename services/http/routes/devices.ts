// GET /api/devices (hosts and operators): every device its gateway reported health for.
import { apiError } from '../../../contracts/errors.ts';
import type { FastifyInstance } from 'fastify';
import { ApiError, DeviceList, DeviceQuery } from '../../../contracts/api/index.ts';
import type { ApiContext } from '../context.ts';

export function deviceRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: DeviceQuery }>(
    '/api/devices',
    {
      config: { access: 'host' },
      schema: {
        tags: ['site'],
        summary: "Devices (readers, locks, contacts, exit buttons, desk sensors): health as their gateway reported it; unknown while it is offline",
        querystring: DeviceQuery,
        response: { 200: DeviceList, '4xx': ApiError },
      },
    },
    async (request): Promise<DeviceList> => {
      const { gateway } = request.query;
      if (gateway !== undefined && !ctx.config.gateways.some((g) => g.id === gateway)) {
        throw apiError('unknown-gateway', `There is no gateway "${gateway}".`);
      }
      return { items: ctx.devices.views(gateway) };
    },
  );
}
