// Opens a services' SQLite file (services.db, history.db) the way every smartspace database is
// opened (runtime/sqlite.ts: WAL, bounded), foreign keys on, then pending migrations.
import { IN_MEMORY, openSqlite, type SqliteDb } from '../../runtime/sqlite.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';

export type Db = SqliteDb;

export { IN_MEMORY };

export function openDatabase(path: string | Buffer, migrations: readonly Migration[] = MIGRATIONS): Db {
  const db = openSqlite(path, { foreignKeys: true });
  try {
    migrate(db, migrations);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Applies the migrations not yet recorded; returns the versions applied now. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    })();
    applied.push(m.version);
  }
  return applied;
}
