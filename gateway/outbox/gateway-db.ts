// The gateway's SQLite file (<dataDir>/gateway.db): the outbox, the seen command ids and a kv table.
// Opened the way every smartspace database is (runtime/sqlite.ts: WAL + synchronous NORMAL, the
// WAL bounded and emptied every few minutes while the gateway runs).
import { openSqlite, startWalCheckpoints, type SqliteDb, type WalCheckpoints } from '../../runtime/sqlite.ts';

export type Db = SqliteDb;

/** Versioned migrations: append only, never edit one that has shipped. */
export const MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        topic TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE seen_commands (
        id TEXT PRIMARY KEY,
        exp INTEGER NOT NULL
      );
      CREATE INDEX seen_commands_exp ON seen_commands (exp);
    `,
  },
  {
    // Raw readings share the outbox with events (kind 1) and are thinned first when it is full;
    // kv holds small durable facts (last contact with the services, outbox drop count).
    version: 2,
    sql: `
      ALTER TABLE outbox ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX outbox_kind_seq ON outbox (kind, seq);
      CREATE TABLE kv (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
];

/** A small durable value in the gateway db (kv table). */
export function readKv(db: Db, key: string): string | undefined {
  return (db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function writeKv(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export class GatewayDb {
  readonly path: string;
  #db: Db | undefined;
  #checkpoints: WalCheckpoints | undefined;

  constructor(path: string) {
    this.path = path;
  }

  get handle(): Db {
    if (!this.#db) throw new Error('gateway db is not open');
    return this.#db;
  }

  start(): void {
    if (this.#db) return;
    const db = openSqlite(this.path);
    try {
      migrate(db);
    } catch (err) {
      db.close();
      throw err;
    }
    this.#db = db;
    this.#checkpoints = startWalCheckpoints(db);
  }

  stop(): void {
    this.#checkpoints?.stop();
    this.#checkpoints = undefined;
    this.#db?.close();
    this.#db = undefined;
  }
}

export function migrate(db: Db): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  let current = row.v ?? 0;
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, Date.now());
    })();
    current = m.version;
  }
  return current;
}
