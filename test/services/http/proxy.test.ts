// Behind a reverse proxy (services.http.trustProxy): X-Forwarded-For and X-Forwarded-Proto count
// only when the connection comes from a named proxy. The limit on failed logins per client keys
// on the client's real address; a client that forges the header itself gains nothing; the
// session cookie is Secure and HSTS is sent when the proxy says the client spoke HTTPS.
import { describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { httpApp, PEOPLE, type HttpApp } from '../../helpers/http-app.ts';
import { LoginLimiter } from '../../../services/auth/login-limiter.ts';
import { ConfigError } from '../../../config/load.ts';

const PROXY = '10.0.0.5';
const STRANGER = '198.51.100.9';
/** Failed logins per client before 429 (small here; the real limit is generous). */
const CLIENT_FAILURES = 5;

let tries = 0;
/** A login, by default a wrong one for a new e-mail each time (no account backoff in the way). */
function login(h: HttpApp, from: string, headers: Record<string, string> = {}, password = 'wrong-password'): Promise<LightMyRequestResponse> {
  const email = password === 'wrong-password' ? `guess-${tries++}@example.org` : PEOPLE.jonas.email;
  return h.app.inject({ method: 'POST', url: '/api/login', remoteAddress: from, headers, payload: { email, password } });
}

/** Fails the login CLIENT_FAILURES times; the statuses seen. */
async function exhaust(h: HttpApp, from: string, headers: (i: number) => Record<string, string>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < CLIENT_FAILURES; i++) statuses.push((await login(h, from, headers(i))).statusCode);
  return statuses;
}

const limiter = () => ({ loginLimiter: new LoginLimiter({ clientFailures: CLIENT_FAILURES }) });

const behind = (trustProxy: string[], extra: Record<string, unknown> = {}) =>
  httpApp({ edit: (raw) => Object.assign(raw.services.http, { trustProxy, ...extra }), deps: limiter() });

describe('trustProxy', () => {
  it('rate-limits each client behind a trusted proxy by its forwarded address', async () => {
    const h = await behind([PROXY]);
    const statuses = await exhaust(h, PROXY, () => ({ 'x-forwarded-for': '203.0.113.7' }));
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect((await login(h, PROXY, { 'x-forwarded-for': '203.0.113.7' })).statusCode).toBe(429);
    // Another member behind the same proxy is not locked out with them.
    expect((await login(h, PROXY, { 'x-forwarded-for': '203.0.113.8' })).statusCode).toBe(401);
  });

  it('ignores X-Forwarded-For from an address that is not a trusted proxy (no dodging the limit)', async () => {
    const h = await behind([PROXY]);
    await exhaust(h, STRANGER, (i) => ({ 'x-forwarded-for': `203.0.113.${i + 10}` }));
    const res = await login(h, STRANGER, { 'x-forwarded-for': '203.0.113.99' });
    expect(res.statusCode).toBe(429);
  });

  it('ignores X-Forwarded-For when no proxy is configured', async () => {
    const h = await httpApp({ deps: limiter() });
    await exhaust(h, PROXY, (i) => ({ 'x-forwarded-for': `203.0.113.${i + 10}` }));
    expect((await login(h, PROXY, { 'x-forwarded-for': '203.0.113.99' })).statusCode).toBe(429);
  });

  it('takes the scheme from a trusted proxy: Secure session cookie and HSTS', async () => {
    const h = await behind(['loopback', '10.0.0.0/24']);
    const res = await login(h, PROXY, { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' }, PEOPLE.jonas.password);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'ss_session');
    expect(cookie?.secure).toBe(true);
    expect(res.headers['strict-transport-security']).toBe('max-age=15552000');
  });

  it('does not believe X-Forwarded-Proto from anyone else', async () => {
    const h = await behind([PROXY]);
    const res = await login(h, STRANGER, { 'x-forwarded-proto': 'https' }, PEOPLE.jonas.password);
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((c) => c.name === 'ss_session')?.secure).toBeFalsy();
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends no HSTS over plain HTTP from the proxy, nor with hstsMaxAgeS: 0', async () => {
    const h = await behind([PROXY]);
    expect(
      (await h.app.inject({ url: '/api/health', remoteAddress: PROXY, headers: { 'x-forwarded-proto': 'http' } })).headers['strict-transport-security'],
    ).toBeUndefined();
    const off = await behind([PROXY], { hstsMaxAgeS: 0 });
    const res = await off.app.inject({ url: '/api/health', remoteAddress: PROXY, headers: { 'x-forwarded-proto': 'https' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('trustProxy in the config', () => {
  const configError = async (trustProxy: unknown): Promise<ConfigError> => {
    const err = await behind(trustProxy as string[]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  };

  it.each([
    ['everything', 'services.http.trustProxy[0]'],
    ['10.0.0.0/33', 'services.http.trustProxy[0]'],
    ['10.0.0.300', 'services.http.trustProxy[0]'],
  ])('refuses %s, naming the key', async (entry, key) => {
    const err = await configError([entry]);
    expect(err.key).toBe(key);
    expect(err.message).toContain(entry);
  });

  it('names the bad entry among good ones', async () => {
    const err = await configError(['loopback', '::1', 'fd00::/8', '*']);
    expect(err.key).toBe('services.http.trustProxy[3]');
  });

  it('refuses true (trust everyone)', async () => {
    const err = await configError(true);
    expect(err.key).toBe('services.http.trustProxy');
  });
});
