// A member's own account (issue 13, finding 10): when their plan lets them in and their own
// cards and passes, changing their own password, erasing themselves. Every route acts on the
// caller only: none takes a member id, and a body naming someone else is refused.
import { describe, it, expect } from 'vitest';
import type { MyAccess } from '../../../contracts/api/index.ts';
import { httpApp, expectReply, expectRefusal, PEOPLE, type HttpApp, type Person } from '../../helpers/http-app.ts';

async function session(h: HttpApp, who: Person, password: string = PEOPLE[who].password): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/api/login', payload: { email: PEOPLE[who].email, password } });
  expect(res.statusCode, res.body).toBe(200);
  return `ss_session=${res.cookies.find((k) => k.name === 'ss_session')!.value}`;
}

const opens = async (h: HttpApp, cookie: string) => (await h.call('me', { cookie })).statusCode === 200;

describe('my plan, cards and passes', () => {
  it('shows a member their plan’s days and hours in site time, their doors by name, their own cards and the passes left', async () => {
    const h = await httpApp();
    const pass = await h.call('issuePass', { as: 'mette', body: { member: 'sofie', kind: 'day', plan: 'flex', from: '2025-05-07', to: '2025-05-09' } });
    expect(pass.statusCode, pass.body).toBe(201);
    const a = expectReply<MyAccess>('myAccess', await h.call('myAccess', { as: 'sofie' }));
    expect(a.timeZone).toBe('Europe/Copenhagen');
    expect(a.plan).toMatchObject({ id: 'flex', name: 'Flex (hverdage 07–19, hoveddør)', windows: [{ days: [1, 2, 3, 4, 5], from: '07:00', to: '19:00' }] });
    expect(a.plan!.doors).toEqual([{ id: 'front', name: 'Hoveddør' }]);
    expect(a.credentials.map((c) => [c.member, c.kind]).sort()).toEqual([
      ['sofie', 'card'],
      ['sofie', 'pin'],
    ]);
    expect(a.passesLeft).toBe(1);
    // Only their own: Jonas sees his card, not Sofie's pass.
    const j = expectReply<MyAccess>('myAccess', await h.call('myAccess', { as: 'jonas' }));
    expect(j.credentials.every((c) => c.member === 'jonas')).toBe(true);
    expect(j.passesLeft).toBe(0);
    expect(j.plan?.windows).toEqual([]);
  });

  it('leaves revoked cards out and says when there is no plan', async () => {
    const h = await httpApp();
    const card = expectReply<MyAccess>('myAccess', await h.call('myAccess', { as: 'lars' })).credentials[0]!;
    expectReply('revokeCredential', await h.call('revokeCredential', { as: 'mette', params: { id: card.id } }));
    expectReply('changeMember', await h.call('changeMember', { as: 'mette', params: { id: 'lars' }, body: { plan: null } }));
    const a = expectReply<MyAccess>('myAccess', await h.call('myAccess', { as: 'lars' }));
    expect(a.plan).toBeNull();
    expect(a.credentials).toEqual([]);
  });

  it('needs a session', async () => {
    const h = await httpApp();
    expectRefusal('myAccess', await h.call('myAccess'), 401, 'unauthenticated');
  });
});

describe('changing my password', () => {
  it('needs the current password; the new one logs in, the old one not, and my other sessions end', async () => {
    const h = await httpApp();
    const [here, elsewhere] = [await session(h, 'jonas'), await session(h, 'jonas')];
    const wrong = await h.call('changePassword', { cookie: here, body: { current: 'not-it', password: 'jonas-new-password' } });
    expectRefusal('changePassword', wrong, 400, 'wrong-password');
    expect(await opens(h, elsewhere)).toBe(true);

    const res = await h.call('changePassword', { cookie: here, body: { current: 'member-jonas', password: 'jonas-new-password' } });
    expect(res.statusCode, res.body).toBe(204);
    const renewed = res.cookies.find((c) => c.name === 'ss_session')!;
    expect(await opens(h, `ss_session=${renewed.value}`)).toBe(true);
    expect(await opens(h, elsewhere)).toBe(false);
    await session(h, 'jonas', 'jonas-new-password');
    const old = await h.app.inject({ method: 'POST', url: '/api/login', payload: { email: PEOPLE.jonas.email, password: 'member-jonas' } });
    expect(old.statusCode).toBe(401);
    const audit = h.store.audit.query({ target: 'jonas', limit: 10 }).map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['member.password', 'member.password.refused']));
  });

  it('changes only the caller’s own: a body naming someone else is refused, and a short password too', async () => {
    const h = await httpApp();
    const other = await h.call('changePassword', { as: 'jonas', body: { current: 'member-jonas', password: 'long-enough-1', member: 'mette' } });
    expectRefusal('changePassword', other, 400, 'bad-request');
    expectRefusal('changePassword', await h.call('changePassword', { as: 'jonas', body: { current: 'member-jonas', password: 'short' } }), 400, 'bad-request');
    await session(h, 'mette'); // Mette's password is as it was
  });
});

describe('erasing myself', () => {
  it('erases the caller only; naming a host in the body is refused and the host stays', async () => {
    const h = await httpApp();
    const refused = await h.call('eraseMe', { as: 'jonas', body: { confirm: 'erase', member: 'mette' } });
    expectRefusal('eraseMe', refused, 400, 'bad-request');
    expect(h.store.members.byId('jonas')).toBeDefined();
    const cookie = await session(h, 'jonas');
    expectReply('eraseMe', await h.call('eraseMe', { cookie, body: { confirm: 'erase' } }));
    expect(h.store.members.byId('jonas')).toBeUndefined();
    expect(h.store.members.byId('mette')).toBeDefined();
    expect(await opens(h, cookie)).toBe(false);
  });
});
