// A network of spaces on separate machines: every site a network namespace with its own
// Mosquitto, services and gateway (sim drivers), one network broker (Mosquitto) in another
// namespace, each site's broker bridged to it over TLS by the config that
// `npm run mosquitto:config` generates. The compiled processes run (`npm run build:node`).
// Ten sites by default (issue 18, "Scale, tested here"); SMARTSPACE_NET_SITES=2 for a quick run.
// Without root or `ip netns` the set-up fails with the reason: it never skips.
//
// Every site has a network member of its own (nm-<site>, a card no other site knows); site a
// also has Lars. The walk:
//  1. online: Lars admitted at every other site, each site's neighbour's member at each site;
//  2. offline: several visited sites' uplinks cut, each admits another home's member alone;
//  3. revocation: a revokes Lars while b is cut off; b still admits him; with the links back
//     every other site refuses him;
//  4. a site down for an hour: the last site's Mosquitto stopped while an hour's network traffic goes
//     on (visits everywhere, its own member visiting elsewhere, visitors at its door, a visa
//     issued and one revoked at a); with its link back it catches up;
//  5. zero lost, zero duplicated: the visit records stored at the visited ends and at the home
//     ends are each exactly the set of visits the taps made (one row each), and every visit was
//     on the network broker (a spy counts its deliveries there).
// The test prints its figures (sites, taps, network events, times to converge).
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import Database from 'better-sqlite3';
import { MqttClient } from 'mqtt';
import { ROOT, logMsg, startProcess, type LogLine, type ManagedProcess } from '../../scripts/lib/proc.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { makeTestCerts } from '../helpers/tls-certs.ts';
import { eventually } from '../helpers/stack.ts';
import { MOSQUITTO } from '../helpers/mosquitto.ts';
import { serverProcess, type ServerProcess } from '../helpers/server-process.ts';
import { addNamespace, call, forward, inNs, ip, link, removeNamespaces } from '../helpers/netns.ts';
import { writeMosquittoConfig } from '../../scripts/mosquitto-config.ts';
import { networkBrokerFiles } from '../../scripts/lib/mosquitto-config.ts';
import { newSecret } from '../../config/load.ts';
import { newSigningKeyPair } from '../../contracts/signing.ts';
import { DB_FILE } from '../../services/db/store.ts';
import type { NetworkOverview, NetworkReport } from '../../contracts/api/network.ts';

const N = Number(process.env.SMARTSPACE_NET_SITES ?? 10);
if (!Number.isInteger(N) || N < 2 || N > 50) throw new Error(`SMARTSPACE_NET_SITES: ${process.env.SMARTSPACE_NET_SITES} is not a number of sites from 2 to 50`);
const tag = `${process.pid % 10_000}`;
const NS_NET = `ssn-net-${tag}`;
const NET_ID = 'vest';
const NET_PORT = 8883;
const SIM_PORT = 8090;
const GW = 'gw-main';
const CARD = '0400445566'; // Lars, a member of site a
/** The spy's plain listener on the network broker's loopback (its namespace only). */
const SPY_PORT = 1885;
const octet = process.pid % 200;
const ids = Array.from({ length: N }, (_, i) => String.fromCharCode(97 + i));
/** Site i's network member (nm-<id>) and its member who joins the network later (nm2-<id>): cards no other site has. */
const visitorCard = (i: number) => `05${(i + 1).toString(16).padStart(2, '0')}AA0001`;
const laterCard = (i: number) => `05${(i + 1).toString(16).padStart(2, '0')}AA0002`;

interface NetSite {
  id: string;
  ns: string;
  /** The site's end of its uplink. */
  dev: string;
  /** The network broker's address on this site's link. */
  brokerIp: string;
  site: TestSite;
  api: string;
  sim: string;
  mosquitto: ServerProcess;
  services: ManagedProcess;
  gateway: ManagedProcess;
  decisions: { decision: string; reason: string; member?: string }[];
  db: string;
}

function mosquittoIn(ns: string, conf: string, name: string): ServerProcess {
  return serverProcess({
    name,
    command: 'ip',
    args: [...inNs(ns).slice(1), MOSQUITTO, '-c', conf],
    ready: (line) => line !== null && /mosquitto version \S+ running/.test(line),
    readyTimeoutMs: 15_000,
    stopGraceMs: 5000,
    pollMs: 20,
  });
}

describe(`a network of ${N} spaces in network namespaces, bridged over TLS`, () => {
  const sites: NetSite[] = [];
  const procs: ManagedProcess[] = [];
  const servers: ServerProcess[] = [];
  const forwards: ChildProcess[] = [];
  const namespaces = [NS_NET, ...ids.map((id) => `ssn-${id}-${tag}`)];
  let certDir = '';

  let spy: MqttClient | undefined;
  /** Visit reports seen on the network broker, by visit id (how often each was delivered there). */
  const onTheWire = new Map<string, number>();
  let taps = 0;
  let spyError: Error | undefined;

  const tap = async (s: NetSite, uid = CARD) => {
    const n = s.decisions.length;
    taps++;
    const r = await call(s.sim, '/sim/tap', { body: { reader: 'front-reader', uid } });
    expect(r.status).toBeLessThan(300);
    return eventually(() => s.decisions[n], 30_000, `the door decision at ${s.id}`);
  };

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/node/services/main.js'))) throw new Error('dist/node is missing: run npm run build:node first');
    removeNamespaces(namespaces);
    for (const ns of namespaces) addNamespace(ns);
    const keys = ids.map(() => newSigningKeyPair());
    const passwords = Object.fromEntries(ids.map((id) => [id, newSecret()]));
    const netKey = newSecret();
    const links = ids.map((id, i) => ({
      id,
      ns: `ssn-${id}-${tag}`,
      dev: `sn${tag}${id}`,
      brokerIp: `10.${100 + i}.${octet}.1`,
      siteIp: `10.${100 + i}.${octet}.2`,
    }));
    for (const l of links) link({ ns: NS_NET, dev: `nb${tag}${l.id}`, addr: `${l.brokerIp}/24` }, { ns: l.ns, dev: l.dev, addr: `${l.siteIp}/24` });

    // The network broker: one certificate for its address on every site's link.
    certDir = mkdtempSync(join(tmpdir(), 'smartspace-network-broker-'));
    makeTestCerts(certDir, { ips: links.map((l) => l.brokerIp), dns: [] });
    // The spy logs in as one more "site" (it publishes nothing): read access to every site's subtree.
    const spyPassword = newSecret();
    const netFiles = networkBrokerFiles(
      { id: NET_ID, sites: [...ids, 'spy'].map((id) => ({ id })) },
      { ...passwords, spy: spyPassword },
      {
        dir: certDir,
        port: NET_PORT,
        bind: '0.0.0.0',
        user: process.getuid?.() === 0 ? 'root' : undefined,
        tls: { certfile: join(certDir, 'server.pem'), keyfile: join(certDir, 'server-key.pem') },
      },
    );
    for (const [name, text] of Object.entries(netFiles)) writeFileSync(join(certDir, name), text, { mode: 0o600 });
    // Its persistence folder (the generated config points there; Mosquitto does not make it).
    mkdirSync(join(certDir, 'data'));
    if (process.env.NETDEBUG) writeFileSync(join(certDir, 'mosquitto.conf'), readFileSync(join(certDir, 'mosquitto.conf'), 'utf8') + '\nlog_type all\n');
    // The spy's listener: plain MQTT on the network namespace's loopback, the same logins and ACL.
    appendFileSync(
      join(certDir, 'mosquitto.conf'),
      `\nlistener ${SPY_PORT} 127.0.0.1\nallow_anonymous false\npassword_file ${join(certDir, 'passwd')}\nacl_file ${join(certDir, 'acl')}\n`,
    );
    const netBroker = mosquittoIn(NS_NET, join(certDir, 'mosquitto.conf'), 'network broker');
    servers.push(netBroker);
    await netBroker.start();
    const spySock = join(certDir, 'spy.sock');
    forwards.push(forward(NS_NET, spySock, SPY_PORT));
    await eventually(() => existsSync(spySock), 10_000, 'the spy socket');
    spy = new MqttClient(() => netConnect(spySock), {
      protocolVersion: 4,
      clientId: 'site.spy',
      username: 'site.spy',
      password: spyPassword,
      clean: true,
      reconnectPeriod: 500,
    });
    spy.on('message', (topic) => {
      const id = topic.split('/').at(-1)!;
      onTheWire.set(id, (onTheWire.get(id) ?? 0) + 1);
    });
    spy.on('error', (err) => (spyError = err));
    await eventually(() => (spy!.connected ? true : undefined), 15_000, 'the spy on the network broker');
    await spy.subscribeAsync(`net/${NET_ID}/site/+/visit/+`, { qos: 1 });

    const network = (id: string, l: (typeof links)[number]) => ({
      id: NET_ID,
      site: id,
      broker: { url: `mqtts://${l.brokerIp}:${NET_PORT}`, ca: join(certDir, 'ca.pem') },
      sites: ids.map((s, j) => ({ id: s, name: `Space ${s}`, publicKey: keys[j]!.publicKey })),
      share: { visiting: true, summaries: true, usageCounts: true },
      // Counts go out again within 30 s of a change (the shortest), so the report check below converges.
      usageEveryS: 30,
      // Mette, a's host, coordinates: a's report holds every site's shared counts.
      coordinators: id === ids[0] ? ['mette@kystkontor.dk'] : [],
      visiting: { daysPerMonth: 2, doors: ['front'], offline: true },
    });

    for (const [i, l] of links.entries()) {
      const site = await makeTestSite(
        (raw) => {
          raw.network = network(l.id, l);
          // Lars is a network member of a; no other site has his card. Each site has its own
          // network member (nm-<id>) and a member who joins the network later (nm2-<id>).
          const seed = parse(readFileSync(raw.services.seed as string, 'utf8')) as { members: Record<string, unknown>[] };
          seed.members = i === 0 ? seed.members.map((m) => (m.id === 'lars' ? { ...m, networkMember: true } : m)) : seed.members.filter((m) => m.id !== 'lars');
          const member = (id: string, card: string, networkMember: boolean) => ({
            id,
            name: `Gæst ${id}`,
            email: `${id}@${l.id}.example.dk`,
            role: 'member',
            plan: 'resident',
            presenceOptIn: false,
            networkMember,
            cards: [card],
          });
          seed.members.push(member(`nm-${l.id}`, visitorCard(i), true), member(`nm2-${l.id}`, laterCard(i), false));
          writeFileSync(raw.services.seed as string, stringify(seed));
        },
        { externalBroker: true, secrets: { network: { key: netKey, mqttPassword: passwords[l.id], signingKey: keys[i]!.privateKey } } },
      );
      const env = { SMARTSPACE_SECRETS_FILE: site.secretsPath };
      const { conf } = writeMosquittoConfig(site.configPath, { user: process.getuid?.() === 0 ? 'root' : undefined, dir: join(site.dir, 'mosquitto') }, env);
      if (process.env.NETDEBUG) writeFileSync(conf, readFileSync(conf, 'utf8') + '\nlog_type all\n');
      const mosquitto = mosquittoIn(l.ns, conf, `mosquitto ${l.id}`);
      servers.push(mosquitto);
      await mosquitto.start();
      const db = join(site.config.services.dataDir, DB_FILE);
      const s: Partial<NetSite> = { id: l.id, ns: l.ns, dev: l.dev, brokerIp: l.brokerIp, site, mosquitto, decisions: [], db };
      s.api = join(site.dir, 'api.sock');
      s.sim = join(site.dir, 'sim.sock');
      forwards.push(forward(l.ns, s.api, site.httpPort), forward(l.ns, s.sim, SIM_PORT));
      const start = (name: string, entry: string, args: string[], onLine?: (line: LogLine) => void) => {
        const p = startProcess(name, entry, args, { compiled: true, prefix: inNs(l.ns), env, ...(onLine ? { onLine } : {}) });
        procs.push(p);
        return p;
      };
      s.services = start(`services ${l.id}`, 'services/main.ts', ['--config', site.configPath]);
      s.gateway = start(
        `gateway ${l.id}`,
        'gateway/main.ts',
        ['--config', site.configPath, '--gateway', GW, '--sim-control', `127.0.0.1:${SIM_PORT}`],
        (line) => {
          if (line.json?.msg === 'access decision') s.decisions!.push(line.json as NetSite['decisions'][number]);
        },
      );
      sites.push(s as NetSite);
    }
    for (const s of sites) {
      await s.services.waitForLog(logMsg('services ready'), 90_000);
      await s.gateway.waitForLog(logMsg('gateway ready'), 90_000);
    }
  }, 300_000);

  afterAll(async () => {
    spy?.end(true);
    for (const p of procs.reverse()) await p.stop();
    for (const srv of servers.reverse()) await srv.stop();
    for (const f of forwards) f.kill();
    removeNamespaces(namespaces);
    for (const s of sites) s.site.cleanup();
    if (certDir) rmSync(certDir, { recursive: true, force: true });
  });

  /** What each site's services said about the network and what its Mosquitto said: for a failure. */
  const diagnosis = () =>
    sites
      .map((s) =>
        [
          `--- site ${s.id}: services`,
          ...s.services.lines
            .filter((l) => /visa|visit|network|access list|mqtt/.test(typeof l.json?.msg === 'string' ? l.json.msg : l.text))
            .map((l) => l.text.slice(0, 300)),
          `--- site ${s.id}: mosquitto`,
          s.mosquitto.output().split('\n').slice(-25).join('\n'),
        ].join('\n'),
      )
      .join('\n') + `\n--- network broker\n${servers[0]?.output().split('\n').slice(-25).join('\n')}`;

  it(
    'admits network members at other sites, offline too, revokes everywhere, and a site an hour down catches up with nothing lost or twice',
    { timeout: 900_000 },
    async () => {
      try {
        await walk();
      } catch (err) {
        throw new Error(`${(err as Error).message}\n${diagnosis()}`, { cause: err });
      }
    },
  );

  /** The visits the taps made: `<visited site>|<grant>` (a grant's visit day at a site, once a day). */
  const expected = new Set<string>();
  /** Taps a card at s's door; a grant on a visa (not the site's own member) is a visit. */
  const visit = async (s: NetSite, uid: string) => {
    const d = await tap(s, uid);
    if (d.decision === 'granted' && d.member?.startsWith('v.')) expected.add(`${s.id}|${d.member}`);
    return d;
  };
  const admitted = (s: NetSite, uid: string, what: string, ms = 90_000) =>
    eventually(async () => ((await visit(s, uid)).decision === 'granted' ? s.decisions.at(-1) : undefined), ms, what);
  const refused = (s: NetSite, uid: string, what: string, ms = 90_000) =>
    eventually(async () => ((await tap(s, uid)).reason === 'unknown-credential' ? true : undefined), ms, what);
  const cut = (s: NetSite) => ip('-n', s.ns, 'link', 'set', s.dev, 'down');
  const restore = (s: NetSite) => ip('-n', s.ns, 'link', 'set', s.dev, 'up');

  /** The visit records a site stored: those made at its door, and those of its members elsewhere. */
  const stored = (s: NetSite) => {
    const db = new Database(s.db, { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare('SELECT id, grant_id AS "grant", home, site FROM net_visits ORDER BY id').all() as {
        id: string;
        grant: string;
        home: string;
        site: string;
      }[];
      const visas = (db.prepare('SELECT COUNT(*) AS n FROM net_visas WHERE home <> ?').get(s.id) as { n: number }).n;
      return {
        visited: rows.filter((r) => r.site === s.id).map((r) => `${r.site}|${r.grant}`),
        home: rows.filter((r) => r.home === s.id && r.site !== s.id).map((r) => `${r.site}|${r.grant}`),
        ids: rows.map((r) => r.id),
        visas,
      };
    } finally {
      db.close();
    }
  };
  /** Every visit made is stored once at the door's site and once at home: no row missing, none extra. */
  const converged = () => {
    const all = sites.map(stored);
    const want = [...expected].sort();
    const visited = all.flatMap((x) => x.visited).sort();
    const home = all.flatMap((x) => x.home).sort();
    return JSON.stringify(visited) === JSON.stringify(want) && JSON.stringify(home) === JSON.stringify(want) ? all : undefined;
  };

  /** What is missing or extra at each end, for a failure. */
  const gap = () => {
    const all = sites.map(stored);
    const diff = (got: string[]) => ({
      missing: [...expected].filter((k) => !got.includes(k)),
      extra: got.filter((k, i) => !expected.has(k) || got.indexOf(k) !== i),
    });
    return JSON.stringify({ visited: diff(all.flatMap((x) => x.visited)), home: diff(all.flatMap((x) => x.home)) });
  };
  const convergedOrGap = async (ms: number, what: string) => {
    try {
      return await eventually(converged, ms, what);
    } catch (err) {
      throw new Error(`${(err as Error).message}: ${gap()}`, { cause: err });
    }
  };

  const walk = async () => {
    const t0 = Date.now();
    const secs = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
    const figures: string[] = [];
    const [a, b] = sites as [NetSite, NetSite];
    const z = sites.at(-1)!;
    const others = (s: NetSite, k: number) => sites[(sites.indexOf(s) + k) % N]!;
    const home = (s: NetSite) => sites.indexOf(s);

    // 1. Online. Every other site hears a's visa through the bridges and admits Lars (polled: the
    // visa and then the access list are on their way); the grant id, not Lars, is named there.
    for (const s of sites.slice(1)) expect((await admitted(s, CARD, `Lars admitted at ${s.id}`))?.member).toMatch(/^v\.a\./);
    // Each site admits its neighbour's network member.
    for (const s of sites) {
      const h = others(s, 1);
      expect((await admitted(s, visitorCard(home(h)), `nm-${h.id} admitted at ${s.id}`))?.member).toMatch(new RegExp(`^v\\.${h.id}\\.`));
    }
    // Every site holds every other site's visas (a has two: Lars's and nm-a's).
    await eventually(() => sites.every((s) => stored(s).visas === N - 1 + (s === a ? 0 : 1)), 90_000, 'every visa at every site');
    figures.push(`visas everywhere, ${N * (N - 1) + N - 1} held: ${secs(t0)} s after start`);
    // At home the visit is counted too (reported back over the network).
    await a.services.waitForLog((l) => l.json?.msg === 'visit counted at home' && l.json.site === 'b', 60_000);

    // 2. Offline at several visited sites: their uplinks cut, each admits another home's member alone.
    const offline = sites.slice(1, Math.min(4, N));
    for (const s of offline) cut(s);
    for (const s of offline) {
      const h = others(s, N > 2 ? 2 : 1);
      expect(await visit(s, visitorCard(home(h)))).toMatchObject({ decision: 'granted' });
    }
    expect(await visit(b, CARD)).toMatchObject({ decision: 'granted' });

    // 3. a revokes (Lars withdraws from the network) while b is cut off: b does not know yet.
    const login = await call(a.api, '/api/login', { body: { email: 'mette@kystkontor.dk', password: 'host-mette' } });
    expect(login.cookie).toBeDefined();
    const setNetworkMember = async (member: string, on: boolean) => {
      const r = await call(a.api, `/api/members/${member}`, { method: 'PATCH', body: { networkMember: on }, cookie: login.cookie! });
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ networkMember: on });
    };
    await setNetworkMember('lars', false);
    await a.services.waitForLog(logMsg('visa revoked'), 30_000);
    expect(await visit(b, CARD)).toMatchObject({ decision: 'granted' });
    // Links back: the queued revocation reaches b within one sync; its door refuses Lars, and so
    // does every other site's.
    const t3 = Date.now();
    for (const s of offline) restore(s);
    await b.services.waitForLog(logMsg('visa revocation received'), 120_000);
    for (const s of sites.slice(1)) await refused(s, CARD, `Lars refused at ${s.id}`);
    figures.push(`revocation refused at all ${N - 1} other sites: ${secs(t3)} s after the links came back`);
    // One revocation stored at b, however often the bridge delivered it.
    expect(b.services.lines.filter((l) => l.json?.msg === 'visa revocation received')).toHaveLength(1);
    const before = expected.size;

    // 4. z down for an hour: its Mosquitto stopped (bridge and local broker gone; its gateway
    // decides alone and keeps its door events). A cut uplink for a few seconds does not even end
    // the bridge's TCP connection (keepalive 20 s); a stopped broker does, so the network broker
    // must hold z's persistent session and queue for it. The hour's network traffic of a busy
    // network, compressed: at every other site its own visitors (z's member and the member of
    // the site before it), at z two visitors from elsewhere, then at a a member joins the network
    // (a visa issued) and nm-a withdraws (a visa revoked).
    await z.mosquitto.stop();
    const t4 = Date.now();
    for (const s of sites.filter((x) => x !== z)) {
      expect(await visit(s, visitorCard(home(z)))).toMatchObject({ decision: 'granted' });
      const prev = others(s, N - 1);
      if (prev !== z) expect(await visit(s, visitorCard(home(prev)))).toMatchObject({ decision: 'granted' });
    }
    for (const h of [others(z, 2), others(z, 3)].filter((x) => x !== z)) expect(await visit(z, visitorCard(home(h)))).toMatchObject({ decision: 'granted' });
    await setNetworkMember('nm2-a', true);
    await setNetworkMember('nm-a', false);
    // The rest of the network has it all; z does not: nm-a still admitted there, nm2-a not yet.
    for (const s of sites.filter((x) => x !== z && x !== a)) {
      await admitted(s, laterCard(0), `nm2-a admitted at ${s.id}`);
      await refused(s, visitorCard(0), `nm-a refused at ${s.id}`);
    }
    expect(await visit(z, visitorCard(0))).toMatchObject({ decision: 'granted' });
    expect(await tap(z, laterCard(0))).toMatchObject({ reason: 'unknown-credential' });
    const hour = expected.size - before;
    const downFor = secs(t4);

    // 5. z's broker back: it catches up (its own visits reported home, the others' visits to its members,
    // the new visa and the revocation), with nothing lost and nothing twice.
    const t5 = Date.now();
    await z.mosquitto.start();
    await convergedOrGap(180_000, 'every visit stored once at both ends');
    await admitted(z, laterCard(0), `nm2-a admitted at ${z.id}`);
    await refused(z, visitorCard(0), `nm-a refused at ${z.id}`);
    figures.push(
      `site ${z.id}'s broker down ${downFor} s for an hour's traffic (${hour} visits, 1 visa issued, 1 revoked): caught up ${secs(t5)} s after it started again`,
    );
    const all = await convergedOrGap(60_000, 'every visit stored once at both ends, the last one too');

    // Zero lost, zero duplicated: each end holds exactly the visits made, one row each (ids are
    // unique by the schema; the sets above equal the taps' set), each logged once where stored,
    // and each went over the network broker.
    const at = (msg: string) => sites.reduce((n, s) => n + s.services.lines.filter((l) => l.json?.msg === msg).length, 0);
    expect(all.flatMap((x) => x.visited)).toHaveLength(expected.size);
    expect(all.flatMap((x) => x.home)).toHaveLength(expected.size);
    expect(at('visit counted')).toBe(expected.size);
    expect(at('visit counted at home')).toBe(expected.size);
    const ids = all.flatMap((x) => x.ids);
    await eventually(
      () => ids.every((id) => onTheWire.has(id)),
      30_000,
      `every visit seen on the network broker${spyError ? ` (spy: ${spyError.message})` : ''}`,
    );
    const twice = [...onTheWire.values()].filter((n) => n > 1).length;

    // The network report equals the sum of the sites' own reports: each row of the coordinator's
    // report (the counts a site published, its funder report's totals, over the bridges) against
    // that site's own monthly report (its host's CSV), once the last visits' counts went out.
    const tReport = Date.now();
    const month = ((await call(a.api, '/api/network', { cookie: login.cookie! })).json as NetworkOverview).month;
    const hosts = await Promise.all(
      sites.map(async (s) => (await call(s.api, '/api/login', { body: { email: 'mette@kystkontor.dk', password: 'host-mette' } })).cookie!),
    );
    const ownTotals = () =>
      Promise.all(
        sites.map(async (s, i) => {
          const r = await call(s.api, `/api/reports/monthly.csv?month=${month}&lang=en`, { cookie: hosts[i]! });
          expect(r.status).toBe(200);
          const total = String(r.json).trim().split('\r\n').at(-1)!.split(',');
          expect(total[0]).toBe('Total');
          return { visits: Number(total[2]), entries: Number(total[3]), visitors: Number(total[4]), deskHours: Number(total[7]) };
        }),
      );
    const { report, own } = await eventually(
      async () => {
        const rep = (await call(a.api, `/api/network/report?month=${month}`, { cookie: login.cookie! })).json as NetworkReport;
        const mine = await ownTotals();
        const counts = (f: { visits: number; entries: number; visitors: number } | null) => f && [f.visits, f.entries, f.visitors];
        const same = rep.reporting === N && rep.spaces.every((row, i) => JSON.stringify(counts(row.usage)) === JSON.stringify(counts(mine[i]!)));
        return same ? { report: rep, own: mine } : undefined;
      },
      120_000,
      "the coordinator's network report, row by row, equal to each site's own report",
    );
    expect(report.spaces.map((s) => s.site)).toEqual(sites.map((s) => s.id));
    const sum = (k: 'visits' | 'entries' | 'visitors') => own.reduce((n, o) => n + o[k], 0);
    expect([report.total.visits, report.total.entries, report.total.visitors]).toEqual([sum('visits'), sum('entries'), sum('visitors')]);
    expect(sum('visits')).toBeGreaterThan(0);
    // Desk hours run on while desks are taken: the site's own figure is at most a publish interval newer.
    report.spaces.forEach((row, i) => expect(Math.abs(row.usage!.deskHours - own[i]!.deskHours)).toBeLessThanOrEqual(0.5));
    figures.push(
      `network report for ${month}: ${report.reporting} of ${N} spaces, ${report.total.visits} visits, ${report.total.entries} entries, ${report.total.visitors} members = the sum of the sites' own reports (${secs(tReport)} s to converge)`,
    );

    figures.unshift(
      `network of ${N} sites: ${taps} taps, ${expected.size} network visits stored at both ends (0 lost, 0 extra rows); ` +
        `${[...onTheWire.values()].reduce((x, y) => x + y, 0)} visit deliveries on the network broker, ${twice} redelivered (stored once)`,
    );
    figures.push(`walk: ${secs(t0)} s`);
    console.log(figures.map((f) => `  ${f}`).join('\n'));
  };
});
