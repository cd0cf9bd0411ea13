// Schema status and migration of every database of a site on this machine (`smartspace migrate`):
// each keeps a copy of itself before it is changed (services/db/database.ts, the same copy the
// services keep when they migrate at start).
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { keepCopyBeforeMigrating } from '../../services/db/database.ts';
import { latestVersion, schemaVersion, type SiteDatabase, type SiteLayout } from './layout.ts';

export interface DatabaseStatus {
  db: SiteDatabase;
  /** false: not on this machine (a gateway elsewhere) or the site never started. */
  exists: boolean;
  current: number;
  latest: number;
  pending: { version: number; name?: string }[];
}

export function databaseStatus(layout: SiteLayout): DatabaseStatus[] {
  return layout.databases.map((d) => {
    const latest = latestVersion(d);
    if (!existsSync(d.path)) return { db: d, exists: false, current: 0, latest, pending: [] };
    const db = new Database(d.path, { readonly: true, fileMustExist: true });
    try {
      const current = schemaVersion(db);
      return { db: d, exists: true, current, latest, pending: d.migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version) };
    } finally {
      db.close();
    }
  });
}

/** Applies the pending migrations of one database after keeping a copy; returns the copy's path. */
export function applyPending(s: DatabaseStatus): string | null {
  const db = new Database(s.db.path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const copy = keepCopyBeforeMigrating(db, s.db.path, s.db.migrations);
    s.db.migrate(db);
    return copy;
  } finally {
    db.close();
  }
}
