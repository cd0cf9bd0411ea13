// The shipped Grafana provisioning (deploy/grafana/provisioning) as tests read it: the data
// sources and dashboards, every query of every panel and template variable, and the query text
// after Grafana's own interpolation for a given time range and variable values — $timeFilter,
// $__interval(_ms) and ${var} for InfluxQL; v.timeRangeStart/Stop, v.windowPeriod,
// v.defaultBucket and ${var:json} for Flux — so that a test can send exactly what Grafana would.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const GRAFANA_DIR = fileURLToPath(new URL('../../deploy/grafana/provisioning/', import.meta.url));

export interface DataSourceRef {
  type?: string;
  uid?: string;
}
export interface Target {
  refId: string;
  datasource?: DataSourceRef;
  query?: string;
  rawQuery?: boolean;
  resultFormat?: string;
  [k: string]: unknown;
}
export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: DataSourceRef;
  targets?: Target[];
  panels?: Panel[];
  repeat?: string;
  interval?: string;
  [k: string]: unknown;
}
export interface Variable {
  name: string;
  type: string;
  query: string;
  datasource?: DataSourceRef;
  multi?: boolean;
  includeAll?: boolean;
  [k: string]: unknown;
}
export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
  [k: string]: unknown;
}
export interface ProvisionedDataSource {
  name: string;
  uid: string;
  type: string;
  url: string;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, unknown>;
  [k: string]: unknown;
}

const yamlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ file: f, doc: parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown> }));

export function provisionedDataSources(): ProvisionedDataSource[] {
  return yamlFiles(join(GRAFANA_DIR, 'datasources')).flatMap((y) => (y.doc.datasources ?? []) as ProvisionedDataSource[]);
}

export function dashboardProviders(): { file: string; doc: Record<string, unknown> }[] {
  return yamlFiles(join(GRAFANA_DIR, 'dashboards'));
}

/** The dashboard JSON files, by file name (deploy/grafana/provisioning/dashboards/smartspace). */
export function dashboards(): Map<string, Dashboard> {
  const dir = join(GRAFANA_DIR, 'dashboards', 'smartspace');
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Dashboard]),
  );
}

/** Every panel, rows' nested panels included (rows themselves too). */
export function allPanels(d: Dashboard): Panel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

export interface DashboardQuery {
  /** "panel 3 »Free desks« A" or "variable zone". */
  where: string;
  query: string;
  datasource: DataSourceRef | undefined;
  /** The panel's minimum interval (`interval`), when it has one. */
  minInterval?: string;
}

/** The names of the dashboard's multi-value or All variables. */
export function multiVariables(d: Dashboard): string[] {
  return d.templating.list.filter((v) => v.multi || v.includeAll).map((v) => v.name);
}

/** Every query the dashboard sends: each panel target, then each query variable. */
export function dashboardQueries(d: Dashboard): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const p of allPanels(d)) {
    for (const t of p.targets ?? []) {
      out.push({ where: `panel ${p.id} »${p.title}« ${t.refId}`, query: t.query ?? '', datasource: t.datasource ?? p.datasource, minInterval: p.interval });
    }
  }
  for (const v of d.templating.list) if (v.type === 'query') out.push({ where: `variable ${v.name}`, query: v.query, datasource: v.datasource });
  return out;
}

// Grafana's interval rounding (kbn.roundInterval): the auto interval snaps to these steps.
const STEPS: [number, number][] = [
  [15, 10],
  [35, 20],
  [75, 50],
  [150, 100],
  [350, 200],
  [750, 500],
  [1500, 1000],
  [3500, 2000],
  [7500, 5000],
  [12500, 10000],
  [17500, 15000],
  [25000, 20000],
  [45000, 30000],
  [90000, 60000],
  [210000, 120000],
  [450000, 300000],
  [750000, 600000],
  [1050000, 900000],
  [1500000, 1200000],
  [2700000, 1800000],
  [5400000, 3600000],
  [9000000, 7200000],
  [16200000, 10800000],
  [32400000, 21600000],
  [86400000, 43200000],
  [604800000, 86400000],
  [1814400000, 604800000],
  [3628800000, 2592000000],
];
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseDuration(s: string): number {
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(s);
  if (!m) throw new Error(`not a Grafana interval: ${s}`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

/** $__interval as Grafana computes it: range / max data points, rounded, at least the panel's minimum. */
export function autoIntervalMs(fromMs: number, toMs: number, maxDataPoints: number, minInterval?: string): number {
  const raw = (toMs - fromMs) / maxDataPoints;
  const rounded = STEPS.find(([limit]) => raw < limit)?.[1] ?? 31_536_000_000;
  return Math.max(rounded, minInterval ? parseDuration(minInterval) : 1);
}

function intervalText(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const)
    if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

const escapeRegex = (s: string) => s.replace(/[\\^$*+?.()|[\]{}/-]/g, '\\$&');

export interface Interpolation {
  from: number;
  to: number;
  /** Values of each variable ("All" already expanded to every value). */
  vars: Record<string, readonly string[]>;
  /** Variables that are multi-value or include All: InfluxQL gets them as an escaped regex group. */
  multi?: readonly string[];
  /** Flux: the data source's default bucket. */
  bucket?: string;
  /** The panel's width in pixels, Grafana's max data points (default 1000). */
  maxDataPoints?: number;
  minInterval?: string;
}

/** A variable reference: $name, ${name}, ${name:format} or [[name]]. */
const VAR_REF = /\$\{(\w+)(?::(\w+))?\}|\$(\w+)|\[\[(\w+)\]\]/g;

function formatValues(values: readonly string[], format: string | undefined, language: 'influxql' | 'flux', name: string, multi: boolean): string {
  switch (format) {
    case 'json':
      return JSON.stringify(values);
    case 'regex':
      return values.length === 1 ? escapeRegex(values[0]!) : `(${values.map(escapeRegex).join('|')})`;
    case 'raw':
    case undefined:
      // Grafana's InfluxQL data source: a multi/All variable as a regex, a single-value one as is.
      if (language === 'influxql' && multi) return values.length === 1 ? escapeRegex(values[0]!) : `(${values.map(escapeRegex).join('|')})`;
      if (values.length === 1) return values[0]!;
      throw new Error(`variable ${name}: several values in Flux need a format (\${${name}:json})`);
    default:
      throw new Error(`variable ${name}: format ${format} not handled here`);
  }
}

function interpolateVars(query: string, { vars, multi = [] }: Interpolation, language: 'influxql' | 'flux'): string {
  return query.replace(VAR_REF, (whole, braced?: string, format?: string, plain?: string, bracket?: string) => {
    const name = braced ?? plain ?? bracket!;
    if (name.startsWith('__') || name === 'timeFilter' || name.startsWith('tag_') || name === 'col') return whole;
    const values = vars[name];
    if (!values) throw new Error(`the query uses $${name}, which is no dashboard variable`);
    return formatValues(values, format, language, name, multi.includes(name));
  });
}

/** An InfluxQL query as Grafana's InfluxDB data source sends it. */
export function interpolateInfluxql(query: string, o: Interpolation): string {
  const interval = autoIntervalMs(o.from, o.to, o.maxDataPoints ?? 1000, o.minInterval);
  const q = interpolateVars(query, o, 'influxql')
    .replaceAll('$timeFilter', `time >= ${o.from}ms and time <= ${o.to}ms`)
    .replaceAll('$__interval_ms', String(interval))
    .replaceAll('$__interval', intervalText(interval));
  const left = /\$\w+|\[\[\w+\]\]/.exec(q);
  if (left) throw new Error(`${left[0]} is left in the query after interpolation`);
  return q;
}

/** A Flux query as Grafana's InfluxDB data source (Flux mode) sends it. */
export function interpolateFlux(query: string, o: Interpolation): string {
  const interval = autoIntervalMs(o.from, o.to, o.maxDataPoints ?? 1000, o.minInterval);
  const q = interpolateVars(query, o, 'flux')
    .replaceAll('v.timeRangeStart', new Date(o.from).toISOString())
    .replaceAll('v.timeRangeStop', new Date(o.to).toISOString())
    .replaceAll('v.windowPeriod', `${interval}ms`)
    .replaceAll('v.defaultBucket', JSON.stringify(o.bucket ?? 'smartspace'));
  const left = /\$\{?\w+|\bv\.\w+/.exec(q);
  if (left) throw new Error(`${left[0]} is left in the query after interpolation`);
  return q;
}
