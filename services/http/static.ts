// The built dashboard at `/`, with SPA fallback to index.html for a page a browser navigates to
// (it asks for text/html) at a path without a file extension: `/floor` after a reload. Anything
// else unknown is a plain 404, so a monitor probing `/metrics` on the wrong port, a script
// fetching `/status`, or a missing `/app.js` is told so rather than handed the app's HTML with a
// 200. Without a build, a plain 503 says how to make one. Source maps are never served (the
// production build makes none; one copied in by hand stays private): a `.map` path is a 404.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { notFound } from './errors.ts';

export const NOT_BUILT = 'dashboard not built: run npm run build';

const isApi = (url: string) => url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
const pathOf = (url: string) => url.split(/[?#]/, 1)[0] ?? '';
const isSourceMap = (url: string) => /\.map$/i.test(pathOf(url));
/** A file, not a screen: the last segment has an extension (`app.js`, `robots.txt`). */
const isFile = (url: string) => /\.[a-z0-9]+$/i.test(pathOf(url).split('/').pop() ?? '');
/** A browser navigating: its Accept names text/html (fetch() and curl accept anything, not a page). */
const wantsPage = (request: FastifyRequest) => /\btext\/html\b/i.test(request.headers.accept ?? '');

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
    const page = (request.method === 'GET' || request.method === 'HEAD') && !isApi(request.url) && !isFile(request.url) && wantsPage(request);
    if (!page) return reply.code(404).send(notFound());
    if (!built) return reply.code(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
}
