// What Node-RED needs from a smartspace site, read with the one config loader (config/load.ts):
// the site config and the secrets file are validated by the same schema as for the services and
// the gateway, each secret overridable from the environment as there. Node-RED has no
// TypeScript loader, so `npm run build:palette` bundles this file into site-settings.gen.cjs
// beside it (settings.cjs requires that), and a test checks the committed bundle is fresh.
import { createHmac } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, defaultSecretsPath, isProxyAddress, loadSecrets, loadSiteConfig, PROXY_NAMES } from '../load.ts';
import { readCa } from '../tls.ts';

/** The project root (two levels up from this file and from its bundle). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEFAULT_PORT = 1880;

export interface NodeRedSite {
  configPath: string;
  secretsPath: string;
  siteId: string;
  siteName: string;
  timeZone: string;
  brokerCa: string | undefined;
  brokerUrl: string;
  servicesUrl: string;
  userDir: string;
  host: string;
  port: number;
  layout: { zones: Array<{ id: string; name: string; capacity?: number }>; desks: Record<string, string> };
  /** The language of alert texts (config `alerts.language`): the alert node says what the services' e-mails say. */
  language: 'da' | 'en';
  /** The site's names of its doors, zones and gateways by id: an alert names them as the services do. */
  names: { door: Record<string, string>; zone: Record<string, string>; gateway: Record<string, string> };
  mqttUsername: string;
  mqttPassword: string;
  automationToken: string;
  adminUser: string;
  adminPassword: string;
  /**
   * Where the operators' password comes from, for telling a host where to find it (it is never
   * printed): the environment, the secrets file (nodeRed.adminPassword), or derived from the site key.
   */
  adminPasswordFrom: 'env' | 'secrets' | 'site-key';
  /** Proxies in front of the editor whose X-Forwarded-For names the client (login backoff); none: the socket's address. */
  trustProxy: string[];
  credentialSecret: string;
  clockOffsetMs: number;
}

export interface NodeRedSiteOptions {
  configPath?: string;
  secretsPath?: string;
  env?: NodeJS.ProcessEnv;
  nowMs?: number;
}

/**
 * A secret of Node-RED's own that the secrets file does not hold: derived from the site key
 * with HMAC-SHA256 and a label per use, so it is stable, private and never committed.
 */
function derive(siteKey: string, label: string): string {
  return createHmac('sha256', siteKey).update(`smartspace/node-red/${label}`).digest('base64url');
}

/** Parses SMARTSPACE_NODE_RED_CLOCK (ISO time or epoch ms) into an offset from the wall clock. */
function clockOffset(value: string | undefined, nowMs: number): number {
  if (!value) return 0;
  const t = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(t)) throw new ConfigError(`SMARTSPACE_NODE_RED_CLOCK: "${value}" is not a time`, 'SMARTSPACE_NODE_RED_CLOCK');
  return t - nowMs;
}

function port(value: string | undefined): number {
  const p = Number(value ?? DEFAULT_PORT);
  if (!Number.isInteger(p) || p < 0 || p > 65535) throw new ConfigError(`SMARTSPACE_NODE_RED_PORT: "${value}" is not a port`, 'SMARTSPACE_NODE_RED_PORT');
  return p;
}

/** SMARTSPACE_NODE_RED_TRUST_PROXY: comma-separated addresses, CIDRs or names, as services.http.trustProxy. */
function trustProxy(value: string | undefined): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const e of entries) {
    if (!isProxyAddress(e)) {
      throw new ConfigError(
        `SMARTSPACE_NODE_RED_TRUST_PROXY: "${e}" is not an IP address, a CIDR (10.0.0.0/8) or one of ${PROXY_NAMES.join(', ')}`,
        'SMARTSPACE_NODE_RED_TRUST_PROXY',
      );
    }
  }
  return entries;
}

export function loadNodeRedSite(opts: NodeRedSiteOptions = {}): NodeRedSite {
  const env = opts.env ?? process.env;
  const configPath = resolve(opts.configPath ?? env.SMARTSPACE_CONFIG ?? join(ROOT, 'config/demo/site.yaml'));
  const secretsPath = resolve(opts.secretsPath ?? env.SMARTSPACE_SECRETS_FILE ?? defaultSecretsPath(configPath));
  const config = loadSiteConfig(configPath);
  const secrets = loadSecrets(config, secretsPath, env);
  const { http } = config.services;
  const httpHost = http.host === '0.0.0.0' || http.host === '::' ? '127.0.0.1' : http.host;
  const own = secrets.nodeRed ?? {};
  return {
    configPath,
    secretsPath,
    siteId: config.site.id,
    siteName: config.site.name,
    timeZone: config.site.timeZone,
    brokerUrl: config.broker.url,
    /** broker.ca's PEM: the CA to trust on an mqtts:// or wss:// broker (undefined: the system's). */
    brokerCa: config.broker.ca ? readCa(config.broker.ca).toString('utf8') : undefined,
    // In Docker the services are another container (docker-compose.yml sets http://services:8080).
    // With TLS in the services the API is https only: set SMARTSPACE_SERVICES_URL to a name their
    // certificate is for (README, "HTTPS"); loopback by address would not match the certificate.
    servicesUrl: env.SMARTSPACE_SERVICES_URL ?? `${http.tls ? 'https' : 'http'}://${httpHost.includes(':') ? `[${httpHost}]` : httpHost}:${http.port}`,
    /** Node-RED's user directory: beside the services' data folder (data/demo/node-red). */
    userDir: resolve(env.SMARTSPACE_NODE_RED_DIR ?? resolve(config.services.dataDir, '..', 'node-red')),
    // Loopback unless told (a container's loopback is its own: compose publishes it to the host's).
    host: env.SMARTSPACE_NODE_RED_HOST ?? '127.0.0.1',
    port: port(env.SMARTSPACE_NODE_RED_PORT),
    layout: {
      zones: config.zones.map((z) => ({ id: z.id, name: z.name, ...(z.capacity ? { capacity: z.capacity } : {}) })),
      desks: Object.fromEntries(config.desks.map((d) => [d.id, d.zone])),
    },
    language: config.alerts.language,
    names: {
      door: Object.fromEntries(config.doors.map((d) => [d.id, d.name])),
      zone: Object.fromEntries(config.zones.map((z) => [z.id, z.name])),
      gateway: Object.fromEntries(config.gateways.map((g) => [g.id, g.name])),
    },
    mqttUsername: 'automation',
    mqttPassword: secrets.mqtt.automation,
    automationToken: secrets.automationToken ?? '',
    adminUser: own.adminUser ?? 'operator',
    adminPassword: own.adminPassword ?? derive(secrets.siteKey, 'admin-password').slice(0, 24),
    adminPasswordFrom: env.SMARTSPACE_NODE_RED_ADMIN_PASSWORD ? 'env' : own.adminPassword ? 'secrets' : 'site-key',
    trustProxy: trustProxy(env.SMARTSPACE_NODE_RED_TRUST_PROXY),
    credentialSecret: own.credentialSecret ?? derive(secrets.siteKey, 'credential-secret'),
    clockOffsetMs: clockOffset(env.SMARTSPACE_NODE_RED_CLOCK, opts.nowMs ?? Date.now()),
  };
}
