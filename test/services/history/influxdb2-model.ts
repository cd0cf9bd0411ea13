// A model of the slice of the InfluxDB 2.x HTTP API that the influxdb2 store uses — line
// protocol writes, the Flux query shapes it sends (range + filter + pivot, or group + count),
// predicate deletes, /ping — written from the 2.x API documentation (annotated CSV, write and
// delete endpoints). Used only to (re)generate the recorded exchange the tests replay when no
// real 2.x server is at hand (INFLUXDB2_RECORD=1 without INFLUXDB2_URL). It is not InfluxDB:
// where the two differ, a recording from a real server (INFLUXDB2_URL) is the truth.
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';

type Value = number | boolean | string;
type FieldType = 'double' | 'long' | 'boolean' | 'string';
interface Row {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, { v: Value; t: FieldType }>;
  time: bigint;
}

/** Splits on `sep` outside quotes, honouring backslash escapes. */
function split(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}
const unescape = (s: string) => s.replace(/\\([,= "\\])/g, '$1');

function parseField(raw: string): { v: Value; t: FieldType } {
  if (raw.startsWith('"')) return { v: raw.slice(1, -1).replace(/\\(["\\])/g, '$1'), t: 'string' };
  if (/^(t|T|true|True|TRUE)$/.test(raw)) return { v: true, t: 'boolean' };
  if (/^(f|F|false|False|FALSE)$/.test(raw)) return { v: false, t: 'boolean' };
  if (/^-?\d+i$/.test(raw)) return { v: Number(raw.slice(0, -1)), t: 'long' };
  const n = Number(raw);
  if (raw === '' || Number.isNaN(n)) throw new Error(`unable to parse field value ${raw}`);
  return { v: n, t: 'double' };
}

function parseLine(line: string): Row {
  const [head, fieldPart, time] = split(line, ' ');
  if (!head || !fieldPart || !time) throw new Error(`unable to parse '${line}': missing fields`);
  const [m, ...tagKv] = split(head, ',');
  const tags: Record<string, string> = {};
  for (const kv of tagKv) {
    const [k, v] = split(kv, '=');
    tags[unescape(k!)] = unescape(v!);
  }
  const fields: Row['fields'] = {};
  for (const kv of split(fieldPart, ',')) {
    const i = kv.search(/(?<!\\)=/);
    fields[unescape(kv.slice(0, i))] = parseField(kv.slice(i + 1));
  }
  return { measurement: unescape(m!), tags, fields, time: BigInt(time) };
}

const seriesKey = (r: { measurement: string; tags: Record<string, string> }) =>
  `${r.measurement},${Object.keys(r.tags)
    .sort()
    .map((k) => `${k}=${r.tags[k]}`)
    .join(',')}`;

/** RFC 3339 with nanoseconds, trailing zeros trimmed (as Go's RFC3339Nano prints). */
export function rfc3339Nano(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${new Date(ms).toISOString().slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}
const toNs = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n + BigInt((/\.(\d+)Z$/.exec(iso)?.[1] ?? '').padEnd(9, '0').slice(3) || '0');

const csvCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function table(cols: { name: string; type: string; group: boolean }[], rows: string[][], defaultResult = '_result'): string {
  const lines = [
    `#group,${cols.map((c) => c.group).join(',')}`,
    `#datatype,${cols.map((c) => c.type).join(',')}`,
    `#default,${cols.map((c) => (c.name === 'result' ? defaultResult : '')).join(',')}`,
    `,${cols.map((c) => c.name).join(',')}`,
    ...rows.map((r) => `,${r.map(csvCell).join(',')}`),
  ];
  return lines.join('\r\n') + '\r\n';
}

export class InfluxDb2Model {
  readonly #points = new Map<string, Row>();
  readonly #types = new Map<string, FieldType>();
  #server: Server | null = null;

  async listen(): Promise<string> {
    const server = createServer((req, res) => void this.#handle(req, res));
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, o: object) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(o));
    };
    if (req.headers.authorization !== 'Token test-token' && url.pathname !== '/ping')
      return json(401, { code: 'unauthorized', message: 'unauthorized access' });
    try {
      if (req.method === 'GET' && url.pathname === '/ping') {
        res.writeHead(204).end();
      } else if (req.method === 'POST' && url.pathname === '/api/v2/write') {
        const errors = this.#write(body);
        if (errors.length === 0) return void res.writeHead(204).end();
        json(422, { code: 'unprocessable entity', message: `failure writing points to database: partial write: ${errors[0]} dropped=${errors.length}` });
      } else if (req.method === 'POST' && url.pathname === '/api/v2/query') {
        const csv = this.#query((JSON.parse(body) as { query: string }).query);
        res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
        res.end(csv);
      } else if (req.method === 'POST' && url.pathname === '/api/v2/delete') {
        this.#delete(JSON.parse(body) as { start: string; stop: string; predicate: string });
        res.writeHead(204).end();
      } else {
        json(404, { code: 'not found', message: 'path not found' });
      }
    } catch (err) {
      json(400, { code: 'invalid', message: (err as Error).message });
    }
  }

  #write(body: string): string[] {
    const errors: string[] = [];
    for (const line of body.split('\n').filter((l) => l.trim())) {
      const row = parseLine(line);
      const conflict = Object.entries(row.fields).find(([k, f]) => {
        const known = this.#types.get(`${row.measurement}.${k}`);
        return known !== undefined && known !== f.t;
      });
      if (conflict) {
        errors.push(
          `field type conflict: input field "${conflict[0]}" on measurement "${row.measurement}" is type ${conflict[1].t}, already exists as type ${this.#types.get(`${row.measurement}.${conflict[0]}`)}`,
        );
        continue;
      }
      for (const [k, f] of Object.entries(row.fields)) this.#types.set(`${row.measurement}.${k}`, f.t);
      const key = `${seriesKey(row)} ${row.time}`;
      const prev = this.#points.get(key);
      this.#points.set(key, prev ? { ...prev, fields: { ...prev.fields, ...row.fields } } : row);
    }
    return errors;
  }

  #query(flux: string): string {
    const bucket = /from\(bucket: "([^"]*)"\)/.exec(flux);
    const range = /range\(start: (?:time\(v: ")?([0-9TZ:.-]+)"?\)?, stop: (?:time\(v: ")?([0-9TZ:.-]+)"?\)?\)/.exec(flux);
    const filter = /filter\(fn: \(r\) => (.*)\)$/m.exec(flux);
    if (!bucket || !range || !filter) throw new Error("error @1:1: the model understands only the store's query shapes");
    const [start, stop] = [toNs(range[1]!), toNs(range[2]!)];
    const terms = [...filter[1]!.matchAll(/r(?:\.(\w+)|\["([^"]+)"\]) == "([^"]*)"/g)].map((m) => [m[1] ?? m[2]!, m[3]!] as const);
    const want = (row: Row, field?: string) =>
      terms.every(([k, v]) => (k === '_measurement' ? row.measurement === v : k === '_field' ? field === v : row.tags[k] === v));
    const rows = [...this.#points.values()].filter((r) => r.time >= start && r.time < stop).sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    const startS = rfc3339Nano(start);
    const stopS = rfc3339Nano(stop);
    if (/\|> count\(\)/.test(flux)) {
      const field = terms.find(([k]) => k === '_field')?.[1];
      const n = rows.filter((r) => field !== undefined && r.fields[field] !== undefined && want(r, field)).length;
      if (n === 0) return '';
      return table(
        [
          { name: 'result', type: 'string', group: false },
          { name: 'table', type: 'long', group: false },
          { name: '_value', type: 'long', group: false },
        ],
        [['', '0', String(n)]],
      );
    }
    // pivot: one table per series; each table its own block (its own columns).
    const bySeries = new Map<string, Row[]>();
    for (const r of rows.filter((x) => want(x))) bySeries.set(seriesKey(r), [...(bySeries.get(seriesKey(r)) ?? []), r]);
    const blocks: string[] = [];
    let n = 0;
    for (const [, series] of [...bySeries].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const first = series[0]!;
      const tagKeys = Object.keys(first.tags).sort();
      const fieldKeys = [...new Set(series.flatMap((r) => Object.keys(r.fields)))].sort();
      const cols = [
        { name: 'result', type: 'string', group: false },
        { name: 'table', type: 'long', group: false },
        { name: '_start', type: 'dateTime:RFC3339', group: true },
        { name: '_stop', type: 'dateTime:RFC3339', group: true },
        { name: '_time', type: 'dateTime:RFC3339', group: false },
        { name: '_measurement', type: 'string', group: true },
        ...tagKeys.map((k) => ({ name: k, type: 'string', group: true })),
        ...fieldKeys.map((k) => ({ name: k, type: this.#types.get(`${first.measurement}.${k}`) ?? 'string', group: false })),
      ];
      const out = series.map((r) => [
        '',
        String(n),
        startS,
        stopS,
        rfc3339Nano(r.time),
        r.measurement,
        ...tagKeys.map((k) => r.tags[k]!),
        ...fieldKeys.map((k) => (r.fields[k] === undefined ? '' : String(r.fields[k].v))),
      ]);
      blocks.push(table(cols, out));
      n++;
    }
    return blocks.join('\r\n');
  }

  #delete(d: { start: string; stop: string; predicate: string }): void {
    const [start, stop] = [toNs(d.start), toNs(d.stop)];
    const terms = [...d.predicate.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!] as const);
    for (const [key, r] of this.#points) {
      if (r.time < start || r.time > stop) continue;
      if (terms.every(([k, v]) => (k === '_measurement' ? r.measurement === v : r.tags[k] === v))) this.#points.delete(key);
    }
  }
}
