// Enrolling an OSDP reader's key end to end: the real services (in process), the real gateway (in
// process) with the front door's reader bound as `driver: osdp` on a socat PTY, and libosdp's PD
// (test/tools/osdp-peer) on the other end. `smartspace osdp enrol` and the operator's
// POST /api/devices/:id/enrol go through the services to the gateway as a signed command; the
// gateway makes the key, writes it to its secrets file and moves the reader to it. The key is
// never in an MQTT payload nor in a log line. Install mode is a warning in device health.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { parse, stringify } from 'yaml';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceList, DeviceEnrolReply } from '../../contracts/api/index.ts';
import type { Secrets } from '../../config/schema.ts';
import { loadSecrets } from '../../config/load.ts';
import { buildGateway } from '../../gateway/gateway.ts';
import { osdpCommand } from '../../cli/commands/osdp.ts';
import { buildPeer, ptyPair, startPeer, type Peer } from '../firmware-bridge/osdp-peer.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { api, fullHealth, loginAs, startApp, waitFor, type Running } from '../services/helpers.ts';

const SITE_KEY = '8E1F47A0C3925BD6704E19F2AC5D8B31';

let peerPath = '';
let dir = '';
const cleanup: Array<() => Promise<void> | void> = [];
beforeAll(() => {
  peerPath = buildPeer();
  dir = mkdtempSync(join(tmpdir(), 'osdp-enrol-'));
  return () => rmSync(dir, { recursive: true, force: true });
}, 300_000); // the first run builds the peer
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
}, 60_000);

interface Run {
  site: TestSite;
  r: Running;
  peer: Peer;
  /** Every MQTT payload under the site's root, as text, since the start. */
  wire: string[];
  /** Every line the gateway logged. */
  logs: string[];
  keyInFile: () => string | undefined;
  device: () => Promise<DeviceList['items'][number] | undefined>;
}

/**
 * The demo site with the front door's reader on OSDP (address 1) on a PTY, the services and the
 * gateway running, and the peer started with `peerArgs`. `osdpKey`: the reader's key already in
 * the secrets file.
 */
async function start(name: string, peerArgs: string[], reader: Record<string, unknown> = {}, osdpKey?: string): Promise<Run> {
  const pty = await ptyPair(dir, name);
  cleanup.push(() => pty.kill());
  let site = await makeTestSite((raw) => {
    const front = (raw.doors as Array<Record<string, any>>).find((d) => d.id === 'front')!; // eslint-disable-line @typescript-eslint/no-explicit-any
    front.reader = { driver: 'osdp', id: 'front-reader', path: pty.device, address: 1, ...reader };
  });
  cleanup.push(() => site.cleanup());
  if (osdpKey) {
    const s = parse(readFileSync(site.secretsPath, 'utf8')) as Secrets;
    s.gateways['gw-main']!.osdp = { 'front-reader': osdpKey };
    writeFileSync(site.secretsPath, stringify(s), { mode: 0o600 });
    site = { ...site, secrets: loadSecrets(site.config, site.secretsPath, {}) };
  }
  const peer = await startPeer(peerPath, pty.feeder, ['--address', '1', ...peerArgs]);
  cleanup.push(() => peer.stop());
  const r = await startApp({ site });
  cleanup.push(() => r.stop());
  const wire: string[] = [];
  const spy = await r.connect('services', site.secrets.mqtt.services, { clientId: `spy-${name}` });
  spy.on('message', (_topic, payload) => wire.push(payload.toString()));
  await spy.subscribeAsync(`${r.t.root}/#`, { qos: 1 });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const gw = buildGateway(site.config, site.secrets, 'gw-main', {
    log: pino({ level: 'debug' }, sink),
    secretsPath: site.secretsPath,
    serialBackoff: { minMs: 50, maxMs: 200 },
    backoff: { minMs: 100, maxMs: 400 },
  });
  cleanup.push(() => gw.stop());
  await gw.start();
  const keyInFile = () => (parse(readFileSync(site.secretsPath, 'utf8')) as Secrets).gateways['gw-main']?.osdp?.['front-reader'];
  const operator = await loginAs(r, 'ida');
  const device = async () => (await api<DeviceList>(r, 'GET', '/api/devices', { cookie: operator })).body.items.find((d) => d.id === 'front-reader');
  return { site, r, peer, wire, logs, keyInFile, device };
}

/** Runs `smartspace osdp enrol` in process against the site; its exit code and lines. */
async function cli(site: TestSite, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await osdpCommand.run([...args, '--config', site.configPath], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { SMARTSPACE_SECRETS_FILE: site.secretsPath },
    cwd: site.dir,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('enrolling an OSDP reader from the CLI and the dashboard (services → signed command → gateway → libosdp PD)', () => {
  it('smartspace osdp enrol: a factory reader gets a fresh key made on the gateway, kept in its secrets file, never on the wire or in a log', async () => {
    // A factory reader (libosdp on SCBK-D, install mode), bound with no key: plain text for now.
    const run = await start('cli', []);
    await waitFor(async () => (await run.device())?.state === 'ok', 15_000);
    expect(run.keyInFile()).toBeUndefined();

    const res = await cli(run.site, 'enrol', 'gw-main', 'front-reader');
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/front-reader: enrolled/);

    const key = run.keyInFile();
    expect(key).toMatch(/^[0-9A-F]{32}$/);
    expect(await run.peer.waitFor((l) => l.ev === 'cmd' && l.cmd === 'keyset', 'keyset')).toMatchObject({ key, accepted: true });
    await run.peer.waitFor((l) => l.ev === 'sc' && l.state === 'active' && l.key === 'scbk', 'SC with the new key');
    expect(res.out).not.toContain(key!);
    // The command and its result crossed MQTT; the key did not, nor did it reach a log line.
    expect(run.wire.some((p) => p.includes('"osdp-enrol"'))).toBe(true);
    expect(run.wire.some((p) => p.includes(key!) || p.toLowerCase().includes(key!.toLowerCase()))).toBe(false);
    expect(run.logs.some((l) => l.includes('OSDP reader enrolled'))).toBe(true);
    expect(run.logs.some((l) => l.toUpperCase().includes(key!))).toBe(false);
    await waitFor(async () => (await run.device())?.state === 'ok', 10_000);
  }, 90_000);

  it('the dashboard’s POST as an operator: a reader that already has its own key refuses the install key; the reason comes back and the file keeps its key', async () => {
    const run = await start('dash', ['--scbk', SITE_KEY, '--enforce-secure'], {}, SITE_KEY);
    await waitFor(async () => (await run.device())?.state === 'ok', 15_000);
    expect(await run.device()).toMatchObject({ enrol: true });

    const host = await loginAs(run.r, 'mette');
    expect((await api(run.r, 'POST', '/api/devices/front-reader/enrol', { cookie: host })).status).toBe(403);
    const ida = await loginAs(run.r, 'ida');
    expect((await api(run.r, 'POST', '/api/devices/front-lock/enrol', { cookie: ida })).body).toMatchObject({ error: 'unknown-device' });

    const res = await api<DeviceEnrolReply>(run.r, 'POST', '/api/devices/front-reader/enrol', { cookie: ida });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ device: 'front-reader', ok: false, reason: 'not-install-mode' });
    expect(run.keyInFile()).toBe(SITE_KEY);
    expect(run.peer.lines.some((l) => l.ev === 'cmd' && l.cmd === 'keyset')).toBe(false);
    // Back on its own key, the reader is fine again.
    await waitFor(async () => (await run.device())?.state === 'ok', 15_000);
    const audit = await api<{ items: Array<{ action: string; target: string; detail: unknown }> }>(run.r, 'GET', '/api/audit?action=device.osdp-enrol', {
      cookie: ida,
    });
    expect(audit.body.items.map((a) => [a.action, a.target, a.detail])).toContainEqual([
      'device.osdp-enrol',
      'front-reader',
      expect.objectContaining({ ok: false, reason: 'not-install-mode' }),
    ]);
  }, 90_000);

  it('install mode left on in the site config is a warning with its reason on /api/devices and counted in /api/health, which stays ok', async () => {
    // Keyed already (the key is in the file), but installMode still set: the published mistake.
    const run = await start('left-on', ['--scbk', SITE_KEY, '--enforce-secure'], { installMode: true }, SITE_KEY);
    const d = await waitFor(async () => {
      const v = await run.device();
      return v?.state === 'warning' ? v : undefined;
    }, 15_000);
    expect(d.error).toMatch(/install mode is on in the site config/);
    const h = await fullHealth(run.r);
    expect(h.devices).toMatchObject({ warning: 1, fault: 0 });
    expect(h.status).toBe('ok');
  }, 90_000);
});
