// History in SQLite: the zero-set-up default, enough for one small site. Its own file
// (history.db) beside services.db, so retention and size never touch the members database.
// Same semantics as InfluxDB: identity = measurement + tags + time (a rewrite merges fields),
// and a field keeps the type it was first written with (a conflicting point is rejected).
import { openDatabase, type Db } from '../db/database.ts';
import { startWalCheckpoints, type WalCheckpoints } from '../../runtime/sqlite.ts';
import type { Migration } from '../db/migrations.ts';
import { seriesKey, withMember, type FieldValue, type Measurement, type Point } from './point.ts';
import { HistoryError, type HistoryQuery, type HistoryStore } from './store.ts';

export const HISTORY_DB_FILE = 'history.db';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'points',
    sql: `
      CREATE TABLE points (
        measurement  TEXT NOT NULL,
        series       TEXT NOT NULL,     -- measurement and tags in key order
        ts           INTEGER NOT NULL,  -- epoch ms
        ns           INTEGER NOT NULL,  -- ns within the ms
        tags         TEXT NOT NULL,     -- JSON
        fields       TEXT NOT NULL,     -- JSON
        PRIMARY KEY (series, ts, ns)
      ) WITHOUT ROWID;
      CREATE INDEX points_time ON points (measurement, ts);
      CREATE TABLE field_types (
        measurement  TEXT NOT NULL,
        field        TEXT NOT NULL,
        type         TEXT NOT NULL,
        PRIMARY KEY (measurement, field)
      );
    `,
  },
  {
    // Issue 13: occupancy's `occupied` is 0/1 (was a boolean), with `state` beside it. Points of
    // earlier versions are converted, so that new points do not conflict with their type.
    version: 2,
    name: 'occupancy-integer',
    sql: `
      UPDATE points SET fields = json_set(fields,
          '$.occupied', CASE WHEN json_extract(fields, '$.occupied') THEN 1 ELSE 0 END,
          '$.state', CASE WHEN json_extract(fields, '$.occupied') THEN 'occupied' ELSE 'free' END)
        WHERE measurement = 'occupancy' AND json_type(fields, '$.occupied') IN ('true', 'false');
      UPDATE field_types SET type = 'number' WHERE measurement = 'occupancy' AND field = 'occupied';
    `,
  },
];

type FieldType = 'number' | 'boolean' | 'string';

interface Row {
  tags: string;
  fields: string;
  ts: number;
  ns: number;
}

function malformed(p: Point): string | null {
  for (const [k, v] of Object.entries(p.tags)) {
    if (!k || !v || /[\n\r]/.test(k) || /[\n\r]/.test(v)) return `bad tag ${JSON.stringify(k)}`;
  }
  const fields = Object.entries(p.fields);
  if (fields.length === 0) return 'no fields';
  for (const [k, v] of fields) {
    if (typeof v === 'number' && !Number.isFinite(v)) return `field ${k} is not a finite number`;
  }
  if (!Number.isInteger(p.ts) || !Number.isInteger(p.ns) || p.ns < 0 || p.ns > 999_999) return 'bad time';
  return null;
}

/* eslint-disable @typescript-eslint/require-await -- HistoryStore is async for InfluxDB; SQLite
   answers at once, and `async` is what turns its throws (a rejected point, a closed store) into
   the rejections every caller handles. */
export class SqliteHistoryStore implements HistoryStore {
  readonly kind = 'sqlite';
  readonly #db: Db;
  readonly #types = new Map<string, FieldType>();
  readonly #byTags = new Map<string, ReturnType<Db['prepare']>>();
  readonly #s;
  readonly #checkpoints: WalCheckpoints;
  #closed = false;

  constructor(path: string) {
    this.#db = openDatabase(path, MIGRATIONS);
    // Retention deletes in bulk: the WAL is emptied every few minutes (runtime/sqlite.ts).
    this.#checkpoints = startWalCheckpoints(this.#db);
    const db = this.#db;
    this.#s = {
      upsert: db.prepare(`INSERT INTO points (measurement, series, ts, ns, tags, fields) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (series, ts, ns) DO UPDATE SET fields = json_patch(points.fields, excluded.fields)`),
      types: db.prepare('SELECT measurement, field, type FROM field_types'),
      addType: db.prepare('INSERT OR IGNORE INTO field_types (measurement, field, type) VALUES (?, ?, ?)'),
      query: db.prepare('SELECT tags, fields, ts, ns FROM points WHERE measurement = ? AND ts >= ? AND ts < ? ORDER BY ts, ns, series'),
      count: db.prepare('SELECT COUNT(*) AS n FROM points WHERE measurement = ? AND ts >= ? AND ts < ?'),
      deleteBefore: db.prepare('DELETE FROM points WHERE measurement = ? AND ts < ?'),
      ofMember: db.prepare("SELECT tags, fields, ts, ns, series FROM points WHERE measurement = 'door_event' AND json_extract(tags, '$.member') = ?"),
      remove: db.prepare('DELETE FROM points WHERE series = ? AND ts = ? AND ns = ?'),
    };
    for (const r of this.#s.types.all() as { measurement: string; field: string; type: FieldType }[]) {
      this.#types.set(`${r.measurement}.${r.field}`, r.type);
    }
  }

  async write(points: readonly Point[]): Promise<void> {
    if (this.#closed) throw new HistoryError('unavailable', 'history store closed');
    const added = new Map<string, FieldType>();
    try {
      this.#db.transaction(() => {
        for (const p of points) {
          const bad = malformed(p) ?? this.#typeConflict(p, added);
          if (bad) throw new HistoryError('rejected', `${bad}: ${seriesKey(p)} ${p.ts}`);
          this.#s.upsert.run(p.measurement, seriesKey(p), p.ts, p.ns, JSON.stringify(p.tags), JSON.stringify(p.fields));
        }
        for (const [key, type] of added) {
          const [m, f] = [key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1)];
          this.#s.addType.run(m, f, type);
        }
      })();
    } catch (err) {
      if (err instanceof HistoryError) throw err;
      throw new HistoryError('unavailable', 'history write failed', { cause: err });
    }
    for (const [k, t] of added) this.#types.set(k, t);
  }

  #typeConflict(p: Point, added: Map<string, FieldType>): string | null {
    for (const [f, v] of Object.entries(p.fields)) {
      const key = `${p.measurement}.${f}`;
      const type = typeof v as FieldType;
      const known = this.#types.get(key) ?? added.get(key);
      if (known === undefined) added.set(key, type);
      else if (known !== type) return `field type conflict: ${f} is ${known}, got ${type}`;
    }
    return null;
  }

  /** The query statement for a set of tag keys (tag filters run in SQL: only matches are parsed). */
  #queryFor(keys: string[]) {
    const sql = `SELECT tags, fields, ts, ns FROM points WHERE measurement = ? AND ts >= ? AND ts < ?${keys
      .map(() => ' AND json_extract(tags, ?) = ?')
      .join('')} ORDER BY ts, ns, series`;
    let stmt = this.#byTags.get(sql);
    if (!stmt) this.#byTags.set(sql, (stmt = this.#db.prepare(sql)));
    return stmt;
  }

  async query(q: HistoryQuery): Promise<Point[]> {
    const want = Object.entries(q.tags ?? {});
    const params: unknown[] = [q.measurement, q.from, q.to];
    for (const [k, v] of want) params.push(`$."${k.replace(/"/g, '')}"`, v);
    const rows = (want.length === 0 ? this.#s.query : this.#queryFor(want.map(([k]) => k))).all(...params) as Row[];
    return rows.map((r) => ({
      measurement: q.measurement,
      tags: JSON.parse(r.tags) as Record<string, string>,
      fields: JSON.parse(r.fields) as Record<string, FieldValue>,
      ts: r.ts,
      ns: r.ns,
    }));
  }

  async count(q: HistoryQuery): Promise<number> {
    if (q.tags && Object.keys(q.tags).length > 0) return (await this.query(q)).length;
    return (this.#s.count.get(q.measurement, q.from, q.to) as { n: number }).n;
  }

  async deleteBefore(measurement: Measurement, cutoff: number): Promise<void> {
    this.#s.deleteBefore.run(measurement, cutoff);
  }

  async anonymiseMember(member: string, pseudonym: string): Promise<number> {
    const rows = this.#s.ofMember.all(member) as (Row & { series: string })[];
    this.#db.transaction(() => {
      for (const r of rows) {
        const old: Point = {
          measurement: 'door_event',
          tags: JSON.parse(r.tags) as Record<string, string>,
          fields: JSON.parse(r.fields) as Record<string, FieldValue>,
          ts: r.ts,
          ns: r.ns,
        };
        const p = withMember(old, pseudonym);
        this.#s.upsert.run(p.measurement, seriesKey(p), p.ts, p.ns, JSON.stringify(p.tags), JSON.stringify(p.fields));
        this.#s.remove.run(r.series, r.ts, r.ns);
      }
    })();
    return rows.length;
  }

  async ping(): Promise<boolean> {
    return !this.#closed;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#checkpoints.stop();
    this.#db.close();
  }
}
/* eslint-enable @typescript-eslint/require-await */
