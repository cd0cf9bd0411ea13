// History in InfluxDB 1.x (what Debian and Raspberry Pi OS ship), through the `influx` package.
// Points are written with nanosecond precision (see point.ts: the sub-ms offset that makes an
// event's time unique per id). Retention is explicit DELETEs per measurement, so that each
// measurement keeps its own number of days inside one database (1.x retention policies are per
// database and would drop points older than their duration at write time, i.e. a backfill).
import { InfluxDB, escape } from 'influx';
import type { IBackoffStrategy } from 'influx/lib/src/backoff/backoff.js';
import { KEY_FIELD, FAR_FUTURE, withMember, parseRfc3339, compareTime, type FieldValue, type Measurement, type Point } from './point.ts';
import { HistoryError, type HistoryQuery, type HistoryStore } from './store.ts';
import { toLine } from './line-protocol.ts';

/**
 * The request pool of the `influx` package, which `writePoints` posts through. `writePoints`
 * itself writes every number as a float (it knows integers only from a schema that must list
 * every tag and field); our lines come from line-protocol.ts, shared with the 2.x store, and go
 * through the same pool: same host, auth, timeout, and errors that classify() reads.
 */
interface InfluxPool {
  discard(o: { method: 'POST'; path: string; body: string; query: Record<string, string>; auth?: string }): Promise<void>;
}

export interface InfluxDb1Options {
  url: string;
  database: string;
  username?: string;
  password?: string;
  /** HTTP timeout per request. */
  timeoutMs?: number;
}

interface Series {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

interface QueryResponse {
  results: { series?: Series[]; error?: string }[];
  error?: string;
}

const ident = (s: string) => escape.quoted(s);
const lit = (s: string) => escape.stringLit(s);
const msLiteral = (ms: number) => `${Math.trunc(ms)}ms`;

/** Classifies an error of the `influx` package: 4xx (except auth) = the batch was refused. */
export function classify(err: unknown, what: string): HistoryError {
  const res = (err as { res?: { statusCode?: number } }).res;
  const status = res?.statusCode;
  const detail = (err as Error).message ?? String(err);
  if (status !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 404) {
    return new HistoryError('rejected', `${what}: ${detail}`, { cause: err });
  }
  return new HistoryError('unavailable', `${what}: ${detail}`, { cause: err });
}

export class InfluxDb1Store implements HistoryStore {
  readonly kind = 'influxdb1';
  readonly #influx: InfluxDB;
  readonly #db: string;
  readonly #pool: InfluxPool;
  readonly #auth: string | undefined;
  #ready: Promise<void> | null = null;

  constructor(opts: InfluxDb1Options) {
    const url = new URL(opts.url);
    this.#db = opts.database;
    this.#influx = new InfluxDB({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 8086)),
      protocol: url.protocol === 'https:' ? 'https' : 'http',
      path: url.pathname === '/' ? '' : url.pathname,
      database: opts.database,
      username: opts.username,
      password: opts.password,
      // Our writer decides about retries (spool and backfill); the pool must not retry or park
      // the host behind its own backoff.
      pool: { maxRetries: 0, requestTimeout: opts.timeoutMs ?? 10_000, backoff: noBackoff() },
    });
    this.#pool = (this.#influx as unknown as { _pool: InfluxPool })._pool;
    if (typeof this.#pool?.discard !== 'function') throw new Error('the influx package has no request pool to write through (its version changed?)');
    this.#auth = opts.username === undefined ? undefined : `${opts.username}:${opts.password ?? ''}`;
  }

  /** Creates the database once (CREATE DATABASE is idempotent); retried after a failure. */
  #ensure(): Promise<void> {
    this.#ready ??= this.#influx.createDatabase(this.#db).catch((err: unknown) => {
      this.#ready = null;
      throw classify(err, 'create database');
    });
    return this.#ready;
  }

  async write(points: readonly Point[]): Promise<void> {
    await this.#ensure();
    let body: string;
    try {
      body = points.map(toLine).join('\n');
    } catch (err) {
      throw new HistoryError('rejected', `write: ${(err as Error).message}`, { cause: err });
    }
    try {
      await this.#pool.discard({ method: 'POST', path: '/write', body, query: { db: this.#db, precision: 'n' }, auth: this.#auth });
    } catch (err) {
      const e = classify(err, 'write');
      // "database not found": it was dropped under us; create it again next time.
      if (/database not found/i.test(e.message)) this.#ready = null;
      throw e;
    }
  }

  async #select(sql: string, method: 'GET' | 'POST' = 'GET'): Promise<Series[]> {
    await this.#ensure();
    let res: QueryResponse;
    try {
      res = (await this.#influx.queryRaw(sql, { database: this.#db, method })) as QueryResponse;
    } catch (err) {
      throw classify(err, 'query');
    }
    const first = res.results?.[0];
    const error = res.error ?? first?.error;
    if (error) throw new HistoryError('unavailable', `query: ${error}`);
    return first?.series ?? [];
  }

  #where(q: HistoryQuery): string {
    const parts = [`time >= ${msLiteral(q.from)}`, `time < ${msLiteral(q.to)}`];
    for (const [k, v] of Object.entries(q.tags ?? {})) parts.push(`${ident(k)} = ${lit(v)}`);
    return parts.join(' AND ');
  }

  async query(q: HistoryQuery): Promise<Point[]> {
    // GROUP BY *: one series per tag set, tags apart from the field columns.
    const series = await this.#select(`SELECT * FROM ${ident(q.measurement)} WHERE ${this.#where(q)} GROUP BY *`);
    const out: Point[] = [];
    for (const s of series) {
      const tags: Record<string, string> = {};
      for (const [k, v] of Object.entries(s.tags ?? {})) if (v !== '') tags[k] = v;
      const timeCol = s.columns.indexOf('time');
      for (const row of s.values) {
        const fields: Record<string, FieldValue> = {};
        s.columns.forEach((c, i) => {
          const v = row[i];
          if (i !== timeCol && v !== null && v !== undefined) fields[c] = v as FieldValue;
        });
        out.push({ measurement: q.measurement, tags, fields, ...parseRfc3339(String(row[timeCol])) });
      }
    }
    return out.sort(compareTime);
  }

  async count(q: HistoryQuery): Promise<number> {
    const series = await this.#select(`SELECT COUNT(${ident(KEY_FIELD[q.measurement])}) FROM ${ident(q.measurement)} WHERE ${this.#where(q)}`);
    const v = series[0]?.values[0]?.[1];
    return typeof v === 'number' ? v : 0;
  }

  async deleteBefore(measurement: Measurement, cutoff: number): Promise<void> {
    await this.#select(`DELETE FROM ${ident(measurement)} WHERE time < ${msLiteral(cutoff)}`, 'POST');
  }

  async anonymiseMember(member: string, pseudonym: string): Promise<number> {
    const all = await this.query({ measurement: 'door_event', from: 0, to: FAR_FUTURE, tags: { member } });
    if (all.length === 0) return 0;
    // Write the pseudonymous copies first, then delete the originals: a crash in between leaves
    // a duplicate under the pseudonym to clean up, never a lost event.
    for (let i = 0; i < all.length; i += 5000) {
      await this.write(all.slice(i, i + 5000).map((p) => withMember(p, pseudonym)));
    }
    await this.#select(`DELETE FROM "door_event" WHERE "member" = ${lit(member)}`, 'POST');
    return all.length;
  }

  async ping(): Promise<boolean> {
    try {
      const hosts = await this.#influx.ping(2000);
      return hosts.some((h) => h.online);
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    // The influx package keeps no open connections between requests.
  }
}

/** A backoff that never parks the host: the writer's own probing decides when to try again. */
function noBackoff(): IBackoffStrategy {
  const b: IBackoffStrategy = { getDelay: () => 0, next: () => b, reset: () => b };
  return b;
}
