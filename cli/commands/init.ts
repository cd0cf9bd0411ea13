// `smartspace init`: a new site. Writes site.yaml (one gateway, no doors yet: a commented example
// the host edits), secrets.yaml (0600) and the data dirs, and puts the first operator in the
// services' database. No demo data and no seed: the host adds plans and members afterwards.
import { chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensureSecretsFile, parseSiteConfig } from '../../config/load.ts';
import { parse as parseYaml } from 'yaml';
import { matches } from '../../contracts/patterns.ts';
import { ensurePrivateDir } from '../../runtime/private-files.ts';
import { hashPassword } from '../../services/auth/password.ts';
import { newMemberId, slugId } from '../../services/http/admin.ts';
import { DEFAULT_CONFIG, EXIT, UsageError, siteConfigPath, type CliCommand, type CliIO } from '../command.ts';
import { parseFlags } from '../flags.ts';
import { assertCanRunProgram, cliActor, lookupUser, openSiteStore } from '../site.ts';

const usage = `usage: smartspace init [--config <path/site.yaml>] [--data <dir>] [--site-name <name>] [--site-id <id>]
                      [--time-zone <Area/City>] [--operator-email <email>] [--operator-name <name>]
                      [--operator-password <password>] [--http-host 0.0.0.0] [--http-port 8080]
                      [--mqtt-host 127.0.0.1] [--mqtt-port 1883] [--broker-url mqtt://127.0.0.1:1883]
                      [--owner <user>] [--force]

Writes a new site: site.yaml, secrets.yaml (0600) beside it, the data dir (services/,
gateway-gw-1/) and the first operator. On a terminal it asks for what the flags leave out;
otherwise --site-name, --time-zone and --operator-email are required. Without
--operator-password a password is generated and printed once. --config defaults to
$SMARTSPACE_CONFIG, else ${DEFAULT_CONFIG}; --data to /var/lib/smartspace for that path,
else a data/ folder beside the config. --mqtt-host 0.0.0.0 when a gateway runs on another machine
(or in another container). --owner (run as root): the user the services run as gets the data dir
and secrets.yaml. --force overwrites an existing site.yaml (secrets are kept).`;

const OPTIONS = {
  config: { type: 'string' },
  data: { type: 'string' },
  'site-name': { type: 'string' },
  'site-id': { type: 'string' },
  'time-zone': { type: 'string' },
  'operator-email': { type: 'string' },
  'operator-name': { type: 'string' },
  'operator-password': { type: 'string' },
  'http-host': { type: 'string' },
  'http-port': { type: 'string' },
  'mqtt-host': { type: 'string' },
  'mqtt-port': { type: 'string' },
  'broker-url': { type: 'string' },
  owner: { type: 'string' },
  force: { type: 'boolean' },
} as const;

export const GATEWAY_ID = 'gw-1';
export const MIN_PASSWORD = 8;

/** An IANA zone name (Europe/Copenhagen, UTC) that this Node knows; not an offset or an abbreviation. */
export function isTimeZone(tz: string): boolean {
  if (!/^(UTC|[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+)$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function port(value: string | undefined, flag: string, dflt: number): number {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) throw new UsageError(`--${flag}: expected a port 1-65535, got "${value}"`);
  return n;
}

export interface SiteAnswers {
  siteId: string;
  siteName: string;
  timeZone: string;
  dataDir: string;
  httpHost: string;
  httpPort: number;
  mqttHost: string;
  mqttPort: number;
  brokerUrl: string;
}

const q = (s: string) => JSON.stringify(s); // a JSON string is a YAML scalar, quoted safely

/** The site.yaml text: valid against config/schema.ts, with comments where the host edits it. */
export function siteYaml(a: SiteAnswers): string {
  return `# Written by \`smartspace init\`. Every key and its default: config/schema.json in the smartspace source.
# After an edit: \`smartspace check\`, then restart the services and gateways.
site:
  id: ${a.siteId}
  name: ${q(a.siteName)}
  timeZone: ${a.timeZone}

# Where gateways and Node-RED reach the broker. By default the services run it (services.mqtt).
broker:
  url: ${a.brokerUrl}
  external: false

services:
  http: { host: ${a.httpHost}, port: ${a.httpPort} }
  # The embedded broker. Host 0.0.0.0 when a gateway runs on another machine.
  mqtt: { host: ${a.mqttHost}, port: ${a.mqttPort}, wsPath: /mqtt }
  dataDir: ${q(join(a.dataDir, 'services'))}

# Size of the floor plan, in your own units (desks are placed on it).
floor: { width: 1000, height: 600 }

gateways:
  - id: ${GATEWAY_ID}
    name: Gateway 1
    dataDir: ${q(join(a.dataDir, `gateway-${GATEWAY_ID}`))}

zones: []
# - { id: open-space, name: Open space, capacity: 10 }

# No doors yet. An example: an RDM6300 reader on USB serial and a relay on GPIO17.
doors: []
# - id: front
#   name: Front door
#   gateway: ${GATEWAY_ID}
#   unlockMs: 5000
#   reader: { driver: serial, id: front-reader, path: /dev/serial/by-id/usb-..., protocol: rdm6300 }
#   lock: { driver: gpio, id: front-lock, pin: 17, activeLow: true, failMode: secure }
#   contact: { driver: gpio, id: front-contact, pin: 27, activeLow: true }

desks: []

history:
  store: sqlite
`;
}

interface Ask {
  (question: string, dflt?: string, opts?: { secret?: boolean }): Promise<string | undefined>;
}

function asker(io: CliIO): Ask {
  return async (question, dflt, opts) => {
    if (!io.ask) return dflt;
    const a = await io.ask(`${question}${dflt ? ` [${dflt}]` : ''}: `, opts);
    return a === '' ? dflt : a;
  };
}

/** A flag's value, else the answer on a terminal, else the default; `required` when none. */
async function value(flag: string | undefined, ask: Ask, question: string, name: string, dflt?: string): Promise<string> {
  const v = flag ?? (await ask(question, dflt));
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

function machineTimeZone(): string | undefined {
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return tz && tz !== 'UTC' && tz !== 'Etc/UTC' ? tz : undefined;
}

export const init: CliCommand = {
  name: 'init',
  summary: 'write a new site: site.yaml, secrets, data dir, the first operator',
  usage,
  async run(args, io) {
    const { values: f } = parseFlags(args, OPTIONS);
    const ask = asker(io);
    const configPath = resolve(io.cwd, siteConfigPath(f.config, io));
    const dataDir = resolve(io.cwd, f.data ?? (configPath === DEFAULT_CONFIG ? '/var/lib/smartspace' : join(dirname(configPath), 'data')));
    if (existsSync(configPath) && !f.force) {
      io.err(`smartspace init: ${configPath} exists: this site is set up already (--force writes a new site.yaml; secrets and database are kept)`);
      return EXIT.failed;
    }

    const siteName = await value(f['site-name'], ask, 'Name of the space', 'site-name');
    // Kystkontor Øst → kystkontor-oest (contracts slug: æ ø å spelled out, not dropped).
    const siteId = f['site-id'] ?? slugId(siteName, () => false, 'site');
    if (!matches('id', siteId)) throw new UsageError(`--site-id: "${siteId}" is not an id (letters, digits, _ . -, at most 64)`);
    const timeZone = await value(f['time-zone'], ask, 'Time zone (IANA, e.g. Europe/Copenhagen)', 'time-zone', machineTimeZone());
    if (!isTimeZone(timeZone)) throw new UsageError(`--time-zone: "${timeZone}" is not an IANA time zone (e.g. Europe/Copenhagen, UTC)`);
    const email = await value(f['operator-email'], ask, 'E-mail of the first operator (your login)', 'operator-email');
    if (!matches('email', email) || email.length > 254) throw new UsageError(`--operator-email: "${email}" is not an e-mail address`);
    const operatorName = await value(f['operator-name'], ask, 'Their name', 'operator-name', email.split('@')[0]);
    let password = f['operator-password'] ?? (await ask('Password (empty: generate one)', undefined, { secret: true }));
    const generated = !password;
    password ||= randomBytes(12).toString('base64url');
    if (password.length < MIN_PASSWORD) throw new UsageError(`--operator-password: at least ${MIN_PASSWORD} characters`);

    const owner = f.owner === undefined ? undefined : lookupUser(f.owner);
    if (f.owner !== undefined && !owner) throw new UsageError(`--owner: no user "${f.owner}" in /etc/passwd`);
    if (owner && process.getuid?.() !== 0) throw new UsageError('--owner: only root gives files to another user');
    if (owner) assertCanRunProgram(owner);
    const mqttPort = port(f['mqtt-port'], 'mqtt-port', 1883);
    const answers: SiteAnswers = {
      siteId,
      siteName,
      timeZone,
      dataDir,
      httpHost: f['http-host'] ?? '0.0.0.0',
      httpPort: port(f['http-port'], 'http-port', 8080),
      mqttHost: f['mqtt-host'] ?? '127.0.0.1',
      mqttPort,
      brokerUrl: f['broker-url'] ?? `mqtt://127.0.0.1:${mqttPort}`,
    };
    const text = siteYaml(answers);
    // What we write must load: checked before anything touches the disk (names the key if not).
    const config = parseSiteConfig(parseYaml(text), dirname(configPath));

    mkdirSync(dirname(configPath), { recursive: true });
    for (const d of [config.services.dataDir, ...config.gateways.map((g) => g.dataDir)]) ensurePrivateDir(d);
    writeFileSync(configPath, text);
    const secretsPath = io.env.SMARTSPACE_SECRETS_FILE ?? join(dirname(configPath), 'secrets.yaml');
    ensureSecretsFile(config, secretsPath);
    if (owner) {
      // The services read the secrets and write the data dirs as this user; site.yaml stays root's.
      for (const p of [secretsPath, dataDir, ...readdirSync(dataDir, { recursive: true }).map((e) => join(dataDir, String(e)))])
        chownSync(p, owner.uid, owner.gid);
    }

    const store = openSiteStore(config); // as the data dir's owner when root
    try {
      const hash = await hashPassword(password);
      const now = Date.now();
      const existing = store.members.withHashByEmail(email)?.member;
      store.db.transaction(() => {
        if (existing) {
          // --force over a site that has this operator: they get the new password and the role.
          store.members.update(existing.id, { role: 'operator', active: true, passwordHash: hash, name: operatorName });
        } else {
          const taken = (id: string) => store.members.byId(id) !== undefined || store.erasures.pseudonymOf(id) !== undefined;
          store.members.insert(
            {
              id: newMemberId(taken),
              name: operatorName,
              email,
              role: 'operator',
              plan: null,
              presenceOptIn: false,
              active: true,
              passwordHash: hash,
            },
            now,
          );
        }
        const memberId = existing?.id ?? store.members.withHashByEmail(email)!.member.id;
        store.audit.write({
          ts: now,
          ...cliActor(io.env),
          action: existing ? 'member.update' : 'member.create',
          target: memberId,
          detail: { role: 'operator', via: 'init' },
        });
      })();
    } finally {
      store.close();
    }

    io.out(`Site "${siteName}" (${siteId}) written:`);
    io.out(`  config   ${configPath}`);
    io.out(`  secrets  ${secretsPath} (0600: keep it private, back it up)`);
    io.out('  Node-RED login: user operator, password nodeRed.adminPassword in the secrets file (never printed)');
    io.out(`  data     ${dataDir}`);
    io.out(`Operator ${email}${generated ? `, password (shown once): ${password}` : ''}`);
    io.out('');
    io.out('Next:');
    io.out(`  1. Add your doors (and zones, desks) to ${configPath}: a commented example is in it.`);
    io.out(`  2. smartspace check${f.config ? ` --config ${configPath}` : ''}`);
    io.out(`  3. Start the services and gateway ${GATEWAY_ID}, then open http://<this machine>:${answers.httpPort} and log in.`);
    io.out('  4. In the dashboard: make plans, then add members (or smartspace import members.csv).');
    return EXIT.ok;
  },
};
