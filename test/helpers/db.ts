// Read-only look into the services' SQLite file, as an operator would with sqlite3, and into
// every file the services and the gateways store.
import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/** Every file under the services' and the gateways' data dirs (databases, WAL, journals, acl.json). */
export function dataFiles(site: TestSite): string[] {
  const dirs = [site.config.services.dataDir, ...site.config.gateways.map((g) => g.dataDir)];
  return dirs
    .filter((d) => existsSync(d))
    .flatMap((d) =>
      readdirSync(d, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name)),
    );
}

/**
 * The data files that hold the hex string `hex` in any form it could be stored in: as text in
 * either case, as its bytes (a BLOB, or an integer, which SQLite stores big-endian), and both
 * reversed (LSB-first readers). Raw bytes, so free pages and the WAL count too.
 */
export function filesHolding(site: TestSite, hex: string): string[] {
  const bytes = Buffer.from(hex, 'hex');
  const reversed = Buffer.from(bytes).reverse();
  const forms = [hex.toUpperCase(), hex.toLowerCase(), reversed.toString('hex').toUpperCase(), reversed.toString('hex').toLowerCase()]
    .map((s) => Buffer.from(s, 'latin1'))
    .concat(bytes.length >= 4 ? [bytes, reversed] : []);
  return dataFiles(site).filter((file) => {
    const content = readFileSync(file);
    return forms.some((f) => content.includes(f));
  });
}
