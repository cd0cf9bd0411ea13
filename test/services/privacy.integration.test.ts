// Privacy: a member toggles their own named presence; export gives them their data (never a
// fingerprint); erasure removes the person and keeps their visits counted under a pseudonym,
// in SQLite and in the history store.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { ErasureResult, EventPage, Me, VisitsPerDay } from '../../contracts/api/index.ts';
import { localDate } from '../../contracts/local-time.ts';
import { startApp, loginAs, login, api, bringOnline, accessEvent, publishJson, waitFor, DEMO, type Running } from './helpers.ts';

describe('privacy', () => {
  let r: Running;
  let host: string;
  let operator: string;

  beforeAll(async () => {
    r = await startApp();
    host = await loginAs(r, 'mette');
    operator = await loginAs(r, 'ida');
    const gw = await bringOnline(r);
    for (const member of ['sofie', 'sofie', 'jonas']) {
      await publishJson(gw, r.t.doorEvent('front'), accessEvent({ member, fingerprint: 'a'.repeat(64) }));
    }
    await waitFor(() => r.app.store.events.page(10).length >= 3);
    await r.app.history.writer.drained();
  });
  afterAll(() => r.stop());

  it('a member turns named presence on and off for themselves', async () => {
    const sofie = await loginAs(r, 'sofie');
    const jonas = await loginAs(r, 'jonas');
    const named = async () => (await api<EventPage>(r, 'GET', '/api/events', { cookie: jonas })).body.items.filter((e) => e.memberName === 'Sofie Lund').length;
    expect(await named()).toBe(0);
    const on = await api<Me>(r, 'PUT', '/api/me/presence', { cookie: sofie, body: { optIn: true } });
    expect(on.body.presenceOptIn).toBe(true);
    expect(await named()).toBe(2);
    await api(r, 'PUT', '/api/me/presence', { cookie: sofie, body: { optIn: false } });
    expect(await named()).toBe(0);
  });

  it("exports a member's data as JSON, without card fingerprints", async () => {
    const sofie = await loginAs(r, 'sofie');
    const res = await api<{ member: { id: string; email: string }; credentials: unknown[]; events: unknown[]; audit: unknown[] }>(r, 'GET', '/api/me/export', {
      cookie: sofie,
    });
    expect(res.status).toBe(200);
    expect(res.body.member).toMatchObject({ id: 'sofie', email: DEMO.sofie.email });
    expect(res.body.credentials).toHaveLength(1);
    expect(res.body.events).toHaveLength(2);
    const fps = r.app.store.credentials.forMember('sofie').map((c) => c.fingerprint);
    const text = JSON.stringify(res.body);
    for (const fp of [...fps, 'a'.repeat(64)]) expect(text).not.toContain(fp);
    expect((await api(r, 'GET', '/api/members/sofie/export', { cookie: operator })).status).toBe(200);
    expect((await api(r, 'GET', '/api/members/sofie/export', { cookie: host })).status).toBe(403);
  });

  it('erasure: the person goes, their visits stay counted under a pseudonym', async () => {
    const today = localDate(Date.now(), r.site.config.site.timeZone);
    const visits = async () => (await api<VisitsPerDay>(r, 'GET', `/api/analytics/visits?from=${today}&to=${today}`, { cookie: host })).body.days[0];
    expect(await visits()).toEqual({ date: today, visits: 2, entries: 3 });

    const res = await api<ErasureResult>(r, 'POST', '/api/members/sofie/erase', { cookie: operator, body: { confirm: 'erase' } });
    expect(res.status).toBe(200);
    const { pseudonym } = res.body;
    expect(pseudonym).toMatch(/^erased-[0-9a-f]{10}$/);
    expect(res.body).toMatchObject({ events: 2, history: 2 });

    expect(r.app.store.members.byId('sofie')).toBeUndefined();
    expect(r.app.store.credentials.forMember('sofie')).toEqual([]);
    await expect(login(r.base, DEMO.sofie.email, DEMO.sofie.password)).rejects.toThrow(/401/);
    expect(await visits()).toEqual({ date: today, visits: 2, entries: 3 });
    const events = r.app.store.events.page(10).filter((e) => e.event.type === 'access' && e.event.member === pseudonym);
    expect(events).toHaveLength(2);
    expect(events.every((e) => !('fingerprint' in e.event))).toBe(true);
    const history = await r.app.history.store.query({ measurement: 'door_event', from: 0, to: Date.now() + 1000 });
    expect(history.filter((p) => p.tags.member === pseudonym)).toHaveLength(2);
    expect(history.some((p) => p.tags.member === 'sofie')).toBe(false);
    expect(r.app.store.audit.query({ actor: 'sofie', limit: 10 })).toEqual([]);
    expect(r.app.store.audit.query({ action: 'member.erase', limit: 1 })[0]).toMatchObject({ actor: 'ida', target: pseudonym });
    // An erased id is never handed to someone new: their history would carry the pseudonym.
    const id = 'm_sofiesofiesofie2';
    expect((await api(r, 'POST', '/api/members', { cookie: host, body: { id, name: 'Short Stay', email: 'stay@example.org' } })).status).toBe(201);
    expect((await api(r, 'POST', `/api/members/${id}/erase`, { cookie: operator, body: { confirm: 'erase' } })).status).toBe(200);
    const again = await api(r, 'POST', '/api/members', { cookie: host, body: { id, name: 'Another Sofie', email: 'sofie2@example.org' } });
    expect(again.body).toMatchObject({ error: 'id-taken' });
  });

  it('a member erases themself; the last operator cannot', async () => {
    const lars = await loginAs(r, 'lars');
    expect((await api(r, 'POST', '/api/me/erase', { cookie: lars, body: { confirm: 'yes' } })).status).toBe(400);
    const res = await api<ErasureResult>(r, 'POST', '/api/me/erase', { cookie: lars, body: { confirm: 'erase' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/^ss_session=;/);
    expect((await api(r, 'GET', '/api/me', { cookie: lars })).status).toBe(401);
    expect((await api(r, 'POST', '/api/me/erase', { cookie: operator, body: { confirm: 'erase' } })).body).toMatchObject({ error: 'last-operator' });
  });
});
