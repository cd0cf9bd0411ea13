// Refused requests in the audit (issue 12, finding 1): a wrong bearer token is audited as counts,
// one row per (kind, route, client or its /64) a minute, with a cap on distinct keys, and pruned
// by retention. A flood of junk tokens costs a handful of rows, and the host still sees it.
import { describe, it, expect } from 'vitest';
import { pino } from 'pino';
import type { AuditPage } from '../../../contracts/api/index.ts';
import { createAuditRepo } from '../../../services/db/audit-repo.ts';
import { IN_MEMORY, openDatabase } from '../../../services/db/database.ts';
import { RetentionJob } from '../../../services/privacy/retention.ts';
import { httpApp, expectReply, type HttpApp } from '../../helpers/http-app.ts';

const DAY = 86_400_000;

const junk = (h: HttpApp, url: string, remoteAddress = '203.0.113.7') =>
  h.app.inject({ method: 'GET', url, remoteAddress, headers: { authorization: 'Bearer junk' } });

const refusedRows = (h: HttpApp) => h.store.db.prepare("SELECT COUNT(*) AS n FROM audit WHERE action = 'api.refused'").get() as { n: number };

describe('refused requests in the audit', () => {
  it('5,000 junk bearer tokens: a few rows whose counts add up, seen by the host in the audit', async () => {
    const h = await httpApp();
    for (let i = 0; i < 5000; i++) {
      const res = await junk(h, i % 2 === 0 ? '/api/doors' : '/api/members');
      expect(res.statusCode).toBe(401);
      // Half-way, a minute passes: a new row per key.
      if (i === 2499) h.clock.now += 61_000;
    }
    const page = expectReply<AuditPage>('audit', await h.call('audit', { as: 'mette', query: { action: 'api.refused' } }));
    expect(page.items).toHaveLength(4);
    expect(refusedRows(h).n).toBe(4);
    expect(page.items.reduce((n, r) => n + (r.detail!.count as number), 0)).toBe(5000);
    expect(page.items.map((r) => [r.actor, r.target, r.source, r.detail!.error, r.detail!.count]).sort()).toEqual([
      [null, 'GET /api/doors', '203.0.113.7', 'invalid-token', 1250],
      [null, 'GET /api/doors', '203.0.113.7', 'invalid-token', 1250],
      [null, 'GET /api/members', '203.0.113.7', 'invalid-token', 1250],
      [null, 'GET /api/members', '203.0.113.7', 'invalid-token', 1250],
    ]);
    // Each row: first seen as its time, last seen in the detail.
    for (const r of page.items) expect(r.detail!.lastSeen as number).toBeGreaterThanOrEqual(r.ts);
    const csv = await h.call('auditCsv', { as: 'mette', query: { action: 'api.refused' } });
    expect(csv.body.trim().split('\r\n')).toHaveLength(5);
    // 5,000 requests through fastify's inject: seconds on a quiet machine, more on a busy CI one.
  }, 120_000);

  it('counts an IPv6 client by its /64', async () => {
    const h = await httpApp();
    for (const ip of ['2001:db8:1:2::5', '2001:db8:1:2:ffff::9', '2001:db8:1:3::5']) await junk(h, '/api/doors', ip);
    const rows = h.store.audit.query({ action: 'api.refused', limit: 10 });
    expect(rows.map((r) => [r.source, r.detail!.count]).sort()).toEqual([
      ['2001:db8:1:2::/64', 2],
      ['2001:db8:1:3::/64', 1],
    ]);
  });

  it('keeps a bounded number of keys per interval; the rest share one overflow row', () => {
    const db = openDatabase(IN_MEMORY);
    try {
      const audit = createAuditRepo(db, { intervalMs: 60_000, maxKeys: 3 });
      for (let i = 0; i < 10; i++) {
        audit.tally({
          ts: 1000 + i,
          actor: null,
          action: 'api.refused',
          target: 'GET /api/doors',
          detail: { error: 'invalid-token' },
          source: `198.51.100.${i}`,
        });
      }
      const rows = audit.query({ limit: 10 });
      expect(rows).toHaveLength(4);
      expect(rows.reduce((n, r) => n + (r.detail!.count as number), 0)).toBe(10);
      expect(rows.find((r) => r.detail!.overflow)).toMatchObject({ source: null, target: null, detail: { count: 7 } });
    } finally {
      db.close();
    }
  });

  it('retention deletes old refused-request rows (history.retentionDays.refusedRequests), nothing else', async () => {
    const h = await httpApp();
    const now = h.clock.now;
    h.store.audit.write({ ts: now - 31 * DAY, actor: null, action: 'api.refused', target: 'GET /api/doors', detail: { count: 9 }, source: '203.0.113.7' });
    h.store.audit.write({ ts: now - 29 * DAY, actor: null, action: 'api.refused', target: 'GET /api/doors', detail: { count: 8 }, source: '203.0.113.7' });
    h.store.audit.write({ ts: now - 400 * DAY, actor: 'mette', action: 'member.update', target: 'lars' });
    expect(h.config.history.retentionDays.refusedRequests).toBe(30);
    await new RetentionJob({
      retention: h.config.history.retentionDays,
      store: h.store,
      history: h.history,
      log: pino({ level: 'silent' }),
      now: () => now,
    }).run();
    const left = h.store.audit.query({ limit: 100 }).filter((r) => r.action === 'api.refused' || r.action === 'member.update');
    expect(left.map((r) => [r.action, r.detail?.count ?? null])).toEqual([
      ['member.update', null],
      ['api.refused', 8],
    ]);
    // Still append-only for everyone else, and for refused rows outside the privacy gate.
    expect(() => h.store.db.prepare("DELETE FROM audit WHERE action = 'api.refused'").run()).toThrow(/append-only/);
    expect(() => h.store.db.prepare("DELETE FROM audit WHERE action = 'member.update'").run()).toThrow(/append-only/);
  });
});
