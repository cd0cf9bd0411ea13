// POST /api/doors/:id/unlock (a member's Unlock button: plan and schedule apply) and
// POST /api/doors/:id/commands (hosts, operators and automation: unlock, hold, release, lock,
// lockdown). Both publish a signed, expiring command to the door's gateway.
import type { FastifyRequest } from 'fastify';
import { apiError } from '../../../contracts/errors.ts';
import type { SiteConfig } from '../../../config/schema.ts';
import { unlockRefusal, type UnlockRefusal } from '../../access/policy.ts';
import { SESSION_COOKIE, hashToken } from '../session.ts';
import { actorId, memberOf } from '../auth.ts';
import { unknownDoor, type SendDoorCommand } from '../door-commands.ts';
import type { HttpDeps } from '../context.ts';
import { route, routePlugin } from '../route.ts';

/** Per session (or per token, or per IP): a person presses Unlock a few times, not dozens. */
export const UNLOCK_RATE = {
  max: 10,
  timeWindow: '1 minute',
  keyGenerator: (req: FastifyRequest): string => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) return `s:${hashToken(token)}`;
    return req.headers.authorization ? `t:${hashToken(req.headers.authorization)}` : `ip:${req.ip}`;
  },
};

/** Automation and hosts send commands from rules; a runaway rule is held at 60 a minute. */
export const COMMAND_RATE = { ...UNLOCK_RATE, max: 60 };

const REFUSAL_MESSAGE: Record<UnlockRefusal, string> = {
  inactive: 'Your membership is not active. Ask the host.',
  'no-plan': 'You have no plan that opens doors. Ask the host.',
  'plan-not-valid': 'Your plan is not valid today. Ask the host.',
  closed: 'The space is closed today for your plan.',
  'door-not-in-plan': 'Your plan does not include this door.',
  'outside-schedule': 'Your plan does not open this door at this time.',
};

export type UnlockRoutesOptions = Pick<HttpDeps, 'store' | 'now'> & {
  config: Pick<SiteConfig, 'doors' | 'site'>;
  sendDoorCommand: SendDoorCommand;
};

export const unlockRoutes = routePlugin<UnlockRoutesOptions>((app, o) => {
  const { config, store } = o;
  const doors = new Set(config.doors.map((d) => d.id));

  route(
    app,
    'unlock',
    async (request) => {
      const user = memberOf(request);
      if (!doors.has(request.params.id)) throw unknownDoor();
      const now = o.now();
      const plan = user.plan ? store.plans.byId(user.plan) : undefined;
      const refusal = unlockRefusal(user, plan, request.params.id, { timeZone: config.site.timeZone, now, closures: store.plans.closures() });
      if (refusal) {
        store.audit.write({
          ts: now,
          actor: user.id,
          action: 'door.unlock.refused',
          target: request.params.id,
          detail: { reason: refusal },
          source: request.ip,
        });
        throw apiError('not-allowed', REFUSAL_MESSAGE[refusal]);
      }
      return o.sendDoorCommand({ door: request.params.id, action: 'unlock', actor: user.id, member: user.id, source: request.ip });
    },
    { rateLimit: UNLOCK_RATE },
  );

  route(
    app,
    'doorCommand',
    async (request) =>
      o.sendDoorCommand({
        door: request.params.id,
        action: request.body.action,
        actor: actorId(request.actor)!,
        source: request.ip,
        reason: request.body.reason,
      }),
    { rateLimit: COMMAND_RATE },
  );
});
