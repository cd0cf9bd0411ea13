// Credentials, passes and card enrolment through inject(): hosts manage the cards of members,
// only operators those of hosts and operators; a pass's PIN is shown once and kept as a
// fingerprint; an enrolment shows the unknown cards tapped at the reader the host chose and binds
// one only when the host confirms it; undo revokes it again.
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
  const TAP = '0196a5e0-0000-7000-8000-0000000000e1';
  const tapUnknown = (h: HttpApp, id: string, fingerprint: string, door = 'front') =>
    h.doorEvent({ id, door, decision: 'denied', reason: 'unknown-credential', fingerprint });
  const get = async (h: HttpApp, id: string) => expectReply('enrolment', await h.call('enrolment', { as: 'mette', params: { id } }));

  it('ignores a card at another reader; shows one at the chosen reader but binds it only when confirmed', async () => {
    const h = await httpApp();
    const e = expectReply('startEnrolment', await h.call('startEnrolment', { as: 'mette', body: START }));
    expect(e).toMatchObject({ member: 'sofie', memberName: 'Sofie Lund', door: 'front', status: 'waiting', candidates: [], credential: null });
    // A stranger's card at another door during the window: a plain deny, not even a candidate.
    const stranger = 'cd'.repeat(32);
    tapUnknown(h, '0196a5e0-0000-7000-8000-0000000000e0', stranger, 'meeting');
    expect(await get(h, e.id)).toMatchObject({ status: 'waiting', candidates: [] });
    expect(h.store.credentials.liveByFingerprint(stranger)).toBeUndefined();

    h.clock.now += 5_000;
    tapUnknown(h, TAP, FP);
    const tapped = await get(h, e.id);
    expect(tapped).toMatchObject({ status: 'tapped', candidates: [{ id: TAP, tail: FP.slice(-6), at: h.clock.now }], credential: null });
    expect(tapped.expiresAt).toBe(h.clock.now + 60_000); // a full minute to look and confirm
    // Not bound, the access list not recompiled: nothing changed at the doors yet.
    expect(h.store.credentials.liveByFingerprint(FP)).toBeUndefined();
    expect(h.recompiles).toBe(0);
    expect(JSON.stringify(tapped)).not.toContain(FP); // only its tail is shown

    const done = expectReply('confirmEnrolment', await h.call('confirmEnrolment', { as: 'mette', params: { id: e.id }, body: { candidate: TAP } }));
    expect(done).toMatchObject({ id: e.id, status: 'bound', credential: { member: 'sofie', tail: FP.slice(-6), label: 'new card', status: 'live' } });
    expect(h.store.credentials.liveByFingerprint(FP)).toMatchObject({ member: 'sofie' });
    expect(h.recompiles).toBe(1);
    expect(h.store.audit.query({ action: 'credential.enrol', limit: 5 })).toMatchObject([
      { actor: 'mette', target: 'sofie', detail: { enrolment: e.id, door: 'front', eventId: TAP } },
    ]);
    expectRefusal('confirmEnrolment', await h.call('confirmEnrolment', { as: 'mette', params: { id: e.id }, body: { candidate: TAP } }), 409, 'not-waiting');
  });

  it('shows each different card tapped at the reader; the host picks one; a fourth fails it', async () => {
    const h = await httpApp();
    const e = expectReply('startEnrolment', await h.call('startEnrolment', { as: 'mette', body: START }));
    const other = 'ab'.repeat(32);
    tapUnknown(h, TAP, other);
    tapUnknown(h, '0196a5e0-0000-7000-8000-0000000000e2', other); // the same card again: still one
    tapUnknown(h, '0196a5e0-0000-7000-8000-0000000000e3', FP);
    expect((await get(h, e.id)).candidates.map((c: { tail: string }) => c.tail)).toEqual([other.slice(-6), FP.slice(-6)]);
    const done = expectReply(
      'confirmEnrolment',
      await h.call('confirmEnrolment', { as: 'mette', params: { id: e.id }, body: { candidate: '0196a5e0-0000-7000-8000-0000000000e3' } }),
    );
    expect(done.credential).toMatchObject({ tail: FP.slice(-6) });
    expect(h.store.credentials.liveByFingerprint(other)).toBeUndefined();

    const f = expectReply('startEnrolment', await h.call('startEnrolment', { as: 'mette', body: { ...START, member: 'lars' } }));
    for (let i = 1; i <= 4; i++) tapUnknown(h, `0196a5e0-0000-7000-8000-00000000010${i}`, String(i).repeat(64));
    expect(await get(h, f.id)).toMatchObject({ status: 'failed', credential: null });
    expect(h.store.credentials.forMember('lars').some((c) => c.fingerprint === '1'.repeat(64))).toBe(false);
  });

  it('refuses to confirm a stale, foreign, cancelled or unknown enrolment, or a card not tapped there', async () => {
    const h = await httpApp();
    const confirm = (id: string, candidate: string, as: 'mette' | 'ida' | 'sofie' = 'mette') =>
      h.call('confirmEnrolment', { as, params: { id }, body: { candidate } });
    // Foreign: started by the operator, so the host may not confirm it (the operator may).
    const theirs = expectReply('startEnrolment', await h.call('startEnrolment', { as: 'ida', body: { ...START, door: 'meeting' } }));
    tapUnknown(h, '0196a5e0-0000-7000-8000-0000000000f1', 'aa'.repeat(32), 'meeting');
    expectRefusal('confirmEnrolment', await confirm(theirs.id, '0196a5e0-0000-7000-8000-0000000000f1'), 403, 'forbidden');
    expectRefusal('confirmEnrolment', await confirm(theirs.id, '0196a5e0-0000-7000-8000-0000000000f1', 'sofie'), 403, 'forbidden');

    const e = expectReply('startEnrolment', await h.call('startEnrolment', { as: 'mette', body: START }));
    tapUnknown(h, TAP, FP);
    // A card tapped in the other enrolment, or never tapped at all, is not a candidate here.
    expectRefusal('confirmEnrolment', await confirm(e.id, '0196a5e0-0000-7000-8000-0000000000f1'), 409, 'unknown-candidate');
    expectRefusal('confirmEnrolment', await confirm(e.id, '0196a5e0-0000-7000-8000-0000000000ff'), 409, 'unknown-candidate');
    expectBadField('confirmEnrolment', await confirm(e.id, 'x'), 'body/candidate');
    expectRefusal('confirmEnrolment', await confirm('00000000-0000-4000-8000-000000000000', TAP), 404, 'not-found');
    // Stale: the window is over (the timer has not fired yet; the clock decides).
    h.clock.now += 60_001;
    expectRefusal('confirmEnrolment', await confirm(e.id, TAP), 409, 'not-waiting');
    // Cancelled: nothing to confirm.
    h.clock.now -= 60_001;
    expectReply('cancelEnrolment', await h.call('cancelEnrolment', { as: 'mette', params: { id: e.id } }));
    expectRefusal('confirmEnrolment', await confirm(e.id, TAP), 409, 'not-waiting');
    expect(h.store.credentials.liveByFingerprint(FP)).toBeUndefined();
    expect(h.recompiles).toBe(0);
    // The operator confirms their own.
    expect(expectReply('confirmEnrolment', await confirm(theirs.id, '0196a5e0-0000-7000-8000-0000000000f1', 'ida')).status).toBe('bound');
  });

  it('undoes a confirmed enrolment once: the card is revoked again', async () => {
    const h = await httpApp();
    const e = expectReply('startEnrolment', await h.call('startEnrolment', { as: 'mette', body: START }));
    const undo = () => h.call('undoEnrolment', { as: 'mette', params: { id: e.id } });
    expectRefusal('undoEnrolment', await undo(), 409, 'not-bound');
    tapUnknown(h, TAP, FP);
    const bound = expectReply('confirmEnrolment', await h.call('confirmEnrolment', { as: 'mette', params: { id: e.id }, body: { candidate: TAP } }));
    const undone = expectReply('undoEnrolment', await undo());
    expect(undone).toMatchObject({ status: 'undone', credential: { id: bound.credential.id, status: 'revoked' } });
    expect(h.store.credentials.liveByFingerprint(FP)).toBeUndefined();
    expect(h.recompiles).toBe(2);
    expect(h.store.audit.query({ action: 'enrolment.undo', limit: 5 })).toMatchObject([
      { actor: 'mette', target: 'sofie', detail: { credential: bound.credential.id } },
    ]);
    expectRefusal('undoEnrolment', await undo(), 409, 'not-bound');
    expectRefusal('undoEnrolment', await h.call('undoEnrolment', { as: 'jonas', params: { id: e.id } }), 403, 'forbidden');
    expectRefusal('undoEnrolment', await h.call('undoEnrolment', { as: 'mette', params: { id: '00000000-0000-4000-8000-000000000000' } }), 404, 'not-found');
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
