// Desk sensors checked against the door (services/sensors): hosts see the suspect ones and
// confirm a sensor is fine after checking the desk.
import { memberOf } from '../auth.ts';
import type { SensorChecks } from '../../sensors/sensor-checks.ts';
import { route, routePlugin } from '../route.ts';

export interface SensorRoutesOptions {
  sensors: Pick<SensorChecks, 'list' | 'confirm'>;
}

export const sensorRoutes = routePlugin<SensorRoutesOptions>((app, { sensors }) => {
  route(app, 'sensorSuspects', () => sensors.list());
  route(app, 'confirmSensor', (request) => sensors.confirm(request.params.id, memberOf(request).id, request.body.backfill ?? false, request.ip));
});
