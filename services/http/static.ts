// The built dashboard at `/`, with SPA fallback to index.html for non-API GETs. Without a
// build, a plain 503 says how to make one. Source maps are never served (the production build
// makes none; one copied in by hand stays private): a `.map` path is a plain 404.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { notFound } from './errors.ts';

export const NOT_BUILT = 'dashboard not built: run npm run build';

const isApi = (url: string) => url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
const isSourceMap = (url: string) => /\.map$/i.test(url.split(/[?#]/, 1)[0] ?? '');

export async function registerDashboard(app: FastifyInstance, dir: string): Promise<void> {
  const built = existsSync(join(dir, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: dir,
      index: 'index.html',
      wildcard: true,
      allowedPath: (pathName) => !isSourceMap(pathName),
    });
  } else {
    app.get('/', async (_req, reply) => reply.code(503).type('text/plain; charset=utf-8').send(NOT_BUILT));
  }
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const page = (request.method === 'GET' || request.method === 'HEAD') && !isApi(request.url) && !isSourceMap(request.url);
    if (!page) return reply.code(404).send(notFound());
    if (!built) return reply.code(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
}
