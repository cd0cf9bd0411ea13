// POST /api/login, POST /api/logout, GET /api/me.
import { apiError } from '../../../contracts/errors.ts';
import type { FastifyInstance } from 'fastify';
import { ApiError, LoginBody, Me } from '../../../contracts/api/index.ts';
import type { Member } from '../../db/members-repo.ts';
import { verifyPassword } from '../../auth/password.ts';
import { memberOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';

/** Per IP: enough for a person who mistypes, too few for guessing. */
export const LOGIN_RATE = { max: 10, timeWindow: '1 minute' } as const;

export const toMe = (m: Member): Me => ({ id: m.id, name: m.name, email: m.email, role: m.role, presenceOptIn: m.presenceOptIn });

export function authRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { store, sessions, log } = ctx;

  app.post<{ Body: LoginBody }>(
    '/api/login',
    {
      schema: { tags: ['session'], summary: 'Log in; sets the session cookie', body: LoginBody, response: { 200: Me, '4xx': ApiError } },
      config: { access: 'public', rateLimit: LOGIN_RATE },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const found = store.members.withHashByEmail(email.trim());
      // Same work and same answer for an unknown email and a wrong password.
      const ok = await verifyPassword(password, found?.passwordHash ?? ctx.dummyHash);
      if (!found || !ok || !found.member.active) {
        log.info({ ip: request.ip }, 'login failed');
        throw apiError('invalid-credentials', 'Wrong email or password.');
      }
      sessions.create(request, reply, found.member);
      store.audit.write({ ts: ctx.now(), actor: found.member.id, action: 'session.login', target: null, source: request.ip });
      return toMe(found.member);
    },
  );

  app.post('/api/logout', { config: { access: 'public' }, schema: { tags: ['session'], summary: 'Log out', response: { '4xx': ApiError } } }, async (request, reply) => {
    sessions.destroy(request, reply);
    return reply.code(204).send();
  });

  app.get(
    '/api/me',
    { config: { access: 'member' }, schema: { tags: ['session'], summary: 'Who is logged in', response: { 200: Me, '4xx': ApiError } } },
    async (request) => toMe(memberOf(request)),
  );
}
