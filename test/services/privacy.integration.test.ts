// Privacy: a member toggles their own named presence; export gives them their data (never a
// fingerprint); erasure removes the person and keeps their visits counted under a pseudonym,
// in SQLite and in the history store.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { AlertView, ErasureResult, EventPage, Me, MemberView, VisitsPerDay } from '../../contracts/api/index.ts';
import { checkpointWal } from '../../runtime/sqlite.ts';
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

describe('erasure leaves no trace of the person', () => {
  const NAME = 'Quirinius Zebedaeus';
  const EMAIL = 'quirinius.zebedaeus@example.org';
  const lines: string[] = [];
  let r: Running;

  beforeAll(async () => {
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    r = await startApp({ app: { logger } });
  });
  afterAll(() => r.stop());

  const files = () => {
    const dir = r.site.config.services.dataDir;
    return ['services.db', 'services.db-wal', 'history.db', 'history.db-wal'].map((f) => join(dir, f)).filter((f) => existsSync(f));
  };
  const holding = (text: string) => files().filter((f) => readFileSync(f).includes(Buffer.from(text, 'utf8')));

  it('in services.db, its WAL, history.db or the log', async () => {
    const host = await loginAs(r, 'mette');
    const operator = await loginAs(r, 'ida');
    const m = await api<MemberView>(r, 'POST', '/api/members', {
      cookie: host,
      body: { name: NAME, email: EMAIL, password: 'quirinius-password', plan: 'flex' },
    });
    expect(m.status).toBe(201);
    const id = m.body.id;
    await login(r.base, EMAIL, 'quirinius-password');
    await api(r, 'PATCH', `/api/members/${id}`, { cookie: host, body: { presenceOptIn: true } });
    const gw = await bringOnline(r);
    await publishJson(gw, r.t.doorEvent('front'), accessEvent({ member: id, fingerprint: 'b'.repeat(64) }));
    await waitFor(() => r.app.store.events.page(10).some((e) => e.event.type === 'access' && e.event.member === id));
    await r.app.history.writer.drained();
    // The name is in the database file itself (not only in the WAL): what the erasure must remove.
    checkpointWal(r.app.store.db);
    expect(holding(NAME)).toContain(join(r.site.config.services.dataDir, 'services.db'));

    const res = await api<ErasureResult>(r, 'POST', `/api/members/${id}/erase`, { cookie: operator, body: { confirm: 'erase' } });
    expect(res.status).toBe(200);
    expect(holding(NAME)).toEqual([]);
    expect(holding(EMAIL)).toEqual([]);
    // Nor the id, in services.db (history.db's WAL keeps the old points until its next checkpoint).
    expect(holding(id).filter((f) => f.includes('services.db'))).toEqual([]);
    // The log never had them: it shows ids, and ids are random.
    const log = lines.join('');
    expect(log).toContain('member erased');
    for (const s of [NAME, EMAIL, 'Quirinius', 'quirinius']) expect(log).not.toContain(s);
  });

  it('of a host: their alert choices, push subscriptions, deliveries and acknowledgements go too', async () => {
    const operator = await loginAs(r, 'ida');
    const m = await api<MemberView>(r, 'POST', '/api/members', {
      cookie: operator,
      body: { name: 'Vagn Vagtsen', email: 'vagn@example.org', password: 'vagn-password-1', role: 'host' },
    });
    expect(m.status).toBe(201);
    const id = m.body.id;
    const vagn = await login(r.base, 'vagn@example.org', 'vagn-password-1');
    const endpoint = 'https://push.example/vagn-phone-7f3a9c';
    expect((await api(r, 'PUT', '/api/me/alert-prefs', { cookie: vagn, body: { kinds: ['forced-open'], channels: ['email'], quiet: null } })).status).toBe(200);
    expect(
      (await api(r, 'PUT', '/api/me/push', { cookie: vagn, body: { endpoint, keys: { p256dh: 'BPk'.padEnd(87, 'x'), auth: 'a'.repeat(22) } } })).status,
    ).toBe(204);
    const alert = await api<AlertView>(r, 'POST', '/api/alerts', { cookie: operator, body: { kind: 'forced-open', door: 'front' } });
    expect(alert.status).toBe(200);
    // One delivery sent to Vagn, one still waiting (as when SMTP is down).
    r.app.store.alerts.addDelivery(alert.body.id, 'email', id, 'pending', Date.now() + 3600_000);
    r.app.store.alerts.addDelivery(alert.body.id, 'push', id, 'pending', Date.now() + 3600_000);
    const [sent] = r.app.store.alerts.deliveries(alert.body.id).filter((d) => d.target === id);
    r.app.store.alerts.updateDelivery({ ...sent!, state: 'sent' }, Date.now());
    expect((await api(r, 'POST', `/api/alerts/${alert.body.id}/ack`, { cookie: vagn })).status).toBe(200);

    const res = await api<ErasureResult>(r, 'POST', `/api/members/${id}/erase`, { cookie: operator, body: { confirm: 'erase' } });
    expect(res.status).toBe(200);
    const db = r.app.store.db;
    expect(db.prepare('SELECT COUNT(*) FROM alert_prefs WHERE member = ?').pluck().get(id)).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM push_subscriptions WHERE member = ? OR endpoint = ?').pluck().get(id, endpoint)).toBe(0);
    // Nothing waits to be sent to nobody; what was sent stays counted under the pseudonym.
    expect(db.prepare('SELECT state, target FROM alert_deliveries WHERE alert = ? AND channel != ?').all(alert.body.id, 'webhook')).toEqual([
      { state: 'sent', target: res.body.pseudonym },
    ]);
    expect(r.app.store.alerts.byId(alert.body.id)).toMatchObject({ ackedBy: res.body.pseudonym });
    expect(holding(id).filter((f) => f.includes('services.db'))).toEqual([]);
    expect(holding(endpoint)).toEqual([]);
  });
});
