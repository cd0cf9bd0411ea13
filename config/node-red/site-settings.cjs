'use strict';
// What Node-RED needs from a smartspace site, read from the site config and the secrets file
// (each secret overridable from the environment, as for the other processes). Plain CommonJS:
// it runs inside the Node-RED process, which has no TypeScript loader; `npm start` and the tests
// read it too (types in site-settings.d.cts). The services validate the same config at boot.
const { readFileSync, existsSync } = require('node:fs');
const { createHmac } = require('node:crypto');
const path = require('node:path');
const YAML = require('yaml');

const ROOT = path.resolve(__dirname, '../..');
const DEFAULT_PORT = 1880;

class NodeRedConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'NodeRedConfigError';
    this.code = 'SS_ERR_NODE_RED_CONFIG';
  }
}

/**
 * A secret of Node-RED's own that the secrets file does not hold yet: derived from the site key
 * with HMAC-SHA256 and a label per use, so it is stable, private and never committed.
 */
function derive(siteKey, label) {
  return createHmac('sha256', siteKey).update(`smartspace/node-red/${label}`).digest('base64url');
}

function readYaml(file, what) {
  try {
    return YAML.parse(readFileSync(file, 'utf8')) ?? {};
  } catch (err) {
    throw new NodeRedConfigError(`cannot read the ${what} ${file}: ${err.message}`);
  }
}

/** Parses SMARTSPACE_NODE_RED_CLOCK (ISO time or epoch ms) into an offset from the wall clock. */
function clockOffset(value, nowMs) {
  if (!value) return 0;
  const t = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(t)) throw new NodeRedConfigError(`SMARTSPACE_NODE_RED_CLOCK: "${value}" is not a time`);
  return t - nowMs;
}

function loadNodeRedSite(opts = {}) {
  const env = opts.env ?? process.env;
  const configPath = path.resolve(opts.configPath ?? env.SMARTSPACE_CONFIG ?? path.join(ROOT, 'config/demo/site.yaml'));
  const configDir = path.dirname(configPath);
  const secretsPath = path.resolve(opts.secretsPath ?? env.SMARTSPACE_SECRETS_FILE ?? path.join(configDir, 'secrets.yaml'));
  const site = readYaml(configPath, 'site config');
  const secrets = existsSync(secretsPath) ? readYaml(secretsPath, 'secrets file') : {};
  const need = (v, key) => {
    if (v === undefined || v === null || v === '') throw new NodeRedConfigError(`${key}: missing (${configPath})`);
    return v;
  };

  const http = need(site.services?.http, 'services.http');
  const httpHost = http.host === '0.0.0.0' || http.host === '::' ? '127.0.0.1' : http.host;
  const siteKey = env.SMARTSPACE_SITE_KEY || secrets.siteKey;
  if (!siteKey) throw new NodeRedConfigError(`secrets.siteKey: missing (set it in ${secretsPath} or SMARTSPACE_SITE_KEY)`);
  const own = secrets.nodeRed ?? {};
  const port = Number(env.SMARTSPACE_NODE_RED_PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new NodeRedConfigError(`SMARTSPACE_NODE_RED_PORT: "${env.SMARTSPACE_NODE_RED_PORT}" is not a port`);

  return {
    configPath,
    secretsPath,
    siteId: need(site.site?.id, 'site.id'),
    siteName: site.site?.name ?? site.site?.id,
    timeZone: site.site?.timeZone ?? 'Europe/Copenhagen',
    brokerUrl: need(site.broker?.url, 'broker.url'),
    servicesUrl: `http://${httpHost.includes(':') ? `[${httpHost}]` : httpHost}:${http.port}`,
    /** Node-RED's user directory: beside the services' data folder (data/demo/node-red). */
    userDir: path.resolve(env.SMARTSPACE_NODE_RED_DIR ?? path.resolve(configDir, need(site.services?.dataDir, 'services.dataDir'), '..', 'node-red')),
    host: '127.0.0.1',
    port,
    layout: {
      zones: (site.zones ?? []).map((z) => ({ id: z.id, name: z.name ?? z.id, ...(z.capacity ? { capacity: z.capacity } : {}) })),
      desks: Object.fromEntries((site.desks ?? []).map((d) => [d.id, d.zone])),
    },
    mqttUsername: 'automation',
    mqttPassword: env.SMARTSPACE_MQTT_AUTOMATION_PASSWORD || secrets.mqtt?.automation || '',
    automationToken: env.SMARTSPACE_AUTOMATION_TOKEN || secrets.automationToken || '',
    adminUser: env.SMARTSPACE_NODE_RED_ADMIN_USER || own.adminUser || 'operator',
    adminPassword: env.SMARTSPACE_NODE_RED_ADMIN_PASSWORD || own.adminPassword || derive(siteKey, 'admin-password').slice(0, 24),
    credentialSecret: env.SMARTSPACE_NODE_RED_CREDENTIAL_SECRET || own.credentialSecret || derive(siteKey, 'credential-secret'),
    clockOffsetMs: clockOffset(env.SMARTSPACE_NODE_RED_CLOCK, opts.nowMs ?? Date.now()),
  };
}

module.exports = { loadNodeRedSite, NodeRedConfigError, ROOT };
