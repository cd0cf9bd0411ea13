// Login throttling (issue 12, finding 4): per account with a doubling wait, per client for
// failures only. Behind one proxy address, wrong passwords for one member never lock another
// member out, and a right password is never refused for someone else's wrong ones.
import { describe, it, expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { LoginLimiter } from '../../../services/auth/login-limiter.ts';
import { httpApp, expectReply, expectRefusal, PEOPLE, type HttpApp, type HttpAppOptions, type Person } from '../../helpers/http-app.ts';

const PROXY = '10.0.0.5';

function login(h: HttpApp, email: string, password: string, from = PROXY): Promise<LightMyRequestResponse> {
  return h.app.inject({ method: 'POST', url: '/api/login', remoteAddress: from, payload: { email, password } });
}
const right = (h: HttpApp, who: Person, from = PROXY) => login(h, PEOPLE[who].email, PEOPLE[who].password, from);
const wrong = (h: HttpApp, who: Person, from = PROXY) => login(h, PEOPLE[who].email, 'not-the-password', from);

/** A 429 with a Retry-After of `seconds` (when given) and a message naming the reason. */
function expectWait(res: LightMyRequestResponse, reason: RegExp, seconds?: number): number {
  const message = expectRefusal('login', res, 429, 'rate-limited');
  expect(message).toMatch(reason);
  const after = Number(res.headers['retry-after']);
  expect(after).toBeGreaterThanOrEqual(1);
  if (seconds !== undefined) expect(after).toBe(seconds);
  expect(message).toContain(`${after} second`);
  expect(res.cookies).toEqual([]);
  return after;
}

const withLimiter = (limiter: LoginLimiter, extra: HttpAppOptions = {}) => httpApp({ ...extra, deps: { loginLimiter: limiter } });

describe('login limits', () => {
  it('one proxy address, 10 wrong tries for one member: another member still logs in', async () => {
    const h = await httpApp();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await wrong(h, 'jonas')).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    expectReply('login', await right(h, 'sofie'));
    // Jonas himself waits out the backoff, then gets in.
    expectWait(await right(h, 'jonas'), /this e-mail address/);
    h.clock.now += 60_000;
    expectReply('login', await right(h, 'jonas'));
  });

  it('backs off per account, doubling the wait after five wrong passwords; a success starts over', async () => {
    const h = await httpApp();
    for (let i = 0; i < 4; i++) expectRefusal('login', await wrong(h, 'lars'), 401, 'invalid-credentials');
    expectRefusal('login', await wrong(h, 'lars'), 401, 'invalid-credentials'); // the fifth starts a 1 s wait
    expectWait(await wrong(h, 'lars'), /this e-mail address/, 1);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      h.clock.now += 1000 * 2 ** i;
      expectRefusal('login', await wrong(h, 'lars'), 401, 'invalid-credentials');
      waits.push(expectWait(await wrong(h, 'lars'), /this e-mail address/));
    }
    expect(waits).toEqual([2, 4, 8, 16]);
    // During the wait even the right password waits (without being checked) …
    expectWait(await right(h, 'lars'), /this e-mail address/, 16);
    // … and after it, it logs in and the account starts over.
    h.clock.now += 16_000;
    expectReply('login', await right(h, 'lars'));
    expectRefusal('login', await wrong(h, 'lars'), 401, 'invalid-credentials');
  });

  it('counts unknown e-mails like known ones, with the same answers', async () => {
    const h = await httpApp();
    const known: string[] = [];
    const unknown: string[] = [];
    for (let i = 0; i < 6; i++) {
      known.push((await wrong(h, 'jonas')).body);
      unknown.push((await login(h, 'Nobody@Kystkontor.dk ', 'guess')).body);
    }
    expect(unknown).toEqual(known);
    expect(unknown.slice(0, 5).every((b) => JSON.parse(b).error === 'invalid-credentials')).toBe(true);
    expect(JSON.parse(unknown[5]!)).toMatchObject({ error: 'rate-limited', message: expect.stringMatching(/this e-mail address/) });
  });

  it('limits failures per client, never a right password', async () => {
    const h = await withLimiter(new LoginLimiter({ clientFailures: 3 }));
    for (let i = 0; i < 3; i++) expectRefusal('login', await login(h, `guess-${i}@example.org`, 'guess'), 401, 'invalid-credentials');
    const first = expectWait(await login(h, 'guess-3@example.org', 'guess'), /your network/);
    expect(first).toBe(15 * 60);
    // Right passwords from the same address still log in; other addresses are not affected.
    expectReply('login', await right(h, 'sofie'));
    expectReply('login', await right(h, 'jonas'));
    expectRefusal('login', await login(h, 'guess-4@example.org', 'guess', '198.51.100.9'), 401, 'invalid-credentials');
    // After the window, the client starts over.
    h.clock.now += 15 * 60_000;
    expectRefusal('login', await login(h, 'guess-5@example.org', 'guess'), 401, 'invalid-credentials');
  });

  it('keys the client on the forwarded address behind a trusted proxy, and an IPv6 client on its /64', async () => {
    const h = await withLimiter(new LoginLimiter({ clientFailures: 2 }), { edit: (raw) => Object.assign(raw.services.http, { trustProxy: [PROXY] }) });
    const from = (client: string, i: number) =>
      h.app.inject({
        method: 'POST',
        url: '/api/login',
        remoteAddress: PROXY,
        headers: { 'x-forwarded-for': client },
        payload: { email: `g${i}@example.org`, password: 'guess' },
      });
    expect((await from('2001:db8:1:2::5', 0)).statusCode).toBe(401);
    expect((await from('2001:db8:1:2::6', 1)).statusCode).toBe(401);
    expect((await from('2001:db8:1:2:ffff::7', 2)).statusCode).toBe(429);
    expect((await from('2001:db8:1:3::5', 3)).statusCode).toBe(401);
    expect((await from('203.0.113.7', 4)).statusCode).toBe(401);
  });
});
