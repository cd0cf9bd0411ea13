// POST /api/login, POST /api/logout, GET /api/me.
import { apiError } from '../../../contracts/errors.ts';
import type { Me } from '../../../contracts/api/index.ts';
import type { Member } from '../../db/members-repo.ts';
import { verifyPassword } from '../../auth/password.ts';
import { memberOf } from '../auth.ts';
import type { HttpDeps } from '../context.ts';
import { route, routePlugin } from '../route.ts';

/** Per IP: enough for a person who mistypes, too few for guessing. */
export const LOGIN_RATE = { max: 10, timeWindow: '1 minute' } as const;

export const toMe = (m: Member): Me => ({ id: m.id, name: m.name, email: m.email, role: m.role, presenceOptIn: m.presenceOptIn });

export type AuthRoutesOptions = Pick<HttpDeps, 'store' | 'sessions' | 'log' | 'now' | 'dummyHash'>;

export const authRoutes = routePlugin<AuthRoutesOptions>((app, o) => {
  const { store, sessions, log } = o;

  route(
    app,
    'login',
    async (request, reply) => {
      const { email, password } = request.body;
      const found = store.members.withHashByEmail(email.trim());
      // Same work and same answer for an unknown email and a wrong password.
      const ok = await verifyPassword(password, found?.passwordHash ?? o.dummyHash);
      if (!found || !ok || !found.member.active) {
        log.info({ ip: request.ip }, 'login failed');
        throw apiError('invalid-credentials', 'Wrong email or password.');
      }
      sessions.create(request, reply, found.member);
      store.audit.write({ ts: o.now(), actor: found.member.id, action: 'session.login', target: null, source: request.ip });
      return toMe(found.member);
    },
    { rateLimit: LOGIN_RATE },
  );

  route(app, 'logout', async (request, reply) => {
    sessions.destroy(request, reply);
  });

  route(app, 'me', (request) => toMe(memberOf(request)));
});
