// A member's part in a network of spaces (issue 18): a host records the member's agreement to be
// a network member (PATCH, audited, asks for a recompile: the visas follow); the member sees it
// and the visit days other spaces reported home, only their own.
import { describe, it, expect } from 'vitest';
import type { MemberView, MyNetwork } from '../../../contracts/api/index.ts';
import { PAYLOAD_VERSION } from '../../../contracts/payloads.ts';
import { httpApp, expectReply, T0 } from '../../helpers/http-app.ts';

describe('network membership and visits through the API', () => {
  it('records the agreement, and shows a member their own visits at other spaces', async () => {
    const h = await httpApp();
    expect(expectReply<MyNetwork>('myNetwork', await h.call('myNetwork', { as: 'lars' }))).toEqual({ network: null, networkMember: false, visits: [] });
    const before = h.recompiles;
    const v = expectReply<MemberView>('changeMember', await h.call('changeMember', { as: 'mette', params: { id: 'lars' }, body: { networkMember: true } }));
    expect(v.networkMember).toBe(true);
    expect(h.recompiles).toBeGreaterThan(before);
    expect(h.store.audit.recent(1)[0]).toMatchObject({ action: 'member.update', detail: { networkMember: true } });
    // A visa of Lars's (issued at home) and two visit days reported by other spaces.
    const visa = { v: PAYLOAD_VERSION, ts: T0, grant: 'v.home.1', home: 'home', fp: 'a'.repeat(64), until: T0 + 86_400_000, revoked: false, sig: 'x' } as const;
    h.store.network.putVisa(visa, { member: 'lars', credential: 1 });
    h.store.network.addVisit({ id: 'b.v.home.1.2025-05-06', grant: 'v.home.1', home: 'home', site: 'b', day: '2025-05-06', ts: T0 - 86_400_000 }, T0);
    h.store.network.addVisit({ id: 'c.v.home.1.2025-05-07', grant: 'v.home.1', home: 'home', site: 'c', day: '2025-05-07', ts: T0 }, T0);
    // The same report again (a redelivery) is one visit.
    h.store.network.addVisit({ id: 'c.v.home.1.2025-05-07', grant: 'v.home.1', home: 'home', site: 'c', day: '2025-05-07', ts: T0 }, T0);
    expect(expectReply<MyNetwork>('myNetwork', await h.call('myNetwork', { as: 'lars' }))).toEqual({
      network: null,
      networkMember: true,
      visits: [
        { site: 'b', date: '2025-05-06' },
        { site: 'c', date: '2025-05-07' },
      ],
    });
    // Another member sees none of Lars's.
    expect(expectReply<MyNetwork>('myNetwork', await h.call('myNetwork', { as: 'jonas' })).visits).toEqual([]);
    await h.close();
  });

  it('keeps the network fingerprint a gateway sent with an enrolled card, so the card can get a visa', async () => {
    const h = await httpApp();
    const [fp, netFp, tap] = ['ab'.repeat(32), 'cd'.repeat(32), '0196a5e0-0000-7000-8000-0000000000f1'];
    const e = expectReply('startEnrolment', await h.call('startEnrolment', { as: 'mette', body: { member: 'sofie', door: 'front' } }));
    h.doorEvent({ id: tap, door: 'front', decision: 'denied', reason: 'unknown-credential', fingerprint: fp, netFingerprint: netFp });
    expectReply('confirmEnrolment', await h.call('confirmEnrolment', { as: 'mette', params: { id: e.id }, body: { candidate: tap } }));
    expectReply('changeMember', await h.call('changeMember', { as: 'mette', params: { id: 'sofie' }, body: { networkMember: true } }));
    expect(h.store.network.candidates()).toEqual([expect.objectContaining({ member: 'sofie', fp: netFp })]);
    await h.close();
  });
});
