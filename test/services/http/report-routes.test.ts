// Audit trail and analytics through inject(): hosts and up; ranges, cursors and scopes checked
// with their own codes; analytics read the (in-memory) history store that ingest writes to.
import { describe, it, expect, vi } from 'vitest';
import { httpApp, expectReply, expectRefusal, expectBadField, AUTOMATION_TOKEN, T0, type HttpApp } from '../../helpers/http-app.ts';
import type { RouteName } from '../../../contracts/routes.ts';
import { HistoryError } from '../../../services/history/store.ts';
import { doorEventPoint, occupancyPoint } from '../../../services/history/point.ts';
import { startOfLocalDay } from '../../../contracts/local-time.ts';

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

  it('exports CSV with readable headers, the local time and the detail in words', async () => {
    const h = await httpApp();
    await withChanges(h);
    const res = expectReply('auditCsv', await h.call('auditCsv', { as: 'mette', query: { action: 'closure.', lang: 'en' } }));
    const raw = await h.call('auditCsv', { as: 'mette', query: { action: 'closure.' } });
    expect(raw.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(raw.headers['content-disposition']).toBe(`attachment; filename="audit-${h.config.site.id}.csv"`);
    // A byte order mark first, so that Excel reads the file as UTF-8; English: `,` between cells.
    expect((res as string).startsWith('\uFEFFNo.,')).toBe(true);
    const lines = (res as string).slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('No.,Time (ISO 8601 with offset),Local time (Europe/Copenhagen),Who,Who (name),Action,About,About (name),From,Details');
    expect(lines).toHaveLength(5);
    // T0 is 10:00 UTC on 7 May 2025: 12:00 in Copenhagen (summer time), as the screen shows it.
    expect(lines[1]).toMatch(
      /^\d+,2025-05-07T12:00:00\+02:00,2025-05-07 12:00:00,ida,Ida Thomsen,closure\.create,[^,]+,[^,]*,[^,]*,"?from: 2025-12-24; to: 2025-12-26; plans: "?$/,
    );
    expect(res).not.toContain('{');
  });

  it('says the time in local time on both sides of a DST change, headers in Danish', async () => {
    const h = await httpApp();
    // On 30 March 2025 Copenhagen's clocks jump from 02:00 to 03:00 (01:00 UTC).
    h.clock.now = Date.UTC(2025, 2, 30, 0, 30); // 01:30 CET (+01:00)
    expectReply('addClosure', await h.call('addClosure', { as: 'mette', body: { name: 'Vinter', from: '2025-12-24', to: '2025-12-26' } }));
    h.clock.now = Date.UTC(2025, 2, 30, 1, 30); // 03:30 CEST (+02:00)
    expectReply('addClosure', await h.call('addClosure', { as: 'mette', body: { name: 'Sommer', from: '2025-12-27', to: '2025-12-28' } }));
    const csv = expectReply<string>('auditCsv', await h.call('auditCsv', { as: 'mette', query: { action: 'closure.', lang: 'da' } }));
    // Danish spreadsheets split on `;` (the comma is their decimal mark).
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Nr.;Tidspunkt (ISO 8601 med forskydning);Lokal tid (Europe/Copenhagen);Hvem;Hvem (navn);Handling;Om;Om (navn);Fra;Detaljer');
    expect(lines.slice(1).map((l) => l.split(';').slice(1, 3))).toEqual([
      ['2025-03-30T03:30:00+02:00', '2025-03-30 03:30:00'],
      ['2025-03-30T01:30:00+01:00', '2025-03-30 01:30:00'],
    ]);
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
    expect(lines[0]!.startsWith('\uFEFF')).toBe(true);
    // The site speaks Danish: `;` between cells and decimal commas, as Danish Excel reads them.
    expect(lines[1]).toMatch(/^2025-02-01;lør;0;0;0;0;;0,0;0,0;$/);
    const en = expectReply<string>('monthlyReport', await h.call('monthlyReport', { as: 'mette', query: { month: '2025-02', lang: 'en' } }));
    expect(en.split('\r\n')[1]).toBe('2025-02-01,Sat,0,0,0,0,,0.0,0.0,');
  });

  it('give the monthly report as a page to print, in Danish: utilisation within opening hours, up to now', async () => {
    const h = await httpApp({ now: T0 }); // Wednesday 7 May 2025, 12:00 in Copenhagen
    const at = (date: string, hours: number) => startOfLocalDay(date, 'Europe/Copenhagen') + hours * 3600_000;
    await h.history.write([
      occupancyPoint({ v: 1, desk: 'd01', occupied: true, since: at('2025-05-05', 8), ts: at('2025-05-05', 8) }, 'open-space'),
      occupancyPoint({ v: 1, desk: 'd01', occupied: false, since: at('2025-05-05', 18), ts: at('2025-05-05', 18) }, 'open-space'),
      doorEventPoint({
        v: 1,
        id: 'evt-report-1',
        ts: at('2025-05-05', 8),
        type: 'access',
        door: 'front',
        gateway: 'gw-main',
        decision: 'granted',
        reason: 'ok',
        via: 'card',
        member: 'jonas',
        offline: false,
      }),
    ]);
    const res = await h.call('monthlyReportPage', { as: 'mette', query: { month: '2025-05', lang: 'da' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toMatch(/style-src 'self' 'sha256-[\w+/=]+'/);
    const html = res.body;
    expect(html).toContain('<html lang="da">');
    expect(html).toContain('<h1>Månedlig brugsrapport</h1>');
    expect(html).toMatch(/data-testid="month">maj 2025</);
    // Only d01 ever reported, from 5 May 08:00: open since then 5 and 6 May 08–18 and 7 May 08–12
    // = 24 h of known desk time (the other desks are no data, not free); d01 in use 10 h.
    expect(html).toMatch(
      new RegExp(`data-kpi="utilisation"><b>${((10 / 24) * 100).toFixed(1).replace('.', ',')} %</b><span>Udnyttelse af pladser i åbningstiden`),
    );
    expect(html).toMatch(/data-kpi="visits"><b>1<\/b>/);
    expect(html).toMatch(/data-kpi="members"><b>1<\/b>/);
    expect(html).toMatch(/data-kpi="peak"><b>1 · 2025-05-05 08:00<\/b>/);
    expect(html).toMatch(
      /<tr data-date="2025-05-05"><td>2025-05-05<\/td><td>man<\/td><td>1<\/td><td>1<\/td><td>1<\/td><td>08:00<\/td><td>10,0<\/td><td>100,0 %<\/td><\/tr>/,
    );
    expect(html).toMatch(/data-compare="last-month"><td>Sidste måned<\/td><td><\/td><td colspan="4">ingen data<\/td>/);
    const en = await h.call('monthlyReportPage', { as: 'mette', query: { month: '2025-05', lang: 'en' } });
    expect(en.body).toContain('<h1>Monthly usage report</h1>');
    expect(en.body).toMatch(/data-kpi="utilisation"><b>41\.7 %<\/b>/);
    expectRefusal('monthlyReportPage', await h.call('monthlyReportPage', { as: 'sofie', query: { month: '2025-05' } }), 403, 'forbidden');
  });
});
