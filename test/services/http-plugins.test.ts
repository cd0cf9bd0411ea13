// Route plugins on their own, through inject() against fakes: no sockets, no store on disk. The
// access check refuses before a handler runs, schemas refuse bad input with a reason, handlers
// answer with codes from the catalogue, and each plugin needs only the options it declares.
import { describe, it, expect, afterEach } from 'vitest';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import pino from 'pino';
import { installErrorHandlers } from '../../services/http/errors.ts';
import { installAuth } from '../../services/http/auth.ts';
import { routeOptions } from '../../services/http/route.ts';
import { siteRoutes, type SiteRoutesOptions } from '../../services/http/routes/site.ts';
import { unlockRoutes, type UnlockRoutesOptions } from '../../services/http/routes/unlock.ts';
import type { CommandRequest } from '../../services/http/door-commands.ts';
import type { Member } from '../../services/db/members-repo.ts';
import type { Plan } from '../../services/db/plans-repo.ts';
import { isApiErrorCode } from '../../contracts/errors.ts';
import { ROUTES, type RouteInfo, type RouteName } from '../../contracts/routes.ts';

const member = (id: string, role: Member['role'], plan: string | null = null): Member => ({
  id,
  name: id,
  email: `${id}@x.dk`,
  role,
  plan,
  presenceOptIn: false,
  active: true,
});
const PEOPLE: Record<string, Member> = { anna: member('anna', 'member', 'flex'), noplan: member('noplan', 'member'), mette: member('mette', 'host') };
const FLEX: Plan = { id: 'flex', name: 'Flex', doors: ['front'], windows: [], offline: false, validFrom: null, validTo: null };

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

/** A Fastify app with our error handling and access check, the session taken from a test header. */
async function appWith<O extends object>(plugin: FastifyPluginAsync<O>, opts: O): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: pino({ level: 'silent' }) }) as unknown as FastifyInstance;
  apps.push(app);
  installErrorHandlers(app, pino({ level: 'silent' }));
  await app.register(fastifyCookie);
  installAuth(app, { sessionMember: (request) => PEOPLE[String(request.headers['x-member'])], automationToken: 'tok-123' });
  await app.register(plugin, opts);
  await app.ready();
  return app;
}

const as = (who: string) => ({ 'x-member': who });

function siteOptions(): SiteRoutesOptions {
  const never = (): never => {
    throw new Error('not used by this test');
  };
  return {
    views: { site: never, doors: () => [], desks: () => [], event: never, door: never, desk: never },
    store: { events: { page: () => [] } } as unknown as SiteRoutesOptions['store'],
    devices: { views: () => [] } as unknown as SiteRoutesOptions['devices'],
    config: { zones: [{ id: 'quiet', name: 'Quiet', capacity: 4 }], desks: [], gateways: [{ id: 'gw-main' }] } as unknown as SiteRoutesOptions['config'],
  };
}

function unlockOptions(sent: CommandRequest[]): UnlockRoutesOptions {
  return {
    store: {
      plans: { byId: (id: string) => (id === 'flex' ? FLEX : undefined), closures: () => [] },
      audit: { write: () => undefined },
    } as unknown as UnlockRoutesOptions['store'],
    now: () => Date.UTC(2025, 4, 7, 10),
    config: { doors: [{ id: 'front' }, { id: 'back' }], site: { timeZone: 'Europe/Copenhagen' } } as unknown as UnlockRoutesOptions['config'],
    sendDoorCommand: (req) => {
      sent.push(req);
      return Promise.resolve({ commandId: 'c-1', action: req.action, exp: 1 });
    },
  };
}

describe('site plugin', () => {
  it('refuses without a session, and a member on a host route, before the handler runs', async () => {
    const app = await appWith(siteRoutes, siteOptions());
    const none = await app.inject({ method: 'GET', url: '/api/zones' });
    expect([none.statusCode, none.json().error]).toEqual([401, 'unauthenticated']);
    const member = await app.inject({ method: 'GET', url: '/api/devices', headers: as('anna') });
    expect([member.statusCode, member.json().error]).toEqual([403, 'forbidden']);
    const token = await app.inject({ method: 'GET', url: '/api/zones', headers: { authorization: 'Bearer wrong' } });
    expect([token.statusCode, token.json().error]).toEqual([401, 'invalid-token']);
    const automation = await app.inject({ method: 'GET', url: '/api/zones/occupancy', headers: { authorization: 'Bearer tok-123' } });
    expect(automation.statusCode).toBe(200); // allowed through the check
  });

  it('answers bad input with 400 bad-request naming the field', async () => {
    const app = await appWith(siteRoutes, siteOptions());
    const res = await app.inject({ method: 'GET', url: '/api/events?limit=0', headers: as('anna') });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad-request', message: expect.stringContaining('querystring/limit') });
    const id = await app.inject({ method: 'GET', url: '/api/devices?gateway=not%20an%20id', headers: as('mette') });
    expect([id.statusCode, id.json().error]).toEqual([400, 'bad-request']);
    expect(id.json().message).toContain('querystring/gateway');
  });

  it('answers with codes from the catalogue, and the reply the entry says', async () => {
    const app = await appWith(siteRoutes, siteOptions());
    const gw = await app.inject({ method: 'GET', url: '/api/devices?gateway=gw-nope', headers: as('mette') });
    expect([gw.statusCode, gw.json().error]).toEqual([400, 'unknown-gateway']);
    const cursor = await app.inject({ method: 'GET', url: '/api/events?before=bm90IGEgY3Vyc29y', headers: as('anna') });
    expect([cursor.statusCode, cursor.json().error]).toEqual([400, 'bad-cursor']);
    const ok = await app.inject({ method: 'GET', url: '/api/devices?gateway=gw-main', headers: as('mette') });
    expect([ok.statusCode, ok.json()]).toEqual([200, { items: [] }]);
  });
});

describe('unlock plugin', () => {
  it('sends the command through the sender it was given, at the catalogue status', async () => {
    const sent: CommandRequest[] = [];
    const app = await appWith(unlockRoutes, unlockOptions(sent));
    const res = await app.inject({ method: 'POST', url: '/api/doors/front/unlock', headers: as('anna') });
    expect([res.statusCode, res.json()]).toEqual([202, { commandId: 'c-1', action: 'unlock', exp: 1 }]);
    expect(sent).toEqual([{ door: 'front', action: 'unlock', actor: 'anna', member: 'anna', source: '127.0.0.1' }]);
  });

  it('refuses an unknown door with 404, a door outside the plan with 403, neither sending anything', async () => {
    const sent: CommandRequest[] = [];
    const app = await appWith(unlockRoutes, unlockOptions(sent));
    const unknown = await app.inject({ method: 'POST', url: '/api/doors/vault/unlock', headers: as('anna') });
    expect([unknown.statusCode, unknown.json().error]).toEqual([404, 'unknown-door']);
    const outside = await app.inject({ method: 'POST', url: '/api/doors/back/unlock', headers: as('anna') });
    expect([outside.statusCode, outside.json()]).toEqual([403, { error: 'not-allowed', message: 'Your plan does not include this door.' }]);
    const noPlan = await app.inject({ method: 'POST', url: '/api/doors/front/unlock', headers: as('noplan') });
    expect([noPlan.statusCode, noPlan.json().error]).toEqual([403, 'not-allowed']);
    expect(sent).toEqual([]);
  });

  it('lets automation send commands but not press Unlock, and checks the action', async () => {
    const sent: CommandRequest[] = [];
    const app = await appWith(unlockRoutes, unlockOptions(sent));
    const bearer = { authorization: 'Bearer tok-123' };
    const press = await app.inject({ method: 'POST', url: '/api/doors/front/unlock', headers: bearer });
    expect([press.statusCode, press.json().error]).toEqual([403, 'forbidden']);
    const bad = await app.inject({ method: 'POST', url: '/api/doors/front/commands', headers: bearer, payload: { action: 'explode' } });
    expect([bad.statusCode, bad.json().error]).toEqual([400, 'bad-request']);
    expect(bad.json().message).toContain('body/action');
    const hold = await app.inject({ method: 'POST', url: '/api/doors/front/commands', headers: bearer, payload: { action: 'hold', reason: 'event' } });
    expect(hold.statusCode).toBe(202);
    expect(sent).toEqual([{ door: 'front', action: 'hold', actor: 'automation', source: '127.0.0.1', reason: 'event' }]);
  });
});

describe('route catalogue', () => {
  it('documents the error codes of every route in its OpenAPI responses', () => {
    for (const name of Object.keys(ROUTES) as RouteName[]) {
      const response = (routeOptions(name).schema as { response: Record<string, { description?: string }> }).response;
      const documented = [...`${response['4xx']?.description ?? ''}\n${response['5xx']?.description ?? ''}`.matchAll(/^`([a-z-]+)` \(/gm)].map((m) => m[1]!);
      expect(documented.every(isApiErrorCode), name).toBe(true);
      const info: RouteInfo = ROUTES[name];
      for (const code of info.errors ?? []) expect(documented, `${name} lists ${code}`).toContain(code);
      if (info.access !== 'public') expect(documented, name).toEqual(expect.arrayContaining(['unauthenticated', 'forbidden']));
    }
  });
});
