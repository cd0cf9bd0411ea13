// `npm run bench` (or `node --import tsx test/bench/backup.ts` after `npm run build:node`):
// backup and restore of a site with 1,000 members and 1,000,000 door events (in services.db and,
// as points, in the SQLite history store), run as an installed site runs them (compiled CLI in a
// child process), beside a baseline from the same run: a plain copy of the same database files.
// Targets (issue 10): backup ≤ 10 s, restore ≤ 20 s. Prints; asserts nothing.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../services/db/store.ts';
import { SqliteHistoryStore } from '../../services/history/sqlite-store.ts';
import { doorEventPoint, seriesKey } from '../../services/history/point.ts';
import { fingerprint } from '../../contracts/signing.ts';
import type { DoorEvent } from '../../contracts/payloads.ts';
import { makeTestSite } from '../helpers/site.ts';

const MEMBERS = 1_000;
const EVENTS = Number(process.env.BENCH_BACKUP_EVENTS ?? 1_000_000);
const CLI = fileURLToPath(new URL('../../dist/node/cli/main.js', import.meta.url));

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const verdict = (ms: number, target: number) => `target <= ${target} s: ${ms <= target * 1000 ? 'met' : 'MISSED'}`;

const site = await makeTestSite((raw) => {
  delete raw.services.seed;
});
const work = mkdtempSync(join(tmpdir(), 'smartspace-bench-backup-'));
try {
  // The data: one transaction of prepared inserts per database.
  let t = performance.now();
  const store = openStore(site.config.services.dataDir);
  const history = new SqliteHistoryStore(join(site.config.services.dataDir, 'history.db'));
  await history.close();
  const T0 = Date.UTC(2026, 0, 1);
  const doors = site.config.doors.map((d) => d.id);
  store.db.transaction(() => {
    store.plans.upsert({ id: 'flex', name: 'Flex', doors, windows: [], offline: false, validFrom: null, validTo: null }, T0);
    const member = store.db.prepare(`INSERT INTO members (id, name, email, password_hash, role, plan, presence_opt_in, active, created_at)
      VALUES (?, ?, ?, 'scrypt$16384$8$1$c2FsdA$aGFzaA', 'member', 'flex', 1, 1, ?)`);
    const card = store.db.prepare('INSERT INTO credentials (member, kind, fingerprint, created_at) VALUES (?, ?, ?, ?)');
    for (let i = 0; i < MEMBERS; i++) {
      member.run(`m${i}`, `Member ${i}`, `m${i}@example.org`, T0);
      card.run(`m${i}`, 'card', fingerprint(site.secrets.siteKey, `04${i.toString(16).padStart(10, '0')}`), T0);
    }
  })();
  const event = (i: number): DoorEvent => ({
    v: 1,
    ts: T0 + i * 30_000,
    id: `ev-${i.toString(36).padStart(10, '0')}`,
    type: 'access',
    door: doors[i % doors.length]!,
    gateway: 'gw-main',
    decision: i % 50 === 0 ? 'denied' : 'granted',
    reason: i % 50 === 0 ? 'outside-schedule' : 'ok',
    via: 'card',
    member: `m${i % MEMBERS}`,
    fingerprint: fingerprint(site.secrets.siteKey, `04${(i % MEMBERS).toString(16).padStart(10, '0')}`),
    offline: false,
  });
  const insertEvent = store.db.prepare(`INSERT INTO events (id, ts, door, gateway, type, member, payload, received_at, history_ns)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  store.db.transaction(() => {
    for (let i = 0; i < EVENTS; i++) {
      const e = event(i);
      insertEvent.run(e.id, e.ts, e.door, e.gateway, e.type, e.type === 'access' ? e.member : null, JSON.stringify(e), e.ts + 20, 0);
    }
  })();
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  const { default: Database } = await import('better-sqlite3');
  const hdb = new Database(join(site.config.services.dataDir, 'history.db'));
  const point = hdb.prepare('INSERT OR REPLACE INTO points (measurement, series, ts, ns, tags, fields) VALUES (?, ?, ?, ?, ?, ?)');
  hdb.transaction(() => {
    for (let i = 0; i < EVENTS; i++) {
      const p = doorEventPoint(event(i), 0);
      point.run(p.measurement, seriesKey(p), p.ts, p.ns, JSON.stringify(p.tags), JSON.stringify(p.fields));
    }
  })();
  hdb.pragma('wal_checkpoint(TRUNCATE)');
  hdb.close();
  const dbs = ['services.db', 'history.db'].map((f) => join(site.config.services.dataDir, f));
  const dbBytes = dbs.reduce((n, f) => n + statSync(f).size, 0);
  console.log(
    `backup bench: ${MEMBERS} members, ${EVENTS} events; databases ${mb(dbBytes)} (services ${mb(statSync(dbs[0]!).size)}, history ${mb(statSync(dbs[1]!).size)}); made in ${s(performance.now() - t)}`,
  );

  // Baseline: a plain copy of the same files.
  const copyDir = join(work, 'copy');
  mkdirSync(copyDir);
  t = performance.now();
  for (const f of dbs) copyFileSync(f, join(copyDir, f.split('/').pop()!));
  const copyMs = performance.now() - t;
  rmSync(copyDir, { recursive: true });

  /** Runs a CLI command in a fresh Node process, as an installed site does; its time and peak RSS. */
  const cli = (args: string[]) => {
    const script = `const { runCli } = await import(${JSON.stringify(CLI)});
      const io = { out: (l) => console.log(l), err: (l) => console.error(l), env: {}, cwd: ${JSON.stringify(work)} };
      const code = await runCli(${JSON.stringify(args)}, io);
      console.log('@@' + JSON.stringify({ code, maxRssKb: process.resourceUsage().maxRSS }));`;
    const started = performance.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const ms = performance.now() - started;
    const tail = /@@(.*)/.exec(r.stdout)?.[1];
    if (!tail || (JSON.parse(tail) as { code: number }).code !== 0) throw new Error(`smartspace ${args[0]} failed: ${r.stdout}${r.stderr}`);
    return { ms, rssMb: (JSON.parse(tail) as { maxRssKb: number }).maxRssKb / 1024 };
  };

  const b = cli(['backup', '--config', site.configPath, '--out', work]);
  const archive = join(
    work,
    readdirSync(work).find((f) => /\.tar\.(zst|gz)$/.test(f))!,
  );
  const archiveBytes = statSync(archive).size;
  const target = join(work, 'restored');
  const r = cli(['restore', archive, '--config', join(target, 'site.yaml'), '--data', join(target, 'data')]);

  console.log(`  baseline: plain copy of the databases       ${s(copyMs)}`);
  console.log(`  backup  (process start to exit)             ${s(b.ms)}  peak RSS ${b.rssMb.toFixed(0)} MB  ${verdict(b.ms, 10)}`);
  console.log(`  archive                                     ${mb(archiveBytes)} (${((100 * archiveBytes) / dbBytes).toFixed(0)} % of the databases)`);
  console.log(`  restore (process start to exit)             ${s(r.ms)}  peak RSS ${r.rssMb.toFixed(0)} MB  ${verdict(r.ms, 20)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
  site.cleanup();
}
