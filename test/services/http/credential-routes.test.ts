// Credentials, passes and card enrolment through inject(): hosts manage the cards of members,
// only operators those of hosts and operators; a pass's PIN is shown once and kept as a
// fingerprint; an enrolment binds the next unknown card tapped at its door.
import { describe, it, expect } from 'vitest';
import { httpApp, expectReply, expectRefusal, expectBadField, type HttpApp } from '../../helpers/http-app.ts';

const FP = 'ef'.repeat(32);
const cardOf = (h: HttpApp, member: string) => h.store.credentials.forMember(member).find((c) => c.kind === 'card')!.id;

describe('PATCH and DELETE /api/credentials/:id', () => {
  it('are for hosts and up; a host may not touch an operator’s card', async () => {
    const h = await httpApp();
    const id = cardOf(h, 'sofie');
    expectRefusal('changeCredential', await h.call('changeCredential', { params: { id }, body: { label: 'x' } }), 401, 'unauthenticated');
    expectRefusal('revokeCredential', await h.call('revokeCredential', { as: 'sofie', params: { id } }), 403, 'forbidden');
    expectRefusal('revokeCredential', await h.call('revokeCredential', { as: 'mette', params: { id: cardOf(h, 'ida') } }), 403, 'forbidden');
    expect(h.store.credentials.byId(cardOf(h, 'ida'))?.revokedAt).toBeNull();
  });

  it('changes a card’s label, plan and dates', async () => {
    const h = await httpApp();
    const id = cardOf(h, 'sofie');
    const c = expectReply(
      'changeCredential',
      await h.call('changeCredential', { as: 'mette', params: { id }, body: { label: 'blue tag', plan: 'resident', validTo: '2025-05-06' } }),
    );
    expect(c).toMatchObject({ id, member: 'sofie', label: 'blue tag', plan: 'resident', validTo: '2025-05-06', status: 'expired' });
    expect(h.recompiles).toBe(1);
    expect(h.store.audit.query({ action: 'credential.update', limit: 5 })).toMatchObject([
      { target: 'sofie', detail: { credential: id, fields: ['label', 'plan', 'validTo'] } },
    ]);
  });

  it('refuses a bad id, an empty patch, bad dates, an unknown plan, and a revoked card', async () => {
    const h = await httpApp();
    const id = cardOf(h, 'sofie');
    const patch = (body: object, cid: number | string = id) => h.call('changeCredential', { as: 'mette', params: { id: cid }, body });
    expectBadField('changeCredential', await patch({ label: 'x' }, 'abc'), 'params/id');
    expectBadField('changeCredential', await patch({}), 'body');
    expectRefusal('changeCredential', await patch({ validFrom: '2025-06-02', validTo: '2025-06-01' }), 400, 'bad-date');
    expectRefusal('changeCredential', await patch({ plan: 'gold' }), 400, 'unknown-plan');
    expectRefusal('changeCredential', await patch({ label: 'x' }, 99999), 404, 'not-found');
    expectReply('revokeCredential', await h.call('revokeCredential', { as: 'mette', params: { id } }));
    expectRefusal('changeCredential', await patch({ label: 'x' }), 409, 'revoked');
  });

  it('revokes once', async () => {
    const h = await httpApp();
    const id = cardOf(h, 'sofie');
    const c = expectReply('revokeCredential', await h.call('revokeCredential', { as: 'mette', params: { id } }));
    expect(c).toMatchObject({ id, status: 'revoked', revokedAt: h.clock.now });
    expectRefusal('revokeCredential', await h.call('revokeCredential', { as: 'mette', params: { id } }), 409, 'revoked');
    expectRefusal('revokeCredential', await h.call('revokeCredential', { as: 'mette', params: { id: 99999 } }), 404, 'not-found');
    expect(h.recompiles).toBe(1);
  });
});

describe('POST /api/passes', () => {
  const PASS = { member: 'sofie', kind: 'day', plan: 'flex', from: '2025-05-07' };

  it('issues a day pass with a random six-digit PIN, stored only as a fingerprint', async () => {
    const h = await httpApp();
    const res = await h.call('issuePass', { as: 'mette', body: PASS });
    const p = expectReply('issuePass', res);
    expect(p.pin).toMatch(/^[0-9]{6}$/);
    expect(p.credential).toMatchObject({
      member: 'sofie',
      kind: 'pin',
      label: 'day pass',
      plan: 'flex',
      validFrom: '2025-05-07',
      validTo: '2025-05-07',
      status: 'live',
    });
    expect(JSON.stringify(h.store.credentials.byId(p.credential.id))).not.toContain(p.pin);
    expect(h.recompiles).toBe(1);
  });

  it('refuses a PIN in use, an unknown member, plan or date, and a host giving an operator a pass', async () => {
    const h = await httpApp();
    const issue = (body: object, as: 'mette' | 'lars' = 'mette') => h.call('issuePass', { as, body: { ...PASS, ...body } });
    expectRefusal('issuePass', await issue({}, 'lars'), 403, 'forbidden');
    expectBadField('issuePass', await issue({ kind: 'week' }), 'body/kind');
    expectBadField('issuePass', await issue({ pin: '12' }), 'body/pin');
    expectReply('issuePass', await issue({ pin: '424242' }));
    expectRefusal('issuePass', await issue({ pin: '424242' }), 409, 'pin-taken');
    expectRefusal('issuePass', await issue({ member: 'nobody' }), 400, 'unknown-member');
    expectRefusal('issuePass', await issue({ plan: 'gold' }), 400, 'unknown-plan');
    expectRefusal('issuePass', await issue({ to: '2025-05-01' }), 400, 'bad-date');
    expectRefusal('issuePass', await issue({ member: 'ida' }), 403, 'forbidden');
    expect(h.recompiles).toBe(1);
  });
});

describe('card enrolment', () => {
  const START = { member: 'sofie', door: 'front', label: 'new card' };

  it('waits at the door, binds the next unknown card tapped there, and shows how it went', async () => {
    const h = await httpApp();
    const e = expectReply('startEnrolment', await h.call('startEnrolment', { as: 'mette', body: START }));
    expect(e).toMatchObject({ member: 'sofie', memberName: 'Sofie Lund', door: 'front', status: 'waiting', credential: null });
    h.doorEvent({ id: '0196a5e0-0000-7000-8000-0000000000e1', decision: 'denied', reason: 'unknown-credential', fingerprint: FP });
    const done = expectReply('enrolment', await h.call('enrolment', { as: 'mette', params: { id: e.id } }));
    expect(done).toMatchObject({ id: e.id, status: 'bound', credential: { member: 'sofie', tail: FP.slice(-6), label: 'new card' } });
    expect(h.recompiles).toBe(1);
  });

  it('cancels a waiting enrolment once', async () => {
    const h = await httpApp();
    const e = expectReply('startEnrolment', await h.call('startEnrolment', { as: 'mette', body: START }));
    expectRefusal('startEnrolment', await h.call('startEnrolment', { as: 'mette', body: { ...START, member: 'lars' } }), 409, 'enrolment-open');
    const c = expectReply('cancelEnrolment', await h.call('cancelEnrolment', { as: 'mette', params: { id: e.id } }));
    expect(c.status).toBe('cancelled');
    expectRefusal('cancelEnrolment', await h.call('cancelEnrolment', { as: 'mette', params: { id: e.id } }), 409, 'not-waiting');
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectRefusal('cancelEnrolment', await h.call('cancelEnrolment', { as: 'mette', params: { id: unknown } }), 404, 'not-found');
    expectRefusal('enrolment', await h.call('enrolment', { as: 'mette', params: { id: unknown } }), 404, 'not-found');
    expectBadField('enrolment', await h.call('enrolment', { as: 'mette', params: { id: 'not-a-uuid' } }), 'params/id');
  });

  it('is for hosts and up, and checks member, door, dates, plan and the card to replace', async () => {
    const h = await httpApp();
    const start = (body: object, as: 'mette' | 'jonas' = 'mette') => h.call('startEnrolment', { as, body: { ...START, ...body } });
    expectRefusal('startEnrolment', await start({}, 'jonas'), 403, 'forbidden');
    expectRefusal('enrolment', await h.call('enrolment', { as: 'jonas', params: { id: '00000000-0000-4000-8000-000000000000' } }), 403, 'forbidden');
    expectBadField('startEnrolment', await start({ replaces: 0 }), 'body/replaces');
    expectRefusal('startEnrolment', await start({ member: 'nobody' }), 400, 'unknown-member');
    expectRefusal('startEnrolment', await start({ door: 'vault' }), 400, 'unknown-door');
    expectRefusal('startEnrolment', await start({ validFrom: '2025-06-31' }), 400, 'bad-date');
    expectRefusal('startEnrolment', await start({ plan: 'gold' }), 400, 'unknown-plan');
    expectRefusal('startEnrolment', await start({ replaces: 99999 }), 404, 'not-found');
    expectRefusal('startEnrolment', await start({ replaces: cardOf(h, 'lars') }), 400, 'wrong-member');
    const old = cardOf(h, 'sofie');
    expectReply('revokeCredential', await h.call('revokeCredential', { as: 'mette', params: { id: old } }));
    expectRefusal('startEnrolment', await start({ replaces: old }), 409, 'revoked');
    expect(h.enrolments.openAt('front')).toBeUndefined();
  });
});
