// The Mosquitto config generator (scripts/mosquitto-config.ts) without Mosquitto: password
// hashes in mosquitto_passwd's format, ACL lines per role, mosquitto.conf, the files on disk.
// Against the real broker: test/e2e/external-broker.e2e.test.ts.
import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { MAX_MQTT_PACKET_BYTES } from '../../contracts/mqtt-limits.ts';
import { aclFile, mosquittoConf, mosquittoHash, mqttUsers, passwdFile, verifyMosquittoHash, MosquittoConfigError } from '../../scripts/lib/mosquitto-config.ts';
import { writeMosquittoConfig } from '../../scripts/mosquitto-config.ts';
import { loadSiteConfig } from '../../config/load.ts';

// Written by Debian's `mosquitto_passwd -b passwd services secretsecret123` (2.0.11).
const REAL_LINE = 'services:$7$101$yL1VA/71YCJCLapo$xpG4r/DNfek7cM8KWfH/sYTeSmm9jrIZKRJJGwm/07UX9RGjLCm2G6VrVojKLbUTE5n8h0XrjZqY2neVt0b9LQ==';

const sites: TestSite[] = [];
afterEach(() => sites.splice(0).forEach((s) => s.cleanup()));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function site(edit?: (raw: Record<string, any>) => void, external = true): Promise<TestSite> {
  const s = await makeTestSite(edit, { externalBroker: external });
  sites.push(s);
  return s;
}

describe('mosquitto password hashes', () => {
  it('reproduces a hash written by mosquitto_passwd and verifies it', () => {
    const encoded = REAL_LINE.slice('services:'.length);
    expect(verifyMosquittoHash('secretsecret123', encoded)).toBe(true);
    expect(verifyMosquittoHash('secretsecret124', encoded)).toBe(false);
    const salt = Buffer.from(encoded.split('$')[3]!, 'base64');
    expect(mosquittoHash('secretsecret123', salt)).toBe(encoded);
  });

  it('writes one user:$7$ line per identity, each with its own salt', async () => {
    const s = await site();
    const users = mqttUsers(s.config, s.secrets);
    expect(users.map((u) => u.username)).toEqual(['services', 'automation', 'bridge', 'gateway.gw-main']);
    const lines = passwdFile(users).trim().split('\n');
    expect(lines).toHaveLength(4);
    const salts = new Set<string>();
    for (const [i, line] of lines.entries()) {
      const [user, hash] = [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)];
      expect(user).toBe(users[i]!.username);
      expect(hash).toMatch(/^\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/);
      expect(verifyMosquittoHash(users[i]!.password, hash)).toBe(true);
      salts.add(hash.split('$')[3]!);
    }
    expect(salts.size).toBe(4);
    // Mosquitto splits a password line at ':': no username may contain one.
    expect(users.every((u) => !u.username.includes(':'))).toBe(true);
  });
});

describe('mosquitto acl file', () => {
  it('mirrors acl.ts per role: services and automation under the root, bridge only its bridged desks, a gateway only its own', async () => {
    const s = await site((raw) => {
      raw.bridge = { source: { url: 'mqtt://127.0.0.1:1884' } };
      raw.desks[15].sensor = { driver: 'zigbee2mqtt', id: 'd16-fp1', friendlyName: 'Desk 16' };
      raw.gateways.push({ id: 'gw-b', name: 'Annex', dataDir: 'gw-b' });
      raw.doors.push({ id: 'side', name: 'Side', gateway: 'gw-b', reader: { driver: 'sim', id: 'side-reader' }, lock: { driver: 'sim', id: 'side-lock' } });
    });
    const r = 'smartspace/klitmoller';
    const text = aclFile(s.config, s.secrets);
    const blocks = new Map<string, string[]>();
    let user = '';
    for (const line of text.split('\n')) {
      if (line.startsWith('user ')) blocks.set((user = line.slice(5)), []);
      else if (line.startsWith('topic ')) blocks.get(user)!.push(line);
      else expect(line === '' || line.startsWith('#')).toBe(true);
    }
    expect([...blocks.keys()]).toEqual(['services', 'automation', 'bridge', 'gateway.gw-b', 'gateway.gw-main']);
    expect(blocks.get('services')).toEqual([`topic readwrite ${r}/+`, `topic readwrite ${r}/+/#`]);
    expect(blocks.get('automation')).toEqual([
      `topic write ${r}/service/automation/status`,
      `topic deny ${r}/acl/+`,
      `topic deny ${r}/acl/+/#`,
      `topic read ${r}/+`,
      `topic read ${r}/+/#`,
    ]);
    expect(blocks.get('bridge')).toEqual([
      `topic write ${r}/desk/d16/occupancy`,
      `topic write ${r}/sensor/d16-fp1/reading`,
      `topic write ${r}/device/d16-fp1/health`,
    ]);
    expect(blocks.get('gateway.gw-b')).toEqual([
      `topic write ${r}/gateway/gw-b/status`,
      `topic write ${r}/door/side/state`,
      `topic write ${r}/door/side/event`,
      `topic read ${r}/door/side/command`,
      `topic write ${r}/device/side-reader/health`,
      `topic write ${r}/device/side-lock/health`,
      `topic read ${r}/acl/gw-b`,
      `topic read ${r}/service/+/status`,
    ]);
    const main = blocks.get('gateway.gw-main')!;
    expect(main).toContain(`topic read ${r}/door/front/command`);
    expect(main).toContain(`topic read ${r}/door/meeting/command`);
    // d16 is the bridge's (zigbee2mqtt), no longer the gateway's.
    expect(main.filter((l) => l.includes('/desk/'))).toHaveLength(15);
    expect(main.some((l) => l.includes('d16'))).toBe(false);
    // Readings and health per owned device, no wildcard (finding 6 of issue 12).
    expect(main).toContain(`topic write ${r}/device/front-lock/health`);
    expect(main).toContain(`topic write ${r}/device/d01-pir/health`);
    expect(main).toContain(`topic write ${r}/sensor/d01-pir/reading`);
    expect(main.filter((l) => l.includes('/sensor/'))).toHaveLength(15);
    expect(main.some((l) => (l.startsWith('topic write') && l.includes('+')) || l.includes('side') || l.includes('gw-b'))).toBe(false);
  });
});

describe('mosquitto.conf', () => {
  it('listens at broker.url, no anonymous clients, per-listener password and acl files, persistence', async () => {
    const s = await site();
    const conf = mosquittoConf(s.config, { dir: '/etc/smartspace/mosquitto' });
    const lines = conf.split('\n');
    const at = (l: string) => lines.indexOf(l);
    expect(at('per_listener_settings true')).toBeGreaterThan(-1);
    expect(lines).toContain('persistence true');
    expect(lines).toContain('persistence_location /etc/smartspace/mosquitto/data/');
    expect(lines).toContain('max_queued_messages 100000');
    // The embedded broker's packet limit, from the one constant (finding 5 of issue 12).
    expect(lines).toContain(`max_packet_size ${MAX_MQTT_PACKET_BYTES}`);
    const listener = at(`listener ${s.mqttPort} 127.0.0.1`);
    expect(listener).toBeGreaterThan(at('per_listener_settings true'));
    // Per-listener settings follow their listener.
    for (const l of ['allow_anonymous false', 'password_file /etc/smartspace/mosquitto/passwd', 'acl_file /etc/smartspace/mosquitto/acl'])
      expect(at(l)).toBeGreaterThan(listener);
    expect(conf).not.toMatch(/^user /m);
    expect(conf).not.toContain('use_username_as_clientid');
    const locked = mosquittoConf(s.config, { dir: '/x', usernameAsClientId: true }).split('\n');
    expect(locked.indexOf('use_username_as_clientid true')).toBeGreaterThan(locked.indexOf(`listener ${s.mqttPort} 127.0.0.1`));
    expect(mosquittoConf(s.config, { dir: '/x', user: 'root', bind: '::1', dataDir: '/var/lib/mq' })).toMatch(
      /^user root\n[\s\S]*persistence_location \/var\/lib\/mq\/\n[\s\S]*listener \d+ ::1\n/m,
    );
  });

  it('ws://, mqtts://, wss:// and an embedded-broker site are refused, naming the key', async () => {
    // ws://: Debian's 2.0.11 exits with "Unable to start any listening sockets" for a
    // websockets-only listener (tried here; eclipse-mosquitto/mosquitto#2284).
    const ws = await site((raw) => (raw.broker.url = 'ws://127.0.0.1:9001/mqtt'));
    expect(() => mosquittoConf(ws.config, { dir: '/x' })).toThrow(/^broker\.url: ws:\/\/ is not generated/);
    const tls = await site((raw) => (raw.broker.url = 'mqtts://broker.example:8883'));
    expect(() => mosquittoConf(tls.config, { dir: '/x' })).toThrow(MosquittoConfigError);
    expect(() => mosquittoConf(tls.config, { dir: '/x' })).toThrow(/^broker\.url: mqtts:\/\/ needs the broker certificate: --certfile and --keyfile/);
    const wss = await site((raw) => (raw.broker.url = 'wss://broker.example:8884/mqtt'));
    expect(() => mosquittoConf(wss.config, { dir: '/x', tls: { certfile: 'c.pem', keyfile: 'k.pem' } })).toThrow(/^broker\.url: wss:\/\/ is not generated/);
    const plain = await site();
    expect(() => mosquittoConf(plain.config, { dir: '/x', tls: { certfile: 'c.pem', keyfile: 'k.pem' } })).toThrow(/but the url is mqtt:\/\//);
    const embedded = await site(undefined, false);
    expect(() => mosquittoConf(embedded.config, { dir: '/x' })).toThrow(/^broker\.external: /);
  });

  it('writes a TLS listener for mqtts://: certfile, keyfile, optional cafile, TLS 1.2 or newer', async () => {
    const s = await site((raw) => (raw.broker.url = 'mqtts://10.0.0.2:8883'));
    const conf = mosquittoConf(s.config, { dir: '/x', tls: { certfile: '/etc/mosquitto/certs/broker.pem', keyfile: '/etc/mosquitto/certs/broker-key.pem' } });
    expect(conf).toMatch(
      /^listener 8883 10\.0\.0\.2\ncertfile \/etc\/mosquitto\/certs\/broker\.pem\nkeyfile \/etc\/mosquitto\/certs\/broker-key\.pem\ntls_version tlsv1\.2\n/m,
    );
    expect(conf).not.toContain('cafile');
    expect(conf).toContain('allow_anonymous false');
    const withCa = mosquittoConf(s.config, { dir: '/x', tls: { certfile: '/c.pem', keyfile: '/k.pem', cafile: '/ca.pem' } });
    expect(withCa).toMatch(/^keyfile \/k\.pem\ncafile \/ca\.pem\n/m);
  });

  it('writes the folder: secrets-bearing files 0600, a data dir, and passwords that verify', async () => {
    const s = await site();
    const dir = join(s.dir, 'mq');
    const r = writeMosquittoConfig(s.configPath, { dir, user: 'root' }, { SMARTSPACE_SECRETS_FILE: s.secretsPath });
    expect(r.users).toBe(4);
    for (const f of ['mosquitto.conf', 'passwd', 'acl']) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'data')).isDirectory()).toBe(true);
    const line = readFileSync(join(dir, 'passwd'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('gateway.gw-main:'))!;
    expect(verifyMosquittoHash(s.secrets.gateways['gw-main']!.mqttPassword, line.slice(line.indexOf(':') + 1))).toBe(true);
    expect(readFileSync(join(dir, 'mosquitto.conf'), 'utf8')).toContain(`acl_file ${join(dir, 'acl')}`);
  });

  it('a gateway only in the secrets file still gets its user, as the embedded broker would accept it', async () => {
    const s = await site();
    const raw = parse(readFileSync(s.secretsPath, 'utf8'));
    raw.gateways['gw-old'] = { key: 'k'.repeat(32), mqttPassword: 'p'.repeat(32) };
    writeFileSync(s.secretsPath, stringify(raw));
    const dir = join(s.dir, 'mq2');
    writeMosquittoConfig(s.configPath, { dir, user: 'root' }, { SMARTSPACE_SECRETS_FILE: s.secretsPath });
    const acl = readFileSync(join(dir, 'acl'), 'utf8');
    expect(acl).toContain('user gateway.gw-old\n');
    expect(acl).toMatch(/user gateway\.gw-old\ntopic write smartspace\/klitmoller\/gateway\/gw-old\/status\ntopic read smartspace\/klitmoller\/acl\/gw-old\n/);
    expect(loadSiteConfig(s.configPath).broker.external).toBe(true);
  });
});
