// The audit trail: append-only (SQLite triggers), every access decision from the doors, query
// with filters and paging, CSV export; retention forgets who, never what.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { pino } from 'pino';
import type { AuditPage } from '../../contracts/api/index.ts';
import { RetentionJob } from '../../services/privacy/retention.ts';
import { startApp, loginAs, api, bringOnline, accessEvent, publishJson, waitFor, type Running } from './helpers.ts';

const DAY = 86_400_000;

describe('audit', () => {
  let r: Running;
  let host: string;

  beforeAll(async () => {
    r = await startApp();
    host = await loginAs(r, 'mette');
  });
  afterAll(() => r.stop());

  it('refuses UPDATE and DELETE, outside the privacy path', () => {
    const db = r.app.db;
    expect(() => db.prepare("UPDATE audit SET actor = 'someone-else'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM privacy_gate').run()).toThrow(/permanent/);
    // The anonymisation path may change who, never when or what.
    r.app.store.audit.write({ ts: 1, actor: 'tmp-member', action: 'test.row', target: 'tmp-member' });
    expect(r.app.store.audit.anonymiseMember('tmp-member', 'erased-0000000001')).toBe(1);
    expect(r.app.store.audit.query({ action: 'test.row', limit: 1 })[0]).toMatchObject({ actor: 'erased-0000000001', target: 'erased-0000000001' });
    expect(() =>
      db.transaction(() => {
        db.prepare('UPDATE privacy_gate SET open = 1').run();
        db.prepare("UPDATE audit SET action = 'rewritten' WHERE action = 'test.row'").run();
      })(),
    ).toThrow(/only who/);
    expect(db.prepare('SELECT open FROM privacy_gate').get()).toEqual({ open: 0 });
    expect(() => db.prepare("UPDATE audit SET actor = NULL WHERE action = 'test.row'").run()).toThrow(/append-only/);
  });

  it('records every access decision made at a door, with the gateway as the source', async () => {
    const gw = await bringOnline(r);
    const granted = accessEvent({ member: 'jonas' });
    const denied = accessEvent({ decision: 'denied', reason: 'outside-schedule', member: 'sofie' });
    await publishJson(gw, r.t.doorEvent('front'), granted);
    await publishJson(gw, r.t.doorEvent('front'), denied);
    await publishJson(gw, r.t.doorEvent('front'), granted); // resent: stored and audited once
    const rows = await waitFor(() => {
      const q = r.app.store.audit.query({ action: 'access.', limit: 10 });
      return q.length >= 2 ? q : null;
    });
    await new Promise((res) => setTimeout(res, 100));
    expect(r.app.store.audit.query({ action: 'access.', limit: 10 })).toHaveLength(2);
    expect(rows.find((x) => x.action === 'access.granted')).toMatchObject({
      actor: 'jonas',
      target: 'front',
      source: 'gateway:gw-main',
      detail: { eventId: granted.id, via: 'card' },
    });
    expect(rows.find((x) => x.action === 'access.denied')).toMatchObject({ actor: 'sofie', detail: { reason: 'outside-schedule' } });
  });

  it('filters and pages newest first, and exports CSV', async () => {
    for (let i = 0; i < 5; i++) r.app.store.audit.write({ ts: 1000 + i, actor: 'mette', action: 'plan.update', target: `p${i}`, detail: { n: i } });
    r.app.store.audit.write({ ts: 2000, actor: 'ida', action: 'plan.update', target: '=HYPERLINK("x")', detail: { note: 'a, "quoted" value' } });
    const page1 = await api<AuditPage>(r, 'GET', '/api/audit?action=plan.&actor=mette&limit=2', { cookie: host });
    expect(page1.body.items.map((x) => x.target)).toEqual(['p4', 'p3']);
    const page2 = await api<AuditPage>(r, 'GET', `/api/audit?action=plan.&actor=mette&limit=2&before=${page1.body.next}`, { cookie: host });
    expect(page2.body.items.map((x) => x.target)).toEqual(['p2', 'p1']);
    const ranged = await api<AuditPage>(r, 'GET', '/api/audit?from=1001&to=1003', { cookie: host });
    expect(ranged.body.items.map((x) => x.ts)).toEqual([1002, 1001]);
    const csv = await api<string>(r, 'GET', '/api/audit.csv?action=plan.update&lang=en', { cookie: host });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="audit-klitmoller.csv"/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('No.,Time (ISO 8601 with offset),Local time (Europe/Copenhagen),Who,Who (name),Action,About,About (name),From,Details');
    // A formula-looking cell is defused with an apostrophe; quotes and commas are escaped (RFC 4180).
    // The detail is spelled out ("note: …"), not JSON.
    expect(lines[1]).toContain(`,ida,Ida Thomsen,plan.update,"'=HYPERLINK(""x"")",,,"note: a, ""quoted"" value"`);
    expect(lines).toHaveLength(7);
  });

  it('names members by their names, Danish letters and all: in the filter, the rows and the CSV', async () => {
    const added = await api<{ id: string }>(r, 'POST', '/api/members', {
      cookie: host,
      body: { name: 'Anna Østergård', email: 'anna.oe@kystkontor.dk', role: 'member', plan: 'flex' },
    });
    expect(added.status).toBe(201);
    const id = added.body.id;
    expect(id).toMatch(/^m_[a-z2-7]{16}$/);
    // The host types her name as it is written, not an id.
    const byName = await api<AuditPage>(r, 'GET', `/api/audit?target=${encodeURIComponent('Anna  Østergård')}&action=member.create`, { cookie: host });
    expect(byName.body.items).toHaveLength(1);
    expect(byName.body.items[0]).toMatchObject({ actor: 'mette', actorName: 'Mette Kjær', target: id, targetName: 'Anna Østergård' });
    const csv = await api<string>(r, 'GET', `/api/audit.csv?target=${encodeURIComponent('Anna Østergård')}&lang=en`, { cookie: host });
    const lines = csv.body.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,mette,Mette Kjær,member.create,${id},Anna Østergård,`);
    expect(csv.body).not.toMatch(/anna-stergard|anna-ostergard/);
  });

  it('retention: old events and history go; old access decisions forget who, and stay', async () => {
    const now = Date.now();
    const old = accessEvent({ ts: now - 100 * DAY, member: 'lars' });
    r.app.store.events.insert(old, now - 100 * DAY);
    r.app.store.audit.write({ ts: now - 100 * DAY, actor: 'lars', action: 'access.granted', target: 'front', source: 'gateway:gw-main' });
    r.app.store.audit.write({ ts: now - 100 * DAY, actor: 'mette', action: 'member.update', target: 'lars' });
    await r.app.history.store.write([
      { measurement: 'reading', tags: { sensor: 's1', kind: 'co2' }, fields: { value: 400 }, ts: now - 40 * DAY, ns: 0 },
      { measurement: 'reading', tags: { sensor: 's1', kind: 'co2' }, fields: { value: 420 }, ts: now - DAY, ns: 0 },
    ]);
    const job = new RetentionJob({
      retention: r.site.config.history.retentionDays,
      store: r.app.store,
      history: r.app.history.store,
      log: pino({ level: 'silent' }),
      now: () => now,
    });
    await job.run();
    expect(r.app.store.events.byId(old.id)).toBeUndefined();
    const oldAudit = r.app.store.audit.query({ to: now - 99 * DAY, limit: 10 });
    expect(oldAudit.find((x) => x.action === 'access.granted')).toMatchObject({ actor: null, target: 'front' });
    expect(oldAudit.find((x) => x.action === 'member.update')).toMatchObject({ actor: 'mette', target: 'lars' });
    const readings = await r.app.history.store.query({ measurement: 'reading', from: 0, to: now });
    expect(readings.map((p) => p.fields.value)).toEqual([420]); // readings: 30 days
  });
});
