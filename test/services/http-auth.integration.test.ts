import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Me, SiteView } from '../../contracts/api/index.ts';
import { startApp, loginAs, getJson, DEMO, type Running } from './helpers.ts';

const post = (r: Running, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${r.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('login and sessions', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startApp();
  });
  afterAll(() => r.stop());

  it('answers an unknown email and a wrong password identically', async () => {
    const unknown = await post(r, '/api/login', { email: 'nobody@example.org', password: 'member-jonas' });
    const wrong = await post(r, '/api/login', { email: DEMO.jonas.email, password: 'not-his-password' });
    for (const res of [unknown, wrong]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    const [a, b] = [await unknown.text(), await wrong.text()];
    expect(a).toBe(b);
    expect(JSON.parse(a)).toEqual({ error: 'invalid-credentials', message: 'Wrong email or password.' });
  });

  it('sets an httpOnly SameSite=Strict session cookie and answers Me', async () => {
    const res = await post(r, '/api/login', { email: 'Jonas@Kystkontor.dk', password: DEMO.jonas.password });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'jonas', name: 'Jonas Brandt', email: 'jonas@kystkontor.dk', role: 'member', presenceOptIn: true });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^ss_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain(`Max-Age=${r.site.config.services.sessionTtlH * 3600}`);
    // Only the token's hash is stored.
    const token = cookie.split(';')[0]!.split('=')[1]!;
    const rows = r.app.db.prepare('SELECT token_hash FROM sessions').all() as { token_hash: string }[];
    expect(rows.some((x) => x.token_hash === token)).toBe(false);
  });

  it('serves /api/me and /api/site only with a session, and logout ends it', async () => {
    expect(await getJson(r, '/api/me')).toEqual({ status: 401, body: { error: 'unauthenticated', message: 'Log in first.' } });
    expect((await getJson(r, '/api/me', 'ss_session=forged')).status).toBe(401);
    const cookie = await loginAs(r, 'mette');
    expect((await getJson<Me>(r, '/api/me', cookie)).body).toMatchObject({ id: 'mette', role: 'host' });
    const site = (await getJson<SiteView>(r, '/api/site', cookie)).body;
    expect(site).toEqual({
      id: 'klitmoller',
      name: 'Klitmøller Kystkontor',
      timeZone: 'Europe/Copenhagen',
      floor: { width: 1000, height: 600 },
      zones: [
        { id: 'open-space', name: 'Åbent kontor', capacity: 10 },
        { id: 'quiet-room', name: 'Stillerum', capacity: 6 },
      ],
    });
    // A bodiless POST that still says JSON is fine.
    const out = await fetch(`${r.base}/api/logout`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^ss_session=;.*Expires=Thu, 01 Jan 1970/);
    expect((await getJson(r, '/api/me', cookie)).status).toBe(401);
  });

  it('answers bad input with 4xx { error, message }, never 5xx', async () => {
    // A fresh app: the login rate limit must not be what answers.
    const r = await startApp();
    try {
      await badInputs(r);
    } finally {
      await r.stop();
    }
  });

  async function badInputs(r: Running): Promise<void> {
    const cookie = await loginAs(r, 'mette');
    const cases: [Promise<Response>, number][] = [
      [post(r, '/api/login', '{"email": '), 400],
      [post(r, '/api/login', { email: 'x' }), 400],
      [post(r, '/api/login', { email: 'a@b.c', password: '' }), 400],
      [post(r, '/api/login', { email: 'a@b.c', password: { x: 1 } }), 400],
      [post(r, '/api/login', 'email=a', { 'content-type': 'application/x-www-form-urlencoded' }), 415],
      [post(r, '/api/login', { email: 'a@b.c', password: 'x'.repeat(100_000) }), 413],
      [fetch(`${r.base}/api/events?limit=0`, { headers: { cookie } }), 400],
      [fetch(`${r.base}/api/events?limit=abc`, { headers: { cookie } }), 400],
      [fetch(`${r.base}/api/events?before=garbage`, { headers: { cookie } }), 400],
      [fetch(`${r.base}/api/events?door=..%2F..`, { headers: { cookie } }), 400],
      [fetch(`${r.base}/api/doors/bad%20id/unlock`, { method: 'POST', headers: { cookie } }), 400],
      [fetch(`${r.base}/api/nothing-here`), 404],
      [fetch(`${r.base}/api/health`, { method: 'DELETE' }), 404],
    ];
    for (const [pending, status] of cases) {
      const res = await pending;
      const body = (await res.json()) as { error: string; message: string };
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(typeof body.error).toBe('string');
      expect(typeof body.message).toBe('string');
    }
  }

  it('rate-limits wrong logins per account with a 429 that says what to do; others still log in', async () => {
    const fresh = await startApp();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await post(fresh, '/api/login', { email: 'nobody@example.org', password: 'guess' })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      // The fifth failure started a wait for this e-mail (checked before the password is).
      const last = await post(fresh, '/api/login', { email: 'nobody@example.org', password: 'guess' });
      expect(last.status).toBe(429);
      const body = (await last.json()) as { error: string; message: string };
      expect(body.error).toBe('rate-limited');
      expect(body.message).toMatch(/try again/i);
      expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // Same address, another account: not held back.
      expect((await post(fresh, '/api/login', { email: DEMO.jonas.email, password: DEMO.jonas.password })).status).toBe(200);
    } finally {
      await fresh.stop();
    }
  });
});
