// History in InfluxDB 2.x / Cloud, through `@influxdata/influxdb-client` (write API, Flux
// queries, delete API). The client's own batching and in-memory retry buffer are switched off:
// the history writer batches, and spools to disk, itself. InfluxDB 1.6 does not speak this API
// (its /api/v2 starts in 1.8), so the tests run this store against a recorded HTTP exchange.
import { InfluxDB, HttpError, flux, fluxDateTime, fluxString, fluxExpression, setLogger, toFluxValue, type QueryApi } from '@influxdata/influxdb-client';
import type { Logger } from '../../runtime/log.ts';
import { FIELDS, KEY_FIELD, FAR_FUTURE, withMember, parseRfc3339, compareTime, type FieldValue, type Measurement, type Point } from './point.ts';
import { HistoryError, type HistoryQuery, type HistoryStore } from './store.ts';
import { toLineProtocolPoint } from './line-protocol.ts';

export interface InfluxDb2Options {
  url: string;
  org: string;
  bucket: string;
  token: string;
  timeoutMs?: number;
  log?: Logger;
}

/** The client logs failed writes itself; route that into our logger, quietly. */
function quietClientLogs(log: Logger | undefined): void {
  setLogger({
    error: (message: string, err?: unknown) => log?.debug({ err }, `influxdb-client: ${message}`),
    warn: (message: string, err?: unknown) => log?.debug({ err }, `influxdb-client: ${message}`),
  });
}

export function classify2(err: unknown, what: string): HistoryError {
  if (err instanceof HttpError) {
    const s = err.statusCode;
    const kind = s >= 400 && s < 500 && s !== 401 && s !== 403 && s !== 404 && s !== 429 ? 'rejected' : 'unavailable';
    return new HistoryError(kind, `${what}: HTTP ${s} ${err.body ?? err.message}`, { cause: err });
  }
  return new HistoryError('unavailable', `${what}: ${(err as Error).message ?? String(err)}`, { cause: err });
}

/** A Flux string literal (quoted, escaped) as text, to build an expression from. */
const fluxText = (s: string): string => toFluxValue(fluxString(s));
/** A query result cell as a tag value: tags are strings; anything else as it reads. */
const cellText = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));
const RESERVED = new Set(['result', 'table', '_start', '_stop', '_time', '_measurement']);
const iso = (ms: number) => new Date(ms).toISOString();

export class InfluxDb2Store implements HistoryStore {
  readonly kind = 'influxdb2';
  readonly #client: InfluxDB;
  readonly #query: QueryApi;
  readonly #o: InfluxDb2Options;

  constructor(opts: InfluxDb2Options) {
    this.#o = opts;
    quietClientLogs(opts.log);
    this.#client = new InfluxDB({ url: opts.url, token: opts.token, timeout: opts.timeoutMs ?? 10_000 });
    this.#query = this.#client.getQueryApi(opts.org);
  }

  async write(points: readonly Point[]): Promise<void> {
    const w = this.#client.getWriteApi(this.#o.org, this.#o.bucket, 'ns', {
      batchSize: points.length + 1,
      flushInterval: 0,
      maxRetries: 0,
      maxBufferLines: points.length + 1,
    });
    try {
      w.writePoints(points.map(toLineProtocolPoint));
      await w.flush();
    } catch (err) {
      throw classify2(err, 'write');
    } finally {
      w.dispose();
    }
  }

  #filter(q: HistoryQuery, field?: string) {
    let expr = `r._measurement == ${fluxText(q.measurement)}`;
    if (field) expr += ` and r._field == ${fluxText(field)}`;
    for (const [k, v] of Object.entries(q.tags ?? {})) expr += ` and r[${fluxText(k)}] == ${fluxText(v)}`;
    return fluxExpression(expr);
  }

  async query(q: HistoryQuery): Promise<Point[]> {
    const fields = new Set(FIELDS[q.measurement]);
    const query = flux`from(bucket: ${this.#o.bucket})
  |> range(start: ${fluxDateTime(iso(q.from))}, stop: ${fluxDateTime(iso(q.to))})
  |> filter(fn: (r) => ${this.#filter(q)})
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")`;
    let rows: Record<string, unknown>[];
    try {
      rows = await this.#query.collectRows(query, (values, meta) => meta.toObject(values));
    } catch (err) {
      throw classify2(err, 'query');
    }
    const out: Point[] = [];
    for (const row of rows) {
      const tags: Record<string, string> = {};
      const f: Record<string, FieldValue> = {};
      for (const [k, v] of Object.entries(row)) {
        if (RESERVED.has(k) || v === null || v === undefined || v === '') continue;
        if (fields.has(k)) f[k] = v as FieldValue;
        else tags[k] = cellText(v);
      }
      out.push({ measurement: q.measurement, tags, fields: f, ...parseRfc3339(String(row._time)) });
    }
    return out.sort(compareTime);
  }

  async count(q: HistoryQuery): Promise<number> {
    const query = flux`from(bucket: ${this.#o.bucket})
  |> range(start: ${fluxDateTime(iso(q.from))}, stop: ${fluxDateTime(iso(q.to))})
  |> filter(fn: (r) => ${this.#filter(q, KEY_FIELD[q.measurement])})
  |> group()
  |> count()`;
    try {
      const rows = await this.#query.collectRows<Record<string, unknown>>(query, (values, meta) => meta.toObject(values));
      return rows.reduce((n, r) => n + Number(r._value ?? 0), 0);
    } catch (err) {
      throw classify2(err, 'query');
    }
  }

  async #delete(start: number, stop: number, predicate: string): Promise<void> {
    const path = `/api/v2/delete?org=${encodeURIComponent(this.#o.org)}&bucket=${encodeURIComponent(this.#o.bucket)}`;
    try {
      await this.#client.transport.request(
        path,
        { start: iso(start), stop: iso(stop), predicate },
        { method: 'POST', headers: { 'content-type': 'application/json' } },
      );
    } catch (err) {
      throw classify2(err, 'delete');
    }
  }

  async deleteBefore(measurement: Measurement, cutoff: number): Promise<void> {
    // The delete API's stop is inclusive: stop short of the cutoff.
    await this.#delete(0, cutoff - 1, `_measurement="${measurement}"`);
  }

  async anonymiseMember(member: string, pseudonym: string): Promise<number> {
    const all = await this.query({ measurement: 'door_event', from: 0, to: FAR_FUTURE, tags: { member } });
    if (all.length === 0) return 0;
    // Copies under the pseudonym first, then the originals go: never a lost event.
    for (let i = 0; i < all.length; i += 5000) {
      await this.write(all.slice(i, i + 5000).map((p) => withMember(p, pseudonym)));
    }
    await this.#delete(0, FAR_FUTURE, `_measurement="door_event" AND member="${member.replace(/["\\]/g, '')}"`);
    return all.length;
  }

  async ping(): Promise<boolean> {
    try {
      const r = await fetch(new URL('/ping', this.#o.url), { signal: AbortSignal.timeout(2000) });
      return r.status === 204 || r.status === 200;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    // Nothing held open: each batch has its own write API, disposed after its flush.
  }
}
