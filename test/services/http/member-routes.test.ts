// Member administration through inject(): hosts manage members, only operators manage hosts and
// operators, give roles or erase; every change is audited and recompiles the access lists.
import { describe, it, expect } from 'vitest';
import { regex } from '../../../contracts/patterns.ts';
import { localDate } from '../../../contracts/local-time.ts';
import { httpApp, expectReply, expectRefusal, expectBadField, AUTOMATION_TOKEN } from '../../helpers/http-app.ts';

const FP = 'ab'.repeat(32);
const NEW = { name: 'Anna Berg', email: 'anna@kystkontor.dk', plan: 'flex' };

describe('GET /api/members', () => {
  it('is for hosts and up', async () => {
    const h = await httpApp();
    expectRefusal('members', await h.call('members'), 401, 'unauthenticated');
    expectRefusal('members', await h.call('members', { as: 'jonas' }), 403, 'forbidden');
    expectRefusal('members', await h.call('members', { token: AUTOMATION_TOKEN }), 403, 'forbidden');
  });

  it('lists and filters, with the total beyond the page', async () => {
    const h = await httpApp();
    const all = expectReply('members', await h.call('members', { as: 'mette' }));
    expect(all.total).toBe(5);
    expect(all.items.find((m: { id: string }) => m.id === 'jonas')).toMatchObject({ role: 'member', plan: 'resident', status: 'active', credentials: 1 });
    const page = expectReply('members', await h.call('members', { as: 'mette', query: { role: 'member', limit: 2 } }));
    expect([page.items.length, page.total]).toEqual([2, 3]);
    expectBadField('members', await h.call('members', { as: 'mette', query: { limit: 501 } }), 'querystring/limit');
  });
});

describe('POST /api/members', () => {
  it('adds a member with a random opaque id, audits it and recompiles', async () => {
    const h = await httpApp();
    const m = expectReply('addMember', await h.call('addMember', { as: 'mette', body: NEW }));
    expect(m).toMatchObject({ role: 'member', plan: 'flex', status: 'active', credentials: 0 });
    // Nothing of the name in the id (it was "anna-berg", and stayed in logs after an erasure).
    expect(m.id).toMatch(regex('memberId'));
    expect(h.recompiles).toBe(1);
    expect(h.store.audit.query({ action: 'member.create', limit: 5 })).toMatchObject([{ actor: 'mette', target: m.id }]);
    const twin = expectReply('addMember', await h.call('addMember', { as: 'mette', body: { ...NEW, email: 'anna2@kystkontor.dk' } }));
    expect(twin.id).toMatch(regex('memberId'));
    expect(twin.id).not.toBe(m.id);
  });

  it('takes a given id only in the opaque form, and only once', async () => {
    const h = await httpApp();
    const id = 'm_abcdefghijk23456';
    expect(expectReply('addMember', await h.call('addMember', { as: 'mette', body: { ...NEW, id } })).id).toBe(id);
    expectRefusal('addMember', await h.call('addMember', { as: 'mette', body: { ...NEW, email: 'a2@kystkontor.dk', id } }), 409, 'id-taken');
    expectBadField('addMember', await h.call('addMember', { as: 'mette', body: { ...NEW, email: 'a3@kystkontor.dk', id: 'anna-berg' } }), 'body/id');
  });

  it('refuses bad input, a taken email or id, an unknown plan, and a host adding a host', async () => {
    const h = await httpApp();
    expectBadField('addMember', await h.call('addMember', { as: 'mette', body: { ...NEW, email: 'no-at-sign' } }), 'body/email');
    expectBadField('addMember', await h.call('addMember', { as: 'mette', body: { ...NEW, name: '' } }), 'body/name');
    expectRefusal('addMember', await h.call('addMember', { as: 'mette', body: { ...NEW, email: 'JONAS@kystkontor.dk' } }), 409, 'email-taken');
    expectRefusal('addMember', await h.call('addMember', { as: 'mette', body: { ...NEW, plan: 'gold' } }), 400, 'unknown-plan');
    expectRefusal('addMember', await h.call('addMember', { as: 'mette', body: { ...NEW, role: 'host' } }), 403, 'forbidden');
    expect(h.recompiles).toBe(0);
    expectReply('addMember', await h.call('addMember', { as: 'ida', body: { ...NEW, role: 'host' } }));
  });

  it('gives a member without a password no login', async () => {
    const h = await httpApp();
    expectReply('addMember', await h.call('addMember', { as: 'mette', body: NEW }));
    expectRefusal('login', await h.call('login', { body: { email: NEW.email, password: 'no-login' } }), 401, 'invalid-credentials');
  });
});

describe('a one-off guest', () => {
  it('is added with a name and no e-mail, gets a guest pass, and cannot log in', async () => {
    const h = await httpApp();
    const guest = expectReply('addMember', await h.call('addMember', { as: 'mette', body: { name: 'Gæst Gæstesen' } }));
    expect(guest).toMatchObject({ name: 'Gæst Gæstesen', email: null, role: 'member', plan: null });
    // Two guests, both without e-mail: fine (unique only when present).
    expectReply('addMember', await h.call('addMember', { as: 'mette', body: { name: 'Anden Gæst' } }));
    const today = localDate(Date.now(), 'Europe/Copenhagen');
    const pass = expectReply('issuePass', await h.call('issuePass', { as: 'mette', body: { member: guest.id, kind: 'guest', plan: 'flex', from: today } }));
    expect(pass.pin).toMatch(/^\d{6}$/);
    expect(expectReply('member', await h.call('member', { as: 'mette', params: { id: guest.id } }))).toMatchObject({ email: null, credentials: 1 });
    // No e-mail, no login: a password or a host's role is refused with a reason, not stored.
    expectRefusal('addMember', await h.call('addMember', { as: 'mette', body: { name: 'Gæst Tre', password: 'guest-password-1' } }), 400, 'no-email');
    expectRefusal('addMember', await h.call('addMember', { as: 'ida', body: { name: 'Vært Uden Post', role: 'host' } }), 400, 'no-email');
    expectRefusal(
      'changeMember',
      await h.call('changeMember', { as: 'mette', params: { id: guest.id }, body: { password: 'guest-password-1' } }),
      400,
      'no-email',
    );
    expectRefusal('login', await h.call('login', { body: { email: '', password: 'guest-password-1' } }), 400, 'bad-request');
    // Given an e-mail later, the guest becomes a member like any other.
    const later = expectReply(
      'changeMember',
      await h.call('changeMember', { as: 'mette', params: { id: guest.id }, body: { email: 'gaest@example.dk', password: 'guest-password-1' } }),
    );
    expect(later.email).toBe('gaest@example.dk');
    expectReply('login', await h.call('login', { body: { email: 'gaest@example.dk', password: 'guest-password-1' } }));
  });
});

describe('GET and PATCH /api/members/:id', () => {
  it('reads a member; a host may not read an operator', async () => {
    const h = await httpApp();
    expect(expectReply('member', await h.call('member', { as: 'mette', params: { id: 'sofie' } }))).toMatchObject({ id: 'sofie', plan: 'flex' });
    expectRefusal('member', await h.call('member', { as: 'mette', params: { id: 'nobody' } }), 404, 'not-found');
    expectRefusal('member', await h.call('member', { as: 'mette', params: { id: 'ida' } }), 403, 'forbidden');
    expectRefusal('member', await h.call('member', { as: 'sofie', params: { id: 'sofie' } }), 403, 'forbidden');
    expectBadField('member', await h.call('member', { as: 'mette', params: { id: 'Not An Id' } }), 'params/id');
  });

  it('suspends and reactivates, auditing which', async () => {
    const h = await httpApp();
    const off = expectReply('changeMember', await h.call('changeMember', { as: 'mette', params: { id: 'lars' }, body: { status: 'suspended' } }));
    expect(off.status).toBe('suspended');
    expectReply('changeMember', await h.call('changeMember', { as: 'mette', params: { id: 'lars' }, body: { status: 'active' } }));
    expect(h.store.audit.query({ target: 'lars', limit: 5 }).map((r) => r.action)).toEqual(['member.activate', 'member.suspend']);
    expect(h.recompiles).toBe(2);
  });

  it('refuses an empty patch, a host changing a role, a taken email, an unknown plan, and the last operator stepping down', async () => {
    const h = await httpApp();
    const to = (id: string) => ({ as: 'mette' as const, params: { id } });
    expectBadField('changeMember', await h.call('changeMember', { ...to('sofie'), body: {} }), 'body');
    expectRefusal('changeMember', await h.call('changeMember', { ...to('sofie'), body: { role: 'host' } }), 403, 'forbidden');
    expectRefusal('changeMember', await h.call('changeMember', { ...to('sofie'), body: { email: 'lars@kystkontor.dk' } }), 409, 'email-taken');
    expectRefusal('changeMember', await h.call('changeMember', { ...to('sofie'), body: { plan: 'gold' } }), 400, 'unknown-plan');
    expectRefusal('changeMember', await h.call('changeMember', { ...to('nobody'), body: { name: 'X' } }), 404, 'not-found');
    const last = await h.call('changeMember', { as: 'ida', params: { id: 'ida' }, body: { role: 'host' } });
    expectRefusal('changeMember', last, 409, 'last-operator');
    expect(h.recompiles).toBe(0);
  });

  it('changes a password that then logs in', async () => {
    const h = await httpApp();
    expectReply('changeMember', await h.call('changeMember', { as: 'mette', params: { id: 'sofie' }, body: { password: 'a-new-password' } }));
    const res = await h.call('login', { body: { email: 'sofie@kystkontor.dk', password: 'a-new-password' } });
    expectReply('login', res);
  });
});

describe('a member’s credentials', () => {
  it('lists them and adds a card by fingerprint', async () => {
    const h = await httpApp();
    const before = expectReply('memberCredentials', await h.call('memberCredentials', { as: 'mette', params: { id: 'sofie' } }));
    expect(before).toMatchObject([{ member: 'sofie', kind: 'card', status: 'live' }]);
    const card = expectReply(
      'addCredential',
      await h.call('addCredential', { as: 'mette', params: { id: 'sofie' }, body: { fingerprint: FP, label: 'spare' } }),
    );
    expect(card).toMatchObject({ member: 'sofie', kind: 'card', tail: FP.slice(-6), label: 'spare', status: 'live', revokedAt: null });
    expect(h.recompiles).toBe(1);
    expectRefusal('memberCredentials', await h.call('memberCredentials', { as: 'mette', params: { id: 'nobody' } }), 404, 'not-found');
  });

  it('refuses a bad fingerprint, a taken card, reversed dates and an unknown plan', async () => {
    const h = await httpApp();
    const add = (body: object) => h.call('addCredential', { as: 'mette', params: { id: 'sofie' }, body });
    expectBadField('addCredential', await add({ fingerprint: 'not-hex' }), 'body/fingerprint');
    expectReply('addCredential', await add({ fingerprint: FP }));
    expectRefusal('addCredential', await add({ fingerprint: FP }), 409, 'card-taken');
    expectRefusal('addCredential', await add({ fingerprint: 'cd'.repeat(32), validFrom: '2025-06-02', validTo: '2025-06-01' }), 400, 'bad-date');
    expectRefusal('addCredential', await add({ fingerprint: 'cd'.repeat(32), validFrom: '2025-02-30' }), 400, 'bad-date');
    expectRefusal('addCredential', await add({ fingerprint: 'cd'.repeat(32), plan: 'gold' }), 400, 'unknown-plan');
    expectRefusal('addCredential', await h.call('addCredential', { as: 'mette', params: { id: 'nobody' }, body: { fingerprint: FP } }), 404, 'not-found');
  });
});

describe('export and erasure by an operator', () => {
  it('exports a member for operators only, and audits it', async () => {
    const h = await httpApp();
    expectRefusal('exportMember', await h.call('exportMember', { as: 'mette', params: { id: 'sofie' } }), 403, 'forbidden');
    const data = expectReply('exportMember', await h.call('exportMember', { as: 'ida', params: { id: 'sofie' } }));
    expect(data).toMatchObject({ member: { id: 'sofie' }, plan: { id: 'flex' } });
    expect(h.store.audit.query({ action: 'privacy.export', limit: 5 })).toMatchObject([{ actor: 'ida', target: 'sofie' }]);
    expectRefusal('exportMember', await h.call('exportMember', { as: 'ida', params: { id: 'nobody' } }), 404, 'not-found');
  });

  it('erases a member under a pseudonym, keeping their events counted', async () => {
    const h = await httpApp();
    h.doorEvent({ id: '0196a5e0-0000-7000-8000-0000000000a1', member: 'sofie' });
    expectBadField('eraseMember', await h.call('eraseMember', { as: 'ida', params: { id: 'sofie' }, body: {} }), 'confirm');
    expectRefusal('eraseMember', await h.call('eraseMember', { as: 'mette', params: { id: 'sofie' }, body: { confirm: 'erase' } }), 403, 'forbidden');
    const result = expectReply('eraseMember', await h.call('eraseMember', { as: 'ida', params: { id: 'sofie' }, body: { confirm: 'erase' } }));
    expect(result).toMatchObject({ pseudonym: expect.stringMatching(/^erased-/), events: 1 });
    expect(h.store.members.byId('sofie')).toBeUndefined();
    expect(h.recompiles).toBe(1);
    expectRefusal('eraseMember', await h.call('eraseMember', { as: 'ida', params: { id: 'sofie' }, body: { confirm: 'erase' } }), 404, 'not-found');
    expectRefusal('eraseMember', await h.call('eraseMember', { as: 'ida', params: { id: 'ida' }, body: { confirm: 'erase' } }), 409, 'last-operator');
  });
});
