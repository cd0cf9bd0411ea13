// POST /api/doors/:id/unlock: checks session, plan and schedule, then publishes a signed,
// expiring command to the door's gateway (ARCHITECTURE.md, flow 2).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ApiError, UnlockAccepted } from '../../../contracts/api.ts';
import { ID_PATTERN, topics } from '../../../contracts/topics.ts';
import { PAYLOAD_VERSION, type DoorCommand } from '../../../contracts/payloads.ts';
import { sign } from '../../../contracts/signing.ts';
import { unlockRefusal, type UnlockRefusal } from '../../access/policy.ts';
import { HttpError } from '../errors.ts';
import { SESSION_COOKIE, hashToken } from '../session.ts';
import type { ApiContext } from '../context.ts';

const Params = Type.Object({ id: Type.String({ pattern: ID_PATTERN }) });

/** Per session (or per IP without one): a person presses Unlock a few times, not dozens. */
export const UNLOCK_RATE = {
  max: 10,
  timeWindow: '1 minute',
  keyGenerator: (req: FastifyRequest): string => {
    const token = req.cookies[SESSION_COOKIE];
    return token ? `s:${hashToken(token)}` : `ip:${req.ip}`;
  },
};

const REFUSAL_MESSAGE: Record<UnlockRefusal, string> = {
  inactive: 'Your membership is not active. Ask the host.',
  'no-plan': 'You have no plan that opens doors. Ask the host.',
  'door-not-in-plan': 'Your plan does not include this door.',
  'outside-schedule': 'Your plan does not open this door at this time.',
};

export function unlockRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { config, secrets, store, presence, sessions, log } = ctx;
  const t = topics(config.site.id);
  const doors = new Map(config.doors.map((d) => [d.id, d]));

  app.post<{ Params: { id: string } }>(
    '/api/doors/:id/unlock',
    {
      preHandler: sessions.requireUser,
      config: { rateLimit: UNLOCK_RATE },
      schema: { params: Params, response: { 202: UnlockAccepted, '4xx': ApiError, '5xx': ApiError } },
    },
    async (request, reply) => {
      const user = request.user!;
      const door = doors.get(request.params.id);
      if (!door) throw new HttpError(404, 'unknown-door', 'There is no such door.');
      const now = ctx.now();
      const plan = user.plan ? store.members.planById(user.plan) : undefined;
      const refusal = unlockRefusal(user, plan, door.id, config.site.timeZone, now);
      const audit = (action: string, detail: Record<string, unknown>) =>
        store.audit.write({ ts: now, actor: user.id, action, target: door.id, detail, ip: request.ip });
      if (refusal) {
        audit('door.unlock.refused', { reason: refusal });
        throw new HttpError(403, 'not-allowed', REFUSAL_MESSAGE[refusal]);
      }
      const offline = () => new HttpError(503, 'door-offline', 'The door is offline — try your card or call the host.');
      const key = secrets.gateways[door.gateway]?.key;
      if (!presence.isOnline(door.gateway) || !key) throw offline();
      const unsigned: Omit<DoorCommand, 'sig'> = {
        v: PAYLOAD_VERSION,
        ts: now,
        id: randomUUID(),
        door: door.id,
        action: 'unlock',
        exp: now + config.services.commandTtlMs,
        member: user.id,
      };
      const command = sign(unsigned, key);
      try {
        await ctx.publish(t.doorCommand(door.id), command, { qos: 1, retain: false });
      } catch (err) {
        log.warn({ err, door: door.id, commandId: command.id }, 'unlock command not published');
        throw offline();
      }
      audit('door.unlock', { commandId: command.id, exp: command.exp });
      log.info({ door: door.id, member: user.id, commandId: command.id }, 'remote unlock sent');
      const body: UnlockAccepted = { commandId: command.id, action: 'unlock', exp: command.exp };
      return reply.code(202).send(body);
    },
  );
}
