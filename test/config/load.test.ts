import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadSiteConfig, parseSiteConfig, loadSecrets, ensureSecretsFile, gatewayEnv, gatewaySlice, ConfigError } from '../../config/load.ts';

const DEMO = new URL('../../config/demo/site.yaml', import.meta.url).pathname;
const demoRaw = () => parse(readFileSync(DEMO, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'ss-config-'));
  dirs.push(d);
  return d;
}

describe('site config', () => {
  it('loads the demo site: 2 doors, 16 desks in 2 zones, frozen, data dirs absolute', () => {
    const c = loadSiteConfig(DEMO);
    expect(c.doors).toHaveLength(2);
    expect(c.desks).toHaveLength(16);
    expect(new Set(c.desks.map((d) => d.zone)).size).toBe(2);
    expect(c.services.dataDir.startsWith('/')).toBe(true);
    expect(Object.isFrozen(c.doors[0])).toBe(true);
  });

  it('names the bad key and what was expected', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const cases: Array<[(r: any) => void, string]> = [
      [(r) => (r.doors[1].unlockMs = 100), 'doors[1].unlockMs: expected integer >= 500 <= 60000'],
      [(r) => (r.doors[1].unlockMs = 'soon'), 'doors[1].unlockMs: expected integer'],
      [(r) => (r.doors[0].colour = 'red'), 'doors[0].colour: unknown key'],
      [(r) => delete r.site.id, 'site.id: missing'],
      [(r) => (r.desks[3].zone = 'attic'), 'desks[3].zone: unknown zone "attic"'],
      [(r) => (r.doors[0].gateway = 'gw-x'), 'doors[0].gateway: unknown gateway "gw-x"'],
      [(r) => (r.desks[1].id = r.desks[0].id), 'desks[1].id: duplicate id "d01"'],
      [(r) => (r.site.timeZone = 'Mars/Olympus'), 'site.timeZone: unknown time zone'],
      [(r) => (r.doors[0].lock.driver = 'telepathy'), 'doors[0].lock.driver: expected one of "sim", "gpio"'],
      [(r) => (r.desks[0].position.x = 5000), 'desks[0].position: outside the floor'],
      [(r) => (r.history = { store: 'influxdb1' }), 'history.influxdb1: missing, expected { url, database } for store influxdb1'],
      [(r) => (r.history = { store: 'influxdb2' }), 'history.influxdb2: missing, expected { url, org, bucket } for store influxdb2'],
      [(r) => (r.desks[2].sensor.id = 'front-reader'), 'desks[2].sensor.id: device id "front-reader" already used at doors[0].reader.id'],
    ];
    for (const [edit, message] of cases) {
      const raw = demoRaw();
      edit(raw);
      expect(errorOf(() => parseSiteConfig(raw, '/tmp')).message).toContain(message);
    }
  });

  it('fills defaults for optional keys', () => {
    const raw = demoRaw();
    delete raw.doors[0].unlockMs;
    delete raw.gateways[0].offlineAfterH;
    const c = parseSiteConfig(raw, '/tmp');
    expect(c.doors[0]!.unlockMs).toBe(5000);
    expect(c.gateways[0]!.offlineAfterH).toBe(36);
  });

  it('reports a missing file and invalid YAML', () => {
    expect(errorOf(() => loadSiteConfig('/nonexistent/site.yaml')).message).toContain('cannot read config file');
    const d = tmp();
    writeFileSync(join(d, 'bad.yaml'), 'site: [unclosed');
    expect(errorOf(() => loadSiteConfig(join(d, 'bad.yaml'))).message).toContain('not valid YAML');
  });
});

describe('secrets', () => {
  it('generates a private secrets file with every secret, stable across runs', () => {
    const c = loadSiteConfig(DEMO);
    const path = join(tmp(), 'secrets.yaml');
    ensureSecretsFile(c, path);
    const first = readFileSync(path, 'utf8');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    ensureSecretsFile(c, path);
    expect(readFileSync(path, 'utf8')).toBe(first);
    const s = loadSecrets(c, path, {});
    expect(s.gateways['gw-main']!.key.length).toBeGreaterThanOrEqual(16);
    // Node-RED's operators' password is in the file, where a host can look it up (never printed).
    expect(s.nodeRed?.adminPassword?.length).toBeGreaterThanOrEqual(16);
  });

  it('takes secrets from the environment over the file', () => {
    const c = loadSiteConfig(DEMO);
    const path = join(tmp(), 'secrets.yaml');
    ensureSecretsFile(c, path);
    const env = { SMARTSPACE_SITE_KEY: 's'.repeat(20), [gatewayEnv('gw-main', 'KEY')]: 'g'.repeat(20) };
    const s = loadSecrets(c, path, env);
    expect(s.siteKey).toBe('s'.repeat(20));
    expect(s.gateways['gw-main']!.key).toBe('g'.repeat(20));
    expect(gatewayEnv('gw-main', 'MQTT_PASSWORD')).toBe('SMARTSPACE_GATEWAY_GW_MAIN_MQTT_PASSWORD');
  });

  it('accepts the Node-RED login in the secrets file, which Node-RED reads (services and gateway load the same file)', () => {
    const c = loadSiteConfig(DEMO);
    const path = join(tmp(), 'secrets.yaml');
    ensureSecretsFile(c, path);
    const login = { adminUser: 'anna', adminPassword: 'a-long-operator-password', credentialSecret: 'c'.repeat(32) };
    writeFileSync(
      path,
      `${readFileSync(path, 'utf8').replace(/^nodeRed:\n(?: {2}.*\n)+/m, '')}nodeRed:\n  adminUser: ${login.adminUser}\n  adminPassword: ${login.adminPassword}\n  credentialSecret: ${login.credentialSecret}\n`,
    );
    expect(loadSecrets(c, path, {}).nodeRed).toEqual(login);
    expect(errorOf(() => loadSecrets(c, path, { SMARTSPACE_NODE_RED_CREDENTIAL_SECRET: 'short' })).message).toContain(
      'secrets.nodeRed.credentialSecret: expected string',
    );
    writeFileSync(path, `${readFileSync(path, 'utf8')}  colour: red\n`);
    expect(errorOf(() => loadSecrets(c, path, {})).message).toContain('secrets.nodeRed.colour: unknown key');
  });

  it('names a missing or short secret without printing any value', () => {
    const c = loadSiteConfig(DEMO);
    const path = join(tmp(), 'secrets.yaml');
    expect(errorOf(() => loadSecrets(c, path, {})).message).toMatch(/^secrets\.[\w.-]+: missing, expected string/);
    ensureSecretsFile(c, path);
    const e = errorOf(() => loadSecrets(c, path, { SMARTSPACE_SESSION_SECRET: 'tooshort' }));
    expect(e.message).toContain('secrets.sessionSecret: expected string');
    expect(e.message).not.toContain('tooshort');
  });
});

describe('slices', () => {
  it('a gateway gets its own config and secrets; another id is a config error naming --gateway', () => {
    const c = loadSiteConfig(DEMO);
    const path = join(tmp(), 'secrets.yaml');
    ensureSecretsFile(c, path);
    const secrets = loadSecrets(c, path, {});
    const slice = gatewaySlice(c, secrets, 'gw-main');
    expect(slice.gateway.id).toBe('gw-main');
    expect(slice.secrets).toBe(secrets.gateways['gw-main']);
    expect(errorOf(() => gatewaySlice(c, secrets, 'gw-x')).message).toBe('--gateway: unknown gateway "gw-x" (config has gw-main)');
  });

  it('store influxdb2 needs its token in the secrets', () => {
    const raw = demoRaw();
    raw.history = { store: 'influxdb2', influxdb2: { url: 'http://127.0.0.1:8086', org: 'o', bucket: 'b' } };
    const c = parseSiteConfig(raw, '/tmp');
    const path = join(tmp(), 'secrets.yaml');
    ensureSecretsFile(c, path);
    expect(errorOf(() => loadSecrets(c, path, {})).message).toMatch(/^secrets\.history\.token: missing, required for store influxdb2/);
    expect(loadSecrets(c, path, { SMARTSPACE_HISTORY_TOKEN: 'token' }).history?.token).toBe('token');
  });

  it('webhook URLs and signing secrets live in the secrets file; an old alert webhook URL in the site config names where it goes', () => {
    const old = demoRaw();
    old.alerts = { webhooks: [{ id: 'chat', url: 'https://hooks.example/T0', format: 'slack' }] };
    const moved = errorOf(() => parseSiteConfig(old, '/tmp'));
    expect(moved.key).toBe('alerts.webhooks[0].url');
    expect(moved.message).toMatch(/move it to the secrets file as alerts\.webhooks\.chat\.url/);

    const raw = demoRaw();
    raw.alerts = { webhooks: [{ id: 'chat', format: 'slack' }] };
    raw.webhooks = { subscriptions: [{ id: 'booking', kinds: ['access.granted', 'occupancy.changed'] }] };
    const c = parseSiteConfig(raw, '/tmp');
    const path = join(tmp(), 'secrets.yaml');
    ensureSecretsFile(c, path);
    // The signing secret is generated (Standard Webhooks form); the URL only a host knows.
    const generated = parse(readFileSync(path, 'utf8')) as { webhooks: { booking: { secret: string } } };
    expect(generated.webhooks.booking.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(errorOf(() => loadSecrets(c, path, {})).message).toMatch(/^secrets\.webhooks\.booking\.url: /);
    const text = readFileSync(path, 'utf8').replace('  booking:\n', '  booking:\n    url: https://book.example/in\n');
    writeFileSync(path, text);
    expect(errorOf(() => loadSecrets(c, path, {})).message).toMatch(/^secrets\.alerts\.webhooks\.chat\.url: missing, required for the alert webhook "chat"/);
    writeFileSync(path, text.replace('alerts:\n', 'alerts:\n  webhooks:\n    chat: { url: "https://hooks.example/T0" }\n'));
    const s = loadSecrets(c, path, {});
    expect(s.webhooks?.booking).toEqual({ url: 'https://book.example/in', secret: generated.webhooks.booking.secret });
    expect(s.alerts?.webhooks?.chat?.url).toBe('https://hooks.example/T0');
    // A kind nobody sends is named.
    raw.webhooks.subscriptions[0].kinds = ['door.unlocked'];
    expect(errorOf(() => parseSiteConfig(raw, '/tmp')).key).toMatch(/^webhooks\.subscriptions\[0\]\.kinds/);
  });
});

describe('config/schema.json', () => {
  it('is the generated form of the TypeBox schema (run `npm run schema` after changing it)', async () => {
    const { SiteConfig } = await import('../../config/schema.ts');
    const onDisk = JSON.parse(readFileSync(new URL('../../config/schema.json', import.meta.url), 'utf8'));
    const { $schema: _s, title: _t, ...rest } = onDisk;
    expect(rest).toEqual(JSON.parse(JSON.stringify(SiteConfig)));
  });
});
