// GET /api/live: Server-Sent Events. A snapshot first, then deltas, each rendered for this
// viewer; a comment ping every 15 s keeps proxies from closing an idle stream.
import { apiError } from '../../../contracts/errors.ts';
import type { AlertView, LiveMessage } from '../../../contracts/api/index.ts';
import type { LiveDelta } from '../../live/hub.ts';
import type { Member } from '../../db/members-repo.ts';
import { memberOf } from '../auth.ts';
import { hasRole } from '../../../contracts/policies.ts';
import type { HttpDeps } from '../context.ts';
import { route, routePlugin } from '../route.ts';

export const PING_MS = 15_000;
export const RECONNECT_MS = 1_000;
/** A client this far behind is dropped; it reconnects and gets a fresh snapshot. */
const MAX_BUFFERED_BYTES = 1 << 20;
const SNAPSHOT_EVENTS = 50;

export type LiveRoutesOptions = Pick<HttpDeps, 'views' | 'store' | 'hub' | 'presence' | 'devices'> & {
  /** Active alerts, for a host's snapshot. */
  activeAlerts: () => AlertView[];
};

export const liveRoutes = routePlugin<LiveRoutesOptions>((app, { views, store, hub, presence, devices, activeAlerts }) => {
  /** Device health is for hosts and operators: members never see it. */
  const seesDevices = (viewer: Member) => hasRole(viewer.role, 'host');

  const snapshot = (viewer: Member): LiveMessage => ({
    type: 'snapshot',
    doors: views.doors(viewer),
    desks: views.desks(),
    events: store.events.page(SNAPSHOT_EVENTS).map((r) => views.event(r, viewer)),
    gateways: presence.views(),
    ...(seesDevices(viewer) && { devices: devices.views(), alerts: activeAlerts() }),
  });

  const render = (delta: LiveDelta, viewer: Member): LiveMessage | null => {
    switch (delta.type) {
      case 'door': {
        const door = views.door(delta.door, viewer);
        return door && { type: 'door', door };
      }
      case 'desk': {
        const desk = views.desk(delta.desk);
        return desk && { type: 'desk', desk };
      }
      case 'event':
        return { type: 'event', event: views.event(delta.row, viewer) };
      case 'gateway': {
        const gateway = presence.view(delta.gateway);
        return gateway && { type: 'gateway', gateway };
      }
      case 'device': {
        if (!seesDevices(viewer)) return null;
        const device = devices.view(delta.device);
        return device && { type: 'device', device };
      }
      case 'enrolment':
        return hasRole(viewer.role, 'host') ? { type: 'enrolment', enrolment: delta.enrolment } : null;
      case 'alert':
        return hasRole(viewer.role, 'host') ? { type: 'alert', alert: delta.alert } : null;
    }
  };

  route(app, 'live', (request, reply) => {
    if (hub.closed) throw apiError('shutting-down', 'The server is restarting. Try again in a moment.');
    const user = memberOf(request);
    const userId = user.id;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      // The stream is the whole response: when it ends, the socket goes too (no lingering keep-alive).
      connection: 'close',
    });
    let done = false;
    const write = (chunk: string) => {
      if (done) return;
      res.write(chunk);
      if (res.writableLength > MAX_BUFFERED_BYTES) end();
    };
    const send = (msg: LiveMessage) => write(`data: ${JSON.stringify(msg)}\n\n`);
    // The browser's own reconnect after the stream drops (services restarting): 1 s, not its
    // default of 3–5 s, so events queued meanwhile reach the screen soon after (issue 13, finding 15).
    write(`retry: ${RECONNECT_MS}\n\n`);
    const listener = (delta: LiveDelta) => {
      // Re-read the viewer: a deactivated member stops receiving, a plan change shows at once.
      const viewer = store.members.byId(userId);
      if (!viewer?.active) return end();
      const msg = render(delta, viewer);
      if (msg) send(msg);
    };
    const ping = setInterval(() => write(': ping\n\n'), PING_MS);
    const detach = hub.attach(listener, { end: () => end() });
    function end(): void {
      if (done) return;
      done = true;
      clearInterval(ping);
      detach();
      res.end();
    }
    request.raw.on('close', end);
    res.on('close', end);
    res.on('error', end);
    send(snapshot(user));
  });
});
