// What the HTTP API tells someone who has not logged in: the health's status and nothing that
// maps the site (gateway names, versions, uptimes, queue depths); no API docs unless the site
// made them public. Hosts, operators and the automation token see all of it.
import { describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { httpApp, expectReply, AUTOMATION_TOKEN, type HttpApp } from '../../helpers/http-app.ts';

const DOCS = ['/docs', '/docs/json', '/docs/yaml', '/docs/static/swagger-initializer.js'];

describe('GET /api/health', () => {
  it('answers anyone without a login its status only', async () => {
    const h = await httpApp();
    expect(expectReply('health', await h.call('health'))).toEqual({ status: 'degraded' });
    h.presence.update({ v: 1, ts: h.clock.now, gateway: 'gw-main', state: 'online' }, h.clock.now);
    expect(expectReply('health', await h.call('health'))).toEqual({ status: 'ok' });
  });

  it('answers a member, or a wrong token, the status only too', async () => {
    const h = await httpApp();
    expect(expectReply('health', await h.call('health', { as: 'jonas' }))).toEqual({ status: 'degraded' });
    const wrong = await h.app.inject({ url: '/api/health', headers: { authorization: 'Bearer junk' } });
    expect(expectReply('health', wrong)).toEqual({ status: 'degraded' });
  });

  it('answers hosts, operators and the automation token everything', async () => {
    const h = await httpApp();
    for (const res of [await h.call('health', { as: 'mette' }), await h.call('health', { as: 'ida' }), await h.call('health', { token: AUTOMATION_TOKEN })]) {
      const full = expectReply('health', res);
      expect(full).toMatchObject({ status: 'degraded', site: h.config.site.id, gateways: [{ id: 'gw-main', online: false }] });
      expect(Object.keys(full)).toEqual(expect.arrayContaining(['uptimeS', 'broker', 'rejectedPayloads', 'events', 'history', 'devices']));
    }
  });
});

describe('API docs', () => {
  const get = (h: HttpApp, url: string, cookie?: string): Promise<LightMyRequestResponse> => h.app.inject({ url, headers: cookie ? { cookie } : {} });

  it('need a host or operator login', async () => {
    const h = await httpApp();
    const member = await h.login('jonas');
    const host = await h.login('mette');
    for (const url of DOCS) {
      const anon = await get(h, url);
      expect([url, anon.statusCode, anon.json<{ error: string }>().error]).toEqual([url, 401, 'unauthenticated']);
      expect([url, (await get(h, url, member)).statusCode]).toEqual([url, 403]);
      expect([url, (await get(h, url, host)).statusCode]).toEqual([url, 200]);
    }
    const spec = (await get(h, '/docs/json', await h.login('ida'))).json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toContain('/api/health');
  });

  it('are public when the site says so (services.http.publicDocs)', async () => {
    const h = await httpApp({ edit: (raw) => (raw.services.http.publicDocs = true) });
    for (const url of DOCS) expect([url, (await get(h, url)).statusCode]).toEqual([url, 200]);
  });
});
