// Throws malformed params, queries and bodies at every /api route, as an operator (so that the
// access check lets them through to validation): every answer is a 4xx with { error, message }
// or a harmless success — never a 5xx.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startApp, loginAs, type Running } from './helpers.ts';
import type { RouteAccess } from '../../services/http/auth.ts';

const BAD_IDS = ['bad%20id', '..%2F..', 'x'.repeat(300), '%00', '-1', '1e999', '__proto__', '%F0%9F%92%A9', '%E0%A4%A', "o'hara", '0'];
const BAD_QUERIES = [
  '?limit=-1',
  '?limit=abc&offset=-5',
  '?from=x&to=y',
  '?from=2025-02-30&to=2025-03-01',
  '?from=2025-03-10&to=2025-03-01',
  '?from=2020-01-01&to=2025-01-01',
  '?from=2025-01-01&to=2025-01-31&zone=..%2Fx',
  '?from=2025-01-01&to=2025-01-31&desk=nope',
  '?from=2025-01-01&to=2025-01-31&zone=open-space&desk=d01',
  '?month=2025-13',
  '?month=',
  '?before=%00',
  '?before=99999999999999999999',
  `?q=${'x'.repeat(5000)}`,
  '?__proto__[polluted]=1&constructor[prototype][x]=1',
  '?status=deleted&role=god',
  '?action=DROP%20TABLE',
];
const deep = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const BAD_BODIES: [string, string][] = [
  ['application/json', '{'],
  ['application/json', '[]'],
  ['application/json', 'null'],
  ['application/json', '"str"'],
  ['application/json', '123'],
  ['application/json', '{}'],
  ['application/json', '{"__proto__":{"polluted":1}}'],
  ['application/json', deep(5000)],
  ['application/json', JSON.stringify({ name: 123, email: [], password: 'short', role: 'god', plan: '../x', status: 'gone' })],
  ['application/json', JSON.stringify({ name: 'P', doors: 'front', windows: [{ days: [0, 8], from: '25:00', to: 'x' }], validFrom: '2025-02-30' })],
  ['application/json', JSON.stringify({ name: 'P', doors: ['vault'], windows: [{ days: [1, 1], from: '18:00', to: '08:00' }] })],
  ['application/json', JSON.stringify({ name: 'C', from: '2025-12-31', to: '2025-01-01', plans: ['nope'] })],
  ['application/json', JSON.stringify({ member: 'nobody-here', kind: 'year', plan: 'resident', from: '2025-01-01', pin: '12' })],
  ['application/json', JSON.stringify({ member: 'jonas', door: 'vault', replaces: -3 })],
  ['application/json', JSON.stringify({ action: 'explode', reason: 'x'.repeat(500) })],
  ['application/json', JSON.stringify({ fingerprint: 'zz', label: '' })],
  ['application/json', JSON.stringify({ optIn: 'yes', confirm: 'please' })],
  ['application/json', JSON.stringify({ email: 'a@b.c', password: { x: 1 } })],
  ['application/json', JSON.stringify({ x: 'y'.repeat(70_000) })],
  ['text/plain', 'hello'],
  ['application/x-www-form-urlencoded', 'a=1&b=2'],
];

interface Outcome {
  what: string;
  status: number;
  body: unknown;
}

describe('bad input on every route', () => {
  let r: Running;
  let routes: RouteAccess[];
  let cookie: string;

  beforeAll(async () => {
    r = await startApp();
    cookie = await loginAs(r, 'ida'); // operator: the access check lets everything through
    routes = r.app.http.routeAccess.filter((x) => x.url.startsWith('/api/') && x.method !== 'HEAD' && x.url !== '/api/live');
  });
  afterAll(() => r.stop());

  async function send(method: string, path: string, body?: [string, string]): Promise<Outcome> {
    const headers: Record<string, string> = { cookie };
    if (body) headers['content-type'] = body[0];
    const res = await fetch(`${r.base}${path}`, { method, headers, body: body?.[1], signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* CSV or empty */
    }
    return { what: `${method} ${path.slice(0, 120)}${body ? ` ${body[0]} ${body[1].slice(0, 80)}` : ''}`, status: res.status, body: parsed };
  }

  function check(o: Outcome): void {
    expect(o.status, `${o.what} → ${JSON.stringify(o.body).slice(0, 300)}`).toBeLessThan(500);
    if (o.status >= 400) {
      const b = o.body as { error?: unknown; message?: unknown };
      expect(typeof b.error, o.what).toBe('string');
      expect(typeof b.message, o.what).toBe('string');
    }
  }

  it('never answers 5xx to malformed path parameters', async () => {
    for (const route of routes.filter((x) => x.url.includes(':id'))) {
      for (const id of BAD_IDS) check(await send(route.method, route.url.replace(':id', id)));
    }
  });

  it('never answers 5xx to malformed queries', async () => {
    for (const route of routes.filter((x) => x.method === 'GET')) {
      for (const q of BAD_QUERIES) check(await send('GET', `${route.url.replace(':id', 'nobody-here')}${q}`));
    }
  });

  it('never answers 5xx to malformed bodies', async () => {
    // (Logout is harmless and would end this session.)
    for (const route of routes.filter((x) => x.method !== 'GET' && x.method !== 'DELETE' && x.url !== '/api/logout')) {
      const path = route.url.replace(':id', route.url.startsWith('/api/credentials') ? '999999' : 'nobody-here');
      for (const body of BAD_BODIES) check(await send(route.method, path, body));
    }
    // The site still works afterwards.
    expect((await send('GET', '/api/members')).status).toBe(200);
  });

  it('says why, for input a schema cannot judge', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/plans', { name: 'Night', doors: ['front'], windows: [{ days: [1], from: '18:00', to: '08:00' }] }, 400, 'bad-window'],
      ['POST', '/api/plans', { name: 'Leap', doors: ['front'], validFrom: '2025-02-29' }, 400, 'bad-date'],
      ['POST', '/api/plans', { name: 'Vault', doors: ['vault'] }, 400, 'unknown-door'],
      ['POST', '/api/closures', { name: 'Backwards', from: '2025-12-31', to: '2025-12-24' }, 400, 'bad-date'],
      ['POST', '/api/passes', { member: 'jonas', kind: 'day', plan: 'no-such-plan', from: '2025-03-03' }, 400, 'unknown-plan'],
      ['POST', '/api/members', { name: 'Jonas Again', email: 'JONAS@kystkontor.dk' }, 409, 'email-taken'],
      ['POST', '/api/enrolments', { member: 'jonas', door: 'vault' }, 400, 'unknown-door'],
      ['POST', '/api/doors/vault/commands', { action: 'hold' }, 404, 'unknown-door'],
      ['GET', '/api/analytics/visits?from=2024-01-01&to=2025-06-01', undefined, 400, 'bad-range'],
    ];
    for (const [method, path, body, status, error] of cases) {
      const o = await send(method, path, body === undefined ? undefined : ['application/json', JSON.stringify(body)]);
      expect(o.status, o.what).toBe(status);
      expect((o.body as { error: string }).error, o.what).toBe(error);
    }
  });
});
