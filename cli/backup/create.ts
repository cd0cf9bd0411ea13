// Makes a backup archive of a site: an online SQLite backup of each database (consistent while
// the services write: a read transaction in WAL mode blocks no writer), the config, secrets,
// access lists and Node-RED's files, checksummed into manifest.json, in one tar.gz written
// 0600 (it holds the secrets). The copies are staged beside the archive, never in /tmp (a
// tmpfs on a Pi would hold them in memory), and removed afterwards.
import { constants, copyFileSync, existsSync, mkdtempSync, mkdirSync, rmSync, renameSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { create as createTar } from 'tar';
import { siteFiles, schemaVersion, type SiteLayout } from './layout.ts';
import { ARCHIVE_FORMAT, ARCHIVE_FORMAT_VERSION, MANIFEST_ENTRY, fileDigest, type Manifest } from './manifest.ts';

/** gzip level 1: a database of a million events packs in about a second a core, to ~1/5 of its size (test/bench/backup.ts). */
export const GZIP_LEVEL = 1;

export interface BackupResult {
  path: string;
  bytes: number;
  manifest: Manifest;
}

/** `smartspace-<site>-<YYYYMMDD-HHMMSS>.tar.gz`, in UTC. */
export function defaultArchiveName(siteId: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `smartspace-${siteId}-${stamp}.tar.gz`;
}

async function backupDatabase(from: string, to: string): Promise<number> {
  const db = new Database(from, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const schema = schemaVersion(db);
    // All pages in one step: a step is one read transaction, so the copy is one snapshot and is
    // never restarted by a write of the services in between (as small steps would be).
    await db.backup(to, { progress: () => 0x7fffffff });
    return schema;
  } finally {
    db.close();
  }
}

export async function createBackup(layout: SiteLayout, out: string, opts: { version: string; now?: Date }): Promise<BackupResult> {
  const now = opts.now ?? new Date();
  mkdirSync(dirname(out), { recursive: true });
  const staging = mkdtempSync(join(dirname(out), '.smartspace-backup-'));
  const partial = join(dirname(out), `.${basename(out)}.partial`);
  try {
    const entries: string[] = [];
    const databases: Manifest['databases'] = {};
    for (const d of layout.databases) {
      if (!existsSync(d.path)) continue; // a gateway on another machine, a site never started
      const to = join(staging, d.archivePath);
      mkdirSync(dirname(to), { recursive: true });
      databases[d.archivePath] = { name: d.name, schema: await backupDatabase(d.path, to) };
      entries.push(d.archivePath);
    }
    for (const f of siteFiles(layout)) {
      if (!existsSync(f.path)) continue;
      const to = join(staging, f.archivePath);
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(f.path, to, constants.COPYFILE_FICLONE);
      entries.push(f.archivePath);
    }
    if (!entries.includes(`services/services.db`))
      throw new Error(`no services database at ${layout.databases[0]!.path}: nothing to back up (wrong --config?)`);
    const files: Manifest['files'] = [];
    for (const path of entries) files.push({ path, ...(await fileDigest(join(staging, path))) });
    const manifest: Manifest = {
      format: ARCHIVE_FORMAT,
      formatVersion: ARCHIVE_FORMAT_VERSION,
      version: opts.version,
      createdAt: now.toISOString(),
      site: { id: layout.config.site.id, name: layout.config.site.name },
      databases,
      files,
    };
    writeFileSync(join(staging, MANIFEST_ENTRY), `${JSON.stringify(manifest, null, 2)}\n`);
    // The manifest first, so that restore reads it (and the config) before any database.
    const ordered = [MANIFEST_ENTRY, ...[...entries].sort((a, b) => rank(a) - rank(b))];
    await pipeline(
      createTar({ cwd: staging, gzip: { level: GZIP_LEVEL }, portable: true, noDirRecurse: true }, ordered),
      createWriteStream(partial, { mode: 0o600 }),
    );
    renameSync(partial, out);
    return { path: out, bytes: statSync(out).size, manifest };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(partial, { force: true });
  }
}

function rank(path: string): number {
  return path.startsWith('config/') ? 0 : path.startsWith('node-red/') || path.endsWith('.json') ? 1 : 2;
}
