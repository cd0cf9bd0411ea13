// Login sessions: a random 32-byte token in an httpOnly SameSite=Strict cookie; the database
// holds only its sha256. `requireUser` is the preHandler of every authenticated route.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../db/store.ts';
import type { Member } from '../db/members-repo.ts';
import { HttpError } from './errors.ts';

export const SESSION_COOKIE = 'ss_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in member, set by requireUser. */
    user: Member | null;
  }
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface Sessions {
  create(request: FastifyRequest, reply: FastifyReply, member: Member): void;
  destroy(request: FastifyRequest, reply: FastifyReply): void;
  requireUser(request: FastifyRequest): Promise<void>;
}

export function createSessions(store: Store, ttlH: number, now: () => number): Sessions {
  const ttlMs = Math.round(ttlH * 3600_000);
  return {
    create(request, reply, member) {
      const token = randomBytes(32).toString('base64url');
      const t = now();
      store.sessions.purgeExpired(t);
      store.sessions.insert(hashToken(token), member.id, t, t + ttlMs);
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        maxAge: Math.floor(ttlMs / 1000),
        secure: request.protocol === 'https',
      });
    },
    destroy(request, reply) {
      const token = request.cookies[SESSION_COOKIE];
      if (token) store.sessions.remove(hashToken(token));
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict' });
    },
    async requireUser(request) {
      const token = request.cookies[SESSION_COOKIE];
      const memberId = token ? store.sessions.memberFor(hashToken(token), now()) : undefined;
      const member = memberId ? store.members.byId(memberId) : undefined;
      if (!member || !member.active) throw new HttpError(401, 'unauthenticated', 'Log in first.');
      request.user = member;
    },
  };
}
