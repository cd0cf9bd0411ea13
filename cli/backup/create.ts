// Makes a backup archive of a site: an online copy of each database (VACUUM INTO, consistent while
// the services write: a read transaction in WAL mode blocks no writer), the config, secrets,
// access lists and Node-RED's files, in one compressed tar written 0600 (it holds the secrets).
// Entries: config/site.yaml first (restore reads it before anything else), the other files,
// the databases, and manifest.json last, with the SHA-256 of every entry computed as it is
// packed: one read of each copy, not two (test/bench/backup.ts). The database copies are
// staged beside the archive, never in /tmp (a tmpfs on a Pi would hold them in memory).
import {
  closeSync,
  constants as fsc,
  copyFileSync,
  fsyncSync,
  openSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { Header, Pack, ReadEntry } from 'tar';
import { CONFIG_ENTRY, siteFiles, type SiteLayout } from './layout.ts';
import { ARCHIVE_FORMAT, ARCHIVE_FORMAT_VERSION, MANIFEST_ENTRY, type Manifest } from './manifest.ts';

/**
 * zstd level 1 where Node has it (22.15+, 24): about 280 MB/s a core and a smaller archive than
 * gzip's fastest level, which packs at about 60 MB/s (measured in test/bench/backup.ts). restore
 * reads either: tar recognises the compression by its magic bytes.
 */
export const COMPRESSION: { ext: string; stream: () => NodeJS.ReadWriteStream } =
  typeof zlib.createZstdCompress === 'function'
    ? {
        ext: 'tar.zst',
        stream: () => zlib.createZstdCompress({ params: { [zlib.constants.ZSTD_c_compressionLevel]: 1, [zlib.constants.ZSTD_c_checksumFlag]: 1 } }),
      }
    : { ext: 'tar.gz', stream: () => zlib.createGzip({ level: 1 }) };

export interface BackupResult {
  path: string;
  bytes: number;
  manifest: Manifest;
}

/** `smartspace-<site>-<YYYYMMDD-HHMMSS>.tar.zst` (or .tar.gz), in UTC. */
export function defaultArchiveName(siteId: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `smartspace-${siteId}-${stamp}.${COMPRESSION.ext}`;
}

// The online copy of one database: VACUUM INTO, one read transaction, so one consistent
// snapshot that blocks no writer of the services (WAL) and is never restarted by one, as the
// backup API's steps are. Measured against db.backup() on the bench's 140 MB services.db:
// 0.53 s against 0.67-0.78 s, since the copy is written without fsync (this connection's
// synchronous = OFF; the archive is synced once at the end) and compact (no free pages). In a
// worker thread per database, so that they copy side by side while the main thread packs.
// JavaScript given as a string (CommonJS or ESM alike), so that it runs the same from the
// sources and from dist/, without the parent's loader flags.
const WORKER = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const Database = process.getBuiltinModule('node:module').createRequire(workerData.module)(workerData.module);
let db;
try {
  db = new Database(workerData.from, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = OFF');
  db.exec('BEGIN');
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  const schema = table ? (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get().v ?? 0) : 0;
  db.exec('COMMIT');
  db.prepare('VACUUM INTO ?').run(workerData.to);
  parentPort.postMessage({ schema });
} catch (err) {
  parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
} finally {
  db?.close();
}
`;
const BETTER_SQLITE3 = createRequire(import.meta.url).resolve('better-sqlite3');

function backupDatabase(from: string, to: string): Promise<number> {
  return new Promise((done, fail) => {
    const worker = new Worker(WORKER, { eval: true, execArgv: [], workerData: { module: BETTER_SQLITE3, from, to } });
    worker.once('message', (m: { schema?: number; error?: string }) => {
      if (m.error !== undefined) fail(new Error(`backup of ${from}: ${m.error}`));
      else done(m.schema ?? 0);
    });
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`backup of ${from}: worker ended (${code})`)));
  });
}

/** Packs one file as `path`, hashing it on the way; backpressure from the pack is kept. */
async function packFile(pack: Pack, path: string, file: string, mtime: Date): Promise<Manifest['files'][number]> {
  const size = statSync(file).size;
  const entry = new ReadEntry(new Header({ path, type: 'File', size, mode: 0o600, mtime }));
  pack.add(entry);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    if (!entry.write(chunk as Buffer)) await once(entry, 'drain');
  }
  entry.end();
  return { path, size, sha256: hash.digest('hex') };
}

function packBytes(pack: Pack, path: string, data: Buffer, mtime: Date): void {
  const entry = new ReadEntry(new Header({ path, type: 'File', size: data.length, mode: 0o600, mtime }));
  pack.add(entry);
  entry.end(data);
}

export async function createBackup(layout: SiteLayout, out: string, opts: { version: string; now?: Date }): Promise<BackupResult> {
  const now = opts.now ?? new Date();
  mkdirSync(dirname(out), { recursive: true });
  const staging = mkdtempSync(join(dirname(out), '.smartspace-backup-'));
  const partial = join(dirname(out), `.${basename(out)}.partial`);
  try {
    const services = layout.databases[0]!;
    if (!existsSync(services.path)) throw new Error(`no services database at ${services.path}: nothing to back up (wrong --config?)`);
    // The small files first (config first of all), copied now so that all of them are of this moment.
    const entries: { path: string; file: string }[] = [];
    for (const f of siteFiles(layout)) {
      if (!existsSync(f.path)) continue;
      const to = join(staging, f.archivePath);
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(f.path, to, fsc.COPYFILE_FICLONE);
      entries.push({ path: f.archivePath, file: to });
    }
    if (entries[0]?.path !== CONFIG_ENTRY) throw new Error(`cannot read the site config ${layout.configPath}`);
    const copies = layout.databases
      .filter((d) => existsSync(d.path)) // a gateway on another machine, a store never started
      .map((d) => {
        const to = join(staging, d.archivePath);
        mkdirSync(dirname(to), { recursive: true });
        return { d, to, schema: backupDatabase(d.path, to) };
      });
    // Settled at once: a failed copy rejects later, when it is awaited, not unhandled meanwhile.
    for (const c of copies) c.schema.catch(() => undefined);

    const pack = new Pack({ portable: true });
    const written = pipeline(pack, COMPRESSION.stream(), createWriteStream(partial, { mode: 0o600 }));
    const files: Manifest['files'] = [];
    written.catch(() => undefined); // awaited below; a failure before that ends the pack instead
    const databases: Manifest['databases'] = {};
    try {
      for (const e of entries) files.push(await packFile(pack, e.path, e.file, now));
      for (const c of copies) {
        databases[c.d.archivePath] = { name: c.d.name, schema: await c.schema };
        files.push(await packFile(pack, c.d.archivePath, c.to, now));
      }
    } catch (err) {
      pack.destroy();
      await Promise.allSettled(copies.map((c) => c.schema)); // the workers are done with the staging dir
      throw err;
    }
    const manifest: Manifest = {
      format: ARCHIVE_FORMAT,
      formatVersion: ARCHIVE_FORMAT_VERSION,
      version: opts.version,
      createdAt: now.toISOString(),
      site: { id: layout.config.site.id, name: layout.config.site.name },
      databases,
      files,
    };
    packBytes(pack, MANIFEST_ENTRY, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), now);
    pack.end();
    await written;
    const fd = openSync(partial, 'r');
    try {
      fsyncSync(fd); // on disk before it has its name: a power cut leaves no half archive
    } finally {
      closeSync(fd);
    }
    renameSync(partial, out);
    return { path: out, bytes: statSync(out).size, manifest };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(partial, { force: true });
  }
}
