// What every reply says to the browser about itself, and which browser requests may change
// anything. Installed once in buildHttp, before any route: every reply — the dashboard's HTML and
// assets, the API's JSON, the docs, a 404 — carries the same headers, and every state-changing
// request passes the same cross-site check before its route's access check, body or handler.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import { apiError } from '../../contracts/errors.ts';
import { hasRole } from '../../contracts/policies.ts';
import type { Role } from '../../contracts/api/common.ts';

/**
 * The Content-Security-Policy: this origin's files only, no inline script or style, no plugins,
 * never inside a frame. The built dashboard passes it (Vite emits only external scripts and
 * stylesheets; Lit's component styles are constructed stylesheets, which CSP does not govern),
 * and so does Swagger UI at /docs but for one inline style (docsCsp).
 * No `upgrade-insecure-requests`: a space without TLS serves the dashboard over plain HTTP on its
 * LAN, and the browser would ask for every asset over HTTPS. HSTS does that job once TLS is on.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:'],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
} as const;

/**
 * The docs' policy: Swagger UI's bundle adds a `<style>` element of its own at run time, so /docs
 * allows inline style (never inline script). Only the docs' routes get it; they show no one's data.
 */
export const docsCsp = (header: string): string => header.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

export interface SecurityOptions {
  /** Strict-Transport-Security max-age on HTTPS replies; 0 sends none. */
  hstsMaxAgeS: number;
}

/**
 * The headers helmet sends with our options, worked out once. Helmet is a connect middleware that
 * builds its policy (parsing every CSP directive) each time it is made. @fastify/helmet makes it
 * anew for every request: measured with npm run bench:security, API p99 at 200 requests/s went
 * from 2-6 ms to 16-27 ms with it, and back to 2-4 ms this way. Our policy does not depend on the
 * request, so helmet runs once here against a recorder, and every reply gets the recorded headers.
 */
export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  let failed: unknown;
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { ...CSP_DIRECTIVES } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Helmet would send HSTS on every reply, plain HTTP on the LAN included; ours below only
    // when the browser really spoke HTTPS.
    strictTransportSecurity: false,
  })({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => (failed = err));
  if (failed) throw failed instanceof Error ? failed : new Error(`helmet: ${JSON.stringify(failed)}`);
  return headers;
}

/** Security headers on every reply: CSP, X-Frame-Options, nosniff, Referrer-Policy, HSTS over HTTPS. */
export function installSecurityHeaders(app: FastifyInstance, o: SecurityOptions): void {
  const headers = securityHeaders();
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  // Browsers remember to come back over HTTPS only (phones on the space's Wi-Fi included).
  // request.protocol is https on a TLS socket, or from a trusted proxy's X-Forwarded-Proto.
  if (o.hstsMaxAgeS > 0) {
    const hsts = `max-age=${o.hstsMaxAgeS}`;
    app.addHook('onSend', (request, reply, _payload, done) => {
      if (request.protocol === 'https') reply.header('strict-transport-security', hsts);
      done();
    });
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Scheme, host and port, normalised as a browser writes an Origin header; undefined when it is none. */
function originOf(s: string): string | undefined {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The site's own origin as the browser sees it: the Host header and the connection's scheme, or
 * X-Forwarded-Host and -Proto when they come from a proxy in `services.http.trustProxy`
 * (Fastify's request.host and request.protocol believe nobody else).
 */
export const ownOrigin = (request: FastifyRequest): string | undefined => originOf(`${request.protocol}://${request.host}`);

/**
 * Why a browser request must not change anything here, or undefined when it may. Browsers say
 * where a request comes from (Sec-Fetch-Site, Origin) and a page cannot forge either; a request
 * that says neither is not a browser's cross-site request (curl, the CLI, Node-RED, a gateway).
 */
export function crossSiteReason(request: FastifyRequest): string | undefined {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return `Sec-Fetch-Site says ${site}`;
  const origin = request.headers.origin;
  if (origin === undefined) return undefined;
  const own = ownOrigin(request);
  if (own !== undefined && originOf(origin) === own) return undefined;
  return `Origin ${origin} is not this site, ${own ?? request.host}; behind a reverse proxy, name it in services.http.trustProxy`;
}

/**
 * Refuses a state-changing request (POST, PUT, PATCH, DELETE) that a browser sent from another
 * site: 403 `cross-site`, before the route's access check, body parsing or handler. One hook
 * for every route, so a new route cannot forget it.
 */
export function installCrossSiteCheck(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (!STATE_CHANGING.has(request.method)) return done();
    const reason = crossSiteReason(request);
    if (reason === undefined) return done();
    done(apiError('cross-site', `Refused: a page on another site sent this request (${reason}).`));
  });
}

export interface StaffOptions {
  /** The member behind the request's session cookie, if any (active members only). */
  sessionMember(request: FastifyRequest): { role: Role } | undefined;
  automationToken: string | undefined;
}

/** Who is asking, for what only the site's staff see (the full health, the docs). */
export type Viewer = 'staff' | 'member' | 'anonymous';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Staff: a host or operator logged in, or the automation token (Node-RED, monitoring). Public
 * routes have no access check of their own, so this looks at the cookie and the bearer token
 * itself; a wrong token is simply not staff here (no audit row: the request is answered anyway).
 */
export function viewerOf(o: StaffOptions): (request: FastifyRequest) => Viewer {
  const token = o.automationToken ? digest(o.automationToken) : null;
  return (request) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (m && token && timingSafeEqual(digest(m[1]!), token)) return 'staff';
    const member = o.sessionMember(request);
    if (!member) return 'anonymous';
    return hasRole(member.role, 'host') ? 'staff' : 'member';
  };
}

/**
 * The docs' access check (Swagger UI and its OpenAPI JSON): staff only, unless the site made them
 * public (services.http.publicDocs). They list every route and error a caller could try.
 */
export function docsAccess(viewer: (request: FastifyRequest) => Viewer): onRequestHookHandler {
  return (request, _reply, done) => {
    const who = viewer(request);
    if (who === 'staff') return done();
    done(
      who === 'anonymous'
        ? apiError('unauthenticated', 'Log in as a host or operator to read the API docs.')
        : apiError('forbidden', 'The API docs are for hosts and operators.'),
    );
  };
}
