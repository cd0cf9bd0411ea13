// Opens a services' SQLite file (services.db, history.db) the way every smartspace database is
// opened (runtime/sqlite.ts: WAL, bounded), foreign keys and secure delete on, then pending migrations, after
// keeping a copy of a database that has data (the way back from an upgrade).
import { rmSync } from 'node:fs';
import { ensurePrivateFile } from '../../runtime/private-files.ts';
import { IN_MEMORY, openSqlite, type SqliteDb } from '../../runtime/sqlite.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';

export type Db = SqliteDb;

export { IN_MEMORY };

export function openDatabase(path: string | Buffer, migrations: readonly Migration[] = MIGRATIONS): Db {
  // Secure delete: both files hold member ids, services.db names and e-mails (erasure).
  const db = openSqlite(path, { foreignKeys: true, secureDelete: true });
  try {
    if (typeof path === 'string' && path !== IN_MEMORY) keepCopyBeforeMigrating(db, path, migrations);
    migrate(db, migrations);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** The schema version recorded in the database; 0 for a new one. */
export function schemaVersion(db: Db): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return 0;
  return (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
}

/**
 * Before migrations change a database that has a schema already, a copy of it as it was,
 * `<file>.v<version>.bak` (VACUUM INTO: one consistent, compact snapshot). An upgrade rolls back
 * by stopping, putting the copy back and starting the older release. Once per schema version;
 * the host removes old copies. Returns the copy's path, or null when there was nothing to keep.
 */
export function keepCopyBeforeMigrating(db: Db, path: string, migrations: readonly Pick<Migration, 'version'>[]): string | null {
  const current = schemaVersion(db);
  if (current === 0 || migrations.every((m) => m.version <= current)) return null;
  const copy = `${path}.v${current}.bak`;
  rmSync(copy, { force: true });
  // Created empty and private first: VACUUM INTO would make it with the umask's mode.
  ensurePrivateFile(copy);
  db.prepare('VACUUM INTO ?').run(copy);
  return copy;
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
    // PRAGMA foreign_keys is a no-op inside a transaction: switched off before, back after.
    const fks = m.rebuild === true && (db.pragma('foreign_keys', { simple: true }) as number) === 1;
    if (fks) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(m.sql);
        m.run?.(db);
        if (m.rebuild) {
          const broken = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
          if (broken.length > 0) {
            const b = broken[0]!;
            throw new Error(`migration ${m.version}: ${broken.length} rows lost their reference (first: ${b.table} row ${b.rowid} → ${b.parent})`);
          }
        }
        record.run(m.version, m.name, Date.now());
      })();
    } finally {
      if (fks) db.pragma('foreign_keys = ON');
    }
    applied.push(m.version);
  }
  return applied;
}
