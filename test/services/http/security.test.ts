// What the HTTP layer tells browsers (security headers on every reply) and which browser
// requests may change anything: a state-changing request that a page on another site sent is
// refused 403 `cross-site` before its route's access check or handler; a request from the site's
// own pages, and one that names no origin at all (curl, the CLI, Node-RED, a gateway), pass.
import { describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { httpApp, expectRefusal, expectReply, AUTOMATION_TOKEN, type HttpApp } from '../../helpers/http-app.ts';

const EVIL = 'http://evil.example';
// inject() sends `Host: localhost:80`: the site's own origin is http://localhost.
const OWN = 'http://localhost';

async function online(): Promise<HttpApp> {
  const h = await httpApp();
  h.presence.update({ v: 1, ts: h.clock.now, gateway: 'gw-main', state: 'online' }, h.clock.now);
  return h;
}

async function unlock(h: HttpApp, headers: Record<string, string>, as: 'jonas' | null = 'jonas'): Promise<LightMyRequestResponse> {
  const cookie = as ? await h.login(as) : undefined;
  return h.app.inject({ method: 'POST', url: '/api/doors/front/unlock', headers: { ...(cookie && { cookie }), ...headers } });
}

describe('cross-site requests', () => {
  it('refuses an unlock POST with Origin http://evil.example and Sec-Fetch-Site: cross-site (403, no command sent)', async () => {
    const h = await online();
    const res = await unlock(h, { origin: EVIL, 'sec-fetch-site': 'cross-site' });
    expect(expectRefusal('unlock', res, 403, 'cross-site')).toContain('Sec-Fetch-Site says cross-site');
    expect(expectRefusal('unlock', await unlock(h, { origin: EVIL }), 403, 'cross-site')).toContain(`Origin ${EVIL} is not this site`);
    expect(h.published).toEqual([]);
  });

  it('refuses on either header alone: a foreign Origin, or Sec-Fetch-Site cross-site / same-site', async () => {
    const h = await online();
    const cases: Record<string, string>[] = [
      { origin: EVIL },
      { origin: 'null' },
      { origin: 'http://localhost:8080' },
      { origin: 'https://localhost' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: 'http://other.localhost' },
    ];
    for (const headers of cases) {
      expect([headers, (await unlock(h, headers)).statusCode]).toEqual([headers, 403]);
    }
    expect(h.published).toEqual([]);
  });

  it("lets the site's own pages through", async () => {
    const h = await online();
    expectReply('unlock', await unlock(h, { origin: OWN, 'sec-fetch-site': 'same-origin' }));
    expectReply('unlock', await unlock(h, { origin: 'http://LOCALHOST:80' }));
    // A link or address bar (Sec-Fetch-Site: none) is the user's own doing.
    expectReply('unlock', await unlock(h, { 'sec-fetch-site': 'none' }));
  });

  it('lets API clients that name no origin through (curl, the CLI, the Node-RED token)', async () => {
    const h = await online();
    expectReply('unlock', await unlock(h, {}));
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/doors/front/commands',
      headers: { authorization: `Bearer ${AUTOMATION_TOKEN}` },
      payload: { action: 'unlock' },
    });
    expectReply('doorCommand', res);
  });

  it('refuses before the access check and the handler: no login attempt is made, no audit row written', async () => {
    const h = await httpApp();
    const login = await h.app.inject({
      method: 'POST',
      url: '/api/login',
      headers: { origin: EVIL },
      payload: { email: 'jonas@kystkontor.dk', password: 'member-jonas' },
    });
    expectRefusal('login', login, 403, 'cross-site');
    expect(login.cookies).toEqual([]);
    const audited = h.store.audit.recent(1000).length;
    const junk = await h.app.inject({ method: 'POST', url: '/api/doors/front/unlock', headers: { origin: EVIL, authorization: 'Bearer junk' } });
    expectRefusal('unlock', junk, 403, 'cross-site');
    expect(h.store.audit.recent(1000).length).toBe(audited);
  });

  it('reads nothing into GET requests: a cross-site link may still load a page or the health', async () => {
    const h = await httpApp();
    expect((await h.app.inject({ url: '/api/health', headers: { origin: EVIL, 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(200);
  });

  it('behind a trusted proxy, takes the origin from X-Forwarded-Host and -Proto; from anyone else not', async () => {
    const h = await httpApp({ edit: (raw) => Object.assign(raw.services.http, { trustProxy: ['10.0.0.5'] }) });
    h.presence.update({ v: 1, ts: h.clock.now, gateway: 'gw-main', state: 'online' }, h.clock.now);
    const cookie = await h.login('jonas');
    const forwarded = { cookie, origin: 'https://space.example', 'x-forwarded-host': 'space.example', 'x-forwarded-proto': 'https' };
    const via = (remoteAddress: string) => h.app.inject({ method: 'POST', url: '/api/doors/front/unlock', remoteAddress, headers: forwarded });
    expectReply('unlock', await via('10.0.0.5'));
    expectRefusal('unlock', await via('198.51.100.9'), 403, 'cross-site');
  });
});

describe('security headers', () => {
  const expectHeaders = (what: string, res: LightMyRequestResponse) => {
    const csp = String(res.headers['content-security-policy']);
    expect(csp, what).toContain("default-src 'self'");
    expect(csp, what).toContain("frame-ancestors 'none'");
    expect(csp, what).toContain("script-src 'self'");
    expect(csp, what).not.toContain('unsafe-inline');
    expect(csp, what).not.toContain('upgrade-insecure-requests');
    expect([what, res.headers['x-frame-options'], res.headers['x-content-type-options'], res.headers['referrer-policy']]).toEqual([
      what,
      'DENY',
      'nosniff',
      'no-referrer',
    ]);
  };

  it('are on API replies, refusals, 404s, the dashboard page and the docs (which allow one inline style)', async () => {
    const h = await httpApp();
    expectHeaders('api', await h.call('health'));
    expectHeaders('refusal', await h.call('me'));
    expectHeaders('cross-site refusal', await h.app.inject({ method: 'POST', url: '/api/logout', headers: { origin: EVIL } }));
    expectHeaders('api 404', await h.app.inject({ url: '/api/nope' }));
    expectHeaders('page', await h.app.inject({ url: '/' }));
    // The docs (public here to read them without a login) allow Swagger UI its one inline style, never inline script.
    const p = await httpApp({ edit: (raw) => (raw.services.http.publicDocs = true) });
    const docs = await p.app.inject({ url: '/docs' });
    expect(docs.statusCode).toBe(200);
    const csp = String(docs.headers['content-security-policy']);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("script-src 'self';");
    expect(csp.replace("style-src 'self' 'unsafe-inline'", '')).not.toContain('unsafe-inline');
    expect([docs.headers['x-frame-options'], docs.headers['x-content-type-options']]).toEqual(['DENY', 'nosniff']);
  });

  it('send HSTS only over HTTPS', async () => {
    const h = await httpApp({ edit: (raw) => Object.assign(raw.services.http, { trustProxy: ['10.0.0.5'] }) });
    expect((await h.app.inject({ url: '/api/health' })).headers['strict-transport-security']).toBeUndefined();
    const https = await h.app.inject({ url: '/api/health', remoteAddress: '10.0.0.5', headers: { 'x-forwarded-proto': 'https' } });
    expect(https.headers['strict-transport-security']).toBe('max-age=15552000');
  });
});
