// Data files are the owner's only (issue 12, finding 10): every database, its -wal/-shm, the
// copy kept before a migration, the history spool, the gateway's access list and Node-RED's user
// directory are created 0600 in 0700 folders whatever the umask, and older, looser ones are
// tightened when opened (reported once). The usual umask (022) would otherwise give 0644/0755.
import { describe, it, expect, afterEach, vi } from 'vitest';
import { createRequire } from 'node:module';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../runtime/sqlite.ts';
import { keepCopyBeforeMigrating, migrate } from '../../services/db/database.ts';
import { Spool } from '../../services/history/spool.ts';
import type { Point } from '../../services/history/point.ts';
import { AclFile } from '../../gateway/access/acl-file.ts';
import type { AccessList } from '../../contracts/payloads.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';

const require = createRequire(import.meta.url);
const modeOf = (p: string) => (statSync(p).mode & 0o777).toString(8);

describe('private data files', () => {
  let dir: string;
  let site: TestSite | undefined;
  const savedEnv = { ...process.env };
  afterEach(() => {
    process.env = { ...savedEnv };
    vi.restoreAllMocks();
    site?.cleanup();
    site = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const fresh = () => (dir = mkdtempSync(join(tmpdir(), 'smartspace-modes-')));

  it('a new database: folder 0700, file, -wal and -shm 0600', () => {
    const data = join(fresh(), 'data', 'services');
    const path = join(data, 'services.db');
    const db = openSqlite(path);
    try {
      db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
      expect(modeOf(data)).toBe('700');
      expect(modeOf(path)).toBe('600');
      expect(modeOf(`${path}-wal`)).toBe('600');
      expect(modeOf(`${path}-shm`)).toBe('600');
    } finally {
      db.close();
    }
  });

  it('an existing database left world-readable is tightened at open, and reported once', () => {
    const data = join(fresh(), 'gw');
    const path = join(data, 'gateway.db');
    const first = openSqlite(path);
    first.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    first.close();
    chmodSync(data, 0o755);
    chmodSync(path, 0o644);
    writeFileSync(`${path}-wal`, '');
    chmodSync(`${path}-wal`, 0o644);
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const db = openSqlite(path);
    try {
      expect(db.prepare('SELECT x FROM t').pluck().get()).toBe(1);
      expect([modeOf(data), modeOf(path), modeOf(`${path}-wal`), modeOf(`${path}-shm`)]).toEqual(['700', '600', '600', '600']);
      expect(warn).toHaveBeenCalledTimes(3);
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
        `${data} was mode 0755, now 0700`,
        `${path} was mode 0644, now 0600`,
        `${path}-wal was mode 0644, now 0600`,
      ]);
    } finally {
      db.close();
    }
    chmodSync(path, 0o644);
    openSqlite(path).close();
    expect(modeOf(path)).toBe('600');
    expect(warn).toHaveBeenCalledTimes(3); // once per path
  });

  it('the copy kept before a migration is 0600', () => {
    const path = join(fresh(), 'services.db');
    const db = openSqlite(path);
    try {
      migrate(db, [{ version: 1, name: 'one', sql: 'CREATE TABLE a (x)' }]);
      const copy = keepCopyBeforeMigrating(db, path, [{ version: 2 }]);
      expect(copy).not.toBeNull();
      expect(modeOf(copy!)).toBe('600');
    } finally {
      db.close();
    }
  });

  it('the history spool: folder 0700, segments and cursor 0600, older loose ones tightened', () => {
    const spoolDir = join(fresh(), 'history-spool');
    const point: Point = { measurement: 'occupancy', tags: { zone: 'z' }, fields: { count: 1 }, ts: 1, ns: 0 };
    const spool = new Spool({ dir: spoolDir, maxBytes: 1024 * 1024 });
    spool.append([point]);
    spool.append([point]);
    spool.peek()!.ack();
    expect(modeOf(spoolDir)).toBe('700');
    const files = readdirSync(spoolDir);
    expect(files).toContain('cursor.json');
    for (const f of files) expect([f, modeOf(join(spoolDir, f))]).toEqual([f, '600']);

    vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    chmodSync(spoolDir, 0o755);
    for (const f of files) chmodSync(join(spoolDir, f), 0o644);
    new Spool({ dir: spoolDir, maxBytes: 1024 * 1024 });
    expect(modeOf(spoolDir)).toBe('700');
    for (const f of files) expect([f, modeOf(join(spoolDir, f))]).toEqual([f, '600']);
  });

  it("the gateway's access list: folder 0700, file 0600, an older loose one tightened when read", async () => {
    const data = join(fresh(), 'gw');
    const acl = new AclFile(data);
    await acl.write({ site: 'x' } as unknown as AccessList);
    expect(modeOf(data)).toBe('700');
    expect(modeOf(acl.path)).toBe('600');
    vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    chmodSync(acl.path, 0o644);
    acl.read();
    expect(modeOf(acl.path)).toBe('600');
  });

  it("Node-RED's user directory is 0700, tightened if looser", async () => {
    site = await makeTestSite();
    Object.assign(process.env, { SMARTSPACE_CONFIG: site.configPath, SMARTSPACE_SECRETS_FILE: site.secretsPath });
    const path = require.resolve('../../config/node-red/settings.cjs');
    const load = () => {
      delete require.cache[path];
      return require(path) as { userDir: string };
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true); // its JSON log lines
    const { userDir } = load();
    expect(modeOf(userDir)).toBe('700');
    chmodSync(userDir, 0o755);
    load();
    expect(modeOf(userDir)).toBe('700');
    mkdirSync(join(userDir, 'x'), { recursive: true }); // still usable by its owner
  });
});
