// POST /api/doors/:id/unlock (a member's Unlock button: plan and schedule apply) and
// POST /api/doors/:id/commands (hosts, operators and automation: unlock, hold, release, lock,
// lockdown). Both publish a signed, expiring command to the door's gateway.
import { apiError } from '../../../contracts/errors.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, UnlockAccepted, DoorCommandBody, IdParams } from '../../../contracts/api/index.ts';
import { unlockRefusal, type UnlockRefusal } from '../../access/policy.ts';
import { SESSION_COOKIE, hashToken } from '../session.ts';
import { actorId, memberOf } from '../auth.ts';
import { sendDoorCommand, unknownDoor } from '../door-commands.ts';
import type { ApiContext } from '../context.ts';

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

export function unlockRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { config, store } = ctx;
  const doors = new Set(config.doors.map((d) => d.id));
  const responses = { 202: UnlockAccepted, '4xx': ApiError, '5xx': ApiError };

  app.post<{ Params: { id: string } }>(
    '/api/doors/:id/unlock',
    {
      config: { access: 'member', rateLimit: UNLOCK_RATE },
      schema: { tags: ['doors'], summary: 'Unlock a door once, as the logged-in member', params: IdParams, response: responses },
    },
    async (request, reply) => {
      const user = memberOf(request);
      if (!doors.has(request.params.id)) throw unknownDoor();
      const now = ctx.now();
      const plan = user.plan ? store.plans.byId(user.plan) : undefined;
      const refusal = unlockRefusal(user, plan, request.params.id, { timeZone: config.site.timeZone, now, closures: store.plans.closures() });
      if (refusal) {
        store.audit.write({ ts: now, actor: user.id, action: 'door.unlock.refused', target: request.params.id, detail: { reason: refusal }, source: request.ip });
        throw apiError('not-allowed', REFUSAL_MESSAGE[refusal]);
      }
      const body = await sendDoorCommand(ctx, { door: request.params.id, action: 'unlock', actor: user.id, member: user.id, source: request.ip });
      return reply.code(202).send(body);
    },
  );

  app.post<{ Params: { id: string }; Body: DoorCommandBody }>(
    '/api/doors/:id/commands',
    {
      config: { access: 'host', automation: true, rateLimit: COMMAND_RATE },
      schema: {
        tags: ['doors'],
        summary: 'Send a door command: unlock, hold, release, lock or lockdown',
        params: IdParams,
        body: DoorCommandBody,
        response: responses,
      },
    },
    async (request, reply) => {
      const actor = actorId(request.actor)!;
      const body = await sendDoorCommand(ctx, {
        door: request.params.id,
        action: request.body.action,
        actor,
        source: request.ip,
        reason: request.body.reason,
      });
      return reply.code(202).send(body);
    },
  );
}
