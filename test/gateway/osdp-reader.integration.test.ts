// An OSDP reader bound in the site config (driver: osdp), its Secure Channel key in the secrets,
// the real gateway (buildGateway in process) on one end of a socat PTY and libosdp's PD
// (test/tools/osdp-peer) on the other: cards become access decisions with a fingerprint and the
// lock driven, the reader shows them (LED, buzzer), an unplugged reader is a device fault.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseSiteConfig } from '../../config/load.ts';
import type { Secrets } from '../../config/schema.ts';
import { fingerprint } from '../../contracts/signing.ts';
import { buildGateway } from '../../gateway/gateway.ts';
import { buildPeer, ptyPair, startPeer, type Peer } from '../firmware-bridge/osdp-peer.ts';
import { signedList } from './helpers/acl.ts';
import { waitFor } from './helpers/broker.ts';

const SCBK = '8E1F47A0C3925BD6704E19F2AC5D8B31';
const secret = 'x'.repeat(24);
const secrets = (osdp: Record<string, string>): Secrets => ({
  siteKey: secret,
  sessionSecret: secret,
  mqtt: { services: secret, automation: secret, bridge: secret },
  gateways: { gw1: { key: secret, mqttPassword: secret, osdp } },
});

let peerPath = '';
let dir = '';
const cleanup: Array<() => Promise<void> | void> = [];
beforeAll(() => {
  peerPath = buildPeer();
  dir = mkdtempSync(join(tmpdir(), 'osdp-gw-'));
  return () => rmSync(dir, { recursive: true, force: true });
}, 300_000); // the first run builds the peer
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

const EXAMPLE = new URL('../../config/examples/pi-site.yaml', import.meta.url).pathname;

/** The Pi example site with one door: an OSDP reader on `path`, a simulated lock. */
function site(path: string, reader: Record<string, unknown> = {}) {
  const raw = parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  raw.gateways = [{ ...raw.gateways[0], id: 'gw1', dataDir: join(dir, `gw-${Math.random().toString(36).slice(2)}`) }];
  raw.broker.url = 'mqtt://127.0.0.1:1'; // nobody there: events wait in the outbox
  raw.doors = [
    {
      id: 'front',
      name: 'Front',
      gateway: 'gw1',
      reader: { driver: 'osdp', id: 'front-reader', path, address: 1, ...reader },
      lock: { driver: 'sim', id: 'front-lock' },
    },
  ];
  raw.desks = [];
  return parseSiteConfig(raw, dirname(EXAMPLE));
}

/** The access events the gateway stored for the services (nobody is connected: all still there). */
const accessEvents = (dataDir: string): Array<Record<string, unknown>> => {
  const db = new DatabaseSync(join(dataDir, 'gateway.db'), { readOnly: true });
  try {
    const rows = db.prepare('SELECT payload FROM outbox ORDER BY seq').all() as Array<{ payload: string }>;
    return rows.map((r) => JSON.parse(r.payload) as Record<string, unknown>).filter((e) => e.type === 'access');
  } finally {
    db.close();
  }
};

async function start(
  name: string,
  peerArgs: string[],
  osdp: Record<string, string>,
  reader: Record<string, unknown> = {},
  secretsPath?: string,
  gwOpts: { now?: () => number; statusEveryMs?: number } = {},
) {
  const pty = await ptyPair(dir, name);
  cleanup.push(() => pty.kill());
  const peer = await startPeer(peerPath, pty.feeder, ['--address', '1', ...peerArgs]);
  cleanup.push(() => peer.stop());
  const config = site(pty.device, reader);
  const gw = buildGateway(config, secrets(osdp), 'gw1', {
    serialBackoff: { minMs: 50, maxMs: 200 },
    backoff: { minMs: 5000, maxMs: 5000 },
    secretsPath,
    ...gwOpts,
  });
  cleanup.push(() => gw.stop());
  await gw.start();
  const health = () => gw.devices.find((d) => d.id === 'front-reader')!.health();
  return { pty, peer, gw, reader: health, dataDir: config.gateways[0]!.dataDir };
}

const peerCmd = (peer: Peer, cmd: string, after: number) =>
  peer.waitFor((l) => l.ev === 'cmd' && l.cmd === cmd && peer.lines.indexOf(l) >= after, `${cmd} command`);

describe('an OSDP reader on the gateway (libosdp PD over a PTY)', () => {
  it('Secure Channel with the key from the secrets file: a member card opens with green + beep, an unknown card is refused with red, a keypad PIN is a credential', async () => {
    const { peer, gw, reader, dataDir } = await start('sc', ['--scbk', SCBK, '--enforce-secure'], { 'front-reader': SCBK });
    await waitFor(() => reader().state === 'ok', 10_000, 'reader online');
    const uid = '001,00006'; // W26 facility 1 card 6 (bits 1 00000001 0000000000000110 1), printed as w26
    const acl = signedList({
      gateway: 'gw1',
      key: secret,
      version: 1,
      entries: [{ fp: fingerprint(secret, uid), member: 'ida', doors: ['front'], offline: true }],
    });
    expect(gw.access.list.offer(acl).outcome).toBe('accepted');

    const mark = peer.lines.length;
    peer.cmd('card 80800340 26');
    await waitFor(() => gw.doors.get('front')!.state().lock === 'unlocked', 5000, 'lock driven');
    expect(await peerCmd(peer, 'led', mark)).toMatchObject({ temporary: { on_color: 2 } });
    expect(await peerCmd(peer, 'buzzer', mark)).toMatchObject({ on_count: 2, rep_count: 1 });
    await waitFor(() => accessEvents(dataDir).length === 1, 5000, 'granted event');
    expect(accessEvents(dataDir)[0]).toMatchObject({ decision: 'granted', member: 'ida', fingerprint: fingerprint(secret, uid) });
    expect(JSON.stringify(accessEvents(dataDir))).not.toContain(uid);

    const mark2 = peer.lines.length;
    peer.cmd('card 0202000C 26'); // 26 bits whose parity does not fit: not Wiegand, read as its hex
    await waitFor(() => accessEvents(dataDir).length === 2, 5000, 'denied event');
    expect(accessEvents(dataDir)[1]).toMatchObject({ decision: 'denied', reason: 'unknown-credential', fingerprint: fingerprint(secret, '0202000C') });
    expect(await peerCmd(peer, 'led', mark2)).toMatchObject({ temporary: { on_color: 1 } });

    peer.cmd('keypad 4711#'); // a PIN on the reader's keypad: the credential PIN:4711
    await waitFor(() => accessEvents(dataDir).length === 3, 5000, 'PIN event');
    expect(accessEvents(dataDir)[2]).toMatchObject({ decision: 'denied', fingerprint: fingerprint(secret, 'PIN:4711') });
  });

  it('a reader unplugged is a device fault, plugged back it is ok again', async () => {
    const { pty, peer, reader } = await start('unplug', ['--scbk', SCBK, '--enforce-secure'], { 'front-reader': SCBK });
    await waitFor(() => reader().state === 'ok', 10_000, 'reader online');
    await peer.stop(); // the reader loses power: the line stays, nobody answers
    await waitFor(() => reader().state === 'fault', 10_000, 'reader fault');
    expect(reader().error).toBe('OSDP reader does not answer');
    const again = await startPeer(peerPath, pty.feeder, ['--address', '1', '--scbk', SCBK, '--enforce-secure']);
    cleanup.push(() => again.stop());
    await waitFor(() => reader().state === 'ok', 10_000, 'reader back');
  });

  it('amber steady on the reader while the gateway is offline-only, off again when the services are back', async () => {
    let skew = 0; // the gateway's clock runs ahead by this much: "hours later"
    const now = () => Date.now() + skew;
    const { peer, gw, reader } = await start('amber', ['--scbk', SCBK, '--enforce-secure'], { 'front-reader': SCBK }, {}, undefined, {
      now,
      statusEveryMs: 50,
    });
    await waitFor(() => reader().state === 'ok', 10_000, 'reader online');
    const list = (version: number) => signedList({ gateway: 'gw1', key: secret, version, ts: now(), entries: [] });
    gw.access.list.offer(list(1));
    gw.access.contact.touch(); // the services were last heard from now
    const mark = peer.lines.length;
    skew = 37 * 3600_000; // the example's offlineAfterH is 36
    expect(await peerCmd(peer, 'led', mark)).toMatchObject({ temporary: { control_code: 0 }, permanent: { control_code: 1, on_color: 3 } });
    const mark2 = peer.lines.length;
    gw.access.contact.setInContact(true);
    expect(await peerCmd(peer, 'led', mark2)).toMatchObject({ permanent: { control_code: 1, on_color: 0 } });
  });

  it('install mode enrols a factory reader: a fresh key goes to the secrets file first, then to the reader', async () => {
    const secretsPath = join(dir, 'secrets.yaml');
    writeFileSync(secretsPath, 'siteKey: keep-me-unchanged-1234\n');
    const { peer, reader } = await start('install', [], {}, { installMode: true }, secretsPath);
    const saved = (parse(readFileSync(secretsPath, 'utf8')) as Secrets).gateways.gw1!.osdp!['front-reader']!;
    expect(saved).toMatch(/^[0-9A-F]{32}$/);
    expect(statSync(secretsPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(secretsPath, 'utf8')).toContain('siteKey: keep-me-unchanged-1234');
    expect(await peer.waitFor((l) => l.ev === 'cmd' && l.cmd === 'keyset', 'keyset')).toMatchObject({ key: saved, accepted: true });
    await peer.waitFor((l) => l.ev === 'sc' && l.state === 'active' && l.key === 'scbk', 'SC with the new key');
    // Online with its key, and "install mode left on" (still in the config) shows as a warning.
    await waitFor(() => reader().state === 'warning', 10_000, 'reader online with its key');
    expect(reader().error).toMatch(/install mode is on in the site config/);
  });

  it('a wrong key is a device fault in words; a weak key is a config error naming the key', async () => {
    const { reader } = await start('wrong', ['--scbk', SCBK, '--enforce-secure'], { 'front-reader': 'C4199B20E7A35F6D0B8E2C71F4A9D356' });
    await waitFor(() => reader().state === 'fault' && reader().error !== 'OSDP reader has not answered yet', 10_000, 'wrong-key fault');
    expect(reader().error).toMatch(/refuses our Secure Channel key/);
    expect(reader().error).not.toMatch(/C4199B20|8E1F47A0/i);

    const config = site(join(dir, 'nowhere'));
    const build = () => buildGateway(config, secrets({ 'front-reader': '0102030405060708090A0B0C0D0E0F10' }), 'gw1');
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/^secrets\.gateways\.gw1\.osdp\.front-reader: weak key \(a counting sequence\)/);
  });
});
