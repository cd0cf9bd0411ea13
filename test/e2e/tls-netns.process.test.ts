// A gateway on another machine than the services, over MQTT with TLS: two network namespaces
// joined by a veth pair, the services (embedded broker with its TLS listener on the veth address)
// in one, the gateway in the other, both the compiled processes (`npm run build:node`). A
// private CA made with openssl signs the broker's certificate for the veth address.
//
// A tap reaches the services over mqtts; with the link cut the gateway decides alone and keeps
// the event in its outbox; with the link back the event arrives. A gateway that does not trust
// the CA is refused: one clear line on each side, no crash.
//
// The test talks to each namespace's loopback through a unix socket (socat): the file system is
// shared across network namespaces. It needs root and `ip netns`; without them it fails, it does
// not skip.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ROOT, logMsg, startProcess, type LogLine, type ManagedProcess } from '../../scripts/lib/proc.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { makeTestCerts, type TestCerts } from '../helpers/tls-certs.ts';
import { eventually } from '../helpers/stack.ts';
import type { EventPage, Health } from '../../contracts/api/index.ts';
import { addNamespace, call, forward, inNs, ip, link, removeNamespaces } from '../helpers/netns.ts';

// Unique per run: interface names stay within 15 characters, the subnet differs between runs.
const tag = `${process.pid % 100_000}`;
const NS_SERVICES = `ss-svc-${tag}`;
const NS_GATEWAY = `ss-gw-${tag}`;
const VETH_SERVICES = `ssv${tag}`;
const VETH_GATEWAY = `ssg${tag}`;
const NET = `10.99.${process.pid % 250}`;
const SERVICES_IP = `${NET}.1`;
const GATEWAY_IP = `${NET}.2`;
const MQTTS_PORT = 8883;
const SIM_PORT = 8090;
const GW = 'gw-main';

/** Creates both namespaces and the link; throws with a reason when this machine cannot. */
function makeNetwork(): void {
  addNamespace(NS_SERVICES);
  addNamespace(NS_GATEWAY);
  link({ ns: NS_SERVICES, dev: VETH_SERVICES, addr: `${SERVICES_IP}/24` }, { ns: NS_GATEWAY, dev: VETH_GATEWAY, addr: `${GATEWAY_IP}/24` });
}

const removeNetwork = () => removeNamespaces([NS_SERVICES, NS_GATEWAY]);
const bridge = forward;

describe('a gateway in another network namespace, over MQTT with TLS', () => {
  let site: TestSite;
  let certs: TestCerts;
  const procs: ManagedProcess[] = [];
  const bridges: ChildProcess[] = [];
  let apiSock: string;
  let simSock: string;
  let services: ManagedProcess;
  let gateway: ManagedProcess;
  let cookie: string;

  const start = async (name: string, ns: string, entry: string, args: string[], ready: string) => {
    const p = startProcess(name, entry, args, { compiled: true, prefix: inNs(ns), env: { SMARTSPACE_SECRETS_FILE: site.secretsPath } });
    procs.push(p);
    await p.waitForLog(logMsg(ready), 60_000);
    return p;
  };
  const events = async (since: number) => {
    const page = (await call(apiSock, '/api/events?limit=50', { cookie })).json as EventPage;
    return page.items.filter((e) => e.ts >= since && e.type === 'access' && e.door === 'front');
  };
  const tap = () => call(simSock, '/sim/tap', { body: { reader: 'front-reader', uid: '0400445566' } });
  const lockOpen = async () => ((await call(simSock, '/sim/state')).json as { locks: Record<string, { unlocked: boolean }> }).locks['front-lock']?.unlocked;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/node/services/main.js'))) throw new Error('dist/node is missing: run npm run build:node first');
    removeNetwork();
    makeNetwork();
    site = await makeTestSite((raw) => {
      raw.broker.url = `mqtts://${SERVICES_IP}:${MQTTS_PORT}`;
      raw.broker.ca = 'certs/ca.pem';
      raw.services.mqtt.host = '127.0.0.1';
      raw.services.mqtt.tls = { host: SERVICES_IP, port: MQTTS_PORT, cert: 'certs/server.pem', key: 'certs/server-key.pem' };
    });
    execFileSync('mkdir', ['-p', join(site.dir, 'certs')]);
    certs = makeTestCerts(join(site.dir, 'certs'), { ips: [SERVICES_IP], dns: [] });
    apiSock = join(site.dir, 'api.sock');
    simSock = join(site.dir, 'sim.sock');
    bridges.push(bridge(NS_SERVICES, apiSock, site.httpPort), bridge(NS_GATEWAY, simSock, SIM_PORT));
    services = await start('services', NS_SERVICES, 'services/main.ts', ['--config', site.configPath], 'services ready');
    cookie = await eventually(
      async () => (await call(apiSock, '/api/login', { body: { email: 'mette@kystkontor.dk', password: 'host-mette' } })).cookie,
      10_000,
      'a login',
    );
  }, 120_000);

  afterAll(async () => {
    for (const p of procs.reverse()) await p.stop();
    for (const b of bridges) b.kill();
    removeNetwork();
    site?.cleanup();
  });

  it('refuses a gateway that does not trust the CA, with a clear line and no crash', { timeout: 90_000 }, async () => {
    // The same site, but the gateway trusts another CA (and keeps its data elsewhere).
    const raw = parse(readFileSync(site.configPath, 'utf8')) as { broker: { ca: string }; gateways: { id: string; dataDir: string }[] };
    raw.broker.ca = certs.otherCa;
    raw.gateways[0]!.dataDir = join(site.dir, 'gw-untrusting');
    const other = join(site.dir, 'untrusting.yaml');
    writeFileSync(other, stringify(raw));
    const p = startProcess('untrusting gateway', 'gateway/main.ts', ['--config', other, '--gateway', GW, '--sim-control', `127.0.0.1:${SIM_PORT + 1}`], {
      compiled: true,
      prefix: inNs(NS_GATEWAY),
      env: { SMARTSPACE_SECRETS_FILE: site.secretsPath },
    });
    procs.push(p);
    const said = await p.waitForLog((l: LogLine) => typeof l.json?.msg === 'string' && l.json.msg.includes('TLS certificate is not trusted'), 60_000);
    expect(said.json).toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', ca: certs.otherCa });
    const refused = await services.waitForLog(logMsg('mqtt tls handshake failed'), 30_000);
    expect(refused.json?.remote).toContain(GATEWAY_IP);
    // Still running, still a gateway: it stops cleanly when asked.
    expect(p.child.exitCode).toBeNull();
    await p.stop();
    expect((await p.exited).code).toBe(0);
    expect(((await call(apiSock, '/api/health', { token: site.secrets.automationToken })).json as Health).gateways.find((g) => g.id === GW)?.online).toBe(
      false,
    );
  });

  it('carries a tap over mqtts, holds it in the outbox while the link is cut, and delivers it after', { timeout: 240_000 }, async () => {
    gateway = await start(
      GW,
      NS_GATEWAY,
      'gateway/main.ts',
      ['--config', site.configPath, '--gateway', GW, '--sim-control', `127.0.0.1:${SIM_PORT}`],
      'gateway ready',
    );
    await eventually(
      async () => {
        const g = ((await call(apiSock, '/api/health', { token: site.secrets.automationToken })).json as Health).gateways.find((x) => x.id === GW);
        return g?.online && (g.aclVersion ?? 0) > 0;
      },
      30_000,
      'the gateway online over mqtts with an access list',
    );

    // Linked: the tap is stored by the services.
    const t1 = Date.now();
    await tap();
    expect(await lockOpen()).toBe(true);
    const online = await eventually(async () => (await events(t1))[0], 15_000, 'the first tap at the services');
    expect(online).toMatchObject({ decision: 'granted', offline: false, memberName: 'Lars Vestergaard' });

    // Cut: the gateway notices (keepalive), then decides alone; the event waits in its outbox.
    ip('-n', NS_GATEWAY, 'link', 'set', VETH_GATEWAY, 'down');
    await gateway.waitForLog(logMsg('mqtt disconnected'), 90_000);
    const t2 = Date.now();
    await tap();
    expect(await lockOpen()).toBe(true);
    expect(await events(t2)).toEqual([]);

    // Restored: the gateway reconnects (its backoff has grown, up to 5 s) and the event arrives once.
    ip('-n', NS_GATEWAY, 'link', 'set', VETH_GATEWAY, 'up');
    const delivered = await eventually(async () => (await events(t2))[0], 90_000, 'the held tap after the link is back');
    expect(delivered).toMatchObject({ decision: 'granted', offline: true, memberName: 'Lars Vestergaard' });
    const connected = gateway.lines.filter((l) => l.json?.msg === 'mqtt connected');
    expect(connected.at(-1)?.json?.url).toBe(`mqtts://${SERVICES_IP}:${MQTTS_PORT}`);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await events(t2)).toHaveLength(1);
  });
});
