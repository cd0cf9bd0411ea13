// POST /api/devices/:id/enrol: key an OSDP reader (operators and the automation token, which
// `smartspace osdp enrol` uses). Answers with the gateway's result, once it has it.
import { actorId } from '../auth.ts';
import type { DeviceCommands } from '../device-commands.ts';
import { route, routePlugin } from '../route.ts';
import { COMMAND_RATE } from './unlock.ts';

export interface DeviceCommandRoutesOptions {
  deviceCommands: Pick<DeviceCommands, 'enrol'>;
}

export const deviceCommandRoutes = routePlugin<DeviceCommandRoutesOptions>((app, o) => {
  route(app, 'enrolDevice', (request) => o.deviceCommands.enrol({ device: request.params.id, actor: actorId(request.actor)!, source: request.ip }), {
    rateLimit: COMMAND_RATE,
  });
});
