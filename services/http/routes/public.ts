// GET /api/public/availability, /public and /public/widget.js: the public availability page
// (issue 16), registered only when the site switched it on (`public.enabled`); otherwise these
// paths are as unknown as any other. No access check, no cookie read, no personal data.
// The JSON is for other origins (the widget on the space's own website): CORS for any origin
// without credentials, Cross-Origin-Resource-Policy cross-origin (our default same-origin would
// stop another site's page loading the script), cached 30 s with an ETag. The page carries its
// own CSP (its one inline style block, by hash; no script at all).
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROUTES } from '../../../contracts/routes.ts';
import type { SiteConfig } from '../../../config/schema.ts';
import type { PublicAvailabilityService, Snapshot } from '../../public/availability.ts';
import { PAGE_CSP, renderPublicPage } from '../../public/page.ts';
import { WIDGET_JS } from '../../public/widget.ts';
import { pickLang, type PublicLang } from '../../public/words.ts';
import { route, routePlugin } from '../route.ts';

export interface PublicRoutesOptions {
  availability: PublicAvailabilityService;
  config: Pick<SiteConfig, 'site'>;
}

export const PUBLIC_MAX_AGE_S = 30;

const CORS = {
  'access-control-allow-origin': '*',
  'cross-origin-resource-policy': 'cross-origin',
} as const;

const gzipOk = (request: FastifyRequest) => /\bgzip\b/i.test(request.headers['accept-encoding'] ?? '');

/** Sends text gzipped when the client takes it (the page and the script are made once, zipped once). */
function sendText(request: FastifyRequest, reply: FastifyReply, text: string, zipped: () => Buffer): FastifyReply {
  reply.header('vary', 'Accept-Encoding, Accept-Language');
  if (!gzipOk(request)) return reply.send(text);
  return reply.header('content-encoding', 'gzip').send(zipped());
}

const matches = (inm: string | undefined, etag: string) => inm !== undefined && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);

export const publicRoutes = routePlugin<PublicRoutesOptions>((app, { availability, config }) => {
  const jsonPath = ROUTES.publicAvailability.path;
  const snaps = new WeakMap<FastifyRequest, Snapshot>();
  app.addHook('onReady', (done) => {
    void availability.warm();
    done();
  });

  // The answer and its conditional request, before the handler: a match is a 304 without a body.
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== jsonPath || (request.method !== 'GET' && request.method !== 'HEAD')) return;
    const snap = await availability.current();
    snaps.set(request, snap);
    reply.headers({ ...CORS, 'cache-control': `public, max-age=${PUBLIC_MAX_AGE_S}`, etag: snap.etag });
    if (matches(request.headers['if-none-match'], snap.etag)) await reply.code(304).send();
  });
  route(app, 'publicAvailability', (request) => snaps.get(request)!.body);

  // The preflight of a cross-origin fetch that sends a header of its own (If-None-Match); GET only.
  app.options(jsonPath, { config: { access: 'public' }, schema: { hide: true } }, (_request, reply) =>
    reply
      .code(204)
      .headers({
        ...CORS,
        'access-control-allow-methods': 'GET, OPTIONS',
        'access-control-allow-headers': 'If-None-Match',
        'access-control-max-age': '86400',
      })
      .send(),
  );

  const fallback: PublicLang = config.site.language ?? 'en';
  const pages = new Map<string, { html: string; gz?: Buffer }>();
  route(app, 'publicPage', async (request, reply) => {
    const snap = await availability.current();
    const lang = pickLang(request.query.lang, request.headers['accept-language'], fallback);
    const key = `${snap.at}:${lang}`;
    let page = pages.get(key);
    if (!page) {
      pages.clear();
      page = { html: renderPublicPage(snap.body, lang) };
      pages.set(key, page);
    }
    const p = page;
    reply
      .headers({ 'content-security-policy': PAGE_CSP, 'cache-control': `public, max-age=${PUBLIC_MAX_AGE_S}`, 'content-language': lang })
      .type('text/html; charset=utf-8');
    return sendText(request, reply, p.html, () => (p.gz ??= gzipSync(p.html)));
  });

  let widgetGz: Buffer | undefined;
  route(app, 'publicWidget', (request, reply) => {
    reply.headers({ ...CORS, 'cache-control': 'public, max-age=3600' }).type('text/javascript; charset=utf-8');
    return sendText(request, reply, WIDGET_JS, () => (widgetGz ??= gzipSync(WIDGET_JS)));
  });
});
