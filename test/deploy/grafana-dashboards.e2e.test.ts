// Every query of the shipped InfluxQL dashboard (deploy/grafana/provisioning/dashboards/smartspace/
// influxql.json), interpolated as Grafana would, runs against Debian's InfluxDB 1.6.7 (influxd on
// a private port) filled the way the services fill it: the demo seed's weeks of history written
// to the store as the services write it at first start (seedHistory → store.write), and today's
// live points — occupancy, door contacts, door alarms, device health, built by the point
// functions ingest uses — through the history writer (History: writer, spool). Each query must
// answer without error and with rows that hold a value. Template variables are queried first and
// take every value ("All"), as the dashboard opens by default.
// The Flux dashboard cannot run here (no InfluxDB 2.x; 1.6 has no Flux): test/deploy/grafana.test.ts
// type-checks its queries with InfluxData's Flux checker instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startInfluxd, type Influxd } from '../helpers/influxd.ts';
import { dashboardQueries, dashboards, interpolateInfluxql, multiVariables, parseDuration, type Dashboard } from '../helpers/grafana.ts';
import { openMemoryStore } from '../../services/db/store.ts';
import { seedHistory, seedIfEmpty } from '../../services/seed.ts';
import { createHistoryStore, History } from '../../services/history/history.ts';
import { deviceOwners } from '../../services/ingest/devices.ts';
import { doorEventPoint, healthPoint, occupancyPoint } from '../../services/history/point.ts';
import type { HistoryStore } from '../../services/history/store.ts';
import type { DoorEvent } from '../../contracts/payloads.ts';

// Wednesday 25 November 2026, 11:00 in Copenhagen: members are in, the front door is busy. Fixed,
// so the test does not depend on the day or the hour it runs.
const NOW = Date.UTC(2026, 10, 25, 10);
const MIDNIGHT = Date.UTC(2026, 10, 24, 23); // 00:00 that day in Copenhagen
const M = 60_000;
const DB = 'smartspace';

type Series = { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] };

const dash = dashboards().get('influxql.json') as Dashboard;
const multi = multiVariables(dash);

describe('the InfluxQL Grafana dashboard against InfluxDB 1.x', () => {
  let site: TestSite;
  let influxd: Influxd;
  let hs: HistoryStore | undefined;
  let history: History | undefined;
  let from: number;
  const vars: Record<string, string[]> = {};

  const influxql = async (q: string): Promise<{ error?: string; series: Series[] }> => {
    const url = new URL('/query', influxd.url);
    url.searchParams.set('db', DB);
    url.searchParams.set('epoch', 'ms');
    url.searchParams.set('q', q);
    const res = await fetch(url);
    const body = (await res.json()) as { error?: string; results?: { error?: string; series?: Series[] }[] };
    const r = body.results?.[0];
    return { error: body.error ?? r?.error, series: r?.series ?? [] };
  };

  beforeAll(async () => {
    influxd = await startInfluxd();
    site = await makeTestSite(
      (raw) => {
        raw.history = { ...raw.history, store: 'influxdb1', influxdb1: { url: influxd.url, database: DB } };
      },
      { history: true },
    );
    const { config, secrets } = site;
    const log = pino({ level: 'silent' });
    // The first start of the services (app.ts): seed, then the seed's past into the history store.
    const db = openMemoryStore();
    db.state.syncSite(config.doors, config.desks);
    await seedIfEmpty(db, config, secrets.siteKey, NOW);
    const demo = await seedHistory(db, config, secrets.siteKey, MIDNIGHT + 24 * 60 * M);
    db.close();
    if (!demo) throw new Error('the demo seed has no history');
    const zoneOfDoor = (door: string) => config.doors.find((d) => d.id === door)?.zone;
    hs = await createHistoryStore(config, secrets, log);
    const past = demo.points.filter((p) => p.ts < MIDNIGHT);
    await hs.write(past); // the demo's door contacts (door_state) included

    // Today until NOW, live: what ingest records, through the writer.
    history = new History({ config, store: hs, log });
    history.start();
    const today = demo.points.filter((p) => p.ts >= MIDNIGHT && p.ts <= NOW);
    const heldOpen = { v: 1, id: 'evt-grafana-held', type: 'door', door: 'front', gateway: 'gw-main', ts: NOW - 45 * M, kind: 'held-open' } as DoorEvent;
    for (const p of [...today, doorEventPoint(heldOpen, undefined, zoneOfDoor('front'))]) history.record(p);
    // d03's sensor stops answering at 09:30: the desk goes unknown and its health says fault.
    history.record(occupancyPoint({ v: 1, ts: NOW - 90 * M, desk: 'd03', occupied: null, since: NOW - 90 * M }, 'open-space'));
    for (const [device, owner] of deviceOwners(config)) {
      for (let ts = MIDNIGHT + 15 * M; ts <= NOW; ts += 15 * M) {
        const fault = device === 'd03-pir' && ts >= NOW - 90 * M;
        const kind = owner.desk ? 'presence' : device.split('-').pop()!;
        history.record(
          healthPoint({
            v: 1,
            ts,
            device,
            kind,
            gateway: owner.gateway ?? undefined,
            state: fault ? 'fault' : 'ok',
            ...(fault ? { error: 'no answer', lastSeen: NOW - 90 * M } : { lastSeen: ts - 2000 }),
            ...(kind === 'reader' ? { dropped: Math.floor((ts - MIDNIGHT) / (60 * M)) } : {}),
          }),
        );
      }
    }
    await history.writer.drained();
    expect(history.health()).toMatchObject({ up: true, spooled: 0, rejected: 0 });

    // The dashboard's own default range, ending now; then its variables, all values selected.
    const m = /^now-(\w+)$/.exec((dash.time as { from: string }).from);
    from = NOW - parseDuration(m![1]!);
    for (const v of dash.templating.list) {
      if (v.type === 'constant') vars[v.name] = [v.query];
      if (v.type !== 'query') continue;
      const r = await influxql(interpolateInfluxql(v.query, { from, to: NOW, vars, multi }));
      expect(r.error, `variable ${v.name}`).toBeUndefined();
      vars[v.name] = r.series.flatMap((s) => s.values.map((row) => String(row[1])));
    }
  }, 120_000);

  afterAll(async () => {
    await history?.stop();
    await hs?.close();
    await influxd?.cleanup();
    site?.cleanup();
  });

  it('fills the variables from the history: zones and doors', () => {
    expect(vars.zone).toEqual(['open-space', 'quiet-room']);
    expect(vars.door).toEqual(['front', 'meeting']);
  });

  const panelQueries = dashboardQueries(dash).filter((q) => !q.where.startsWith('variable'));
  it('has a query in every panel it draws', () => {
    expect(panelQueries.length).toBeGreaterThanOrEqual(15);
  });

  it.each(panelQueries.map((q) => [q.where, q] as const))('%s runs and answers with values', async (_where, q) => {
    const text = interpolateInfluxql(q.query, { from, to: NOW, vars, multi, minInterval: q.minInterval });
    const r = await influxql(text);
    expect(r.error, text).toBeUndefined();
    // Every column it asks for holds a value somewhere (not only nulls, or zeros from fill(0)).
    const columns = new Set(r.series.flatMap((s) => s.columns.slice(1)));
    expect(columns.size, `no rows for\n${text}`).toBeGreaterThan(0);
    for (const c of columns) {
      const values = r.series.flatMap((s) => s.values.map((row) => row[s.columns.indexOf(c)]));
      expect(
        values.some((v) => v !== null && v !== undefined && v !== 0),
        `column ${c} has no value in ${JSON.stringify(r.series).slice(0, 300)} for\n${text}`,
      ).toBe(true);
    }
  });

  it("counts days from midnight and weeks from Monday midnight in the site's time zone", async () => {
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: vars.tz![0], weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
    const starts = async (title: string) => {
      const q = dashboardQueries(dash).find((x) => x.where.includes(`»${title}«`))!.query;
      const r = await influxql(interpolateInfluxql(q, { from, to: NOW, vars, multi }));
      return r.series[0]!.values.map((row) => local.format(new Date(row[0] as number)));
    };
    const days = await starts('Unique members per day');
    expect(days.length).toBeGreaterThanOrEqual(7);
    for (const d of days) expect(d).toMatch(/^\w{3} 00:00$/);
    const weeks = await starts('Unique members per week');
    expect(weeks.length).toBeGreaterThanOrEqual(1);
    for (const w of weeks) expect(w).toBe('Mon 00:00');
  });

  it('the now panels count the desks as they stand at 11:00', async () => {
    const q = (title: string) => dashboardQueries(dash).find((x) => x.where.includes(`»${title}«`))!.query;
    const count = async (title: string) => {
      const r = await influxql(interpolateInfluxql(q(title), { from, to: NOW, vars, multi }));
      return Number(r.series[0]?.values[0]?.[1] ?? 0);
    };
    const [occupied, free, unknown] = [await count('Occupied desks'), await count('Free desks'), await count('Desks unknown')];
    expect(unknown).toBe(1);
    expect(occupied).toBeGreaterThan(0);
    expect(occupied + free + unknown).toBe(16);
  });
});
