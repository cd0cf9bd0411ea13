// The Grafana provisioning in deploy/grafana/provisioning as Grafana reads it: data sources from
// the environment (no secret in a file), the dashboard provider pointing at the JSON beside it,
// and each dashboard in Grafana's JSON model (schema 39+): panels of types Grafana ships, laid on
// the 24-column grid without overlap, each query on a provisioned data source of its language,
// only measurements, fields and variables that exist, alarm kinds as contracts/ lists them.
// (test/deploy/grafana-dashboards.e2e.test.ts runs every InfluxQL query against influxd.)
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ALARM_KINDS } from '../../contracts/payloads.ts';
import { FIELDS, MEASUREMENTS, type Measurement } from '../../services/history/point.ts';
import {
  GRAFANA_DIR,
  allPanels,
  dashboardProviders,
  dashboardQueries,
  dashboards,
  interpolateFlux,
  interpolateInfluxql,
  multiVariables,
  provisionedDataSources,
  type Dashboard,
} from '../helpers/grafana.ts';

// Panel types that Grafana OSS ships (no plugin to install).
const SHIPPED_PANELS = new Set([
  'row',
  'stat',
  'gauge',
  'bargauge',
  'table',
  'timeseries',
  'barchart',
  'status-history',
  'state-timeline',
  'heatmap',
  'histogram',
  'piechart',
  'text',
]);
const LANGUAGE = { 'influxql.json': 'InfluxQL', 'flux.json': 'Flux' } as const;

const sources = provisionedDataSources();
const byUid = new Map(sources.map((s) => [s.uid, s]));
const all = [...dashboards()];

describe('Grafana data sources', () => {
  it('provisions InfluxDB 1.x (InfluxQL) and 2.x (Flux), each with its own uid', () => {
    expect(sources.map((s) => [s.uid, s.type, s.jsonData?.version])).toEqual([
      ['smartspace-influxql', 'influxdb', 'InfluxQL'],
      ['smartspace-flux', 'influxdb', 'Flux'],
    ]);
  });

  it('takes the address, database, bucket and credentials from the environment, never from the file', () => {
    const env = /^\$\{SMARTSPACE_[A-Z0-9_]+\}$/;
    for (const s of sources) {
      expect(s.url, s.uid).toMatch(env);
      for (const [k, v] of Object.entries(s.secureJsonData ?? {})) expect(v, `${s.uid} ${k}`).toMatch(env);
    }
    expect(byUid.get('smartspace-influxql')?.jsonData?.dbName).toMatch(env);
    expect(byUid.get('smartspace-influxql')?.secureJsonData?.password).toMatch(env);
    expect(byUid.get('smartspace-flux')?.secureJsonData?.token).toMatch(env);
    expect(byUid.get('smartspace-flux')?.jsonData?.defaultBucket).toMatch(env);
  });
});

describe('Grafana dashboard provider', () => {
  it('loads the JSON folder beside it, at the path docker-compose.yml mounts it', () => {
    const [provider] = dashboardProviders().flatMap((p) => p.doc.providers as { type: string; options: { path: string } }[]);
    expect(provider?.type).toBe('file');
    const path = provider!.options.path;
    expect(path.startsWith('/etc/grafana/provisioning/')).toBe(true);
    expect(existsSync(join(GRAFANA_DIR, path.slice('/etc/grafana/provisioning/'.length)))).toBe(true);
  });
});

describe.each(all)('Grafana dashboard %s', (file, d: Dashboard) => {
  const language = LANGUAGE[file as keyof typeof LANGUAGE];
  const panels = allPanels(d);

  it('is Grafana dashboard JSON, schema 39 or newer, with a uid of its own', () => {
    expect(language).toBeDefined();
    expect(d.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(d.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(all.filter(([, o]) => o.uid === d.uid)).toHaveLength(1);
    expect(d.title).toBeTruthy();
    expect(d.time).toMatchObject({ from: expect.stringMatching(/^now-\d+[mhdw]$/), to: 'now' });
  });

  it('has the panels the README lists', () => {
    const titles = panels.map((p) => p.title);
    const rows = panels.filter((p) => p.type === 'row').map((p) => p.title);
    expect(rows).toEqual(['Occupancy now', 'Utilisation', 'Visits and members', 'Doors and alarms', 'Device health']);
    for (const t of [
      'Occupied desks',
      'Free desks',
      'Occupied desks by zone',
      'Utilisation of $zone',
      'Desks by hour',
      'Unique members per week',
      'Alarms',
      'Devices',
    ])
      expect(titles).toContain(t);
  });

  it('gives every panel a unique id, a type Grafana ships and a place on the grid', () => {
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const taken = new Set<string>();
    for (const p of panels) {
      const where = `panel ${p.id} »${p.title}«`;
      expect(SHIPPED_PANELS.has(p.type), `${where}: type ${p.type}`).toBe(true);
      const { x, y, w, h } = p.gridPos;
      for (const n of [x, y, w, h]) expect(Number.isInteger(n), where).toBe(true);
      expect(w >= 1 && x >= 0 && x + w <= 24 && h >= 1 && y >= 0, where).toBe(true);
      for (let r = y; r < y + h; r++)
        for (let c = x; c < x + w; c++) {
          expect(taken.has(`${r},${c}`), `${where} overlaps another panel at row ${r}, column ${c}`).toBe(false);
          taken.add(`${r},${c}`);
        }
    }
  });

  it('asks a provisioned data source of its language for every query', () => {
    for (const p of panels.filter((x) => x.type !== 'row')) {
      expect(p.targets?.length, `panel ${p.id}`).toBeGreaterThan(0);
      expect(new Set(p.targets!.map((t) => t.refId)).size, `panel ${p.id} refIds`).toBe(p.targets!.length);
      for (const t of p.targets!) {
        if (language === 'InfluxQL') expect(t.rawQuery, `panel ${p.id} ${t.refId}`).toBe(true);
        expect(t.datasource?.uid, `panel ${p.id} ${t.refId}`).toBe(p.datasource?.uid);
      }
    }
    for (const q of dashboardQueries(d)) {
      expect(q.query.trim(), q.where).not.toBe('');
      const source = byUid.get(q.datasource?.uid ?? '');
      expect(source, `${q.where}: data source ${q.datasource?.uid} is not provisioned`).toBeDefined();
      expect(source?.jsonData?.version, q.where).toBe(language);
      expect(q.datasource?.type, q.where).toBe('influxdb');
    }
  });

  it('uses only variables the dashboard defines, and Grafana macros it knows', () => {
    const vars = Object.fromEntries(d.templating.list.map((v) => [v.name, v.type === 'constant' ? [v.query] : ['a', 'b']]));
    const o = { from: Date.UTC(2026, 0, 5), to: Date.UTC(2026, 0, 12), vars, multi: multiVariables(d) };
    for (const q of dashboardQueries(d)) {
      expect(() => (language === 'InfluxQL' ? interpolateInfluxql(q.query, o) : interpolateFlux(q.query, o)), q.where).not.toThrow();
    }
  });

  it('reads only measurements and fields the history writes', () => {
    for (const q of dashboardQueries(d)) {
      const measurements =
        language === 'InfluxQL'
          ? [...q.query.matchAll(/FROM "(\w+)"/g)].map((m) => m[1]!)
          : [...q.query.matchAll(/(?:_measurement == |measurement: )"(\w+)"/g)].map((m) => m[1]!);
      expect(measurements.length, q.where).toBeGreaterThan(0);
      for (const m of measurements) expect(MEASUREMENTS, q.where).toContain(m);
      if (language === 'Flux') {
        const fields = [...q.query.matchAll(/_field == "(\w+)"/g)].map((m) => m[1]!);
        for (const f of fields) expect(FIELDS[measurements[0] as Measurement], q.where).toContain(f);
      }
    }
  });

  it('lists the alarm kinds contracts/ defines', () => {
    const alarms = dashboardQueries(d).find((q) => q.where.includes('»Alarms«'))!;
    const kinds = language === 'InfluxQL' ? /\/\^\(([^)]*)\)\$\//.exec(alarms.query)?.[1]?.split('|') : JSON.parse(/set: (\[[^\]]*\])/.exec(alarms.query)![1]!);
    expect(kinds).toEqual([...ALARM_KINDS]);
  });
});
