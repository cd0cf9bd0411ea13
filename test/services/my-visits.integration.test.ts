// GET /api/me/visits: the days I was let in, per local day of the site (Europe/Copenhagen),
// from the stored door events; exit button and denials do not count; only my own; no audit.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { MyVisits } from '../../contracts/api/index.ts';
import type { AccessEvent } from '../../contracts/payloads.ts';
import { startApp, loginAs, api, accessEvent, publishJson, waitFor, type Running } from './helpers.ts';

const at = (iso: string) => Date.parse(iso);

describe('my visits', () => {
  let r: Running;
  const auditCount = () => (r.app.db.prepare('SELECT COUNT(*) AS n FROM audit').get() as { n: number }).n;

  const events: AccessEvent[] = [
    // 10 March (CET, UTC+1): card at 09:00, app at 13:00, out by the exit button, a denial, card at 23:30 local.
    accessEvent({ member: 'jonas', ts: at('2026-03-10T08:00:00Z'), door: 'front', via: 'card' }),
    accessEvent({ member: 'jonas', ts: at('2026-03-10T12:00:00Z'), door: 'meeting', via: 'remote' }),
    accessEvent({ member: 'jonas', ts: at('2026-03-10T13:00:00Z'), door: 'front', via: 'exit-button' }),
    accessEvent({ member: 'jonas', ts: at('2026-03-10T14:00:00Z'), door: 'meeting', decision: 'denied', reason: 'outside-schedule' }),
    accessEvent({ member: 'jonas', ts: at('2026-03-10T22:30:00Z'), door: 'front', via: 'card' }),
    // 23:30 UTC on the 10th is 00:30 on the 11th in Copenhagen.
    accessEvent({ member: 'jonas', ts: at('2026-03-10T23:30:00Z'), door: 'meeting', via: 'card' }),
    // 12 March: twice through the front door.
    accessEvent({ member: 'jonas', ts: at('2026-03-12T07:15:00Z'), door: 'front', via: 'card' }),
    accessEvent({ member: 'jonas', ts: at('2026-03-12T16:45:00Z'), door: 'front', via: 'remote' }),
    // 14 March: only denied, and the exit button: no visit.
    accessEvent({ member: 'jonas', ts: at('2026-03-14T09:00:00Z'), door: 'front', decision: 'denied', reason: 'unknown-credential' }),
    accessEvent({ member: 'jonas', ts: at('2026-03-14T09:05:00Z'), door: 'front', via: 'exit-button' }),
    // Someone else, the same days.
    accessEvent({ member: 'sofie', ts: at('2026-03-10T09:00:00Z'), door: 'meeting', via: 'card' }),
    accessEvent({ member: 'sofie', ts: at('2026-03-13T09:00:00Z'), door: 'front', via: 'card' }),
  ];

  beforeAll(async () => {
    r = await startApp();
    const gw = await r.gateway();
    for (const e of events) await publishJson(gw, r.t.doorEvent(e.door), e);
    await waitFor(() => events.every((e) => r.app.store.events.byId(e.id)));
  });
  afterAll(() => r.stop());

  it('days in the site time zone, newest first: first and last entry, entries, doors in order of first use', async () => {
    const jonas = await loginAs(r, 'jonas');
    const res = await api<MyVisits>(r, 'GET', '/api/me/visits', { cookie: jonas });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      days: [
        { date: '2026-03-12', first: at('2026-03-12T07:15:00Z'), last: at('2026-03-12T16:45:00Z'), entries: 2, doors: ['front'] },
        { date: '2026-03-11', first: at('2026-03-10T23:30:00Z'), last: at('2026-03-10T23:30:00Z'), entries: 1, doors: ['meeting'] },
        { date: '2026-03-10', first: at('2026-03-10T08:00:00Z'), last: at('2026-03-10T22:30:00Z'), entries: 3, doors: ['front', 'meeting'] },
      ],
      total: 3,
    });
  });

  it('limit cuts the days, not the total', async () => {
    const jonas = await loginAs(r, 'jonas');
    const res = await api<MyVisits>(r, 'GET', '/api/me/visits?limit=2', { cookie: jonas });
    expect(res.body.days.map((d) => d.date)).toEqual(['2026-03-12', '2026-03-11']);
    expect(res.body.total).toBe(3);
    const one = await api<MyVisits>(r, 'GET', '/api/me/visits?limit=1', { cookie: jonas });
    expect(one.body.days.map((d) => d.date)).toEqual(['2026-03-12']);
  });

  it('only my own: another member, and a host, see theirs', async () => {
    const sofie = await api<MyVisits>(r, 'GET', '/api/me/visits', { cookie: await loginAs(r, 'sofie') });
    expect(sofie.body).toEqual({
      days: [
        { date: '2026-03-13', first: at('2026-03-13T09:00:00Z'), last: at('2026-03-13T09:00:00Z'), entries: 1, doors: ['front'] },
        { date: '2026-03-10', first: at('2026-03-10T09:00:00Z'), last: at('2026-03-10T09:00:00Z'), entries: 1, doors: ['meeting'] },
      ],
      total: 2,
    });
    // There is no way to ask for someone else's: the route takes no member.
    const host = await api<MyVisits>(r, 'GET', '/api/me/visits', { cookie: await loginAs(r, 'mette') });
    expect(host.body).toEqual({ days: [], total: 0 });
  });

  it('writes no audit entry (the export does)', async () => {
    const jonas = await loginAs(r, 'jonas');
    const before = auditCount();
    for (let i = 0; i < 3; i++) expect((await api(r, 'GET', '/api/me/visits', { cookie: jonas })).status).toBe(200);
    expect(auditCount()).toBe(before);
    await api(r, 'GET', '/api/me/export', { cookie: jonas });
    expect(auditCount()).toBe(before + 1);
  });

  it('bad input is a 400; without a session a 401', async () => {
    const jonas = await loginAs(r, 'jonas');
    for (const q of ['limit=0', 'limit=367', 'limit=abc', 'limit=-1', 'limit=1.5', 'limit=']) {
      const res = await api(r, 'GET', `/api/me/visits?${q}`, { cookie: jonas });
      expect({ q, status: res.status, error: res.body.error }).toEqual({ q, status: 400, error: 'bad-request' });
      expect(typeof res.body.message).toBe('string');
    }
    expect((await api(r, 'GET', '/api/me/visits')).status).toBe(401);
  });
});
