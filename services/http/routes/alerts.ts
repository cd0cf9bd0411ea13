// The alert centre's API (services/alerts/centre.ts): hosts list and acknowledge alerts and set
// their own choices; Node-RED (the automation token) and operators raise and clear them.
import { actorId, memberOf } from '../auth.ts';
import type { AlertCentre } from '../../alerts/centre.ts';
import { route, routePlugin } from '../route.ts';
import { UNLOCK_RATE } from './unlock.ts';

export interface AlertRoutesOptions {
  alerts: AlertCentre;
}

/** A rule gone wild is held at 120 raises a minute (dedup keeps deliveries at one per alert anyway). */
const RAISE_RATE = { ...UNLOCK_RATE, max: 120 };

export const alertRoutes = routePlugin<AlertRoutesOptions>((app, { alerts }) => {
  route(app, 'alerts', (request) => alerts.list(request.query.active ?? false, request.query.limit ?? 100));
  route(app, 'raiseAlert', (request) => alerts.raise(request.body, actorId(request.actor), request.ip), { rateLimit: RAISE_RATE });
  route(app, 'ackAlert', (request) => alerts.ack(request.params.id, memberOf(request).id, request.ip));
  route(app, 'pushKey', () => ({ publicKey: alerts.pushPublicKey }));
  route(app, 'alertPrefs', (request) => alerts.prefs(memberOf(request).id));
  route(app, 'setAlertPrefs', (request) => alerts.setPrefs(memberOf(request).id, request.body, request.ip));
  route(app, 'subscribePush', (request) => {
    const { endpoint, keys } = request.body;
    alerts.subscribe({ endpoint, member: memberOf(request).id, p256dh: keys.p256dh, auth: keys.auth }, request.ip);
  });
});
