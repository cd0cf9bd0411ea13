// Read-only look into the services' SQLite file, as an operator would with sqlite3.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { TestSite } from './site.ts';

export function countEvents(site: TestSite, id: string): number {
  const db = new Database(join(site.config.services.dataDir, 'services.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM events WHERE id = ?').get(id) as { n: number }).n;
  } finally {
    db.close();
  }
}

export function dbContains(site: TestSite, needle: string): boolean {
  const db = new Database(join(site.config.services.dataDir, 'services.db'), { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    return tables.some(({ name }) => {
      const rows = db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>;
      return rows.some((r) => Object.values(r).some((v) => typeof v === 'string' && v.toUpperCase().includes(needle.toUpperCase())));
    });
  } finally {
    db.close();
  }
}
