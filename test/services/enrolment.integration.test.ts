// Card enrolment: an unknown card tapped at the reader the host chose becomes a candidate (a card
// at another door does not), the host sees it live and confirms it, and only then is it bound and
// does the access list take it; replace revokes the old card; undo revokes the new one; expiry and
// cancel bind nothing, with or without a card tapped; a card someone holds is refused.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { EnrolmentView, LiveMessage, CredentialView } from '../../contracts/api/index.ts';
import { Enrolments } from '../../services/enrol/enrolments.ts';
import { LiveHub, type LiveDelta } from '../../services/live/hub.ts';
import { startApp, loginAs, api, watchAcl, bringOnline, accessEvent, publishJson, waitFor, type Running } from './helpers.ts';
import { openLive } from '../helpers/stack.ts';

const fp = () => randomBytes(32).toString('hex');
const isEnrolment = (m: LiveMessage): m is Extract<LiveMessage, { type: 'enrolment' }> => m.type === 'enrolment';

describe('card enrolment through the API', () => {
  let r: Running;
  let host: string;

  beforeAll(async () => {
    r = await startApp();
    host = await loginAs(r, 'mette');
  });
  afterAll(() => r.stop());

  async function tapUnknown(door: string, fingerprint: string, via: 'card' = 'card') {
    const gw = await bringOnline(r);
    await publishJson(gw, r.t.doorEvent(door), accessEvent({ door, decision: 'denied', reason: 'unknown-credential', via, member: undefined, fingerprint }));
  }

  async function confirmFirst(id: string, live?: Awaited<ReturnType<typeof openLive>>): Promise<EnrolmentView> {
    const tapped = live
      ? ((await live.waitFor((m) => isEnrolment(m) && m.enrolment.id === id && m.enrolment.status === 'tapped')) as Extract<LiveMessage, { type: 'enrolment' }>)
          .enrolment
      : await waitFor(async () => {
          const e = (await api<EnrolmentView>(r, 'GET', `/api/enrolments/${id}`, { cookie: host })).body;
          return e.status === 'tapped' ? e : undefined;
        });
    const confirmed = await api<EnrolmentView>(r, 'POST', `/api/enrolments/${id}/confirm`, { cookie: host, body: { candidate: tapped.candidates[0]!.id } });
    expect(confirmed.status).toBe(200);
    return confirmed.body;
  }

  it('shows the card tapped at the chosen reader; binds it only on confirmation; the list takes it then', async () => {
    const live = await openLive(r.base, host);
    const member = await openLive(r.base, await loginAs(r, 'jonas'));
    const acl = await watchAcl(r);
    const started = await api<EnrolmentView>(r, 'POST', '/api/enrolments', { cookie: host, body: { member: 'sofie', door: 'front', label: 'blue fob' } });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ member: 'sofie', memberName: 'Sofie Lund', door: 'front', status: 'waiting', candidates: [], credential: null });
    expect(started.body.expiresAt - started.body.startedAt).toBe(60_000);
    expect((await api(r, 'POST', '/api/enrolments', { cookie: host, body: { member: 'lars', door: 'front' } })).body).toMatchObject({
      error: 'enrolment-open',
    });

    // A stranger's card at another door during the window: not bound, not even a candidate.
    const card = fp();
    const stranger = fp();
    await tapUnknown('meeting', stranger);
    await tapUnknown('front', card);
    const tapped = (await live.waitFor((m) => isEnrolment(m) && m.enrolment.status === 'tapped')) as Extract<LiveMessage, { type: 'enrolment' }>;
    expect(tapped.enrolment.candidates).toEqual([{ id: expect.any(String), tail: card.slice(-6), at: expect.any(Number) }]);
    expect(tapped.enrolment.credential).toBeNull();
    // Nothing bound before the host confirms: no credential, so no access list can hold the card.
    expect(r.app.store.credentials.liveByFingerprint(card)).toBeUndefined();
    expect(r.app.store.credentials.liveByFingerprint(stranger)).toBeUndefined();
    expect(acl.latest()?.entries.some((e) => e.fp === card || e.fp === stranger)).toBeFalsy();

    await confirmFirst(started.body.id);
    const bound = (await live.waitFor((m) => isEnrolment(m) && m.enrolment.status === 'bound')) as Extract<LiveMessage, { type: 'enrolment' }>;
    expect(bound.enrolment).toMatchObject({
      id: started.body.id,
      member: 'sofie',
      credential: { kind: 'card', label: 'blue fob', tail: card.slice(-6), status: 'live' },
    });
    const list = await acl.until((l) => l.entries.some((e) => e.fp === card));
    expect(list.entries.find((e) => e.fp === card)).toMatchObject({ member: 'sofie', doors: ['front'] });
    expect((await api<EnrolmentView>(r, 'GET', `/api/enrolments/${started.body.id}`, { cookie: host })).body.status).toBe('bound');
    expect(r.app.store.audit.query({ action: 'credential.enrol', limit: 1 })[0]).toMatchObject({ actor: 'mette', target: 'sofie' });
    expect(list.entries.some((e) => e.fp === stranger)).toBe(false);
    // Members do not see enrolments on their stream.
    await new Promise((res) => setTimeout(res, 100));
    expect(member.messages.some((m) => m.type === 'enrolment')).toBe(false);
    live.close();
    member.close();
  });

  it('replace: the new card is bound and the old one revoked', async () => {
    const creds = (await api<CredentialView[]>(r, 'GET', '/api/members/jonas/credentials', { cookie: host })).body;
    const old = creds.find((c) => c.status === 'live')!;
    const started = await api<EnrolmentView>(r, 'POST', '/api/enrolments', { cookie: host, body: { member: 'jonas', door: 'meeting', replaces: old.id } });
    expect(started.status).toBe(201);
    await tapUnknown('meeting', fp());
    // Until confirmed, the old card stays live.
    await waitFor(async () => (await api<EnrolmentView>(r, 'GET', `/api/enrolments/${started.body.id}`, { cookie: host })).body.status === 'tapped');
    expect(r.app.store.credentials.byId(old.id)!.revokedAt).toBeNull();
    expect((await confirmFirst(started.body.id)).status).toBe('bound');
    const after = (await api<CredentialView[]>(r, 'GET', '/api/members/jonas/credentials', { cookie: host })).body;
    expect(after.find((c) => c.id === old.id)!.status).toBe('revoked');
    expect(after.filter((c) => c.status === 'live')).toHaveLength(1);
  });

  it('undo revokes the confirmed card again; the list drops it', async () => {
    const acl = await watchAcl(r);
    const started = await api<EnrolmentView>(r, 'POST', '/api/enrolments', { cookie: host, body: { member: 'lars', door: 'front' } });
    const card = fp();
    await tapUnknown('front', card);
    await confirmFirst(started.body.id);
    await acl.until((l) => l.entries.some((e) => e.fp === card));
    const undone = await api<EnrolmentView>(r, 'POST', `/api/enrolments/${started.body.id}/undo`, { cookie: host });
    expect(undone.body).toMatchObject({ status: 'undone', credential: { status: 'revoked' } });
    await acl.until((l) => !l.entries.some((e) => e.fp === card));
    expect(r.app.store.credentials.liveByFingerprint(card)).toBeUndefined();
    expect(r.app.store.audit.query({ action: 'enrolment.undo', limit: 1 })[0]).toMatchObject({ actor: 'mette', target: 'lars' });
  });

  it('cancel with a card tapped binds nothing; a later tap binds nothing', async () => {
    const started = await api<EnrolmentView>(r, 'POST', '/api/enrolments', { cookie: host, body: { member: 'lars', door: 'front' } });
    const shown = fp();
    await tapUnknown('front', shown);
    await waitFor(async () => (await api<EnrolmentView>(r, 'GET', `/api/enrolments/${started.body.id}`, { cookie: host })).body.status === 'tapped');
    const cancelled = await api<EnrolmentView>(r, 'DELETE', `/api/enrolments/${started.body.id}`, { cookie: host });
    expect(cancelled.body.status).toBe('cancelled');
    const before = r.app.store.credentials.forMember('lars').length;
    await tapUnknown('front', fp());
    await new Promise((res) => setTimeout(res, 200));
    expect(r.app.store.credentials.forMember('lars')).toHaveLength(before);
    expect(r.app.store.credentials.liveByFingerprint(shown)).toBeUndefined();
    expect((await api(r, 'DELETE', `/api/enrolments/${started.body.id}`, { cookie: host })).body).toMatchObject({ error: 'not-waiting' });
  });
});

describe('Enrolments (unit)', () => {
  it('a tap at the chosen reader is only a candidate; running out binds nothing', async () => {
    const r = await startApp();
    try {
      const recompiles: string[] = [];
      const e = new Enrolments({
        store: r.app.store,
        hub: new LiveHub(),
        log: pino({ level: 'silent' }),
        now: Date.now,
        timeZone: 'Europe/Copenhagen',
        recompile: () => Promise.resolve(recompiles.push('x')),
        windowMs: 100,
      });
      const a = e.start({ member: 'lars', door: 'front', actor: 'mette', source: 'test' });
      const card = fp();
      e.offer(accessEvent({ door: 'meeting', decision: 'denied', reason: 'unknown-credential', member: undefined, fingerprint: fp() }));
      expect(e.get(a.id)).toMatchObject({ status: 'waiting', candidates: [] });
      e.offer(accessEvent({ door: 'front', decision: 'denied', reason: 'unknown-credential', member: undefined, fingerprint: card }));
      expect(r.app.store.credentials.liveByFingerprint(card)).toBeUndefined();
      expect(recompiles).toEqual([]);
      expect(e.get(a.id)).toMatchObject({ status: 'tapped', candidates: [{ tail: card.slice(-6) }] });
      await waitFor(() => e.get(a.id)?.status === 'expired');
      expect(e.get(a.id)).toMatchObject({ credential: null, reason: 'No card was confirmed in time.' });
      expect(r.app.store.credentials.liveByFingerprint(card)).toBeUndefined();
      expect(recompiles).toEqual([]);
      e.stop();
    } finally {
      await r.stop();
    }
  });

  it('expires after the window, and fails on a card someone holds', async () => {
    const r = await startApp();
    try {
      const hub = new LiveHub();
      const seen: LiveDelta[] = [];
      hub.attach((d) => seen.push(d), { end: () => undefined });
      const e = new Enrolments({
        store: r.app.store,
        hub,
        log: pino({ level: 'silent' }),
        now: Date.now,
        timeZone: 'Europe/Copenhagen',
        recompile: () => Promise.resolve(),
        windowMs: 100,
      });
      const a = e.start({ member: 'lars', door: 'front', actor: 'mette', source: 'test' });
      await waitFor(() => e.get(a.id)?.status === 'expired');
      expect(seen.map((d) => d.type === 'enrolment' && d.enrolment.status)).toEqual(['waiting', 'expired']);
      expect(r.app.store.audit.query({ action: 'enrolment.expired', limit: 1 })[0]).toMatchObject({ target: 'lars' });

      const held = r.app.store.credentials.forMember('jonas')[0]!.fingerprint;
      const b = e.start({ member: 'lars', door: 'front', actor: 'mette', source: 'test' });
      expect(e.offer(accessEvent({ decision: 'denied', reason: 'unknown-credential', member: undefined, fingerprint: held }))).toBe(false);
      expect(e.get(b.id)).toMatchObject({ status: 'failed', reason: expect.stringMatching(/belongs to someone/) });
      e.stop();
    } finally {
      await r.stop();
    }
  });
});
