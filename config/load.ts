// Boot-time config loading: YAML → defaults → schema check → cross-reference check → frozen.
// A bad config throws ConfigError naming the key, e.g. `doors[1].unlockMs: expected integer >= 500`.
import { readFileSync, existsSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createECDH, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { Value } from '@sinclair/typebox/value';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { ValueError } from '@sinclair/typebox/errors';
import type { TObject, TSchema } from '@sinclair/typebox';
import { readerFormats } from '../contracts/readers.ts';
import {
  DeskSensorBinding,
  InputBinding,
  isBridged,
  LockBinding,
  ReaderBinding,
  SiteConfig,
  SecretsFile,
  type DeskConfig,
  type DoorConfig,
  type GatewayConfig,
  type Secrets,
} from './schema.ts';
import { parseBrokerUrl } from './broker.ts';

type Binding = DoorConfig['reader'] | DoorConfig['lock'] | NonNullable<DoorConfig['contact']> | DeskConfig['sensor'];

export class ConfigError extends Error {
  readonly code = 'SS_ERR_CONFIG';
  constructor(
    message: string,
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** `/doors/1/unlockMs` → `doors[1].unlockMs` */
export function jsonPointerToKey(pointer: string): string {
  let out = '';
  for (const part of pointer.split('/').slice(1)) {
    const p = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  }
  return out || '(root)';
}

/** The JSON Schema keywords describeSchema puts into words. */
interface SchemaWords extends TSchema {
  const?: unknown;
  anyOf?: TSchema[];
  type?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  minItems?: number;
}

/** What a schema expects, in words a site operator reads: `integer >= 500`, `one of sim`. */
export function describeSchema(schema: TSchema): string {
  const s = schema as SchemaWords;
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.anyOf)) return `one of ${s.anyOf.map(describeSchema).join(', ')}`;
  const parts: string[] = [s.type ?? 'value'];
  if (s.minimum !== undefined) parts.push(`>= ${s.minimum}`);
  if (s.maximum !== undefined) parts.push(`<= ${s.maximum}`);
  if (s.minLength !== undefined && s.type === 'string') parts.push(`of length >= ${s.minLength}`);
  if (s.pattern !== undefined) parts.push(`matching ${s.pattern}`);
  if (s.minItems !== undefined) parts.push(`with >= ${s.minItems} items`);
  return parts.join(' ');
}

interface Problem {
  key: string;
  /** What is wrong, after `key: `. */
  what: string;
}

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();
function compile(schema: TSchema): TypeCheck<TSchema> {
  let c = compiled.get(schema);
  if (!c) compiled.set(schema, (c = TypeCompiler.Compile(schema)));
  return c;
}

/** `doors[0]` + `reader` → `doors[0].reader`; `doors` + `[0]` → `doors[0]`. */
function joinKey(prefix: string, rel: string): string {
  if (rel === '(root)') return prefix || rel;
  if (!prefix) return rel;
  return `${prefix}${rel.startsWith('[') ? '' : '.'}${rel}`;
}

/** A union of strict objects told apart by a `driver` literal: a per-driver binding. */
function driverBranches(schema: TSchema): TObject[] | undefined {
  const anyOf = (schema as { anyOf?: TSchema[] }).anyOf;
  const isBranch = (s: TSchema) => s.type === 'object' && (s as TObject).properties?.driver?.const !== undefined;
  return anyOf?.length && anyOf.every(isBranch) ? (anyOf as TObject[]) : undefined;
}

/** Inside a binding: the driver its `driver` names. */
interface DriverContext {
  driver: string;
}

/** Every field some driver binding takes: elsewhere such a key is "not used by driver …", not unknown. */
const BINDING_FIELDS: ReadonlySet<string> = new Set(
  [ReaderBinding, LockBinding, InputBinding, DeskSensorBinding].flatMap((u) => driverBranches(u)!.flatMap((b) => Object.keys(b.properties))),
);

/** Errors about a binding are reported against the branch its `driver` names. */
function bindingProblem(branches: TObject[], value: unknown, key: string): Problem {
  const drivers = `one of ${branches.map((b) => JSON.stringify(b.properties.driver!.const)).join(', ')}`;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { key, what: `expected a mapping with driver ${drivers}` };
  const driver = (value as { driver?: unknown }).driver;
  const branch = branches.find((b) => b.properties.driver!.const === driver);
  if (!branch) return { key: joinKey(key, 'driver'), what: driver === undefined ? `missing, expected ${drivers}` : `expected ${drivers}` };
  return firstProblem(branch, Value.Default(branch, structuredClone(value)), key, { driver: branch.properties.driver!.const as string })!;
}

function problemOf(e: ValueError, prefix: string, ctx: DriverContext | undefined): Problem {
  const key = joinKey(prefix, jsonPointerToKey(e.path));
  const branches = driverBranches(e.schema);
  if (branches) return bindingProblem(branches, e.value, key);
  if (/unexpected property/i.test(e.message)) {
    const field = key.slice(key.lastIndexOf('.') + 1);
    return { key, what: ctx && BINDING_FIELDS.has(field) ? `not used by driver ${ctx.driver}` : 'unknown key' };
  }
  if (e.value === undefined) return { key, what: ctx ? `missing, required for driver ${ctx.driver}` : `missing, expected ${describeSchema(e.schema)}` };
  return { key, what: `expected ${describeSchema(e.schema)}` };
}

/** The problem that names the key the user must change: the deepest one. */
function firstProblem(schema: TSchema, value: unknown, prefix: string, ctx?: DriverContext): Problem | undefined {
  const check = compile(schema);
  if (check.Check(value)) return undefined;
  const found = [...check.Errors(value)].map((e) => problemOf(e, prefix, ctx));
  found.sort((a, b) => b.key.length - a.key.length);
  return found[0];
}

function checkAgainst(schema: TSchema, value: unknown, prefix: string): void {
  const p = firstProblem(schema, value, prefix);
  if (p) throw new ConfigError(`${p.key}: ${p.what}`, p.key);
}

function unique(items: readonly { id: string }[], path: string): Set<string> {
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (seen.has(it.id)) throw new ConfigError(`${path}[${i}].id: duplicate id "${it.id}"`, `${path}[${i}].id`);
    seen.add(it.id);
  });
  return seen;
}

function crossCheck(c: SiteConfig): void {
  // Gateways (and, with broker.external, the services) connect here: a URL that cannot be
  // connected to is a config error now, not a reconnect loop later.
  try {
    parseBrokerUrl(c.broker.url);
  } catch (err) {
    throw new ConfigError(
      `broker.url: ${(err as Error).message}${c.broker.external ? ' (broker.external: the services connect there too)' : ''}`,
      'broker.url',
    );
  }
  const check = c.sensorCheck;
  if (check.busyDays > check.silentDays) {
    throw new ConfigError(
      `sensorCheck.busyDays: ${check.busyDays} busy days cannot fit in sensorCheck.silentDays (${check.silentDays})`,
      'sensorCheck.busyDays',
    );
  }
  const store = c.history.store;
  if (store !== 'sqlite' && !c.history[store]) {
    const fields = store === 'influxdb1' ? '{ url, database }' : '{ url, org, bucket }';
    throw new ConfigError(`history.${store}: missing, expected ${fields} for store ${store}`, `history.${store}`);
  }
  const gateways = unique(c.gateways, 'gateways');
  unique(c.alerts.webhooks, 'alerts.webhooks');
  unique(c.webhooks.subscriptions, 'webhooks.subscriptions');
  const zones = unique(c.zones, 'zones');
  unique(c.doors, 'doors');
  unique(c.desks, 'desks');
  const ref = (set: Set<string>, v: string, key: string, what: string) => {
    if (!set.has(v)) throw new ConfigError(`${key}: unknown ${what} "${v}"`, key);
  };
  c.doors.forEach((d, i) => {
    ref(gateways, d.gateway, `doors[${i}].gateway`, 'gateway');
    if (d.zone !== undefined) ref(zones, d.zone, `doors[${i}].zone`, 'zone');
  });
  c.desks.forEach((d, i) => {
    ref(gateways, d.gateway, `desks[${i}].gateway`, 'gateway');
    ref(zones, d.zone, `desks[${i}].zone`, 'zone');
    if (d.position.x > c.floor.width || d.position.y > c.floor.height) {
      throw new ConfigError(`desks[${i}].position: outside the floor (${c.floor.width} x ${c.floor.height})`, `desks[${i}].position`);
    }
  });
  // Device ids are topic ids: one device, one id, across doors and desks.
  const devices = new Map<string, string>();
  const dev = (id: string, key: string) => {
    const prev = devices.get(id);
    if (prev) throw new ConfigError(`${key}: device id "${id}" already used at ${prev}`, key);
    devices.set(id, key);
  };
  c.doors.forEach((d, i) => {
    dev(d.reader.id, `doors[${i}].reader.id`);
    dev(d.lock.id, `doors[${i}].lock.id`);
    if (d.contact) dev(d.contact.id, `doors[${i}].contact.id`);
    if (d.exitButton) dev(d.exitButton.id, `doors[${i}].exitButton.id`);
  });
  c.desks.forEach((d, i) => {
    // A desk is read either by its gateway or by the bridge process, never half by each.
    const bridged = isBridged(d.sensor);
    d.extraSensors?.forEach((s, j) => {
      if (isBridged(s) !== bridged) {
        const key = `desks[${i}].extraSensors[${j}].driver`;
        throw new ConfigError(
          `${key}: ${s.driver} cannot be combined with a ${d.sensor.driver} sensor on one desk (bridged and gateway sensors are separate processes)`,
          key,
        );
      }
    });
    if (bridged && !c.bridge) throw new ConfigError(`bridge: missing, desks[${i}].sensor has driver ${d.sensor.driver} (expected bridge.source.url)`, 'bridge');
  });
  c.desks.forEach((d, i) => {
    dev(d.sensor.id, `desks[${i}].sensor.id`);
    d.extraSensors?.forEach((s, j) => dev(s.id, `desks[${i}].extraSensors[${j}].id`));
  });
  c.gateways.forEach((g) => checkHardware(c, g.id));
  const doorIds = new Set(c.doors.map((d) => d.id));
  c.homeAssistant?.unlockDoors.forEach((d, i) => ref(doorIds, d, `homeAssistant.unlockDoors[${i}]`, 'door'));
  const bookable = new Set(c.desks.map((d) => d.id));
  c.bookings?.rooms.forEach((r, i) => {
    r.doors.forEach((d, j) => ref(doorIds, d, `bookings.rooms[${i}].doors[${j}]`, 'door'));
    if (r.zone !== undefined) ref(zones, r.zone, `bookings.rooms[${i}].zone`, 'zone');
    // Rooms and desks share one id space: a booking names either.
    if (bookable.has(r.id)) throw new ConfigError(`bookings.rooms[${i}].id: "${r.id}" is a desk or another room too`, `bookings.rooms[${i}].id`);
    bookable.add(r.id);
  });
  c.services.http.trustProxy?.forEach((entry, i) => {
    if (!isProxyAddress(entry)) {
      throw new ConfigError(
        `services.http.trustProxy[${i}]: "${entry}" is not an IP address, a CIDR (10.0.0.0/8) or one of ${PROXY_NAMES.join(', ')}`,
        `services.http.trustProxy[${i}]`,
      );
    }
  });
  if (c.network) checkNetwork(c, c.network, doorIds);
  const { mqtt } = c.services;
  if (mqtt.tls && !c.broker.external && mqtt.tls.port !== 0 && mqtt.tls.port === mqtt.port && mqtt.tls.host === mqtt.host) {
    throw new ConfigError(`services.mqtt.tls.port: ${mqtt.tls.port} is the plain listener's port too`, 'services.mqtt.tls.port');
  }
}

/** A network of spaces: Mosquitto bridges it, this site is one of its sites, visiting doors exist. */
function checkNetwork(c: SiteConfig, n: NonNullable<SiteConfig['network']>, doorIds: Set<string>): void {
  // The embedded broker has no bridge: Mosquitto's bridge (persistent session, QoS 1 queue,
  // TLS, reconnect) is the standard part the network is built from (README, Network of spaces).
  if (!c.broker.external) {
    throw new ConfigError('network: needs broker.external: true (a networked site runs Mosquitto, which bridges net/ to the network broker)', 'network');
  }
  unique(n.sites, 'network.sites');
  if (!n.sites.some((s) => s.id === n.site)) throw new ConfigError(`network.site: "${n.site}" is not in network.sites`, 'network.site');
  n.visiting.doors.forEach((d, i) => {
    if (!doorIds.has(d)) throw new ConfigError(`network.visiting.doors[${i}]: unknown door "${d}"`, `network.visiting.doors[${i}]`);
  });
  if (n.share.visiting && n.visiting.doors.length === 0) {
    throw new ConfigError('network.visiting.doors: empty, but network.share.visiting is true (name the doors visitors may open)', 'network.visiting.doors');
  }
}

/** The names proxy-addr (fastify's trustProxy) knows, besides addresses and CIDRs. */
export const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'] as const;

/** An address, CIDR or name fastify's trustProxy takes; never "everything" (a proxy is named). */
export function isProxyAddress(entry: string): boolean {
  if ((PROXY_NAMES as readonly string[]).includes(entry)) return true;
  const [addr = '', bits, ...rest] = entry.split('/');
  const family = isIP(addr);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n >= 1 && n <= (family === 4 ? 32 : 128);
}

/** A gateway's bindings: no GPIO pin or serial port bound twice; card formats its reader protocol prints. */
function checkHardware(c: SiteConfig, gatewayId: string): void {
  const pins = new Map<number, string>();
  const paths = new Map<string, string>();
  const claim = <K>(map: Map<K, string>, k: K, key: string, what: string) => {
    const prev = map.get(k);
    if (prev) throw new ConfigError(`${key}: ${what} ${String(k)} already used at ${prev}`, key);
    map.set(k, key);
  };
  const bound = (b: Binding, key: string) => {
    if ('pin' in b) claim(pins, b.pin, `${key}.pin`, 'GPIO');
    if ('path' in b) claim(paths, b.path, `${key}.path`, 'serial port');
  };
  // OSDP readers share their line (multi-drop): one path, one speed, one address each.
  const osdpLines = new Map<string, { baud: number; key: string; addresses: Map<number, string> }>();
  const osdp = (r: Extract<Binding, { driver: 'osdp' }>, key: string) => {
    const baud = r.baudRate ?? 9600;
    let line = osdpLines.get(r.path);
    if (!line) {
      claim(paths, r.path, `${key}.path`, 'serial port');
      osdpLines.set(r.path, (line = { baud, key, addresses: new Map() }));
    } else if (line.baud !== baud) {
      throw new ConfigError(`${key}.baudRate: ${baud}, but the OSDP line ${r.path} runs at ${line.baud} (${line.key})`, `${key}.baudRate`);
    }
    const prev = line.addresses.get(r.address);
    if (prev) throw new ConfigError(`${key}.address: OSDP address ${r.address} on ${r.path} already used at ${prev}`, `${key}.address`);
    line.addresses.set(r.address, key);
  };
  c.doors.forEach((d, i) => {
    if (d.gateway !== gatewayId) return;
    const r = d.reader;
    if (r.driver === 'serial' && r.format && !readerFormats(r.protocol).includes(r.format)) {
      throw new ConfigError(`doors[${i}].reader.format: ${r.protocol} reads ${readerFormats(r.protocol).join(', ')}`, `doors[${i}].reader.format`);
    }
    if (r.driver === 'osdp') osdp(r, `doors[${i}].reader`);
    else bound(r, `doors[${i}].reader`);
    bound(d.lock, `doors[${i}].lock`);
    if (d.contact) bound(d.contact, `doors[${i}].contact`);
    if (d.exitButton) bound(d.exitButton, `doors[${i}].exitButton`);
  });
  c.desks.forEach((d, i) => {
    if (d.gateway !== gatewayId) return;
    bound(d.sensor, `desks[${i}].sensor`);
    d.extraSensors?.forEach((s, j) => bound(s, `desks[${i}].extraSensors[${j}]`));
  });
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** Keys that were in the site config once and are secrets now: a clear error that says where they go. */
function movedToSecrets(raw: Record<string, unknown>): void {
  const hooks = (raw.alerts as { webhooks?: unknown } | undefined)?.webhooks;
  if (!Array.isArray(hooks)) return;
  hooks.forEach((h: unknown, i) => {
    if (h && typeof h === 'object' && 'url' in h) {
      const id = (h as { id?: unknown }).id;
      throw new ConfigError(
        `alerts.webhooks[${i}].url: webhook URLs are secrets now: move it to the secrets file as alerts.webhooks.${typeof id === 'string' ? id : '<id>'}.url`,
        `alerts.webhooks[${i}].url`,
      );
    }
  });
}

/** Validates a parsed config object; relative paths are resolved against `baseDir`. */
export function parseSiteConfig(raw: unknown, baseDir: string): SiteConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError('(root): expected a YAML mapping', '(root)');
  }
  movedToSecrets(raw as Record<string, unknown>);
  const withDefaults = Value.Default(SiteConfig, structuredClone(raw));
  checkAgainst(SiteConfig, withDefaults, '');
  const c = withDefaults as SiteConfig;
  try {
    new Intl.DateTimeFormat('en', { timeZone: c.site.timeZone });
  } catch {
    throw new ConfigError(`site.timeZone: unknown time zone "${c.site.timeZone}"`, 'site.timeZone');
  }
  crossCheck(c);
  c.services.dataDir = resolve(baseDir, c.services.dataDir);
  if (c.services.seed) c.services.seed = resolve(baseDir, c.services.seed);
  for (const g of c.gateways) g.dataDir = resolve(baseDir, g.dataDir);
  // Certificate files are read by the process that uses them (config/tls.ts), not here: a gateway
  // has no business with the services' private key.
  if (c.broker.ca) c.broker.ca = resolve(baseDir, c.broker.ca);
  if (c.network) c.network.broker.ca = resolve(baseDir, c.network.broker.ca);
  for (const files of [c.services.http.tls, c.services.mqtt.tls]) {
    if (!files) continue;
    files.cert = resolve(baseDir, files.cert);
    files.key = resolve(baseDir, files.key);
  }
  return deepFreeze(c);
}

export function loadSiteConfig(path: string): SiteConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`, '(file)', { cause: err });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${path}: not valid YAML: ${(err as Error).message}`, '(file)', { cause: err });
  }
  return parseSiteConfig(raw, dirname(resolve(path)));
}

/** Env var for a gateway secret: gw-main → SMARTSPACE_GATEWAY_GW_MAIN_KEY. */
export function gatewayEnv(id: string, what: 'KEY' | 'MQTT_PASSWORD'): string {
  return `SMARTSPACE_GATEWAY_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${what}`;
}

export function defaultSecretsPath(configPath: string): string {
  return process.env.SMARTSPACE_SECRETS_FILE ?? resolve(dirname(resolve(configPath)), 'secrets.yaml');
}

/**
 * Secrets from the secrets file, each overridable from the environment. Validated like the
 * config; errors name the key as `secrets.<path>` and never print a value.
 */
export function loadSecrets(config: SiteConfig, secretsPath: string, env: NodeJS.ProcessEnv = process.env): Secrets {
  let fromFile: Record<string, unknown> = {};
  if (existsSync(secretsPath)) {
    try {
      fromFile = (parseYaml(readFileSync(secretsPath, 'utf8')) ?? {}) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`${secretsPath}: not valid YAML: ${(err as Error).message}`, 'secrets', { cause: err });
    }
  }
  const s = structuredClone(fromFile);
  const mqtt = draftChild(s, 'mqtt');
  const gateways = draftChild(s, 'gateways');
  const set = (name: string, apply: (v: string) => void) => {
    const v = env[name];
    if (v) apply(v);
  };
  set('SMARTSPACE_SITE_KEY', (v) => (s.siteKey = v));
  set('SMARTSPACE_SESSION_SECRET', (v) => (s.sessionSecret = v));
  set('SMARTSPACE_MQTT_SERVICES_PASSWORD', (v) => (mqtt.services = v));
  set('SMARTSPACE_MQTT_AUTOMATION_PASSWORD', (v) => (mqtt.automation = v));
  set('SMARTSPACE_MQTT_BRIDGE_PASSWORD', (v) => (mqtt.bridge = v));
  set('SMARTSPACE_MQTT_HOMEASSISTANT_PASSWORD', (v) => (mqtt.homeassistant = v));
  set('SMARTSPACE_AUTOMATION_TOKEN', (v) => (s.automationToken = v));
  set('SMARTSPACE_HISTORY_PASSWORD', (v) => (draftChild(s, 'history').password = v));
  set('SMARTSPACE_HISTORY_TOKEN', (v) => (draftChild(s, 'history').token = v));
  set('SMARTSPACE_NODE_RED_ADMIN_USER', (v) => (draftChild(s, 'nodeRed').adminUser = v));
  set('SMARTSPACE_NODE_RED_ADMIN_PASSWORD', (v) => (draftChild(s, 'nodeRed').adminPassword = v));
  set('SMARTSPACE_NODE_RED_CREDENTIAL_SECRET', (v) => (draftChild(s, 'nodeRed').credentialSecret = v));
  set('SMARTSPACE_SMTP_PASSWORD', (v) => (draftChild(s, 'alerts').smtpPassword = v));
  for (const g of config.gateways) {
    const gateway = draftChild(gateways, g.id);
    set(gatewayEnv(g.id, 'KEY'), (v) => (gateway.key = v));
    set(gatewayEnv(g.id, 'MQTT_PASSWORD'), (v) => (gateway.mqttPassword = v));
  }
  try {
    checkAgainst(SecretsFile, s, 'secrets');
  } catch (err) {
    const e = err as ConfigError;
    throw new ConfigError(`${e.message} (set it in ${secretsPath} or the environment)`, e.key);
  }
  const secrets = s as Secrets; // checked against SecretsFile just above
  for (const hook of config.alerts.webhooks) {
    if (!secrets.alerts?.webhooks?.[hook.id]) {
      const key = `secrets.alerts.webhooks.${hook.id}.url`;
      throw new ConfigError(`${key}: missing, required for the alert webhook "${hook.id}" (set it in ${secretsPath})`, key);
    }
  }
  for (const sub of config.webhooks.subscriptions) {
    if (!secrets.webhooks?.[sub.id]) {
      const key = `secrets.webhooks.${sub.id}`;
      throw new ConfigError(`${key}: missing, required for the webhook subscription "${sub.id}": { url, secret } (set it in ${secretsPath})`, key);
    }
  }
  if (config.history.store === 'influxdb2' && !secrets.history?.token) {
    throw new ConfigError(
      `secrets.history.token: missing, required for store influxdb2 (set it in ${secretsPath} or SMARTSPACE_HISTORY_TOKEN)`,
      'secrets.history.token',
    );
  }
  if (config.network && !secrets.network) {
    throw new ConfigError(
      `secrets.network: missing, required for network "${config.network.id}" ({ key, mqttPassword, signingKey }; set it in ${secretsPath})`,
      'secrets.network',
    );
  }
  return deepFreeze(secrets);
}

/** A secrets mapping as read from YAML, before the schema check: filled in, not yet typed. */
type Draft = Record<string, unknown>;

/** `parent[key]`, first set to an empty mapping when missing (a wrong type is left for the schema check). */
function draftChild(parent: Draft, key: string): Draft {
  return (parent[key] ??= {}) as Draft;
}

/** A fresh random secret as the secrets file holds them: 24 random bytes, base64url. */
export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** A webhook signing secret as Standard Webhooks receivers take it: `whsec_` and 24 random bytes, base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** A VAPID key pair (RFC 8292): P-256, the public key uncompressed, both base64url. */
export function newVapidKeys(): { vapidPublicKey: string; vapidPrivateKey: string } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const priv = ecdh.getPrivateKey();
  // A private key with leading zero bytes comes out shorter: pad it to 32 bytes.
  const padded = Buffer.concat([Buffer.alloc(32 - priv.length), priv]);
  return { vapidPublicKey: ecdh.getPublicKey().toString('base64url'), vapidPrivateKey: padded.toString('base64url') };
}

/** Demo and tests: writes a secrets file with fresh random values for whatever is missing. */
export function ensureSecretsFile(config: SiteConfig, secretsPath: string): void {
  const rnd = newSecret;
  const s: Draft = existsSync(secretsPath) ? ((parseYaml(readFileSync(secretsPath, 'utf8')) ?? {}) as Draft) : {};
  s.siteKey ??= rnd();
  s.sessionSecret ??= rnd();
  s.automationToken ??= rnd();
  const mqtt = draftChild(s, 'mqtt');
  for (const k of ['services', 'automation', 'bridge']) mqtt[k] ??= rnd();
  if (config.homeAssistant?.enabled) mqtt.homeassistant ??= rnd();
  // Node-RED's operators' password: kept here (0600) so that a host can look it up; never printed.
  draftChild(s, 'nodeRed').adminPassword ??= rnd();
  // Web push: one VAPID key pair for good (a new one would end every phone's subscription).
  const alerts = draftChild(s, 'alerts');
  if (!alerts.vapidPublicKey || !alerts.vapidPrivateKey) Object.assign(alerts, newVapidKeys());
  // A webhook's signing secret (Standard Webhooks: whsec_ and base64); its URL only a host knows.
  for (const sub of config.webhooks.subscriptions) {
    const hook = draftChild(draftChild(s, 'webhooks'), sub.id);
    hook.secret ??= newWebhookSecret();
  }
  const gateways = draftChild(s, 'gateways');
  for (const g of config.gateways) {
    const gateway = draftChild(gateways, g.id);
    gateway.key ??= rnd();
    gateway.mqttPassword ??= rnd();
  }
  writeFileSync(secretsPath, `# Generated by smartspace. Keep private; never commit.\n${stringifyYaml(s)}`, { mode: 0o600 });
  chmodSync(secretsPath, 0o600);
}

/**
 * Adds an OSDP reader's Secure Channel key to the secrets file (install mode), before the reader
 * is moved to it: a key the reader holds is never one the file lacks (undefined: removes it, an
 * enrolment that failed before the reader saw its key). Never logs the key.
 */
export function saveOsdpKey(secretsPath: string, gatewayId: string, readerId: string, hex: string | undefined): void {
  const s: Draft = existsSync(secretsPath) ? ((parseYaml(readFileSync(secretsPath, 'utf8')) ?? {}) as Draft) : {};
  const keys = draftChild(draftChild(draftChild(s, 'gateways'), gatewayId), 'osdp');
  if (hex === undefined) delete keys[readerId];
  else keys[readerId] = hex;
  writeFileSync(secretsPath, stringifyYaml(s), { mode: 0o600 });
  chmodSync(secretsPath, 0o600);
}

/** What one gateway runs: its own config, secrets, doors and desks. */
export interface GatewaySlice {
  gateway: GatewayConfig;
  secrets: Secrets['gateways'][string];
  doors: readonly DoorConfig[];
  desks: readonly DeskConfig[];
}

/** A gateway's own slice of the config and the secrets; `--gateway` names it on the command line. */
export function gatewaySlice(config: SiteConfig, secrets: Secrets, gatewayId: string): GatewaySlice {
  const gateway = config.gateways.find((g) => g.id === gatewayId);
  if (!gateway) throw new ConfigError(`--gateway: unknown gateway "${gatewayId}" (config has ${config.gateways.map((g) => g.id).join(', ')})`, 'gateway');
  const own = secrets.gateways[gatewayId];
  if (!own) throw new ConfigError(`secrets.gateways.${gatewayId}: missing`, `secrets.gateways.${gatewayId}`);
  return {
    gateway,
    secrets: own,
    doors: config.doors.filter((d) => d.gateway === gatewayId),
    desks: config.desks.filter((d) => d.gateway === gatewayId && !isBridged(d.sensor)),
  };
}
