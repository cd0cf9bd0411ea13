// Benchmark (prints, asserts nothing): compiling, signing and publishing the access list for a
// site with 10,000 members (one card each, on plans with weekly windows), in process against a
// real SQLite file; and the list's size on the wire (JSON, and gzipped for comparison).
// Run: node --import tsx test/bench/services-acl.ts  (BENCH_MEMBERS=…)
import { gzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { makeTestSite } from '../helpers/site.ts';
import { openStore } from '../../services/db/store.ts';
import { AccessLists } from '../../services/access/access-lists.ts';
import { compileEntries } from '../../services/access/compile.ts';
import { signList } from '../../services/access/sign-list.ts';
import { summarise, line } from './stats.ts';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000);
const RUNS = 30;

export async function benchAcl(): Promise<void> {
  const site = await makeTestSite((raw) => {
    delete raw.services.seed;
  });
  const store = openStore(site.config.services.dataDir);
  try {
    const now = Date.now();
    store.db.transaction(() => {
      store.plans.upsert({ id: 'resident', name: 'Resident', doors: ['front', 'meeting'], windows: [], offline: true, validFrom: null, validTo: null });
      store.plans.upsert({
        id: 'flex',
        name: 'Flex',
        doors: ['front'],
        windows: [
          { days: [1, 2, 3, 4, 5], from: '07:00', to: '19:00' },
          { days: [6], from: '09:00', to: '14:00' },
        ],
        offline: false,
        validFrom: null,
        validTo: null,
      });
      for (let i = 0; i < MEMBERS; i++) {
        const id = `m${String(i).padStart(5, '0')}`;
        store.members.insert(
          {
            id,
            name: `Member ${i}`,
            email: `${id}@example.org`,
            role: 'member',
            plan: i % 3 ? 'flex' : 'resident',
            presenceOptIn: false,
            active: true,
            passwordHash: 'no-login',
          },
          now,
        );
        store.credentials.insert({ member: id, fingerprint: randomBytes(32).toString('hex') }, now);
      }
    })();
    const lists = new AccessLists({ config: site.config, secrets: site.secrets, store, log: pino({ level: 'silent' }), now: Date.now });
    let bytes = 0;
    lists.setPublisher((_kind, _gateway, payload) => {
      bytes = Buffer.byteLength(JSON.stringify(payload));
      return Promise.resolve();
    });
    const samples: number[] = [];
    for (let i = 0; i < RUNS + 5; i++) {
      const t0 = performance.now();
      await lists.recompile();
      if (i >= 5) samples.push(performance.now() - t0);
    }
    // The compile step alone (grants already read): members × plans → entries, signed.
    const grants = store.credentials.grants();
    const plans = new Map(store.plans.all().map((p) => [p.id, p]));
    const compileOnly: number[] = [];
    for (let i = 0; i < RUNS + 5; i++) {
      const t0 = performance.now();
      const c = compileEntries(grants, plans, new Set(['front', 'meeting']), { now: Date.now(), timeZone: site.config.site.timeZone, closures: [] });
      signList(
        { entries: c.entries, gateway: 'gw-main', timeZone: site.config.site.timeZone, ts: Date.now(), v: 1, version: 1 },
        site.secrets.gateways['gw-main']!.key,
      );
      if (i >= 5) compileOnly.push(performance.now() - t0);
    }
    const json = JSON.stringify(lists.latest('gw-main'));
    console.log(
      `\naccess list for ${MEMBERS.toLocaleString('en-US')} members (${lists.latest('gw-main')!.entries.length.toLocaleString('en-US')} entries); load average ${loadavg()[0]!.toFixed(2)}`,
    );
    console.log(line('  compile + sign (grants in memory)', summarise(compileOnly), 'ms', { p99: 200 }));
    console.log(line('  recompile: read SQLite, compile, sign, publish', summarise(samples), 'ms', { p99: 200 }));
    console.log(
      `  size on the wire: ${(bytes / 1024).toFixed(0)} KiB JSON (${(gzipSync(json).length / 1024).toFixed(0)} KiB gzipped, for comparison; MQTT carries it as is)`,
    );
  } finally {
    store.close();
    site.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchAcl().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
