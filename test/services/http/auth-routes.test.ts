// Session routes (login, logout, me) and the member's own privacy routes, through inject().
import { describe, it, expect } from 'vitest';
import { httpApp, expectReply, expectRefusal, expectBadField, PEOPLE, AUTOMATION_TOKEN } from '../../helpers/http-app.ts';

describe('login, logout, me', () => {
  it('logs in with the right password: a session cookie and who it is', async () => {
    const h = await httpApp();
    const res = await h.call('login', { body: { email: ` ${PEOPLE.sofie.email} `, password: PEOPLE.sofie.password } });
    const me = expectReply('login', res);
    expect(me).toEqual({ id: 'sofie', name: 'Sofie Lund', email: PEOPLE.sofie.email, role: 'member', presenceOptIn: false });
    const cookie = res.cookies.find((c) => c.name === 'ss_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(h.store.audit.query({ action: 'session.login', limit: 5 }).map((r) => r.actor)).toEqual(['sofie']);
    const again = await h.call('me', { cookie: `ss_session=${cookie!.value}` });
    expect(expectReply('me', again)).toEqual(me);
  });

  it('answers a wrong password, an unknown email and a suspended member alike', async () => {
    const h = await httpApp();
    h.store.members.update('lars', { active: false });
    const tries = [
      { email: PEOPLE.sofie.email, password: 'not-her-password' },
      { email: 'nobody@kystkontor.dk', password: PEOPLE.sofie.password },
      { email: PEOPLE.lars.email, password: PEOPLE.lars.password },
    ];
    const messages = [];
    for (const body of tries) {
      const res = await h.call('login', { body });
      messages.push(expectRefusal('login', res, 401, 'invalid-credentials'));
      expect(res.cookies).toEqual([]);
    }
    expect(new Set(messages).size).toBe(1);
  });

  it('names the field of a bad login body', async () => {
    const h = await httpApp();
    expectBadField('login', await h.call('login', { body: { email: PEOPLE.sofie.email } }), 'password');
    expectBadField('login', await h.call('login', { body: { email: 'x', password: 'y' } }), 'body/email');
  });

  it('logs out: the session no longer opens /api/me, and logout needs no session', async () => {
    const h = await httpApp();
    const cookie = await h.login('jonas');
    expectReply('me', await h.call('me', { cookie }));
    expectReply('logout', await h.call('logout', { cookie }));
    expectRefusal('me', await h.call('me', { cookie }), 401, 'unauthenticated');
    expectReply('logout', await h.call('logout'));
  });

  it('refuses /api/me without a session, with a stale one and with the automation token', async () => {
    const h = await httpApp();
    expectRefusal('me', await h.call('me'), 401, 'unauthenticated');
    expectRefusal('me', await h.call('me', { cookie: 'ss_session=forged' }), 401, 'unauthenticated');
    expectRefusal('me', await h.call('me', { token: AUTOMATION_TOKEN }), 403, 'forbidden');
    expectRefusal('me', await h.call('me', { token: 'wrong' }), 401, 'invalid-token');
  });

  it('ends a session when its member is suspended', async () => {
    const h = await httpApp();
    const cookie = await h.login('jonas');
    h.store.members.update('jonas', { active: false });
    expectRefusal('me', await h.call('me', { cookie }), 401, 'unauthenticated');
  });
});

describe('the member’s own privacy routes', () => {
  it('sets the presence opt-in and audits it', async () => {
    const h = await httpApp();
    expectRefusal('setPresence', await h.call('setPresence', { body: { optIn: true } }), 401, 'unauthenticated');
    expectBadField('setPresence', await h.call('setPresence', { as: 'sofie', body: { optIn: 'yes' } }), 'body/optIn');
    const me = expectReply('setPresence', await h.call('setPresence', { as: 'sofie', body: { optIn: true } }));
    expect(me).toMatchObject({ id: 'sofie', presenceOptIn: true });
    expect(h.store.members.byId('sofie')?.presenceOptIn).toBe(true);
    expect(h.store.audit.query({ action: 'privacy.presence', limit: 5 })).toMatchObject([{ actor: 'sofie', target: 'sofie', detail: { optIn: true } }]);
  });

  it('exports my data with my cards as fingerprints only, and audits the export', async () => {
    const h = await httpApp();
    expectRefusal('myExport', await h.call('myExport'), 401, 'unauthenticated');
    const res = await h.call('myExport', { as: 'jonas' });
    const data = expectReply('myExport', res);
    expect(data).toMatchObject({ member: { id: 'jonas', email: PEOPLE.jonas.email } });
    expect(res.body).not.toContain('0400D4E5F6');
    expect(h.store.audit.query({ action: 'privacy.export', limit: 5 })).toMatchObject([{ actor: 'jonas', target: 'jonas' }]);
  });

  it('lists my visits as local days, newest first, and only mine', async () => {
    const h = await httpApp();
    expectBadField('myVisits', await h.call('myVisits', { as: 'jonas', query: { limit: 0 } }), 'querystring/limit');
    h.doorEvent({ id: '0196a5e0-0000-7000-8000-000000000001', member: 'jonas', ts: Date.UTC(2025, 4, 5, 7) });
    h.doorEvent({ id: '0196a5e0-0000-7000-8000-000000000002', member: 'jonas', ts: Date.UTC(2025, 4, 6, 22, 30) });
    h.doorEvent({ id: '0196a5e0-0000-7000-8000-000000000003', member: 'sofie', ts: Date.UTC(2025, 4, 6, 8) });
    h.doorEvent({ id: '0196a5e0-0000-7000-8000-000000000004', member: 'jonas', ts: Date.UTC(2025, 4, 6, 9), decision: 'denied', reason: 'outside-schedule' });
    const visits = expectReply('myVisits', await h.call('myVisits', { as: 'jonas' }));
    // 22:30 UTC on the 6th is the 7th in Copenhagen; a refused tap is not a visit.
    expect(visits.days.map((d: { date: string }) => d.date)).toEqual(['2025-05-07', '2025-05-05']);
  });

  it('erases me: the session ends, my visits stay under a pseudonym, the lists recompile', async () => {
    const h = await httpApp();
    expectBadField('eraseMe', await h.call('eraseMe', { as: 'jonas', body: { confirm: 'no' } }), 'body/confirm');
    const cookie = await h.login('jonas');
    const result = expectReply('eraseMe', await h.call('eraseMe', { cookie, body: { confirm: 'erase' } }));
    expect(result.pseudonym).toMatch(/^erased-/);
    expect(h.store.members.byId('jonas')).toBeUndefined();
    expect(h.recompiles).toBe(1);
    expectRefusal('me', await h.call('me', { cookie }), 401, 'unauthenticated');
  });

  it('refuses to erase the only active operator', async () => {
    const h = await httpApp();
    const msg = expectRefusal('eraseMe', await h.call('eraseMe', { as: 'ida', body: { confirm: 'erase' } }), 409, 'last-operator');
    expect(msg).toContain('operator');
    expect(h.store.members.byId('ida')).toBeDefined();
    expect(h.recompiles).toBe(0);
  });
});
