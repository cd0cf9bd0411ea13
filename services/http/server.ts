// The Fastify instance: plugins, error handling, routes. Built, not listening.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import { HttpError, installErrorHandlers } from './errors.ts';
import { registerDashboard } from './static.ts';
import { healthRoutes } from './routes/health.ts';
import { authRoutes } from './routes/auth.ts';
import { siteRoutes } from './routes/site.ts';
import { unlockRoutes } from './routes/unlock.ts';
import { liveRoutes } from './routes/live.ts';
import type { ApiContext } from './context.ts';

export async function createHttp(ctx: ApiContext, dashboardDir: string): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log,
    // Requests are not logged one by one; failures are (errors.ts).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // Hijacked SSE replies are ended by the live hub before close; anything else idle goes at once.
    forceCloseConnections: 'idle',
  }) as unknown as FastifyInstance;
  app.decorateRequest('user', null);
  // A bodiless POST (logout, unlock) that still says `content-type: application/json` is not a
  // client error: treat it as having no body instead of answering FST_ERR_CTP_EMPTY_JSON_BODY.
  app.addHook('onRequest', async (request) => {
    const h = request.headers;
    if (h['content-length'] === '0' && h['transfer-encoding'] === undefined) delete h['content-type'];
  });
  installErrorHandlers(app, ctx.log);
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) =>
      new HttpError(context.statusCode, 'rate-limited', `Too many attempts. Try again in ${context.after}.`),
  });
  healthRoutes(app, ctx);
  authRoutes(app, ctx);
  siteRoutes(app, ctx);
  unlockRoutes(app, ctx);
  liveRoutes(app, ctx);
  await registerDashboard(app, dashboardDir);
  return app;
}
