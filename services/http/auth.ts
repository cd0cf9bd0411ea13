// Who may call which route. Every /api route declares `config.access` (public, member, host
// or operator; each role includes the ones before it) and optionally `config.automation` (the
// Node-RED bearer token may call it too). An onRoute hook installs the check as the route's
// first onRequest hook — before the body is parsed or validated — and refuses to register an
// /api route that declares nothing, so no route can forget. A catalogue route outside /api
// (`/metrics`) declares its access the same way and gets the same check.
import { apiError } from '../../contracts/errors.ts';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, RouteOptions, onRequestHookHandler } from 'fastify';
import type { Access } from '../../contracts/routes.ts';
import { ROLE_RANK } from '../../contracts/policies.ts';
import type { Member } from '../db/members-repo.ts';

export type { Access };
export { ROLE_RANK };

export type Actor = { kind: 'member'; member: Member } | { kind: 'automation' };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** The automation bearer token may call this route. */
    automation?: boolean;
  }
  interface FastifyRequest {
    /** Who is calling: a logged-in member or automation; null on public routes. */
    actor: Actor | null;
  }
  interface FastifyInstance {
    /** Every /api route and who may call it (filled as routes register). */
    routeAccess: RouteAccess[];
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
  automation: boolean;
}

export interface AuthOptions {
  /** The member behind the request's session cookie, if any (active members only). */
  sessionMember(request: FastifyRequest): Member | undefined;
  automationToken: string | undefined;
  /** A bearer-token request was refused (wrong token, or a route automation may not use): audit it. */
  onTokenRefused?(request: FastifyRequest, error: 'invalid-token' | 'forbidden'): void;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Audit name of an actor. */
export const actorId = (a: Actor | null): string | null => (a === null ? null : a.kind === 'automation' ? 'automation' : a.member.id);

/** The logged-in member (routes with access member or above, without automation). */
export function memberOf(request: FastifyRequest): Member {
  const a = request.actor;
  if (a?.kind !== 'member') throw apiError('forbidden', 'This needs a member login.');
  return a.member;
}

function checker(access: Exclude<Access, 'public'>, automation: boolean, opts: AuthOptions): onRequestHookHandler {
  const tokenDigest = opts.automationToken ? digest(opts.automationToken) : null;
  /** Who the request comes from, or a refusal thrown as the route's error. */
  const identify = (request: FastifyRequest): Actor => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      // Compare digests: neither length nor content leaks through timing.
      const ok = m !== null && tokenDigest !== null && timingSafeEqual(digest(m[1]!), tokenDigest);
      if (!ok) {
        opts.onTokenRefused?.(request, 'invalid-token');
        throw apiError('invalid-token', 'The bearer token is not valid.');
      }
      if (!automation) {
        opts.onTokenRefused?.(request, 'forbidden');
        throw apiError('forbidden', 'Automation may not use this route.');
      }
      return { kind: 'automation' };
    }
    const member = opts.sessionMember(request);
    if (!member) throw apiError('unauthenticated', 'Log in first.');
    if (ROLE_RANK[member.role] < ROLE_RANK[access]) throw apiError('forbidden', `This needs the ${access} role.`);
    return { kind: 'member', member };
  };
  // Callback form: nothing here waits. Fastify's hook runner turns a throw into the route's error.
  return function authenticate(request, _reply, done) {
    request.actor = identify(request);
    done();
  };
}

const isApi = (url: string) => url === '/api' || url.startsWith('/api/');

/** Installs the access check. Call before registering any route (and before the rate limiter). */
export function installAuth(app: FastifyInstance, opts: AuthOptions): void {
  app.decorateRequest('actor', null);
  const table: RouteAccess[] = [];
  app.decorate('routeAccess', table);
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = (route.config ?? {}) as { access?: Access; automation?: boolean };
    if (!isApi(route.url) && config.access === undefined) return;
    const access = config.access;
    if (access === undefined) throw new Error(`route ${[route.method].flat().join(',')} ${route.url} declares no config.access`);
    for (const method of [route.method].flat()) table.push({ method, url: route.url, access, automation: config.automation === true });
    const schema = (route.schema ??= {}) as Record<string, unknown>;
    const who = access === 'public' ? 'anyone' : `${access} or above${config.automation ? ', or the automation token' : ''}`;
    // The HEAD route Fastify adds for a GET shares its schema: write the line once.
    const note = `Access: ${who}.`;
    const described = typeof schema.description === 'string' ? schema.description : '';
    if (!described.includes(note)) schema.description = [described, note].filter(Boolean).join('\n\n');
    if (access === 'public') return;
    schema.security = config.automation ? [{ cookieAuth: [] }, { bearerAuth: [] }] : [{ cookieAuth: [] }];
    const check = checker(access, config.automation === true, opts);
    const existing = route.onRequest;
    route.onRequest = existing === undefined ? [check] : [check, ...(Array.isArray(existing) ? existing : [existing])];
  });
}
