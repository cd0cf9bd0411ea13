// The Fastify instance: plugins, access control, OpenAPI, error handling, routes. Built, not
// listening.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { apiError } from '../../contracts/errors.ts';
import { installErrorHandlers } from './errors.ts';
import { installAuth } from './auth.ts';
import { clientBucket } from '../auth/client-address.ts';
import { DEFAULT_TALLY } from '../db/audit-repo.ts';
import { registerDashboard } from './static.ts';
import { docsAccess, docsCsp, installCrossSiteCheck, installSecurityHeaders, viewerOf } from './security.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { authRoutes } from './routes/auth.ts';
import { siteRoutes } from './routes/site.ts';
import { unlockRoutes } from './routes/unlock.ts';
import { liveRoutes } from './routes/live.ts';
import { memberRoutes } from './routes/members.ts';
import { planRoutes } from './routes/plans.ts';
import { credentialRoutes, pinFingerprint } from './routes/credentials.ts';
import { bookingRoutes } from './routes/bookings.ts';
import { auditRoutes } from './routes/audit.ts';
import { meRoutes } from './routes/me.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { networkRoutes } from './routes/network.ts';
import { alertRoutes } from './routes/alerts.ts';
import { sensorRoutes } from './routes/sensors.ts';
import { publicRoutes } from './routes/public.ts';
import { createPublicAvailability } from '../public/availability.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { sendDoorCommand } from './door-commands.ts';
import { DeviceCommands } from './device-commands.ts';
import { deviceCommandRoutes } from './routes/device-commands.ts';
import type { AdminDeps, HttpDeps } from './context.ts';
export const OPENAPI_INFO = {
  title: 'smartspace API',
  description:
    'Access and occupancy for a coworking space. Members log in (`POST /api/login`, a session cookie); ' +
    'hosts and operators administer; automation (Node-RED) uses `Authorization: Bearer <automationToken>` ' +
    'on the routes that say so. Errors are `{error, message}`.',
  version: '1',
};

/**
 * The HTTP API, built and not listening: plugins, access check, OpenAPI, error handling, and one
 * Fastify plugin per resource, each given only what its routes use (no secrets: the routes get a
 * door-command sender and a PIN fingerprinter instead of keys).
 */
export async function buildHttp(ctx: HttpDeps): Promise<FastifyInstance> {
  const { tls, trustProxy, hstsMaxAgeS } = ctx.config.services.http;
  const app = Fastify({
    // HTTPS without a certificate yet: the services set it (setSecureContext) when they start
    // listening, and again on SIGHUP; building opens no file.
    ...(tls ? { https: {} } : {}),
    // Named proxies only (never `true`): from anyone else X-Forwarded-* change nothing, so a
    // client cannot pick its own address to dodge the rate limits.
    ...(trustProxy ? { trustProxy: [...trustProxy] } : {}),
    loggerInstance: ctx.log,
    // Requests are not logged one by one; failures are (errors.ts).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // Hijacked SSE replies are ended by the live hub before close; anything else idle goes at once.
    forceCloseConnections: 'idle',
  }) as unknown as FastifyInstance;
  // A bodiless POST (logout, unlock) that still says `content-type: application/json` is not a
  // client error: treat it as having no body instead of answering FST_ERR_CTP_EMPTY_JSON_BODY.
  app.addHook('onRequest', (request, _reply, done) => {
    const h = request.headers;
    if (h['content-length'] === '0' && h['transfer-encoding'] === undefined) delete h['content-type'];
    done();
  });
  // Security headers on every reply and the cross-site check on every state-changing request,
  // both ahead of every route's own hooks (services/http/security.ts).
  installSecurityHeaders(app, { hstsMaxAgeS });
  installCrossSiteCheck(app);
  installErrorHandlers(app, ctx.log);
  await app.register(fastifyCookie);
  // Before the rate limiter and the routes: the access check is every route's first hook.
  installAuth(app, {
    sessionMember: (request) => ctx.sessions.member(request),
    automationToken: ctx.secrets.automationToken,
    // A refused automation call is an action someone tried: it belongs in the audit trail, as
    // counts (one row per kind, route and client a minute: anyone can send these).
    onTokenRefused: (request, error) =>
      ctx.store.audit.tally({
        ts: ctx.now(),
        actor: error === 'invalid-token' ? null : 'automation',
        action: 'api.refused',
        target: `${request.method} ${request.routeOptions.url ?? request.url}`,
        detail: { error },
        source: clientBucket(request.ip),
      }),
  });
  // Counts are written each minute, and at shutdown (the store closes after the HTTP server).
  let flushRefusals: NodeJS.Timeout | undefined;
  const flushTallies = () => {
    try {
      ctx.store.audit.flushTallies();
    } catch (err) {
      ctx.log.warn({ err: (err as Error).message }, 'refused-request counts not written');
    }
  };
  app.addHook('onReady', (done) => {
    flushRefusals = setInterval(flushTallies, DEFAULT_TALLY.intervalMs).unref();
    done();
  });
  app.addHook('onClose', (_app, done) => {
    clearInterval(flushRefusals);
    flushTallies();
    done();
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: OPENAPI_INFO,
      components: {
        securitySchemes: {
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'ss_session' },
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'The automation token (secrets: automationToken).' },
        },
      },
    },
  });
  // Staff (host, operator, automation) see the full health and the docs.
  const viewer = viewerOf({ sessionMember: (request) => ctx.sessions.member(request), automationToken: ctx.secrets.automationToken });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    transformStaticCSP: docsCsp,
    ...(!ctx.config.services.http.publicDocs && { uiHooks: { onRequest: docsAccess(viewer) } }),
  });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) => apiError('rate-limited', `Too many attempts. Try again in ${context.after}.`),
  });
  const { config, store, now, secrets } = ctx;
  const admin: AdminDeps = { store, now, config, accessLists: ctx.accessLists };
  const doorCommand = { presence: ctx.presence, store, log: ctx.log, now, publish: ctx.publish, config, keyOf: (gw: string) => secrets.gateways[gw]?.key };
  await app.register(healthRoutes, {
    presence: ctx.presence,
    devices: ctx.devices,
    brokerClients: ctx.brokerClients,
    ingress: ctx.ingress,
    ingest: ctx.ingest,
    history: ctx.history,
    now,
    startedAt: ctx.startedAt,
    siteId: config.site.id,
    viewer,
  });
  await app.register(metricsRoutes, {
    presence: ctx.presence,
    devices: ctx.devices,
    brokerClients: ctx.brokerClients,
    ingress: ctx.ingress,
    ingest: ctx.ingest,
    history: ctx.history,
    linkReconnects: ctx.linkReconnects ?? (() => 0),
  });
  await app.register(authRoutes, {
    store,
    sessions: ctx.sessions,
    log: ctx.log,
    now,
    dummyHash: ctx.dummyHash,
    loginLimiter: ctx.loginLimiter,
    network: config.network,
  });
  await app.register(siteRoutes, { views: ctx.views, store, devices: ctx.devices, config });
  await app.register(unlockRoutes, { store, now, config, sendDoorCommand: (req) => sendDoorCommand(doorCommand, req) });
  await app.register(deviceCommandRoutes, { deviceCommands: ctx.deviceCommands ?? new DeviceCommands(doorCommand) });
  await app.register(liveRoutes, {
    views: ctx.views,
    store,
    hub: ctx.hub,
    presence: ctx.presence,
    devices: ctx.devices,
    activeAlerts: () => ctx.alerts.active(),
  });
  await app.register(memberRoutes, { ...admin, erase: ctx.erase, sessions: ctx.sessions });
  await app.register(planRoutes, admin);
  await app.register(credentialRoutes, { ...admin, enrolments: ctx.enrolments, pinFingerprint: (pin) => pinFingerprint(secrets.siteKey, pin) });
  await app.register(bookingRoutes, { ...admin, config, notice: ctx.notice, pinFingerprint: (pin) => pinFingerprint(secrets.siteKey, pin) });
  await app.register(auditRoutes, { store, site: config.site });
  await app.register(meRoutes, { store, now, erase: ctx.erase, accessLists: ctx.accessLists, sessions: ctx.sessions, config });
  await app.register(analyticsRoutes, { analytics: ctx.analytics, config });
  await app.register(networkRoutes, { config, ...(ctx.networkView ? { networkView: ctx.networkView } : {}) });
  await app.register(alertRoutes, { alerts: ctx.alerts });
  await app.register(sensorRoutes, { sensors: ctx.sensors });
  // Off by default: without it the public paths are unknown (404, or the dashboard for a browser, as any path).
  if (config.public.enabled) {
    const availability = createPublicAvailability({ config, views: ctx.views, store, analytics: ctx.analytics, now, log: ctx.log });
    await app.register(publicRoutes, { availability, config });
  }
  await app.register(webhookRoutes, { webhooks: ctx.webhooks });
  await registerDashboard(app, ctx.dashboardDir);
  return app;
}
