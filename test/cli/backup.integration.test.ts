// smartspace backup / restore / migrate against real SQLite files of a test site: restore brings
// back the same members, cards, plans, events and secrets; a damaged, foreign or newer archive,
// or a running site, changes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { create as createTar } from 'tar';
import { runCli } from '../../cli/main.ts';
import type { CliIO } from '../../cli/command.ts';
import { openStore } from '../../services/db/store.ts';
import { openDatabase } from '../../services/db/database.ts';
import { MIGRATIONS } from '../../services/db/migrations.ts';
import { GatewayDb } from '../../gateway/outbox/gateway-db.ts';
import { fingerprint } from '../../contracts/signing.ts';
import { loadSecrets, loadSiteConfig } from '../../config/load.ts';
import { expectedRows } from '../fixtures/upgrade/rows.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';

const FIXTURE_DB = new URL('../fixtures/upgrade/0.2.0/services.db', import.meta.url).pathname;
const CARD = '04CAFE0001';
/** The newest schema version (another migration may come before a release: the tests follow). */
const LATEST = Math.max(...MIGRATIONS.map((m) => m.version));

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function captureIO(cwd: string, env: NodeJS.ProcessEnv = {}): CliIO & { outLines: string[]; errLines: string[]; text(): string } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l), env, cwd, text: () => [...outLines, ...errLines].join('\n') };
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'smartspace-backup-test-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** A test site with the upgrade fixture's data, a card of its own site key, a gateway db, an acl and Node-RED files. */
async function populatedSite(opts: { migrations?: typeof MIGRATIONS } = {}): Promise<TestSite> {
  const site = await makeTestSite((raw) => {
    delete raw.services.seed;
  });
  cleanups.push(() => site.cleanup());
  const dataDir = site.config.services.dataDir;
  mkdirSync(dataDir, { recursive: true });
  if (opts.migrations) {
    openDatabase(join(dataDir, 'services.db'), opts.migrations).close();
  } else {
    copyFileSync(FIXTURE_DB, join(dataDir, 'services.db'));
    const store = openStore(dataDir);
    // Eva's id since migration 4 (the fixture's ids were made from names).
    store.credentials.insert({ member: store.memberRenames.current('eva'), fingerprint: fingerprint(site.secrets.siteKey, CARD) }, 1);
    store.close();
  }
  const gw = site.config.gateways[0]!;
  const gdb = new GatewayDb(join(gw.dataDir, 'gateway.db'));
  gdb.start();
  gdb.handle.prepare("INSERT INTO outbox (topic, payload, created_at) VALUES ('t', 'p', 1)").run();
  gdb.stop();
  writeFileSync(join(gw.dataDir, 'acl.json'), '{"v":1}');
  const red = join(dataDir, '..', 'node-red');
  mkdirSync(join(red, 'node_modules', 'some-node'), { recursive: true });
  writeFileSync(join(red, 'flows.json'), '[{"id":"f1","type":"tab"}]');
  writeFileSync(join(red, 'flows_cred.json'), '{"$":"encrypted"}');
  writeFileSync(join(red, '.config.runtime.json'), '{"_credentialSecret":"x"}');
  writeFileSync(join(red, 'node_modules', 'some-node', 'index.js'), 'module.exports = 1');
  return site;
}

function rows(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return expectedRows(db);
  } finally {
    db.close();
  }
}

async function backup(site: TestSite, outDir = tempDir()): Promise<string> {
  const io = captureIO(outDir);
  expect(await runCli(['backup', '--config', site.configPath], io), io.text()).toBe(0);
  const archives = readdirSync(outDir).filter((f) => /\.tar\.(zst|gz)$/.test(f));
  expect(archives).toHaveLength(1);
  return join(outDir, archives[0]!);
}

/** The order backup packs entries in: the config first, the manifest last. */
const order = (path: string) => (path === 'config/site.yaml' ? 0 : path === 'manifest.json' ? 2 : 1);

/** Every file under a directory with its bytes: proof that nothing changed. */
function snapshot(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) m.set(join(e.parentPath, e.name), readFileSync(join(e.parentPath, e.name)).toString('base64'));
  }
  return m;
}

describe('smartspace backup', () => {
  it('writes one 0600 archive with a manifest of checksums, the databases, config, secrets and Node-RED files', async () => {
    const site = await populatedSite();
    const out = join(tempDir(), 'nightly'); // not there yet: made, as the trailing / says it is a directory
    const io = captureIO(site.dir);
    expect(await runCli(['backup', '--config', site.configPath, '--out', `${out}/`], io), io.text()).toBe(0);
    const [name] = readdirSync(out);
    expect(name).toMatch(/^smartspace-klitmoller-\d{8}-\d{6}\.tar\.(zst|gz)$/);
    const archive = join(out, name!);
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    expect(io.text()).toMatch(/0600/);

    const listed: string[] = [];
    const { list } = await import('tar');
    await list({ file: archive, onReadEntry: (e) => void listed.push(e.path) });
    expect(listed[0]).toBe('config/site.yaml'); // restore reads it first
    expect(listed.at(-1)).toBe('manifest.json'); // with the checksums of all before it
    expect(listed.sort()).toEqual(
      [
        'manifest.json',
        'config/site.yaml',
        'config/secrets.yaml',
        'services/services.db',
        'gateways/gw-main/gateway.db',
        'gateways/gw-main/acl.json',
        'node-red/flows.json',
        'node-red/flows_cred.json',
        'node-red/.config.runtime.json',
      ].sort(),
    );
    expect(readdirSync(out)).toEqual([name]); // no staging dir or partial file left
  });

  it('takes a consistent copy while another connection keeps writing', async () => {
    const site = await populatedSite();
    const writer = openStore(site.config.services.dataDir);
    let n = 0;
    const timer = setInterval(() => {
      writer.audit.write({ ts: n, actor: null, action: `write.${n++}` });
    }, 1);
    try {
      const archive = await backup(site);
      const target = tempDir();
      const io = captureIO(target);
      expect(await runCli(['restore', archive, '--config', join(target, 'site.yaml'), '--data', join(target, 'data')], io), io.text()).toBe(0);
      const db = new Database(join(target, 'data', 'services', 'services.db'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    } finally {
      clearInterval(timer);
      writer.close();
    }
  });

  it('says which key is wrong in a bad config, and which flag is unknown (exit 2)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'site.yaml'), 'site: { id: x }\n');
    const bad = captureIO(dir);
    expect(await runCli(['backup', '--config', join(dir, 'site.yaml')], bad)).toBe(2);
    expect(bad.errLines[0]).toMatch(/smartspace backup: .*site\./);
    const flag = captureIO(dir);
    expect(await runCli(['backup', '--outt', 'x'], flag)).toBe(2);
    expect(flag.errLines[0]).toContain('--outt');
    const missing = captureIO(dir);
    expect(await runCli(['restore'], missing)).toBe(2);
  });
});

describe('smartspace restore', () => {
  it('brings back the same members, cards, plans, events, secrets and flows at a new place (--data)', async () => {
    const site = await populatedSite();
    const before = rows(join(site.config.services.dataDir, 'services.db'));
    const archive = await backup(site);
    site.cleanup(); // the old machine is gone

    const target = tempDir();
    const configPath = join(target, 'etc', 'site.yaml');
    const io = captureIO(target);
    expect(await runCli(['restore', archive, '--config', configPath, '--data', join(target, 'data')], io), io.text()).toBe(0);

    const config = loadSiteConfig(configPath);
    expect(config.services.dataDir).toBe(join(target, 'data', 'services'));
    expect(config.gateways[0]!.dataDir).toBe(join(target, 'data', 'gateway-gw-main'));
    const after = rows(join(config.services.dataDir, 'services.db'));
    expect(after).toEqual(before);
    expect(after.members!.length).toBe(5);
    expect(after.events!.length).toBe(40);

    // The secrets came back: a card fingerprinted with the restored site key is the same live card.
    const secrets = loadSecrets(config, join(target, 'etc', 'secrets.yaml'), {});
    expect(secrets).toEqual(site.secrets);
    expect(statSync(join(target, 'etc', 'secrets.yaml')).mode & 0o777).toBe(0o600);
    const store = openStore(config.services.dataDir);
    expect(store.credentials.liveByFingerprint(fingerprint(secrets.siteKey, CARD))?.member).toBe(store.memberRenames.current('eva'));
    store.close();

    const gdb = new Database(join(config.gateways[0]!.dataDir, 'gateway.db'), { readonly: true });
    expect(gdb.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 1 });
    gdb.close();
    expect(readFileSync(join(config.gateways[0]!.dataDir, 'acl.json'), 'utf8')).toBe('{"v":1}');
    const red = join(target, 'data', 'node-red');
    expect(readFileSync(join(red, 'flows.json'), 'utf8')).toBe('[{"id":"f1","type":"tab"}]');
    expect(readFileSync(join(red, 'flows_cred.json'), 'utf8')).toBe('{"$":"encrypted"}');
    expect(existsSync(join(red, 'node_modules'))).toBe(false);
    expect(readdirSync(join(target, 'data')).filter((f) => f.startsWith('.smartspace-restore'))).toEqual([]);
  });

  it('refuses a target with data unless --force, and then replaces it (stale WAL files too)', async () => {
    const site = await populatedSite();
    const archive = await backup(site);
    const dbPath = join(site.config.services.dataDir, 'services.db');
    const store = openStore(site.config.services.dataDir);
    store.members.insert(
      { id: 'late', name: 'Late', email: 'late@example.org', passwordHash: 'x', role: 'member', plan: null, presenceOptIn: false, active: true },
      2,
    );
    store.close();
    writeFileSync(`${dbPath}-wal`, 'stale');

    const refused = captureIO(site.dir);
    expect(await runCli(['restore', archive, '--config', site.configPath], refused)).toBe(1);
    expect(refused.errLines[0]).toMatch(/has data already .*services\.db.*--force/);
    expect(refused.errLines[1]).toBe('Nothing was changed.');

    const forced = captureIO(site.dir);
    expect(await runCli(['restore', archive, '--config', site.configPath, '--force'], forced), forced.text()).toBe(0);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    expect(rows(dbPath).members!.map((m) => (m as { id: string }).id)).not.toContain('late');
  });

  it('refuses while the site runs: a database open in another connection, or the HTTP port answering', async () => {
    const site = await populatedSite();
    const archive = await backup(site);
    const before = snapshot(site.dir);

    const open = openStore(site.config.services.dataDir);
    const io = captureIO(site.dir);
    try {
      expect(await runCli(['restore', archive, '--config', site.configPath, '--force'], io)).toBe(1);
    } finally {
      open.close();
    }
    expect(io.errLines[0]).toMatch(/looks running: the services database .* is open in another process/);

    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(site.httpPort, '127.0.0.1', r));
    const io2 = captureIO(site.dir);
    try {
      expect(await runCli(['restore', archive, '--config', site.configPath, '--force'], io2)).toBe(1);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(io2.errLines[0]).toMatch(new RegExp(`looks running: something answers on the services' HTTP port 127\\.0\\.0\\.1:${site.httpPort}`));
    expect(snapshot(site.dir)).toEqual(before);
  });

  it('refuses a damaged, foreign or tampered archive and changes nothing', async () => {
    const site = await populatedSite();
    const archive = await backup(site);
    const before = snapshot(site.dir);
    const work = tempDir();
    const attempt = async (file: string) => {
      const io = captureIO(site.dir);
      expect(await runCli(['restore', file, '--config', site.configPath, '--force'], io)).toBe(1);
      expect(io.errLines.at(-1)).toBe('Nothing was changed.');
      return io.errLines[0]!;
    };

    // Flipped bytes in the middle of the compressed stream.
    const damaged = readFileSync(archive);
    for (let i = 0; i < 16; i++) damaged[Math.floor(damaged.length / 2) + i]! ^= 0xff;
    writeFileSync(join(work, 'damaged.tar.gz'), damaged);
    expect(await attempt(join(work, 'damaged.tar.gz'))).toMatch(/damaged/);

    // Cut short.
    writeFileSync(join(work, 'short.tar.gz'), readFileSync(archive).subarray(0, Math.floor(damaged.length * 0.8)));
    expect(await attempt(join(work, 'short.tar.gz'))).toMatch(/damaged|missing/);

    // Not an archive at all, and a tar.gz of something else.
    writeFileSync(join(work, 'notes.txt'), 'hello');
    expect(await attempt(join(work, 'notes.txt'))).toMatch(/not a smartspace backup/);
    mkdirSync(join(work, 'other'));
    writeFileSync(join(work, 'other', 'readme.md'), '# hi');
    await createTar({ file: join(work, 'other.tar.gz'), gzip: true, cwd: join(work, 'other') }, ['readme.md']);
    expect(await attempt(join(work, 'other.tar.gz'))).toMatch(/not a smartspace backup \(it does not start with config\/site\.yaml/);

    // The archive re-packed with one database changed but the manifest kept: its checksum fails.
    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    const { extract } = await import('tar');
    await extract({ file: archive, cwd: unpacked });
    const db = new Database(join(unpacked, 'services', 'services.db'));
    db.prepare("UPDATE members SET name = 'Mallory' WHERE email = 'ane@example.org'").run();
    db.close();
    const entries = readdirSync(unpacked, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(unpacked.length + 1))
      .sort((a, b) => order(a) - order(b));
    await createTar({ file: join(work, 'tampered.tar.gz'), gzip: true, cwd: unpacked }, entries);
    expect(await attempt(join(work, 'tampered.tar.gz'))).toMatch(/services\/services\.db does not match its checksum/);

    // A manifest of a newer format.
    const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as { formatVersion: number };
    manifest.formatVersion = 99;
    writeFileSync(join(unpacked, 'manifest.json'), JSON.stringify(manifest));
    await createTar({ file: join(work, 'future.tar.gz'), gzip: true, cwd: unpacked }, entries);
    expect(await attempt(join(work, 'future.tar.gz'))).toMatch(/format 99.*upgrade first/);

    // A file the manifest does not list, and an entry outside the archive's shapes.
    manifest.formatVersion = 1;
    writeFileSync(join(unpacked, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(join(unpacked, 'services', 'extra.db'), 'x');
    await createTar(
      { file: join(work, 'extra.tar.gz'), gzip: true, cwd: unpacked },
      [...entries, 'services/extra.db'].sort((a, b) => order(a) - order(b)),
    );
    expect(await attempt(join(work, 'extra.tar.gz'))).toMatch(/services\/extra\.db is not in its manifest/);
    writeFileSync(join(work, 'escape.txt'), 'x');
    await createTar(
      { file: join(work, 'escape.tar.gz'), gzip: true, cwd: unpacked, preservePaths: true },
      [...entries, '../escape.txt'].sort((a, b) => order(a) - order(b)),
    );
    expect(await attempt(join(work, 'escape.tar.gz'))).toMatch(/holds entries a smartspace backup does not \(\.\.\/escape\.txt\)/);

    expect(snapshot(site.dir)).toEqual(before);
  });

  it('migrates a database from an older schema, and refuses one from a newer schema', async () => {
    const old = await populatedSite({ migrations: MIGRATIONS.slice(0, 2) });
    const archive = await backup(old);
    const target = tempDir();
    const io = captureIO(target);
    expect(await runCli(['restore', archive, '--config', join(target, 'site.yaml'), '--data', target], io), io.text()).toBe(0);
    expect(io.outLines.join('\n')).toMatch(new RegExp(`services database migrated from schema 2 to ${LATEST}`));
    const db = new Database(join(target, 'services', 'services.db'), { readonly: true });
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: LATEST });
    db.close();

    const newer = await populatedSite();
    const ndb = new Database(join(newer.config.services.dataDir, 'services.db'));
    ndb.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', 0)").run();
    ndb.close();
    const newerArchive = await backup(newer);
    const t2 = tempDir();
    const io2 = captureIO(t2);
    expect(await runCli(['restore', newerArchive, '--config', join(t2, 'site.yaml'), '--data', t2], io2)).toBe(1);
    expect(io2.errLines[0]).toMatch(new RegExp(`schema 99, newer than this smartspace knows \\(${LATEST}\\)`));
    expect(readdirSync(t2)).toEqual([]);
  });
});

describe('smartspace migrate', () => {
  it('shows pending migrations on --dry-run, then applies them after keeping a copy', async () => {
    const site = await populatedSite({ migrations: MIGRATIONS.slice(0, 1) });
    const dbPath = join(site.config.services.dataDir, 'services.db');
    const dry = captureIO(site.dir);
    expect(await runCli(['migrate', '--config', site.configPath, '--dry-run'], dry), dry.text()).toBe(0);
    expect(dry.outLines.join('\n')).toMatch(
      new RegExp(
        `services\\s+schema 1 → ${LATEST}[\\s\\S]*pending 2: plans validity[\\s\\S]*pending 3: device health[\\s\\S]*pending \\d+: random member ids[\\s\\S]*nothing changed`,
      ),
    );
    expect(existsSync(`${dbPath}.v1.bak`)).toBe(false);

    const open = new Database(dbPath);
    open.prepare('SELECT 1').get();
    const busy = captureIO(site.dir);
    expect(await runCli(['migrate', '--config', site.configPath], busy)).toBe(1);
    expect(busy.errLines[0]).toMatch(/looks running/);
    open.close();

    const run = captureIO(site.dir);
    expect(await runCli(['migrate', '--config', site.configPath], run), run.text()).toBe(0);
    expect(run.outLines.join('\n')).toContain(`kept at ${dbPath}.v1.bak`);
    const copy = new Database(`${dbPath}.v1.bak`, { readonly: true });
    expect(copy.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: 1 });
    copy.close();
    const again = captureIO(site.dir);
    expect(await runCli(['migrate', '--config', site.configPath], again)).toBe(0);
    expect(again.outLines.join('\n')).toMatch(new RegExp(`services\\s+schema ${LATEST}, up to date[\\s\\S]*nothing to migrate`));
  });

  it('the services keep the same copy when they migrate at start, and none for a new database', () => {
    const dir = tempDir();
    const path = join(dir, 'services.db');
    openDatabase(path, MIGRATIONS.slice(0, 2)).close();
    openDatabase(path).close();
    expect(existsSync(`${path}.v2.bak`)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.bak'))).toEqual(['services.db.v2.bak']);
    const fresh = join(dir, 'fresh.db');
    openDatabase(fresh).close();
    expect(existsSync(`${fresh}.v0.bak`)).toBe(false);
  });
});
