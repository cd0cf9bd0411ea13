'use strict';
// Node-RED settings for a smartspace site:
//   node node_modules/node-red/red.js --settings config/node-red/settings.cjs
// The site comes from SMARTSPACE_CONFIG (default: the demo), secrets from the secrets file or
// the environment, through the one config loader (site.ts, bundled as site-settings.gen.cjs). Loopback only; the editor and admin API behind a login
// for operators; the smartspace palette from ./node-red (no palette installs from a registry);
// the shipped rules (flows.json beside this file) copied into the user directory.
const { readFileSync, writeFileSync, existsSync, mkdirSync, copyFileSync, statSync, chmodSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { createRequire } = require('node:module');
const path = require('node:path');
const bcrypt = require('bcryptjs');
const { loadNodeRedSite, ROOT } = require('./site-settings.gen.cjs');
const { createLoginGuard } = require('./login-guard.cjs');

// Node-RED's levels → pino's, so that `npm start` prints these lines like the other processes'.
const LEVELS = { 10: 60, 20: 50, 30: 40, 40: 30, 50: 20, 60: 10, 98: 30, 99: 30 };

function logLine(level, msg, fields = {}) {
  process.stdout.write(`${JSON.stringify({ level, time: Date.now(), proc: 'node-red', msg, ...fields })}\n`);
}

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * The user directory holds the flows' credentials and Node-RED's sessions: owner only (0700, as
 * runtime/private-files.ts does for the other processes' data folders), tightened if looser.
 */
function privateDir(dir) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = statSync(dir).mode & 0o777;
  if ((mode & ~0o700) === 0) return;
  chmodSync(dir, 0o700);
  logLine(40, 'node-red user directory was readable by others; now 0700', { dir, was: mode.toString(8) });
}

/**
 * The shipped rules go into the user directory on first start, and are updated there on later
 * starts as long as the operator has not deployed changes of their own (then theirs are kept).
 */
function installShippedFlows(userDir) {
  const shipped = path.join(__dirname, 'flows.json');
  const target = path.join(userDir, 'flows.json');
  const marker = path.join(userDir, '.shipped-flows.sha256');
  privateDir(userDir);
  const shippedHash = sha256(shipped);
  const install = (what) => {
    copyFileSync(shipped, target);
    writeFileSync(marker, `${shippedHash}\n`);
    logLine(30, what, { flows: target });
  };
  if (!existsSync(target)) return install('shipped flows installed');
  const current = sha256(target);
  if (current === shippedHash) return writeFileSync(marker, `${shippedHash}\n`);
  const last = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : null;
  if (current === last) return install('shipped flows updated');
  logLine(40, 'flows edited by an operator kept; the shipped flows are not installed', { flows: target, shipped });
}

const site = loadNodeRedSite();
installShippedFlows(site.userDir);
if (site.clockOffsetMs !== 0) logLine(40, 'site clock shifted (SMARTSPACE_NODE_RED_CLOCK; tests only)', { offsetMs: site.clockOffsetMs });
if (!site.automationToken)
  logLine(40, 'no automation token: door nodes will be refused', { hint: 'automationToken in the secrets file or SMARTSPACE_AUTOMATION_TOKEN' });

const operators = [{ username: site.adminUser, password: bcrypt.hashSync(site.adminPassword, 10), permissions: '*' }];
// Failed logins slow down the client that makes them, never the operator elsewhere (Node-RED's
// own limiter would lock the user name out for everyone): see login-guard.cjs.
// The guard checks with the bcrypt Node-RED itself prefers: the native one (off the event loop)
// when its optional dependency is installed, else bcryptjs.
const editorApi = createRequire(require.resolve('@node-red/editor-api'));
const check = (() => {
  try {
    return editorApi('@node-rs/bcrypt').compare;
  } catch {
    return bcrypt.compare;
  }
})();
const loginGuard = createLoginGuard({ users: operators, compare: (pw, hash) => check(pw, hash), log: logLine });

module.exports = {
  userDir: site.userDir,
  flowFile: 'flows.json',
  flowFilePretty: true,
  credentialSecret: site.credentialSecret,
  uiHost: site.host,
  uiPort: site.port,
  httpAdminRoot: '/',
  httpAdminMiddleware: loginGuard.middleware,
  // X-Forwarded-For names the client only from the proxies named in SMARTSPACE_NODE_RED_TRUST_PROXY.
  httpServerOptions: site.trustProxy.length > 0 ? { 'trust proxy': site.trustProxy } : {},
  // No HTTP endpoints from flows: rules talk to the broker and the services only.
  httpNodeRoot: false,
  nodesDir: [path.join(ROOT, 'node-red')],

  adminAuth: {
    type: 'credentials',
    sessionExpiryTime: 8 * 3600,
    users: operators,
  },

  editorTheme: {
    page: { title: `smartspace automation · ${site.siteName}` },
    header: { title: `smartspace · ${site.siteName}` },
    projects: { enabled: false },
    tours: false,
  },
  externalModules: {
    autoInstall: false,
    palette: { allowInstall: false, allowUpload: false },
    modules: { allowInstall: false },
  },
  functionExternalModules: false,
  diagnostics: { enabled: false, ui: false },
  runtimeState: { enabled: false, ui: false },
  telemetry: { enabled: false, updateNotification: false },
  exportGlobalContextKeys: false,

  logging: {
    smartspace: {
      level: process.env.SMARTSPACE_NODE_RED_LOG_LEVEL ?? 'info',
      metrics: false,
      audit: false,
      // One JSON line per message (multi-line texts, e.g. debug output of objects, folded).
      handler: () => (m) => {
        const text = (m.msg instanceof Error ? m.msg.message : typeof m.msg === 'string' ? m.msg : JSON.stringify(m.msg)).replace(/\s*\n\s*/g, ' ').trim();
        const fields = m.type ? { node: m.type, nodeName: m.name || undefined, nodeId: m.id } : {};
        logLine(LEVELS[m.level] ?? 30, text, fields);
      },
    },
  },

  /** Read by the smartspace palette's site node for any field left empty in the editor. */
  smartspace: {
    siteId: site.siteId,
    timeZone: site.timeZone,
    brokerUrl: site.brokerUrl,
    brokerCa: site.brokerCa,
    servicesUrl: site.servicesUrl,
    mqttUsername: site.mqttUsername,
    mqttPassword: site.mqttPassword,
    automationToken: site.automationToken,
    layout: site.layout,
    language: site.language,
    names: site.names,
    clockOffsetMs: site.clockOffsetMs,
  },
};
