// Node-RED's settings for a site: loopback only, operators' login from the secrets (never
// committed), user directory under the data folder, the palette from the project, secrets
// overridable from the environment, the test clock.
import { describe, it, expect, afterEach, vi } from 'vitest';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNodeRedSite } from '../../config/node-red/site.ts';
import { ConfigError, loadSecrets } from '../../config/load.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';

const require = createRequire(import.meta.url);
const bcrypt = require('bcryptjs') as { compareSync(pw: string, hash: string): boolean };
const ROOT = new URL('../../', import.meta.url).pathname;

describe('config/node-red', () => {
  let site: TestSite;
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    site?.cleanup();
  });

  it('reads the site, the automation credentials and a stable, private operator login', async () => {
    site = await makeTestSite();
    const s = loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: {} });
    expect(s).toMatchObject({
      siteId: 'klitmoller',
      timeZone: 'Europe/Copenhagen',
      brokerUrl: `mqtt://127.0.0.1:${site.mqttPort}`,
      servicesUrl: `http://127.0.0.1:${site.httpPort}`,
      userDir: join(site.dir, 'node-red'),
      host: '127.0.0.1',
      port: 1880,
      mqttUsername: 'automation',
      mqttPassword: site.secrets.mqtt.automation,
      adminUser: 'operator',
      clockOffsetMs: 0,
    });
    expect(s.layout.zones).toEqual([
      { id: 'open-space', name: 'Åbent kontor', capacity: 10 },
      { id: 'quiet-room', name: 'Stillerum', capacity: 6 },
    ]);
    expect(s.layout.desks.d11).toBe('quiet-room');
    // What the alert node words its alerts with: the alerts' language and the site's own names.
    expect(s.language).toBe('da');
    expect(s.names).toEqual({
      door: { front: 'Hoveddør', meeting: 'Mødelokale' },
      zone: { 'open-space': 'Åbent kontor', 'quiet-room': 'Stillerum' },
      gateway: { 'gw-main': 'Pi i skabet' },
    });
    // The generated secrets file holds the password (where a host can look it up).
    expect(s).toMatchObject({ adminPassword: site.secrets.nodeRed?.adminPassword, adminPasswordFrom: 'secrets' });
    expect(s.adminPassword.length).toBeGreaterThanOrEqual(16);
    expect(s.credentialSecret).not.toBe(s.adminPassword);
    // A secrets file without one (written by an older release): derived from the site key, the
    // same on every start, different for another site.
    writeFileSync(site.secretsPath, readFileSync(site.secretsPath, 'utf8').replace(/^nodeRed:\n(?: {2}.*\n)+/m, ''));
    const derived = loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: {} });
    expect(derived.adminPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(derived.adminPasswordFrom).toBe('site-key');
    expect(loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: {} }).adminPassword).toBe(derived.adminPassword);
    expect(
      loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: { SMARTSPACE_SITE_KEY: 'another-site-key-0123456789' } })
        .adminPassword,
    ).not.toBe(derived.adminPassword);
  });

  it('takes secrets, port, user directory and clock from the environment', async () => {
    site = await makeTestSite();
    const env = {
      SMARTSPACE_MQTT_AUTOMATION_PASSWORD: 'mqtt-from-env-0123456789',
      SMARTSPACE_AUTOMATION_TOKEN: 'token-from-env-0123456789',
      SMARTSPACE_NODE_RED_ADMIN_PASSWORD: 'admin-from-env-0123456789',
      SMARTSPACE_NODE_RED_PORT: '18801',
      SMARTSPACE_NODE_RED_DIR: '/tmp/elsewhere',
      SMARTSPACE_NODE_RED_CLOCK: '2026-03-02T19:30:00+01:00',
      SMARTSPACE_NODE_RED_HOST: '0.0.0.0',
      SMARTSPACE_SERVICES_URL: 'http://services:8080',
    };
    const now = Date.parse('2026-01-01T00:00:00Z');
    const s = loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env, nowMs: now });
    expect(s).toMatchObject({
      mqttPassword: env.SMARTSPACE_MQTT_AUTOMATION_PASSWORD,
      automationToken: env.SMARTSPACE_AUTOMATION_TOKEN,
      adminPassword: env.SMARTSPACE_NODE_RED_ADMIN_PASSWORD,
      port: 18801,
      userDir: '/tmp/elsewhere',
      host: '0.0.0.0',
      servicesUrl: 'http://services:8080',
    });
    expect(s.clockOffsetMs).toBe(Date.parse('2026-03-02T18:30:00Z') - now);
    expect(() => loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: { SMARTSPACE_NODE_RED_CLOCK: 'teatime' } })).toThrow(
      'SMARTSPACE_NODE_RED_CLOCK: "teatime" is not a time',
    );
    expect(() => loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: { SMARTSPACE_NODE_RED_PORT: '99999' } })).toThrow(
      'is not a port',
    );
  });

  it('takes the operator login from the secrets file, which the services and the gateway still load', async () => {
    site = await makeTestSite();
    writeFileSync(
      site.secretsPath,
      `${readFileSync(site.secretsPath, 'utf8').replace(/^nodeRed:\n(?: {2}.*\n)+/m, '')}nodeRed:\n  adminUser: anna\n  adminPassword: a-long-operator-password\n  credentialSecret: ${'c'.repeat(32)}\n`,
    );
    const s = loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: {} });
    expect(s).toMatchObject({ adminUser: 'anna', adminPassword: 'a-long-operator-password', credentialSecret: 'c'.repeat(32) });
    expect(loadSecrets(site.config, site.secretsPath, {}).nodeRed?.adminUser).toBe('anna');
    expect(loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: { SMARTSPACE_NODE_RED_ADMIN_USER: 'bo' } }).adminUser).toBe('bo');
    // Where the password is, for a banner that says so without printing it.
    expect(s.adminPasswordFrom).toBe('secrets');
    const fromEnv = { SMARTSPACE_NODE_RED_ADMIN_PASSWORD: 'admin-from-env-0123456789' };
    expect(loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: fromEnv }).adminPasswordFrom).toBe('env');
  });

  it('trusts X-Forwarded-For only from the proxies named in SMARTSPACE_NODE_RED_TRUST_PROXY', async () => {
    site = await makeTestSite();
    const load = (v?: string) =>
      loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: v === undefined ? {} : { SMARTSPACE_NODE_RED_TRUST_PROXY: v } });
    expect(load().trustProxy).toEqual([]);
    expect(load('loopback, 10.0.0.0/8').trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => load('everyone')).toThrow('SMARTSPACE_NODE_RED_TRUST_PROXY: "everyone" is not an IP address');
  });

  it('refuses to start without a site key', async () => {
    site = await makeTestSite();
    writeFileSync(site.secretsPath, readFileSync(site.secretsPath, 'utf8').replace(/^siteKey: .*$/m, ''));
    expect(() => loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: {} })).toThrow(/^secrets.siteKey: missing/);
  });

  it('validates the site config with the same schema as the services and the gateway', async () => {
    site = await makeTestSite();
    writeFileSync(site.configPath, readFileSync(site.configPath, 'utf8').replace('unlockMs: 5000', 'unlockMs: 100'));
    expect(() => loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: {} })).toThrow(ConfigError);
    expect(() => loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: {} })).toThrow(
      'doors[0].unlockMs: expected integer >= 500',
    );
  });

  it('settings.cjs: loopback, operator login, palette from the project, shipped flows installed and kept once edited', async () => {
    site = await makeTestSite();
    Object.assign(process.env, { SMARTSPACE_CONFIG: site.configPath, SMARTSPACE_SECRETS_FILE: site.secretsPath });
    const path = require.resolve('../../config/node-red/settings.cjs');
    const fresh = () => {
      delete require.cache[path];
      return require(path) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true); // its JSON log lines
    try {
      const s = fresh();
      const site2 = loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: {} });
      expect(s.uiHost).toBe('127.0.0.1');
      expect(s.httpNodeRoot).toBe(false);
      expect(s.nodesDir).toEqual([join(ROOT, 'node-red')]);
      expect(s.adminAuth.users).toHaveLength(1);
      expect(s.adminAuth.users[0].username).toBe('operator');
      expect(bcrypt.compareSync(site2.adminPassword, s.adminAuth.users[0].password)).toBe(true);
      expect(s.externalModules.palette.allowInstall).toBe(false);
      // The per-client login guard goes before Node-RED's own limiter; no proxy trusted unless named.
      expect(typeof s.httpAdminMiddleware).toBe('function');
      expect(s.httpServerOptions).toEqual({});
      expect(s.smartspace).toMatchObject({ siteId: 'klitmoller', mqttPassword: site.secrets.mqtt.automation });

      const flows = join(site.dir, 'node-red', 'flows.json');
      expect(readFileSync(flows, 'utf8')).toBe(readFileSync(join(ROOT, 'config/node-red/flows.json'), 'utf8'));
      writeFileSync(flows, '[]\n'); // an operator deployed their own
      fresh();
      expect(readFileSync(flows, 'utf8')).toBe('[]\n');
      expect(existsSync(join(site.dir, 'node-red', '.shipped-flows.sha256'))).toBe(true);
    } finally {
      quiet.mockRestore();
    }
  });
});
