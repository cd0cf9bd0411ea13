// Login sessions: a random 32-byte token in an httpOnly SameSite=Strict cookie; the database
// holds only its sha256. The access check (auth.ts) asks `member()` who is behind a request.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../db/store.ts';
import type { Member } from '../db/members-repo.ts';

export const SESSION_COOKIE = 'ss_session';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface Sessions {
  create(request: FastifyRequest, reply: FastifyReply, member: Member): void;
  destroy(request: FastifyRequest, reply: FastifyReply): void;
  /** The active member behind the request's session cookie, if any. */
  member(request: FastifyRequest): Member | undefined;
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
    member(request) {
      const token = request.cookies[SESSION_COOKIE];
      const memberId = token ? store.sessions.memberFor(hashToken(token), now()) : undefined;
      const member = memberId ? store.members.byId(memberId) : undefined;
      return member?.active ? member : undefined;
    },
  };
}
