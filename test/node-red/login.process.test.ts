// The operators' login to a real Node-RED (the project's settings, as `npm start` runs it):
// failed logins slow down the client that makes them, never the operator elsewhere. Node-RED's
// own limiter refuses a user name for 10 minutes after 5 attempts from anywhere, right password
// included; config/node-red/login-guard.cjs answers wrong passwords itself, per client.
// Clients A and B are two loopback addresses (the kernel routes all of 127/8 to lo), so each is
// a real client address to Node-RED; the trusted-proxy case sends X-Forwarded-For instead.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { request } from 'node:http';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startNodeRed, type NodeRedProcess } from './process.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** POST /auth/token as the editor does (form-encoded), from a chosen local address. */
function login(nr: NodeRedProcess, from: string, password: string, headers: Record<string, string> = {}): Promise<Reply> {
  const form = new URLSearchParams({ client_id: 'node-red-editor', grant_type: 'password', scope: '*', username: nr.settings.adminUser, password });
  const url = new URL('/auth/token', nr.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
      },
    );
    req.on('error', reject);
    req.end(form.toString());
  });
}

const A = '127.0.0.2';
const B = '127.0.0.3';

describe('Node-RED operator login', () => {
  let site: TestSite;
  let nr: NodeRedProcess | null = null;
  beforeAll(async () => {
    site = await makeTestSite();
  });
  afterEach(async () => {
    await nr?.stop();
    nr = null;
  });
  afterAll(() => site?.cleanup());

  it('wrong passwords from client A put A in backoff; the right password from B still logs in', async () => {
    nr = await startNodeRed(site);
    const replies: Reply[] = [];
    for (let i = 0; i < 10; i++) replies.push(await login(nr, A, `wrong-${i}`));
    // Wrong passwords are refused as Node-RED refuses them, until A has to wait.
    expect(replies[0]).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });
    const firstWait = replies.findIndex((r) => r.status === 429);
    expect(firstWait).toBeGreaterThan(4);
    expect(replies.slice(0, firstWait).every((r) => r.status === 403)).toBe(true);
    expect(replies.slice(firstWait).every((r) => r.status === 429)).toBe(true);
    expect(Number(replies[firstWait]!.headers['retry-after'])).toBeGreaterThan(0);

    // B is another client: the right password works, again and again.
    for (let i = 0; i < 3; i++) {
      const b = await login(nr, B, nr.settings.adminPassword);
      expect(b.status, JSON.stringify(b.body)).toBe(200);
      expect(typeof b.body.access_token).toBe('string');
    }
    // A itself is in backoff: even the right password waits (the guess is not even checked).
    expect((await login(nr, A, nr.settings.adminPassword)).status).toBe(429);
    // The admin API's own test login still works.
    await expect(nr.login()).resolves.toMatch(/./);
  });

  it('behind a trusted proxy the client is X-Forwarded-For; untrusted, the header is ignored', async () => {
    nr = await startNodeRed(site, { env: { SMARTSPACE_NODE_RED_TRUST_PROXY: A } });
    for (let i = 0; i < 8; i++) await login(nr, A, `wrong-${i}`, { 'x-forwarded-for': '203.0.113.7' });
    expect((await login(nr, A, 'wrong', { 'x-forwarded-for': '203.0.113.7' })).status).toBe(429);
    // Another client behind the same proxy logs in.
    expect((await login(nr, A, nr.settings.adminPassword, { 'x-forwarded-for': '203.0.113.8' })).status).toBe(200);
    // B is not a trusted proxy: its X-Forwarded-For is ignored, B is judged as itself.
    for (let i = 0; i < 8; i++) await login(nr, B, `wrong-${i}`, { 'x-forwarded-for': `198.51.100.${i}` });
    expect((await login(nr, B, nr.settings.adminPassword, { 'x-forwarded-for': '198.51.100.99' })).status).toBe(429);
  });
});
