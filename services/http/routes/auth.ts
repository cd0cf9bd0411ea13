// POST /api/login, POST /api/logout, GET /api/me.
import type { FastifyReply } from 'fastify';
import { apiError } from '../../../contracts/errors.ts';
import type { Me } from '../../../contracts/api/index.ts';
import type { Member } from '../../db/members-repo.ts';
import type { SiteConfig } from '../../../config/schema.ts';
import { isCoordinator } from './network.ts';
import { verifyPassword } from '../../auth/password.ts';
import { clientBucket } from '../../auth/client-address.ts';
import { LoginLimiter, type LoginRefusal } from '../../auth/login-limiter.ts';
import { memberOf } from '../auth.ts';
import type { HttpDeps } from '../context.ts';
import { route, routePlugin } from '../route.ts';

/**
 * Per client, every login request, right or wrong: only a flood guard (each attempt costs a
 * password hash), far above what a space's members do behind one proxy. Guessing is held back by
 * the LoginLimiter (per account, and failures per client), which never refuses a right password
 * because of someone else's wrong ones.
 */
export const LOGIN_RATE = { max: 300, timeWindow: '1 minute' } as const;

// Only a member with an e-mail logs in (login is by e-mail; a guest has none): '' never shows.
/** The member as the dashboard knows them; `coordinator` only for a network coordinator (routes/network.ts). */
export const toMe = (m: Member, network?: SiteConfig['network']): Me => ({
  id: m.id,
  name: m.name,
  email: m.email ?? '',
  role: m.role,
  presenceOptIn: m.presenceOptIn,
  ...(isCoordinator(network, m.email) ? { coordinator: true } : {}),
});

export type AuthRoutesOptions = Pick<HttpDeps, 'store' | 'sessions' | 'log' | 'now' | 'dummyHash'> & {
  loginLimiter?: LoginLimiter;
  network?: SiteConfig['network'];
};

const MESSAGES: Record<LoginRefusal['reason'], string> = {
  account: 'Too many wrong passwords for this e-mail address.',
  client: 'Too many failed logins from your network.',
};

function refuse(reply: FastifyReply, r: LoginRefusal): never {
  reply.header('retry-after', String(r.retryAfterS));
  throw apiError('rate-limited', `${MESSAGES[r.reason]} Try again in ${r.retryAfterS} second${r.retryAfterS === 1 ? '' : 's'}.`);
}

export const authRoutes = routePlugin<AuthRoutesOptions>((app, o) => {
  const { store, sessions, log } = o;
  const limiter = o.loginLimiter ?? new LoginLimiter();

  route(
    app,
    'login',
    async (request, reply) => {
      const { email, password } = request.body;
      const waiting = limiter.before(email, o.now());
      if (waiting) refuse(reply, waiting);
      const found = store.members.withHashByEmail(email.trim());
      // Same work and same answer for an unknown email and a wrong password.
      const ok = await verifyPassword(password, found?.passwordHash ?? o.dummyHash);
      if (!found || !ok || !found.member.active) {
        log.info({ ip: request.ip }, 'login failed');
        const over = limiter.failed(email, clientBucket(request.ip), o.now());
        if (over) refuse(reply, over);
        throw apiError('invalid-credentials', 'Wrong email or password.');
      }
      limiter.succeeded(email);
      sessions.create(request, reply, found.member, found.sessionGeneration);
      store.audit.write({ ts: o.now(), actor: found.member.id, action: 'session.login', target: null, source: request.ip });
      return toMe(found.member, o.network);
    },
    { rateLimit: LOGIN_RATE },
  );

  route(app, 'logout', async (request, reply) => {
    sessions.destroy(request, reply);
  });

  route(app, 'me', (request) => toMe(memberOf(request), o.network));
});
