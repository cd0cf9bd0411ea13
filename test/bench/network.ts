// `npm run bench:network` (part of `npm run bench`): the network of spaces (issue 18, Numbers),
// on loopback with real Mosquitto (no namespaces, no root), printed, never asserted.
//  1. Network broker fan-in: a network broker (Mosquitto, TLS, the generated files of
//     networkBrokerFiles) and N site brokers (Mosquitto, each site's generated config with its
//     bridge), N = 2, 5, 10. Baseline, same broker, same run: N clients that do what the bridges
//     do (log in as site.<id> over TLS, publish their own subtree, subscribe the others'),
//     QoS 1 as fast as they go. Then one publisher per site broker, QoS 1 visit reports paced at
//     increasing total rates: per step what arrived at the network broker, the lag after the last
//     send, and the highest rate with nothing lost and no backlog (lag under a second). Every
//     message also goes out to the N-1 other sites' bridges (their "in" topics): the broker's
//     deliveries are N times its ingress.
//  2. Catch-up (at the largest N): the last site's Mosquitto stopped (the site down) while the
//     other sites publish an hour of network messages (BENCH_NET_HOUR, default 700: a busy hour
//     of ten sites, see the README's "Scale"), compressed in time; then started again: the time
//     until a persistent subscriber on that site's broker (standing in for its services) has
//     them all, how many, and how many twice. Also at ten times that volume.
//  3. Revocation at home → refused at a visited door, sites online: two sites with real
//     services and gateway (compiled, `npm run build:node`), their Mosquittos bridged to a
//     network broker. Lars (network member of a) is admitted at b; a withdraws him
//     (PATCH networkMember false); the time until b's gateway refuses a tap (taps in a loop),
//     then he joins again and is admitted again; BENCH_NET_REVOCATIONS rounds (default 50).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connectAsync, type MqttClient } from 'mqtt';
import { parse, stringify } from 'yaml';
import { ROOT, logMsg, startProcess, type ManagedProcess } from '../../scripts/lib/proc.ts';
import { networkBrokerFiles } from '../../scripts/lib/mosquitto-config.ts';
import { newSecret } from '../../config/load.ts';
import { newSigningKeyPair } from '../../contracts/signing.ts';
import { netTopics } from '../../contracts/network.ts';
import { freePort, makeTestSite, type TestSite } from '../helpers/site.ts';
import { makeTestCerts } from '../helpers/tls-certs.ts';
import { MOSQUITTO, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';
import { serverProcess, type ServerProcess } from '../helpers/server-process.ts';
import { eventually } from '../helpers/stack.ts';
import { line, rssMb, summarise } from './stats.ts';

const list = (v: string | undefined, d: string) => (v ?? d).split(',').map(Number);
const SITES = list(process.env.BENCH_NET_SITES, '2,5,10');
const RATES = list(process.env.BENCH_NET_RATES, '250,500,1000,2000,4000,8000');
const STEP_S = Number(process.env.BENCH_NET_STEP_S ?? 3);
const RAW = Number(process.env.BENCH_NET_RAW ?? 20_000);
const HOUR = Number(process.env.BENCH_NET_HOUR ?? 700);
const REVOCATIONS = Number(process.env.BENCH_NET_REVOCATIONS ?? 50);
const NET_ID = 'vest';
const t = netTopics(NET_ID);
const CARD = '0400445566'; // Lars
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (pids: (number | null | undefined)[]) => pids.reduce<number>((s, p) => s + (p ? rssMb(p) : 0), 0).toFixed(0);
/** A visit report's size on the wire (contracts/network.ts NetVisit). */
const visit = (site: string, id: string) =>
  JSON.stringify({ v: 1, ts: Date.now(), id: `${site}.${id}`, grant: 'v.a.0123456789abcdef01', home: 'a', site, day: '2026-12-03' });

interface Net {
  ids: string[];
  dir: string;
  port: number;
  ca: string;
  passwords: Record<string, string>;
  keys: { publicKey: string; privateKey: string }[];
  netKey: string;
  broker: ServerProcess;
  /** Logged in as one more "site" that publishes nothing: reads every subtree. */
  spy: MqttClient;
  stop(): Promise<void>;
}

/** A network broker on loopback (TLS) for sites `ids`, and a spy on it. */
async function startNetwork(ids: string[]): Promise<Net> {
  const dir = mkdtempSync(join(tmpdir(), 'smartspace-bench-net-'));
  makeTestCerts(dir, { ips: ['127.0.0.1'], dns: [] });
  const port = await freePort();
  const passwords = Object.fromEntries([...ids, 'spy'].map((id) => [id, newSecret()]));
  const files = networkBrokerFiles({ id: NET_ID, sites: [...ids, 'spy'].map((id) => ({ id })) }, passwords, {
    dir,
    port,
    bind: '127.0.0.1',
    user: process.getuid?.() === 0 ? 'root' : undefined,
    tls: { certfile: join(dir, 'server.pem'), keyfile: join(dir, 'server-key.pem') },
  });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { mode: 0o600 });
  mkdirSync(join(dir, 'data'));
  const broker = serverProcess({
    name: 'network broker',
    command: MOSQUITTO,
    args: ['-c', join(dir, 'mosquitto.conf')],
    ready: (l) => l !== null && /mosquitto version \S+ running/.test(l),
    readyTimeoutMs: 15_000,
    stopGraceMs: 5000,
    pollMs: 20,
  });
  await broker.start();
  const ca = join(dir, 'ca.pem');
  const spy = await netClient({ port, ca, passwords }, 'spy');
  return {
    ids,
    dir,
    port,
    ca,
    passwords,
    keys: ids.map(() => newSigningKeyPair()),
    netKey: newSecret(),
    broker,
    spy,
    async stop() {
      spy.end(true);
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TLS client on the network broker as site.<id> (its client id is its login). */
const netClient = (net: Pick<Net, 'port' | 'ca' | 'passwords'>, id: string) =>
  connectAsync(`mqtts://127.0.0.1:${net.port}`, {
    ca: readFileSync(net.ca),
    username: `site.${id}`,
    password: net.passwords[id],
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
  });

/** The `network` block of site `id`'s config. */
const networkBlock = (net: Net, id: string) => ({
  id: NET_ID,
  site: id,
  broker: { url: `mqtts://127.0.0.1:${net.port}`, ca: net.ca },
  sites: net.ids.map((s, j) => ({ id: s, name: `Space ${s}`, publicKey: net.keys[j]!.publicKey })),
  share: { visiting: true, summaries: false, usageCounts: false },
  visiting: { daysPerMonth: 31, doors: ['front'], offline: true },
});

interface BenchSite {
  id: string;
  site: TestSite;
  mosquitto: Mosquitto;
}

const BENCH_USER = { username: 'bench', password: newSecret(), acl: ['topic readwrite net/#'] };

/** A site (config generated as for `npm run mosquitto:config`, bridge included) and its Mosquitto. */
async function startSite(net: Net, i: number, edit?: Parameters<typeof makeTestSite>[0]): Promise<BenchSite> {
  const id = net.ids[i]!;
  const site = await makeTestSite(
    (raw) => {
      raw.network = networkBlock(net, id);
      edit?.(raw);
    },
    { externalBroker: true, secrets: { network: { key: net.netKey, mqttPassword: net.passwords[id], signingKey: net.keys[i]!.privateKey } } },
  );
  const mosquitto = await startMosquitto(site, { extraUsers: [BENCH_USER] });
  return { id, site, mosquitto };
}

const localClient = (s: BenchSite, clientId: string, clean = true) =>
  connectAsync(s.mosquitto.url, { username: BENCH_USER.username, password: BENCH_USER.password, clientId, clean, protocolVersion: 4, reconnectPeriod: 200 });

/** Counts what the spy gets under a prefix of visit keys (unique and twice). */
function counter(c: MqttClient, prefix: string) {
  const seen = new Map<string, number>();
  let last = performance.now();
  const on = (topic: string) => {
    const key = topic.split('/').at(-1)!;
    if (!key.startsWith(prefix)) return;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    last = performance.now();
  };
  c.on('message', on);
  return {
    get unique() {
      return seen.size;
    },
    get twice() {
      return [...seen.values()].filter((n) => n > 1).length;
    },
    get last() {
      return last;
    },
    off: () => c.off('message', on),
  };
}

/** Waits until `done()` or no progress for `idleMs`. */
async function drain(done: () => boolean, progress: () => number, idleMs = 5000): Promise<void> {
  let n = progress();
  let at = performance.now();
  while (!done()) {
    await sleep(20);
    if (progress() !== n) [n, at] = [progress(), performance.now()];
    else if (performance.now() - at > idleMs) return;
  }
}

async function fanIn(n: number, catchUp: boolean): Promise<void> {
  const ids = Array.from({ length: n }, (_, i) => String.fromCharCode(97 + i));
  const net = await startNetwork(ids);
  const sites: BenchSite[] = [];
  try {
    await net.spy.subscribeAsync(t.wildcard('visit'), { qos: 1 });
    console.log(`\nnetwork broker fan-in: ${n} sites, TLS bridges, QoS 1 (every message also to the ${n - 1} other sites)`);

    // Baseline: clients doing what the bridges do, directly on the network broker.
    const raw = await Promise.all(ids.map((id) => netClient(net, id)));
    let rawIn = 0;
    await Promise.all(
      raw.map(async (c, i) => {
        c.on('message', () => rawIn++);
        await c.subscribeAsync(
          ids.filter((_, j) => j !== i).map((o) => t.siteAll(o)),
          { qos: 1 },
        );
      }),
    );
    const rc = counter(net.spy, 'raw-');
    const per = Math.ceil(RAW / n);
    const r0 = performance.now();
    await Promise.all(
      raw.map((c, i) =>
        Promise.all(
          Array.from({ length: per }, (_, k) => c.publishAsync(t.topic('visit', ids[i]!, `raw-${ids[i]}-${k}`), visit(ids[i]!, `raw-${k}`), { qos: 1 })),
        ),
      ),
    );
    await drain(
      () => rc.unique >= per * n && rawIn >= per * n * (n - 1),
      () => rc.unique + rawIn,
    );
    const rawS = (rc.last - r0) / 1000;
    console.log(
      `  baseline: ${n} clients direct, as fast as they go  ${fmt(rc.unique / rawS)} msg/s in, ${fmt((rc.unique + rawIn) / rawS)} deliveries/s (${rc.unique}/${per * n} at the spy, ${rawIn}/${per * n * (n - 1)} at the sites)`,
    );
    rc.off();
    for (const c of raw) await c.endAsync();

    // The bridged sites.
    for (let i = 0; i < n; i++) sites.push(await startSite(net, i));
    const pubs = await Promise.all(sites.map((s) => localClient(s, `bench-pub-${s.id}`)));
    // Every bridge up: a probe from each site reaches the network broker.
    const probe = counter(net.spy, 'probe-');
    await eventually(
      async () => {
        await Promise.all(pubs.map((p, i) => p.publishAsync(t.topic('visit', ids[i]!, `probe-${ids[i]}`), '{}', { qos: 1 })));
        await sleep(200);
        return probe.unique === n;
      },
      60_000,
      'every bridge up',
    );
    probe.off();
    let best = 0;
    for (const rate of RATES) {
      const c = counter(net.spy, `r${rate}-`);
      const total = rate * STEP_S;
      const t0 = performance.now();
      let sent = 0;
      while (sent < total) {
        const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
        for (; sent < due; sent++) {
          const i = sent % n;
          void pubs[i]!.publishAsync(t.topic('visit', ids[i]!, `r${rate}-${sent}`), visit(ids[i]!, `${sent}`), { qos: 1 });
        }
        await sleep(10);
      }
      const sendEnd = performance.now();
      await drain(
        () => c.unique >= total,
        () => c.unique,
      );
      const lost = total - c.unique;
      const lag = Math.max(0, (c.last - sendEnd) / 1000);
      const ok = lost === 0 && lag < 1;
      if (ok) best = rate;
      console.log(
        `  bridged, paced at ${fmt(rate).padStart(6)} msg/s for ${STEP_S} s        sent ${fmt(total / ((sendEnd - t0) / 1000))} msg/s, arrived ${c.unique}/${total}, lost ${lost}, lag ${lag.toFixed(2)} s, twice ${c.twice}${ok ? '' : '  (backlog or loss)'}`,
      );
      c.off();
      if (lost > 0 || lag > 5) break;
    }
    console.log(
      `  highest rate with nothing lost and no backlog    ${best ? `${fmt(best)} msg/s (${fmt(best * n)} deliveries/s)` : `none of ${RATES.join(', ')}`}; RSS network broker ${mb([net.broker.pid])} MB, site brokers ${mb(sites.map((s) => s.mosquitto.pid))} MB`,
    );

    if (catchUp) {
      const z = sites.at(-1)!;
      const others = sites.slice(0, -1);
      console.log(`\ncatch-up: site ${z.id} down (its Mosquitto stopped) while ${others.length} sites publish an hour of network messages`);
      for (const volume of [HOUR, HOUR * 10]) {
        const tag = `h${volume}-`;
        // The site's services: a persistent session on its own broker, as the services hold.
        const services = await localClient(z, 'bench-services', false);
        const got = counter(services, tag);
        await services.subscribeAsync(t.wildcard('visit'), { qos: 1 });
        await z.mosquitto.stop();
        const atSpy = counter(net.spy, tag);
        const rate = Math.max(50, volume / 20); // the hour compressed into ~20 s
        const t0 = performance.now();
        let sent = 0;
        while (sent < volume) {
          const due = Math.min(volume, Math.floor(((performance.now() - t0) / 1000) * rate));
          for (; sent < due; sent++) {
            const i = sent % others.length;
            void pubs[i]!.publishAsync(t.topic('visit', ids[i]!, `${tag}${sent}`), visit(ids[i]!, `${sent}`), { qos: 1 });
          }
          await sleep(10);
        }
        await drain(
          () => atSpy.unique >= volume,
          () => atSpy.unique,
        );
        atSpy.off();
        const c0 = performance.now();
        await z.mosquitto.start();
        await drain(
          () => got.unique >= volume,
          () => got.unique,
          10_000,
        );
        const s = (got.last - c0) / 1000;
        console.log(
          `  ${fmt(volume).padStart(6)} messages queued at the network broker (${atSpy.unique} seen there): delivered ${got.unique}/${volume} (lost ${volume - got.unique}), twice ${got.twice}, ${s.toFixed(2)} s after the restart (${fmt(got.unique / s)} msg/s)`,
        );
        got.off();
        await services.endAsync();
      }
    }
    for (const p of pubs) await p.endAsync();
  } finally {
    for (const s of sites) {
      await s.mosquitto.stop();
      s.site.cleanup();
    }
    await net.stop();
  }
}

async function revocation(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/node/services/main.js'))) throw new Error('dist/node is missing: run npm run build:node first');
  const net = await startNetwork(['a', 'b']);
  const procs: ManagedProcess[] = [];
  const sites: (BenchSite & {
    api: string;
    sim: string;
    decisions: { decision: string; reason: string; at: number }[];
    services: ManagedProcess;
    gateway: ManagedProcess;
  })[] = [];
  try {
    for (const i of [0, 1]) {
      const simPort = await freePort();
      const s = await startSite(net, i, (raw) => {
        const seed = parse(readFileSync(raw.services.seed as string, 'utf8')) as { members: { id: string }[] };
        seed.members = i === 0 ? seed.members.map((m) => (m.id === 'lars' ? { ...m, networkMember: true } : m)) : seed.members.filter((m) => m.id !== 'lars');
        writeFileSync(raw.services.seed as string, stringify(seed));
      });
      const env = { SMARTSPACE_SECRETS_FILE: s.site.secretsPath };
      const decisions: (typeof sites)[number]['decisions'] = [];
      const services = startProcess(`services ${s.id}`, 'services/main.ts', ['--config', s.site.configPath], { compiled: true, env });
      const gateway = startProcess(
        `gateway ${s.id}`,
        'gateway/main.ts',
        ['--config', s.site.configPath, '--gateway', 'gw-main', '--sim-control', `127.0.0.1:${simPort}`],
        {
          compiled: true,
          env,
          onLine: (l) => {
            if (l.json?.msg === 'access decision') decisions.push({ ...(l.json as { decision: string; reason: string }), at: performance.now() });
          },
        },
      );
      procs.push(services, gateway);
      sites.push({ ...s, api: `http://127.0.0.1:${s.site.httpPort}`, sim: `http://127.0.0.1:${simPort}`, decisions, services, gateway });
    }
    for (const s of sites) {
      await s.services.waitForLog(logMsg('services ready'), 90_000);
      await s.gateway.waitForLog(logMsg('gateway ready'), 90_000);
    }
    const [a, b] = sites as [(typeof sites)[0], (typeof sites)[0]];
    const tap = async () => {
      const n = b.decisions.length;
      await fetch(`${b.sim}/sim/tap`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reader: 'front-reader', uid: CARD }),
      });
      return eventually(() => b.decisions[n], 15_000, 'the door decision at b');
    };
    const login = await fetch(`${a.api}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'mette@kystkontor.dk', password: 'host-mette' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const setNetworkMember = async (on: boolean) => {
      const r = await fetch(`${a.api}/api/members/lars`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ networkMember: on }),
      });
      if (r.status !== 200) throw new Error(`PATCH networkMember ${on}: ${r.status} ${await r.text()}`);
    };
    const until = async (want: (d: { decision: string; reason: string }) => boolean, what: string) => {
      const deadline = performance.now() + 60_000;
      for (;;) {
        const d = await tap();
        if (want(d)) return d.at;
        if (performance.now() > deadline) throw new Error(`${what}: not within 60 s`);
      }
    };
    await until((d) => d.decision === 'granted', 'Lars admitted at b');
    const revoked: number[] = [];
    const granted: number[] = [];
    for (let k = 0; k < REVOCATIONS; k++) {
      const t0 = performance.now();
      await setNetworkMember(false);
      revoked.push((await until((d) => d.reason === 'unknown-credential', 'Lars refused at b')) - t0);
      const t1 = performance.now();
      await setNetworkMember(true);
      granted.push((await until((d) => d.decision === 'granted', 'Lars admitted at b again')) - t1);
    }
    console.log(`\nrevocation at home (a) → refused at a visited door (b), sites online, TLS bridges via the network broker; b's taps in a loop`);
    console.log(`  ${line('revoked at a → refused at b', summarise(revoked))}`);
    console.log(`  ${line('joined again at a → admitted at b', summarise(granted))}`);
    console.log(
      `  RSS per site: services ${mb([a.services.child.pid])} MB, gateway ${mb([a.gateway.child.pid])} MB, Mosquitto ${mb([a.mosquitto.pid])} MB; network broker ${mb([net.broker.pid])} MB`,
    );
  } finally {
    for (const p of procs.reverse()) await p.stop();
    for (const s of sites) {
      await s.mosquitto.stop();
      s.site.cleanup();
    }
    await net.stop();
  }
}

const biggest = Math.max(...SITES);
for (const n of SITES) await fanIn(n, n === biggest);
await revocation();
