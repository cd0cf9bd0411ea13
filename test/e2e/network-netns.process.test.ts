// A network of spaces on separate machines: every site a network namespace with its own
// Mosquitto, services and gateway (sim drivers), one network broker (Mosquitto) in another
// namespace, each site's broker bridged to it over TLS by the config that
// `npm run mosquitto:config` generates. The compiled processes run (`npm run build:node`).
//
// A network member of site a taps at site b's door: granted, by the visa a published. b's
// uplink is cut: still granted (b decides alone), while a revokes the visa; with the uplink back
// the revocation arrives and b's door refuses. The visit went home to a. Parameterised by the
// number of sites (SMARTSPACE_NET_SITES, default 2): the skeleton of the 10-site test.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
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

const N = Number(process.env.SMARTSPACE_NET_SITES ?? 2);
if (!Number.isInteger(N) || N < 2 || N > 50) throw new Error(`SMARTSPACE_NET_SITES: ${process.env.SMARTSPACE_NET_SITES} is not a number of sites from 2 to 50`);
const tag = `${process.pid % 10_000}`;
const NS_NET = `ssn-net-${tag}`;
const NET_ID = 'vest';
const NET_PORT = 8883;
const SIM_PORT = 8090;
const GW = 'gw-main';
const CARD = '0400445566'; // Lars, a member of site a
const octet = process.pid % 200;
const ids = Array.from({ length: N }, (_, i) => String.fromCharCode(97 + i));

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

  const tap = async (s: NetSite) => {
    const n = s.decisions.length;
    const r = await call(s.sim, '/sim/tap', { body: { reader: 'front-reader', uid: CARD } });
    expect(r.status).toBeLessThan(300);
    return eventually(() => s.decisions[n], 15_000, `the door decision at ${s.id}`);
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
    const netFiles = networkBrokerFiles({ id: NET_ID, sites: ids.map((id) => ({ id })) }, passwords, {
      dir: certDir,
      port: NET_PORT,
      bind: '0.0.0.0',
      user: process.getuid?.() === 0 ? 'root' : undefined,
      tls: { certfile: join(certDir, 'server.pem'), keyfile: join(certDir, 'server-key.pem') },
    });
    for (const [name, text] of Object.entries(netFiles)) writeFileSync(join(certDir, name), text, { mode: 0o600 });
    if (process.env.NETDEBUG) writeFileSync(join(certDir, 'mosquitto.conf'), readFileSync(join(certDir, 'mosquitto.conf'), 'utf8') + '\nlog_type all\n');
    const netBroker = mosquittoIn(NS_NET, join(certDir, 'mosquitto.conf'), 'network broker');
    servers.push(netBroker);
    await netBroker.start();

    const network = (id: string, l: (typeof links)[number]) => ({
      id: NET_ID,
      site: id,
      broker: { url: `mqtts://${l.brokerIp}:${NET_PORT}`, ca: join(certDir, 'ca.pem') },
      sites: ids.map((s, j) => ({ id: s, name: `Space ${s}`, publicKey: keys[j]!.publicKey })),
      share: { visiting: true, summaries: false, usageCounts: false },
      visiting: { daysPerMonth: 2, doors: ['front'], offline: true },
    });

    for (const [i, l] of links.entries()) {
      const site = await makeTestSite(
        (raw) => {
          raw.network = network(l.id, l);
          // Lars is a network member of a; no other site has his card.
          const seed = parse(readFileSync(raw.services.seed as string, 'utf8')) as { members: { id: string; networkMember?: boolean }[] };
          seed.members = i === 0 ? seed.members.map((m) => (m.id === 'lars' ? { ...m, networkMember: true } : m)) : seed.members.filter((m) => m.id !== 'lars');
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
      const s: Partial<NetSite> = { id: l.id, ns: l.ns, dev: l.dev, brokerIp: l.brokerIp, site, mosquitto, decisions: [] };
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

  it('admits a member of a at every other site, offline too, and refuses after a revokes', { timeout: 400_000 }, async () => {
    try {
      await walk();
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${diagnosis()}`, { cause: err });
    }
  });

  const walk = async () => {
    const [a, b] = sites as [NetSite, NetSite];
    // Every other site hears a's visa through the bridges and admits Lars (polled: the visa and
    // then the access list are on their way). The grant id, not Lars, is named there.
    for (const s of sites.slice(1)) {
      const d = await eventually(async () => ((await tap(s)).decision === 'granted' ? s.decisions.at(-1) : undefined), 40_000, `Lars admitted at ${s.id}`);
      expect(d?.member).toMatch(/^v\.a\./);
    }
    // At home the visit is counted too (reported back over the network).
    await a.services.waitForLog((l) => l.json?.msg === 'visit counted at home' && l.json.site === 'b', 60_000);

    // b's uplink cut: b's door still decides alone.
    ip('-n', b.ns, 'link', 'set', b.dev, 'down');
    expect(await tap(b)).toMatchObject({ decision: 'granted' });

    // a revokes (Lars withdraws from the network) while b is cut off: b does not know yet.
    const login = await call(a.api, '/api/login', { body: { email: 'mette@kystkontor.dk', password: 'host-mette' } });
    expect(login.cookie).toBeDefined();
    const r = await call(a.api, '/api/members/lars', { method: 'PATCH', body: { networkMember: false }, cookie: login.cookie! });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ networkMember: false });
    await a.services.waitForLog(logMsg('visa revoked'), 30_000);
    expect(await tap(b)).toMatchObject({ decision: 'granted' });

    // Uplink back: the queued revocation reaches b within one sync; its door refuses Lars.
    ip('-n', b.ns, 'link', 'set', b.dev, 'up');
    await b.services.waitForLog(logMsg('visa revocation received'), 120_000);
    await eventually(async () => ((await tap(b)).reason === 'unknown-credential' ? true : undefined), 60_000, 'Lars refused at b');
    // Every other site too.
    for (const s of sites.slice(2))
      await eventually(async () => ((await tap(s)).reason === 'unknown-credential' ? true : undefined), 60_000, `refused at ${s.id}`);
    // One revocation stored at b, however often the bridge delivered it.
    expect(b.services.lines.filter((l) => l.json?.msg === 'visa revocation received')).toHaveLength(1);
  };
});
