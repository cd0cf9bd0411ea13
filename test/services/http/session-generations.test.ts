// Session generations (issue 12, finding 2): a member's sessions end when their password, role
// or status changes or they are erased, whoever makes the change; suspend-then-reactivate does not
// bring an old session back; a member who changes their own password keeps the session they did
// it from. One mechanism: the members row's session_generation (migration 4), stamped into each
// session at login and compared on every request.
import { describe, it, expect } from 'vitest';
import { httpApp, expectReply, expectRefusal, PEOPLE, type HttpApp, type Person } from '../../helpers/http-app.ts';

/** A fresh session of `who` (h.login caches one per person; these tests need several). */
async function session(h: HttpApp, who: Person, password: string = PEOPLE[who].password): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/api/login', payload: { email: PEOPLE[who].email, password } });
  expect(res.statusCode, res.body).toBe(200);
  const c = res.cookies.find((k) => k.name === 'ss_session')!;
  return `ss_session=${c.value}`;
}

const opens = async (h: HttpApp, cookie: string) => (await h.call('me', { cookie })).statusCode === 200;

const change = (h: HttpApp, as: Person, id: string, body: Record<string, unknown>) => h.call('changeMember', { as, params: { id }, body });

describe('session generations', () => {
  it('a host setting a member’s password ends the member’s sessions; the new password logs in', async () => {
    const h = await httpApp();
    const [a, b] = [await session(h, 'jonas'), await session(h, 'jonas')];
    expectReply('changeMember', await change(h, 'mette', 'jonas', { password: 'a-new-password' }));
    expect([await opens(h, a), await opens(h, b)]).toEqual([false, false]);
    expectRefusal('me', await h.call('me', { cookie: a }), 401, 'unauthenticated');
    expect(await opens(h, await session(h, 'jonas', 'a-new-password'))).toBe(true);
  });

  it('changing one’s own password keeps the session that did it (renewed) and ends the others', async () => {
    const h = await httpApp();
    const [here, elsewhere] = [await session(h, 'mette'), await session(h, 'mette')];
    const own = await h.call('changeMember', { cookie: here, params: { id: 'mette' }, body: { password: 'mettes-new-password' } });
    expectReply('changeMember', own);
    const renewed = own.cookies.find((c) => c.name === 'ss_session');
    expect(renewed?.value).toBeTruthy();
    expect(await opens(h, `ss_session=${renewed!.value}`)).toBe(true);
    expect(await opens(h, elsewhere)).toBe(false);
    expect(await opens(h, here)).toBe(false); // replaced by the renewed one
  });

  it('suspension ends the sessions, and reactivation does not bring them back', async () => {
    const h = await httpApp();
    const before = await session(h, 'sofie');
    expectReply('changeMember', await change(h, 'mette', 'sofie', { status: 'suspended' }));
    expect(await opens(h, before)).toBe(false);
    expectReply('changeMember', await change(h, 'mette', 'sofie', { status: 'active' }));
    expect(await opens(h, before)).toBe(false);
    expect(await opens(h, await session(h, 'sofie'))).toBe(true);
  });

  it('a role change ends the sessions; other changes do not', async () => {
    const h = await httpApp();
    const cookie = await session(h, 'lars');
    expectReply('changeMember', await change(h, 'ida', 'lars', { name: 'Lars L.', presenceOptIn: true, plan: null }));
    expect(await opens(h, cookie)).toBe(true);
    expectReply('changeMember', await change(h, 'ida', 'lars', { role: 'host' }));
    expect(await opens(h, cookie)).toBe(false);
    expect((await h.call('me', { cookie: await session(h, 'lars') })).json()).toMatchObject({ role: 'host' });
  });

  it('erasure ends the sessions', async () => {
    const h = await httpApp();
    const cookie = await session(h, 'jonas');
    expectReply('eraseMember', await h.call('eraseMember', { as: 'ida', params: { id: 'jonas' }, body: { confirm: 'erase' } }));
    expect(await opens(h, cookie)).toBe(false);
  });

  it('holds for a change written straight into the database (smartspace reset-password, sqlite3)', async () => {
    const h = await httpApp();
    const cookie = await session(h, 'jonas');
    h.store.db.prepare("UPDATE members SET password_hash = 'no-login' WHERE id = 'jonas'").run();
    expect(await opens(h, cookie)).toBe(false);
  });

  it('a session made from a password that changed during the check is stale at birth', async () => {
    const h = await httpApp();
    const found = h.store.members.withHashByEmail(PEOPLE.jonas.email)!;
    h.store.members.update('jonas', { passwordHash: 'no-login' });
    h.store.sessions.insert('f'.repeat(64), 'jonas', h.clock.now, h.clock.now + 3600_000, found.sessionGeneration);
    expect(h.store.sessions.memberFor('f'.repeat(64), h.clock.now)).toBeUndefined();
    h.store.sessions.insert('e'.repeat(64), 'jonas', h.clock.now, h.clock.now + 3600_000);
    expect(h.store.sessions.memberFor('e'.repeat(64), h.clock.now)).toBe('jonas');
  });
});
