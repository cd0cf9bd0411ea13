// Restores a backup archive onto this machine, all or nothing: the archive is read and checked
// (manifest, checksums, schema not newer than this code) in a staging dir beside the target
// data dir, older databases are migrated there, and only then is anything at the target
// replaced. A damaged or foreign archive, or a running site, changes nothing.
import {
  chmodSync,
  chownSync,
  closeSync,
  openSync,
  readSync,
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Parser, Unpack, type ReadEntry } from 'tar';
import { PassThrough } from 'node:stream';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { parseDocument } from 'yaml';
import { parseSiteConfig } from '../../config/load.ts';
import { CONFIG_ENTRY, latestVersion, schemaVersion, siteFiles, siteLayout, type SiteDatabase, type SiteLayout } from './layout.ts';
import { ENTRY_PATH, MANIFEST_ENTRY, fileDigest, parseManifest, type Manifest } from './manifest.ts';
import { siteRunning } from './in-use.ts';

export class RestoreRefused extends Error {}

/** The site config, the archive's first entry: read, and the rest of the archive left unread. */
export async function readHead(archive: string): Promise<string> {
  if (!existsSync(archive)) throw new RestoreRefused(`${archive}: no such file`);
  let first: { path: string; text?: string } | undefined;
  await new Promise<void>((done, fail) => {
    const input = createReadStream(archive);
    const stop = () => {
      input.destroy();
      done();
    };
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        if (first) return void entry.resume();
        first = { path: entry.path };
        if (entry.path !== CONFIG_ENTRY || entry.size > 1 << 20) return stop();
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          first!.text = Buffer.concat(chunks).toString('utf8');
          stop();
        });
      },
    });
    const failed = (err: Error) => {
      input.destroy();
      fail(new RestoreRefused(`${archive}: not a smartspace backup, or damaged (${err.message})`));
    };
    parser.on('error', failed);
    input.on('error', failed);
    parser.on('end', () => done());
    input.pipe(parser);
  });
  if (first?.text === undefined) throw new RestoreRefused(`${archive}: not a smartspace backup (it does not start with ${CONFIG_ENTRY})`);
  return first.text;
}

const CHUNK = 1 << 20;
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/**
 * Extracts an archive into `dir`. Decompressed here rather than inside tar: tar's own
 * decompressor feeds its parser regardless of how fast the files are written, which held most
 * of a million events' databases in memory (520 MB peak RSS); piped, the disk sets the pace.
 */
async function unpack(archive: string, dir: string, filter: (path: string, entry: ReadEntry) => boolean): Promise<void> {
  const head = Buffer.alloc(4);
  const fd = openSync(archive, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  const decompress = head.equals(ZSTD_MAGIC)
    ? createZstdDecompress({ chunkSize: CHUNK })
    : head[0] === 0x1f && head[1] === 0x8b
      ? createGunzip({ chunkSize: CHUNK })
      : new PassThrough();
  await new Promise<void>((done, fail) => {
    const u = new Unpack({ cwd: dir, strict: true, filter: (path, entry) => filter(path, entry as ReadEntry) });
    const input = createReadStream(archive);
    u.on('close', () => done());
    u.on('error', fail);
    input.on('error', fail);
    decompress.on('error', fail);
    input.pipe(decompress).pipe(u);
  });
}

export interface RestoreOptions {
  archive: string;
  /** Where the site config goes (its secrets beside it, or SMARTSPACE_SECRETS_FILE). */
  configPath: string;
  env: NodeJS.ProcessEnv;
  force?: boolean;
  /** Move the site's data here (`<data>/services`, `<data>/gateway-<id>`), e.g. from a Pi into Docker. */
  dataDir?: string;
  /** false: do not ask the services' HTTP port (tests without sockets). */
  probePort?: boolean;
}

export interface RestoreResult {
  manifest: Manifest;
  layout: SiteLayout;
  restored: string[];
  migrated: { name: string; from: number; to: number }[];
  chowned: boolean;
}

/** The archived site config, its data dirs moved under `dataDir` when given (comments kept). */
function targetConfig(text: string, dataDir: string | undefined, configPath: string) {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new RestoreRefused(`${CONFIG_ENTRY} in the archive: not valid YAML: the archive is damaged`);
  if (dataDir) {
    const data = resolve(dataDir);
    doc.setIn(['services', 'dataDir'], join(data, 'services'));
    const gateways = doc.getIn(['gateways']) as { items?: unknown[] } | undefined;
    (gateways?.items ?? []).forEach((_, i) => {
      const id = String(doc.getIn(['gateways', i, 'id']));
      doc.setIn(['gateways', i, 'dataDir'], join(data, `gateway-${id}`));
    });
  }
  const out = dataDir ? doc.toString() : text;
  return { text: out, config: parseSiteConfig(doc.toJS(), dirname(resolve(configPath))) };
}

/** Gives a file made by root the owner of the directory it sits in (the site's user). */
function ownLikeParent(path: string): boolean {
  if (!isRoot()) return false;
  const parent = statSync(dirname(path));
  const own = statSync(path);
  if (own.uid === parent.uid && own.gid === parent.gid) return false;
  chownSync(path, parent.uid, parent.gid);
  return true;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** mkdir -p; as root, the directories made get the owner of the one they were made in. */
function makeDir(dir: string): void {
  const first = mkdirSync(dir, { recursive: true });
  if (!first || !isRoot()) return;
  const { uid, gid } = statSync(dirname(first));
  for (let d = dir; d.length >= first.length; d = dirname(d)) chownSync(d, uid, gid);
}

function place(from: string, to: string): void {
  makeDir(dirname(to));
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(from, to);
  }
}

export async function restoreBackup(o: RestoreOptions): Promise<RestoreResult> {
  const configText = await readHead(o.archive);
  const configPath = resolve(o.configPath);
  let target: ReturnType<typeof targetConfig>;
  try {
    target = targetConfig(configText, o.dataDir, configPath);
  } catch (err) {
    if (err instanceof RestoreRefused) throw err;
    throw new RestoreRefused(`${CONFIG_ENTRY} in the archive: ${(err as Error).message}`);
  }
  const layout = siteLayout(configPath, target.config, o.env);

  const running = await siteRunning(layout, { probePort: o.probePort });
  if (running) throw new RestoreRefused(`the site looks running: ${running}. Stop the services, the gateways on this machine and Node-RED first`);
  if (!o.force) {
    const present = [...layout.databases.map((d) => d.path), ...siteFiles(layout).map((f) => f.path)].filter((p) => existsSync(p));
    if (present.length > 0) throw new RestoreRefused(`the target has data already (${present.join(', ')}); restore over it with --force`);
  }

  // Staged beside the services' data dir: on its file system, so that placing a database is a rename.
  const parent = dirname(layout.config.services.dataDir);
  makeDir(parent);
  const staging = mkdtempSync(join(parent, '.smartspace-restore-'));
  try {
    const unexpected: string[] = [];
    try {
      await unpack(o.archive, staging, (path, entry) => {
        if ((path === MANIFEST_ENTRY || ENTRY_PATH.test(path)) && entry.type === 'File') return true;
        unexpected.push(path);
        return false;
      });
    } catch (err) {
      throw new RestoreRefused(`${o.archive}: damaged (${(err as Error).message})`);
    }
    if (unexpected.length > 0)
      throw new RestoreRefused(`${o.archive}: holds entries a smartspace backup does not (${unexpected.slice(0, 3).join(', ')}): refused`);
    if (!existsSync(join(staging, MANIFEST_ENTRY)))
      throw new RestoreRefused(`${o.archive}: no ${MANIFEST_ENTRY} at its end: the archive is damaged or cut short`);
    let manifest: Manifest;
    try {
      manifest = parseManifest(readFileSync(join(staging, MANIFEST_ENTRY), 'utf8'));
    } catch (err) {
      throw new RestoreRefused(`${o.archive}: ${(err as Error).message}`);
    }
    if (layout.config.site.id !== manifest.site.id)
      throw new RestoreRefused(`the archive's manifest is for site ${manifest.site.id}, its config for ${layout.config.site.id}: the archive is damaged`);
    const listed = new Set(manifest.files.map((f) => f.path));
    for (const e of readdirSync(staging, { recursive: true, withFileTypes: true })) {
      const rel = relative(staging, join(e.parentPath, e.name));
      if (e.isFile() && rel !== MANIFEST_ENTRY && !listed.has(rel)) throw new RestoreRefused(`${o.archive}: ${rel} is not in its manifest: refused`);
    }
    for (const f of manifest.files) {
      const at = join(staging, f.path);
      if (!existsSync(at)) throw new RestoreRefused(`${o.archive}: ${f.path} is missing: the archive is damaged`);
      const { size, sha256 } = await fileDigest(at);
      if (size !== f.size || sha256 !== f.sha256) throw new RestoreRefused(`${o.archive}: ${f.path} does not match its checksum: the archive is damaged`);
    }
    const byArchivePath = new Map<string, SiteDatabase>(layout.databases.map((d) => [d.archivePath, d]));
    for (const [path, db] of Object.entries(manifest.databases)) {
      const here = byArchivePath.get(path);
      if (!here) throw new RestoreRefused(`the archive holds ${path}, which its own config does not name: the archive is damaged`);
      if (db.schema > latestVersion(here)) {
        throw new RestoreRefused(
          `the ${here.name} database in the archive has schema ${db.schema}, newer than this smartspace knows (${latestVersion(here)}): the archive was made by smartspace ${manifest.version}; install that version or newer to restore it`,
        );
      }
    }
    const nodeRedNames = manifest.files.filter((f) => f.path.startsWith('node-red/')).map((f) => f.path.slice('node-red/'.length));
    const files = siteFiles(layout, nodeRedNames).filter((f) => listed.has(f.archivePath));
    const dbs = layout.databases.filter((d) => d.archivePath in manifest.databases);

    const migrated: RestoreResult['migrated'] = [];
    for (const d of dbs) {
      const db = new Database(join(staging, d.archivePath), { fileMustExist: true });
      try {
        const from = schemaVersion(db);
        const to = latestVersion(d);
        if (from < to) {
          d.migrate(db);
          migrated.push({ name: d.name, from, to });
        }
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
    }

    // Nothing at the target has changed until here.
    const restored: string[] = [];
    let chowned = false;
    for (const d of dbs) {
      for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${d.path}${suffix}`, { force: true });
      place(join(staging, d.archivePath), d.path);
      chowned = ownLikeParent(d.path) || chowned;
      restored.push(d.path);
    }
    for (const f of files) {
      const from = f.archivePath === CONFIG_ENTRY ? null : join(staging, f.archivePath);
      makeDir(dirname(f.path));
      if (from === null) writeFileSync(f.path, target.text, { mode: f.mode });
      else place(from, f.path);
      chmodSync(f.path, f.mode); // writeFileSync's mode applies to a new file only
      chowned = ownLikeParent(f.path) || chowned;
      restored.push(f.path);
    }
    return { manifest, layout, restored, migrated, chowned };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
