// Audit trail and analytics through inject(): hosts and up; ranges, cursors and scopes checked
// with their own codes; analytics read the (in-memory) history store that ingest writes to.
import { describe, it, expect, vi } from 'vitest';
import { httpApp, expectReply, expectRefusal, expectBadField, AUTOMATION_TOKEN, T0, type HttpApp } from '../../helpers/http-app.ts';
import type { RouteName } from '../../../contracts/routes.ts';
import { HistoryError } from '../../../services/history/store.ts';

describe('audit', () => {
  /** Three admin changes by mette, then one by ida. */
  async function withChanges(h: HttpApp): Promise<void> {
    for (const [who, name] of [
      ['mette', 'A'],
      ['mette', 'B'],
      ['mette', 'C'],
      ['ida', 'D'],
    ] as const) {
      expectReply('addClosure', await h.call('addClosure', { as: who, body: { name, from: '2025-12-24', to: '2025-12-26' } }));
    }
  }

  it('is for hosts and up', async () => {
    const h = await httpApp();
    expectRefusal('audit', await h.call('audit', { as: 'jonas' }), 403, 'forbidden');
    expectRefusal('auditCsv', await h.call('auditCsv'), 401, 'unauthenticated');
    expectRefusal('audit', await h.call('audit', { token: AUTOMATION_TOKEN }), 403, 'forbidden');
  });

  it('pages newest first with a cursor, and filters by actor and action prefix', async () => {
    const h = await httpApp();
    await withChanges(h);
    const first = expectReply('audit', await h.call('audit', { as: 'mette', query: { action: 'closure.', limit: 3 } }));
    expect(first.items.map((r: { actor: string }) => r.actor)).toEqual(['ida', 'mette', 'mette']);
    expect(first.next).toEqual(expect.any(String));
    const rest = expectReply('audit', await h.call('audit', { as: 'mette', query: { action: 'closure.', limit: 3, before: first.next } }));
    expect([rest.items.length, rest.next]).toEqual([1, null]);
    const ida = expectReply('audit', await h.call('audit', { as: 'mette', query: { actor: 'ida' } }));
    expect(ida.items.map((r: { action: string }) => r.action)).toEqual(['closure.create', 'session.login']);
  });

  it('refuses a foreign cursor, a reversed range and a bad action', async () => {
    const h = await httpApp();
    expectRefusal('audit', await h.call('audit', { as: 'mette', query: { before: 'abc' } }), 400, 'bad-cursor');
    expectRefusal('auditCsv', await h.call('auditCsv', { as: 'mette', query: { before: '0' } }), 400, 'bad-cursor');
    expectRefusal('audit', await h.call('audit', { as: 'mette', query: { from: 2000, to: 1000 } }), 400, 'bad-range');
    expectRefusal('auditCsv', await h.call('auditCsv', { as: 'mette', query: { from: 2000, to: 1000 } }), 400, 'bad-range');
    expectBadField('audit', await h.call('audit', { as: 'mette', query: { action: 'Member Create' } }), 'querystring/action');
    expectBadField('auditCsv', await h.call('auditCsv', { as: 'mette', query: { limit: 0 } }), 'querystring/limit');
  });

  it('exports CSV with a header row, quoted fields and the site in the file name', async () => {
    const h = await httpApp();
    await withChanges(h);
    const res = expectReply('auditCsv', await h.call('auditCsv', { as: 'mette', query: { action: 'closure.' } }));
    const raw = await h.call('auditCsv', { as: 'mette', query: { action: 'closure.' } });
    expect(raw.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(raw.headers['content-disposition']).toBe(`attachment; filename="audit-${h.config.site.id}.csv"`);
    const lines = (res as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,time,actor,action,target,source,detail');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain(',ida,closure.create,');
  });
});

const RANGE = { from: '2025-05-05', to: '2025-05-07' };
const ANALYTICS: RouteName[] = ['occupancy', 'utilisation', 'utilisationTrend', 'visitsPerDay', 'membersPerWeek', 'peak'];

describe('analytics', () => {
  it('are for hosts and up, every one of them', async () => {
    const h = await httpApp();
    for (const name of [...ANALYTICS, 'monthlyReport'] as const) {
      expectRefusal(name, await h.call(name, { as: 'sofie', query: name === 'monthlyReport' ? { month: '2025-05' } : RANGE }), 403, 'forbidden');
    }
  });

  it('answer each route with its reply shape', async () => {
    const h = await httpApp();
    for (const name of ANALYTICS) expectReply(name, await h.call(name, { as: 'mette', query: RANGE }));
    expectReply('occupancy', await h.call('occupancy', { as: 'mette', query: { ...RANGE, desk: 'd01' } }));
    expectReply('utilisation', await h.call('utilisation', { as: 'mette', query: { ...RANGE, zone: 'quiet-room' } }));
  });

  it('count visits per local day from the door events ingest recorded', async () => {
    const h = await httpApp();
    h.doorEvent({ id: '0196a5e0-0000-7000-8000-0000000000b1', member: 'jonas', ts: Date.UTC(2025, 4, 5, 7) });
    h.doorEvent({ id: '0196a5e0-0000-7000-8000-0000000000b2', member: 'jonas', ts: Date.UTC(2025, 4, 5, 12) });
    h.doorEvent({ id: '0196a5e0-0000-7000-8000-0000000000b3', member: 'sofie', ts: Date.UTC(2025, 4, 5, 8) });
    await h.drained();
    const v = expectReply('visitsPerDay', await h.call('visitsPerDay', { as: 'mette', query: RANGE }));
    expect(v.days).toEqual([
      { date: '2025-05-05', visits: 2, entries: 3 },
      { date: '2025-05-06', visits: 0, entries: 0 },
      { date: '2025-05-07', visits: 0, entries: 0 },
    ]);
  });

  it('refuse bad dates, long or reversed ranges, unknown scopes and both scopes at once', async () => {
    const h = await httpApp();
    const q = (query: object) => h.call('peak', { as: 'mette', query: { ...RANGE, ...query } });
    expectBadField('peak', await h.call('peak', { as: 'mette', query: { from: RANGE.from } }), 'to');
    expectBadField('peak', await q({ from: '5 May' }), 'querystring/from');
    expectRefusal('peak', await q({ to: '2025-02-30' }), 400, 'bad-date');
    expectRefusal('peak', await q({ to: '2025-05-01' }), 400, 'bad-date');
    expectRefusal('peak', await q({ to: '2026-05-06' }), 400, 'bad-range');
    expectReply('peak', await q({ to: '2026-05-05' }));
    expectRefusal('peak', await q({ zone: 'attic' }), 400, 'unknown-zone');
    expectRefusal('peak', await q({ desk: 'd99' }), 400, 'unknown-desk');
    expectRefusal('peak', await q({ zone: 'quiet-room', desk: 'd11' }), 400, 'bad-request');
  });

  it('answer 503 history-unavailable when the history store does not answer', async () => {
    const h = await httpApp();
    const down = new HistoryError('unavailable', 'connect ECONNREFUSED');
    vi.spyOn(h.history, 'query').mockRejectedValue(down);
    vi.spyOn(h.history, 'count').mockRejectedValue(down);
    expectRefusal('visitsPerDay', await h.call('visitsPerDay', { as: 'mette', query: RANGE }), 503, 'history-unavailable');
    expectRefusal('monthlyReport', await h.call('monthlyReport', { as: 'mette', query: { month: '2025-05' } }), 503, 'history-unavailable');
  });

  it('give the monthly report as CSV, a row per day and a total', async () => {
    const h = await httpApp({ now: T0 });
    expectBadField('monthlyReport', await h.call('monthlyReport', { as: 'mette', query: { month: '2025-5' } }), 'querystring/month');
    const res = await h.call('monthlyReport', { as: 'mette', query: { month: '2025-02' } });
    const csv = expectReply<string>('monthlyReport', res);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="usage-${h.config.site.id}-2025-02.csv"`);
    const lines = csv.trimEnd().split(/\r?\n/);
    expect(lines).toHaveLength(1 + 28 + 1);
    expect(lines[1]).toMatch(/^2025-02-01,/);
  });
});
