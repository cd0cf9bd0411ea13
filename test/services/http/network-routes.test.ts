// A member's part in a network of spaces (issue 18): a host records the member's agreement to be
// a network member (PATCH, audited, asks for a recompile: the visas follow); the member sees it
// and the visit days other spaces reported home, only their own.
import { describe, it, expect } from 'vitest';
import type { MemberView, MyNetwork } from '../../../contracts/api/index.ts';
import { PAYLOAD_VERSION } from '../../../contracts/payloads.ts';
import { newSigningKeyPair } from '../../../contracts/signing.ts';
import { httpApp, expectReply, T0 } from '../../helpers/http-app.ts';

describe('network membership and visits through the API', () => {
  it('records the agreement, and shows a member their own visits at other spaces', async () => {
    const h = await httpApp();
    expect(expectReply<MyNetwork>('myNetwork', await h.call('myNetwork', { as: 'lars' }))).toEqual({
      network: null,
      networkMember: false,
      visits: [],
      month: '2025-05',
      homeDaysPerMonth: null,
      daysThisMonth: 0,
      spaces: [],
    });
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
    expect(expectReply<MyNetwork>('myNetwork', await h.call('myNetwork', { as: 'lars' }))).toMatchObject({
      network: null,
      networkMember: true,
      visits: [
        { site: 'b', date: '2025-05-06' },
        { site: 'c', date: '2025-05-07' },
      ],
      daysThisMonth: 2,
    });
    // Another member sees none of Lars's.
    expect(expectReply<MyNetwork>('myNetwork', await h.call('myNetwork', { as: 'jonas' })).visits).toEqual([]);
    await h.close();
  });

  it('shows a network member the other spaces with the rules they announced, and this month’s days per space and in all', async () => {
    const keys = { home: newSigningKeyPair(), b: newSigningKeyPair(), c: newSigningKeyPair() };
    const h = await httpApp({
      edit: (raw) => {
        raw.broker.external = true;
        raw.network = {
          id: 'vest',
          site: 'home',
          broker: { url: 'mqtts://net.example:8883', ca: 'ca.pem' },
          sites: (['home', 'b', 'c'] as const).map((id) => ({ id, name: `Space ${id}`, publicKey: keys[id].publicKey })),
          share: { visiting: true },
          visiting: { doors: ['front'] },
          homeDaysPerMonth: 3,
        };
      },
    });
    expectReply('changeMember', await h.call('changeMember', { as: 'mette', params: { id: 'lars' }, body: { networkMember: true } }));
    const rules = {
      daysPerMonth: 2,
      doors: [{ id: 'front', name: 'Hoveddør' }],
      windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '17:00' }],
      timeZone: 'Europe/Copenhagen',
    };
    const shares = { visiting: true, summaries: false, usageCounts: false };
    h.store.network.putAnnounce({ v: PAYLOAD_VERSION, ts: T0, site: 'b', name: 'Space b', shares, visiting: rules });
    // An older announcement arriving late changes nothing.
    h.store.network.putAnnounce({ v: PAYLOAD_VERSION, ts: T0 - 1, site: 'b', name: 'Space b', shares: { ...shares, visiting: false } });
    const visa = { v: PAYLOAD_VERSION, ts: T0, grant: 'v.home.1', home: 'home', fp: 'a'.repeat(64), until: T0 + 86_400_000, revoked: false, sig: 'x' } as const;
    h.store.network.putVisa(visa, { member: 'lars', credential: 1 });
    const visit = (site: string, day: string) =>
      h.store.network.addVisit({ id: `${site}.v.home.1.${day}`, grant: 'v.home.1', home: 'home', site, day, ts: T0 }, T0);
    visit('b', '2025-04-30'); // last month: not counted this month
    visit('b', '2025-05-02');
    visit('c', '2025-05-02'); // the same day at two spaces: one day in all
    visit('c', '2025-05-06');
    expect(expectReply<MyNetwork>('myNetwork', await h.call('myNetwork', { as: 'lars' }))).toEqual({
      network: 'vest',
      networkMember: true,
      visits: [
        { site: 'b', date: '2025-04-30' },
        { site: 'b', date: '2025-05-02' },
        { site: 'c', date: '2025-05-02' },
        { site: 'c', date: '2025-05-06' },
      ],
      month: '2025-05',
      homeDaysPerMonth: 3,
      daysThisMonth: 2,
      spaces: [
        { id: 'b', name: 'Space b', visiting: rules, daysThisMonth: 1 },
        { id: 'c', name: 'Space c', visiting: null, daysThisMonth: 2 },
      ],
    });
    // A member who is no network member sees the spaces (what the network is), none of Lars's days.
    expect(expectReply<MyNetwork>('myNetwork', await h.call('myNetwork', { as: 'jonas' }))).toMatchObject({
      networkMember: false,
      visits: [],
      daysThisMonth: 0,
      spaces: [expect.objectContaining({ id: 'b', daysThisMonth: 0 }), expect.objectContaining({ id: 'c', daysThisMonth: 0 })],
    });
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
