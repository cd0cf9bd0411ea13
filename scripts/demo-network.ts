// `npm run demo:network`: two demo spaces in one network of spaces (issue 18), on this machine.
// Klitmøller Kontor and Hanstholm Havn each run their own Mosquitto, services, gateway with
// simulated hardware and demo-day simulator; one network broker (Mosquitto, TLS with a demo CA)
// joins them. Each site's Mosquitto bridges to the network broker through a loopback TCP relay
// that this process holds, so that a site's "internet" can be cut and restored from the keyboard:
//   tap <site> <member|uid>   a card at that site's front reader (e.g. `tap hanstholm lars`)
//   cut <site> / restore <site> / help
// The same from another terminal: `npm run demo:network -- cut hanstholm` (loopback control port).
// Lars, a network member of Klitmøller, also taps at Hanstholm's front door every 30 s.
// Everything generated (configs, secrets, keys, the CA, data) lives in data/demo-network/
// (git-ignored; delete it to start over). Supervised like `npm start`; Ctrl-C stops it all.
//
// Environment (for tests): SMARTSPACE_DEMO_NET_DIR (data folder), SMARTSPACE_DEMO_NET_PORT (first
// of the ports, default 18900), SMARTSPACE_DEMO_NET_VISITOR_S (seconds between the scripted
// visitor's taps, 0: none).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { parse, stringify } from 'yaml';
import { ConfigError, ensureSecretsFile, loadSiteConfig, newSecret } from '../config/load.ts';
import { newSigningKeyPair } from '../contracts/signing.ts';
import { logMsg, ROOT, startCommand, startProcess, type LogLine } from './lib/proc.ts';
import { buildDemo } from './lib/build-if-stale.ts';
import { runSupervised } from './lib/supervisor.ts';
import { printSupervisorEvents } from './lib/supervisor-log.ts';
import { formatLogLine } from './lib/log-format.ts';
import { runtimeLine, unsupportedReason } from './lib/node-runtime.ts';
import { networkBrokerFiles } from './lib/mosquitto-config.ts';
import { makeCa, makeServerCert } from './lib/tls-certs.ts';
import { writeMosquittoConfig } from './mosquitto-config.ts';
import { SimClient } from '../gateway/sim/sim-client.ts';

const DIR = process.env.SMARTSPACE_DEMO_NET_DIR ?? join(ROOT, 'data/demo-network');
const BASE = Number(process.env.SMARTSPACE_DEMO_NET_PORT ?? 18900);
const VISITOR_S = Number(process.env.SMARTSPACE_DEMO_NET_VISITOR_S ?? 30);
const NETWORK = 'vestkyst';
const GW = 'gw-main';
const VISITOR = { home: 'klitmoller', at: 'hanstholm', member: 'lars' };
const COORDINATOR = { site: 'klitmoller', email: 'mette@kystkontor.dk' };

interface DemoSite {
  id: string;
  name: string;
  /** The seed the site starts from; written into the data folder as the site's members.yaml. */
  seed: string;
  /** Host in the dashboard URL: 127.0.0.1 and localhost keep the two sites' login cookies apart. */
  host: string;
  edit?: (seed: RawSeed) => void;
}

/** The parts of config/demo/site.yaml and of a members file that the demo changes. */
type RawSite = Record<string, unknown> & {
  site: { id: string; name: string };
  broker: unknown;
  services: { http: Record<string, unknown>; mqtt: Record<string, unknown>; dataDir: string; seed: string };
  gateways: { id: string; dataDir: string }[];
  network?: unknown;
};
type RawSeed = Record<string, unknown> & { members: { id: string; email: string; role: string; cards?: string[]; networkMember?: boolean }[] };

const SITES: DemoSite[] = [
  {
    id: 'klitmoller',
    name: 'Klitmøller Kontor',
    seed: join(ROOT, 'config/demo/members.yaml'),
    host: '127.0.0.1',
    // Lars agreed to be a network member: his card may open other spaces' doors.
    edit: (seed) => {
      for (const m of seed.members) if (m.id === VISITOR.member) m.networkMember = true;
    },
  },
  { id: 'hanstholm', name: 'Hanstholm Havn', seed: join(ROOT, 'config/demo-network/hanstholm-members.yaml'), host: 'localhost' },
];

/** Ports: the network broker at BASE, the control port at BASE + 5; site i at BASE + 10·(i+1) + 0 http, 1 Mosquitto, 2 sim control, 3 relay, 4 (unused) services.mqtt. */
const ports = (i: number) => {
  const b = BASE + 10 * (i + 1);
  return { http: b, mqtt: b + 1, sim: b + 2, relay: b + 3, aedes: b + 4 };
};

const asRoot = process.getuid?.() === 0;
const print = (l: LogLine) => console.log(formatLogLine(l));
const say = (msg: string, fields: Record<string, unknown> = {}, level = 30) => {
  const json = { level, time: Date.now(), msg, ...fields };
  print({ proc: 'network', stream: 'stdout', text: JSON.stringify(json), json });
  return msg;
};
/** Where `npm run demo:network -- <command>` reaches the running demo. */
const CONTROL_PORT = BASE + 5;

/** Debian's mosquitto; installed with apt-get when missing and this user may (as `npm test` does). */
function mosquittoPath(): string {
  const find = () =>
    [process.env.MOSQUITTO_PATH, '/usr/sbin/mosquitto', ...(process.env.PATH ?? '').split(':').map((d) => join(d, 'mosquitto'))].find(
      (p): p is string => !!p && existsSync(p),
    );
  const found = find();
  if (found) return found;
  const sudo = asRoot ? [] : ['sudo'];
  const how = 'install Mosquitto 2.0 (Debian/Ubuntu: sudo apt-get install mosquitto), or set MOSQUITTO_PATH';
  if (!existsSync('/usr/bin/apt-get') || (!asRoot && spawnSync('sh', ['-c', 'command -v sudo']).status !== 0)) throw new Error(`mosquitto not found: ${how}`);
  console.log('installing Mosquitto (the Debian package mosquitto)…');
  const run = (args: string[]) =>
    spawnSync(sudo[0] ?? args[0]!, sudo.length ? args : args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'mosquitto']);
  const now = find();
  if (!now) throw new Error(`mosquitto not found after apt-get: ${how}`);
  return now;
}

interface Keys {
  key: string;
  sites: Record<string, { mqttPassword: string; publicKey: string; signingKey: string }>;
}

/** The network's secrets, made on first run: its key, each site's network broker login and Ed25519 key pair. */
function networkKeys(dir: string): Keys {
  const path = join(dir, 'keys.yaml');
  const keys: Keys = existsSync(path) ? (parse(readFileSync(path, 'utf8')) as Keys) : { key: newSecret(), sites: {} };
  for (const s of SITES) {
    if (keys.sites[s.id]) continue;
    const { publicKey, privateKey } = newSigningKeyPair();
    keys.sites[s.id] = { mqttPassword: newSecret(), publicKey, signingKey: privateKey };
  }
  writeFileSync(path, `# Generated by npm run demo:network. Keep private; never commit.\n${stringify(keys)}`, { mode: 0o600 });
  return keys;
}

/** The network broker's folder: the demo CA (first run), its certificate for 127.0.0.1, config, logins, ACL. */
function networkBroker(dir: string, keys: Keys): string {
  if (!existsSync(join(dir, 'ca.pem'))) {
    makeCa(dir, 'ca', 3650);
    makeServerCert(dir, { ips: ['127.0.0.1'], dns: ['localhost'], days: 3650, cn: 'smartspace demo network broker' });
  }
  const files = networkBrokerFiles({ id: NETWORK, sites: SITES }, Object.fromEntries(SITES.map((s) => [s.id, keys.sites[s.id]!.mqttPassword])), {
    dir,
    port: BASE,
    bind: '127.0.0.1',
    ...(asRoot ? { user: 'root' } : {}),
    tls: { certfile: join(dir, 'server.pem'), keyfile: join(dir, 'server-key.pem') },
  });
  mkdirSync(join(dir, 'data'), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text, { mode: 0o600 });
    chmodSync(join(dir, name), 0o600);
  }
  return join(dir, 'mosquitto.conf');
}

/** A site's folder: site.yaml (the demo site, its own ports, Mosquitto, the network block), members.yaml, secrets.yaml, Mosquitto's config. */
function siteFolder(s: DemoSite, i: number, keys: Keys, ca: string): { configPath: string; secretsPath: string; mosquittoConf: string } {
  const dir = join(DIR, s.id);
  mkdirSync(dir, { recursive: true });
  const p = ports(i);
  const raw = parse(readFileSync(join(ROOT, 'config/demo/site.yaml'), 'utf8')) as RawSite;
  raw.site.id = s.id;
  raw.site.name = s.name;
  raw.broker = { url: `mqtt://127.0.0.1:${p.mqtt}`, external: true };
  raw.services.http = { ...raw.services.http, host: '127.0.0.1', port: p.http };
  raw.services.mqtt = { ...raw.services.mqtt, port: p.aedes };
  raw.services.dataDir = join(dir, 'services');
  raw.services.seed = join(dir, 'members.yaml');
  for (const g of raw.gateways) g.dataDir = join(dir, g.id);
  raw.network = {
    id: NETWORK,
    site: s.id,
    broker: { url: `mqtts://127.0.0.1:${p.relay}`, ca },
    sites: SITES.map((x) => ({ id: x.id, name: x.name, publicKey: keys.sites[x.id]!.publicKey })),
    share: { visiting: true, summaries: true, usageCounts: true },
    // Mette, Klitmøller's host, coordinates the network: »Netværk« on her dashboard.
    ...(s.id === COORDINATOR.site && { coordinators: [COORDINATOR.email] }),
    // Visitors: the front door, every day round the clock (the demo works at any hour), 8 days a month.
    visiting: { daysPerMonth: 8, doors: ['front'], windows: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00' }], offline: true },
  };
  const seed = parse(readFileSync(s.seed, 'utf8')) as RawSeed;
  s.edit?.(seed);
  writeFileSync(raw.services.seed, stringify(seed));
  const configPath = join(dir, 'site.yaml');
  writeFileSync(configPath, `# Generated by npm run demo:network from config/demo/site.yaml; rewritten at every start.\n${stringify(raw)}`);
  const secretsPath = join(dir, 'secrets.yaml');
  const secrets = existsSync(secretsPath) ? ((parse(readFileSync(secretsPath, 'utf8')) ?? {}) as Record<string, unknown>) : {};
  const k = keys.sites[s.id]!;
  secrets.network = { key: keys.key, mqttPassword: k.mqttPassword, signingKey: k.signingKey };
  writeFileSync(secretsPath, stringify(secrets), { mode: 0o600 });
  ensureSecretsFile(loadSiteConfig(configPath), secretsPath);
  const { conf } = writeMosquittoConfig(
    configPath,
    { dir: join(dir, 'mosquitto'), ...(asRoot ? { user: 'root' } : {}) },
    { SMARTSPACE_SECRETS_FILE: secretsPath },
  );
  return { configPath, secretsPath, mosquittoConf: conf };
}

/** A site's "internet": a loopback TCP relay from its bridge to the network broker that can be cut. */
class Uplink {
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();
  constructor(
    readonly site: string,
    readonly port: number,
  ) {}

  get up(): boolean {
    return this.#server !== null;
  }

  async open(): Promise<void> {
    if (this.#server) return;
    const server = createServer((inner) => {
      const outer = connect(BASE, '127.0.0.1');
      for (const [a, b] of [
        [inner, outer],
        [outer, inner],
      ] as const) {
        this.#sockets.add(a);
        a.pipe(b);
        a.on('error', () => b.destroy());
        a.on('close', () => (this.#sockets.delete(a), b.destroy()));
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
  }

  /** Refuses new connections and drops the open ones. */
  cut(): void {
    this.#server?.close();
    this.#server = null;
    for (const s of this.#sockets) s.destroy();
  }
}

function help(): string[] {
  return [
    '  tap <site> <member|uid>   a card at that site\'s front reader, e.g. "tap hanstholm lars" (Lars is a member of Klitmøller)',
    '  cut <site>                cut that site\'s internet: its bridge to the network broker, e.g. "cut hanstholm"',
    '  restore <site>            bring it back',
    '  help                      this list',
  ];
}

/** `npm run demo:network -- <command>`: sends one command to the running demo and prints its reply. */
function sendCommand(text: string): void {
  const sock = connect(CONTROL_PORT, '127.0.0.1');
  let reply = '';
  sock.setEncoding('utf8');
  sock.on('connect', () => sock.write(`${text}\n`));
  sock.on('data', (chunk: string) => (reply += chunk));
  sock.on('end', () => {
    process.stdout.write(reply);
    process.exit(/unknown command|expected|failed/.test(reply) ? 2 : 0);
  });
  sock.on('error', (err) => {
    console.error(`the network demo is not running here (127.0.0.1:${CONTROL_PORT}: ${err.message}); start it with npm run demo:network`);
    process.exit(1);
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length > 0) return sendCommand(args.join(' '));
  const unsupported = unsupportedReason();
  if (unsupported) {
    console.error(unsupported);
    process.exit(1);
  }
  console.log(runtimeLine());
  if (!Number.isInteger(BASE) || BASE < 1024 || BASE > 65_000)
    throw new ConfigError(`SMARTSPACE_DEMO_NET_PORT: ${BASE} is not a port from 1024 to 65000`, 'SMARTSPACE_DEMO_NET_PORT');
  const mosquitto = mosquittoPath();
  const netDir = join(DIR, 'network');
  mkdirSync(netDir, { recursive: true });
  const keys = networkKeys(netDir);
  const netConf = networkBroker(netDir, keys);
  const sites = SITES.map((s, i) => ({ ...s, ports: ports(i), ...siteFolder(s, i, keys, join(netDir, 'ca.pem')), uplink: new Uplink(s.id, ports(i).relay) }));
  buildDemo();

  const seeds = new Map(sites.map((s) => [s.id, parse(readFileSync(join(DIR, s.id, 'members.yaml'), 'utf8')) as RawSeed]));
  const card = (what: string) => {
    for (const seed of seeds.values()) {
      const m = seed.members.find((x) => x.id === what);
      if (m?.cards?.[0]) return m.cards[0];
    }
    return /^[0-9A-Fa-f]{4,32}$/.test(what) ? what.toUpperCase() : undefined;
  };
  const site = (id: string | undefined) => sites.find((s) => s.id === id);

  const onEvent = printSupervisorEvents();
  const exit = (code: number) => {
    for (const s of sites) s.uplink.cut();
    process.exit(code);
  };
  const mosquittoReady = (p: { waitForLog: (m: (l: LogLine) => boolean, t?: number) => Promise<LogLine> }) =>
    p.waitForLog((l) => /mosquitto version \S+ running/.test(l.text), 15_000);

  await runSupervised({ onEvent, exit }, async (sup) => {
    await sup.start('network-broker', () => startCommand('network-broker', mosquitto, ['-c', netConf], { onLine: print }), mosquittoReady);
    for (const s of sites) await s.uplink.open();
    await Promise.all(
      sites.map(async (s) => {
        const env = { SMARTSPACE_SECRETS_FILE: s.secretsPath };
        const name = (role: string) => `${s.id}/${role}`;
        await sup.start(name('mqtt'), () => startCommand(name('mqtt'), mosquitto, ['-c', s.mosquittoConf], { onLine: print }), mosquittoReady);
        await sup.start(
          name('services'),
          () => startProcess(name('services'), 'services/main.ts', ['--config', s.configPath], { onLine: print, compiled: true, env }),
          (p) => p.waitForLog(logMsg('services ready'), 120_000),
        );
        await sup.start(
          name('gateway'),
          () =>
            startProcess(name('gateway'), 'gateway/main.ts', ['--config', s.configPath, '--gateway', GW, '--sim-control', `127.0.0.1:${s.ports.sim}`], {
              onLine: print,
              compiled: true,
              env,
              nodeArgs: ['--max-semi-space-size=1'],
            }),
          (p) => p.waitForLog(logMsg('gateway ready'), 120_000),
        );
        await sup.start(name('sim'), () =>
          startProcess(
            name('sim'),
            'gateway/sim/demo-day.ts',
            ['--control', `http://127.0.0.1:${s.ports.sim}`, '--config', s.configPath, '--cards', join(DIR, s.id, 'members.yaml')],
            {
              onLine: print,
              compiled: true,
              env,
            },
          ),
        );
      }),
    );

    const tap = async (at: string | undefined, who: string | undefined): Promise<string> => {
      const s = site(at);
      const uid = who ? card(who) : undefined;
      if (!s || !uid) return say(`tap: expected "tap <${sites.map((x) => x.id).join('|')}> <member id or card uid>"`, {}, 40);
      say('card tapped at the front reader', { site: s.id, card: who });
      return new SimClient(`http://127.0.0.1:${s.ports.sim}`)
        .tap('front-reader', uid)
        .then(() => `tapped ${who} at ${s.id}: see the access decision in the demo's log`)
        .catch((err: unknown) => say('tap failed', { site: s.id, err: String(err) }, 40));
    };
    const command = async (text: string): Promise<string> => {
      const [verb, a, b] = text.trim().split(/\s+/);
      if (!verb) return '';
      if (verb === 'tap') return tap(a, b);
      if (verb === 'cut' || verb === 'restore') {
        const s = site(a);
        if (!s) return say(`${verb}: expected "${verb} <${sites.map((x) => x.id).join('|')}>"`, {}, 40);
        if (verb === 'cut') s.uplink.cut();
        else await s.uplink.open();
        return say(verb === 'cut' ? 'internet cut: the bridge to the network broker is down' : 'internet restored', { site: s.id });
      }
      if (verb === 'help') return help().join('\n');
      return say(`unknown command "${verb}"; try help`, {}, 40);
    };
    // terminal: false: Ctrl-C stays the terminal's SIGINT (the supervisor's clean stop).
    createInterface({ input: process.stdin, terminal: false }).on('line', (l) => {
      // Every reply but help's is in the log already.
      void command(l).then((reply) => l.trim() === 'help' && console.log(reply));
    });
    // The same commands from another terminal: one line in, the reply out (loopback only).
    const control = createServer((sock) => {
      sock.setEncoding('utf8');
      let text = '';
      let done = false;
      sock.on('error', () => undefined);
      sock.on('data', (chunk: string) => {
        text += chunk;
        if (done || (!text.includes('\n') && text.length < 200)) return;
        done = true;
        void command(text.split('\n')[0]!.slice(0, 200)).then((reply) => sock.end(`${reply}\n`));
      });
    });
    await new Promise<void>((resolve, reject) => {
      control.once('error', (err) => reject(new Error(`the demo's control port 127.0.0.1:${CONTROL_PORT}: ${err.message}`)));
      control.listen(CONTROL_PORT, '127.0.0.1', () => resolve());
    });
    if (VISITOR_S > 0) setInterval(() => void tap(VISITOR.at, VISITOR.member), VISITOR_S * 1000).unref();

    const rel = (p: string) => {
      const r = relative(process.cwd(), p);
      return r && !r.startsWith('..') ? r : p;
    };
    // Hosts, and the visitor at home (their passwords: in the seed files named below).
    const logins = (id: string) =>
      seeds
        .get(id)!
        .members.filter((m) => m.role === 'host' || (id === VISITOR.home && m.id === VISITOR.member))
        .map((m) => `${m.email} (${m.role})`)
        .join(', ');
    console.log(
      [
        '',
        `  smartspace network demo: network ${NETWORK}, two spaces`,
        ...sites.map((s) => `  ${s.name.padEnd(18)} http://${s.host}:${s.ports.http}/   ${logins(s.id)}`),
        `  passwords          ${sites.map((s) => rel(s.seed)).join(', ')}`,
        `  network broker     mqtts://127.0.0.1:${BASE} (Mosquitto, TLS with the demo CA ${rel(join(netDir, 'ca.pem'))}); each site's bridge goes through its "internet" relay (${sites.map((s) => `${s.id} 127.0.0.1:${s.ports.relay}`).join(', ')})`,
        `  data               ${rel(DIR)} (git-ignored; delete it to start over)`,
        '',
        "  Lars Vestergaard (lars@kystkontor.dk) is a network member of Klitmøller: his card opens Hanstholm Havn's front door",
        `  as a visitor${VISITOR_S > 0 ? ` (he taps there by himself every ${VISITOR_S} s)` : ''}. Watch for "access decision" from hanstholm/gateway and`,
        "  the live feed on Hanstholm's dashboard; cut Hanstholm's internet and he is still let in (its own signed list).",
        `  ${COORDINATOR.email} coordinates the network: »Netværk« on Klitmøller's dashboard shows both spaces' free desks and this month's use.`,
        '  Type a command and Enter (or, from another terminal: npm run demo:network -- cut hanstholm):',
        ...help(),
        '  Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
    say('network demo ready', { sites: sites.map((s) => s.id).join(','), demoPid: process.pid });
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `config error: ${err.message}` : err instanceof Error ? err.message : err);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
