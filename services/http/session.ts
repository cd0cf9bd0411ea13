// Login sessions: a random 32-byte token in an httpOnly SameSite=Strict cookie; the database
// holds only its sha256 and the member's session generation at login (sessions-repo.ts). The
// access check (auth.ts) asks `member()` who is behind a request.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../db/store.ts';
import type { Member } from '../db/members-repo.ts';

export const SESSION_COOKIE = 'ss_session';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface Sessions {
  /** A new session; `generation` is the member's session generation read with the password hash. */
  create(request: FastifyRequest, reply: FastifyReply, member: Member, generation?: number): void;
  destroy(request: FastifyRequest, reply: FastifyReply): void;
  /**
   * The request's own session, after its member changed their own password or role: it ends
   * like the others, and a fresh one of the new generation takes its place (an active member's).
   */
  renew(request: FastifyRequest, reply: FastifyReply, member: string): void;
  /** The active member behind the request's session cookie, if any. */
  member(request: FastifyRequest): Member | undefined;
}

export function createSessions(store: Store, ttlH: number, now: () => number): Sessions {
  const ttlMs = Math.round(ttlH * 3600_000);
  const sessions: Sessions = {
    create(request, reply, member, generation) {
      const token = randomBytes(32).toString('base64url');
      const t = now();
      store.sessions.purgeExpired(t);
      store.sessions.insert(hashToken(token), member.id, t, t + ttlMs, generation);
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
    renew(request, reply, memberId) {
      const member = store.members.byId(memberId);
      if (!member?.active) return sessions.destroy(request, reply);
      const token = request.cookies[SESSION_COOKIE];
      if (token) store.sessions.remove(hashToken(token));
      sessions.create(request, reply, member);
    },
    member(request) {
      const token = request.cookies[SESSION_COOKIE];
      const memberId = token ? store.sessions.memberFor(hashToken(token), now()) : undefined;
      const member = memberId ? store.members.byId(memberId) : undefined;
      return member?.active ? member : undefined;
    },
  };
  return sessions;
}
