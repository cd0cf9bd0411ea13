// Our OSDP CP (firmware-bridge/codecs/osdp-*.ts) against libosdp 3.2.2's PD (test/tools/osdp-peer)
// over a socat PTY pair: plain, Secure Channel with a site key, install mode → KEYSET → SC with
// the new key, a wrong key refused as a fault, and card/keypad/status events from the peer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OsdpColor, osdpCrc16, type OsdpEvent } from '../../firmware-bridge/index.ts';
import { buildPeer, ptyPair, runCp, startPeer, type CpRun, type Peer, type PeerLine, type RunCpOptions } from './osdp-peer.ts';
import { hx } from './bytes-util.ts';

const SITE_KEY = hx('8E1F47A0C3925BD6704E19F2AC5D8B31');
const NEW_KEY = hx('5A0C93E17B2D48F6A1C07E3359B2D4E8');
const WRONG_KEY = hx('C4199B20E7A35F6D0B8E2C71F4A9D356');

let peerPath = '';
let dir = '';
const cleanup: Array<() => Promise<void> | void> = [];

beforeAll(() => {
  peerPath = buildPeer();
  dir = mkdtempSync(join(tmpdir(), 'osdp-interop-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function setup(name: string, peerArgs: string[], cpOpts: RunCpOptions = {}): Promise<{ peer: Peer; cp: CpRun }> {
  const pty = await ptyPair(dir, name);
  cleanup.push(() => pty.kill());
  const peer = await startPeer(peerPath, pty.device, peerArgs);
  cleanup.push(() => peer.stop());
  const cp = runCp(pty, { baud: 9600, ...cpOpts });
  cleanup.push(() => cp.stop());
  return { peer, cp };
}

const is =
  <T extends OsdpEvent['type']>(type: T) =>
  (e: OsdpEvent): e is Extract<OsdpEvent, { type: T }> =>
    e.type === type;

describe('OSDP CP against libosdp 3.2.2 (osdp-pd-peer)', () => {
  it('plain: ID/CAP, POLL, LED/BUZ/OUT reach the PD, card, keypad and status come back', async () => {
    const { peer, cp } = await setup('plain', ['--address', '1']);
    const pd = cp.bus.add({ address: 1 });
    const online = await cp.waitFor(is('online'), 'online');
    expect(online).toMatchObject({ secure: false, key: null, id: { vendor: 0xa1b2c3, serial: 0x01020304, firmware: { major: 1, minor: 0, build: 0 } } });
    expect(cp.events.some((e) => e.type === 'warning' && e.reason === 'plain-text')).toBe(true);

    peer.cmd('card 0202000C 26'); // W26 facility 1, card 6 … bits as the peer sends them
    const card = await cp.waitFor(is('card'), 'card');
    expect(card).toMatchObject({ format: 'wiegand', bits: 26, hex: '0202000C' });

    peer.cmd('keypad 12*#');
    expect(await cp.waitFor(is('keypad'), 'keypad')).toMatchObject({ keys: '12*#' });
    peer.cmd('status tamper 1');
    expect(await cp.waitFor(is('local-status'), 'local status')).toMatchObject({ tamper: true, power: false });
    peer.cmd('status input 1 1');
    expect(await cp.waitFor(is('input-status'), 'input status')).toMatchObject({ inputs: [0, 1] });

    pd.led([
      {
        reader: 0,
        led: 0,
        temporary: { controlCode: 2, onTime: 5, offTime: 5, onColor: OsdpColor.GREEN, offColor: 0, timer: 30 },
        permanent: { controlCode: 1, onTime: 1, offTime: 0, onColor: OsdpColor.RED, offColor: 0 },
      },
    ]);
    pd.buzzer({ reader: 0, tone: 2, onTime: 3, offTime: 2, count: 2 });
    pd.output([{ output: 0, controlCode: 5, timer: 10 }]);
    const led = await peer.waitFor((l) => l.ev === 'cmd' && l.cmd === 'led', 'led command');
    expect(led).toMatchObject({ temporary: { control_code: 2, on_count: 5, off_count: 5, on_color: 2, timer_count: 30 }, permanent: { on_color: 1 } });
    expect(await peer.waitFor((l) => l.ev === 'cmd' && l.cmd === 'buzzer', 'buzzer')).toMatchObject({ control_code: 2, on_count: 3, rep_count: 2 });
    expect(await peer.waitFor((l) => l.ev === 'cmd' && l.cmd === 'output', 'output')).toMatchObject({ output_no: 0, control_code: 5, timer_count: 10 });
    await cp.waitFor((e) => e.type === 'command' && e.command === 0x68, 'OUT outcome');
    expect(cp.events.filter(is('command')).every((e) => e.ok)).toBe(true);
    expect(cp.bus.stats().pds[1]).toMatchObject({ timeouts: 0, macErrors: 0, badReplies: 0 });
  });

  it('Secure Channel with the site key: session on the SCBK, card and LED inside it', async () => {
    const { peer, cp } = await setup('sc', ['--address', '1', '--scbk', '8E1F47A0C3925BD6704E19F2AC5D8B31', '--enforce-secure']);
    const pd = cp.bus.add({ address: 1, scbk: SITE_KEY });
    expect(await cp.waitFor(is('online'), 'online')).toMatchObject({ secure: true, key: 'scbk' });
    expect(await peer.waitFor((l) => l.ev === 'sc' && l.state === 'active', 'sc active')).toMatchObject({ key: 'scbk' });
    peer.cmd('card 0400A1B2C3 40');
    expect(await cp.waitFor(is('card'), 'card')).toMatchObject({ bits: 40, hex: '0400A1B2C3', wiegand: null });
    pd.buzzer({ reader: 0, tone: 2, onTime: 1, offTime: 0, count: 1 });
    await peer.waitFor((l) => l.ev === 'cmd' && l.cmd === 'buzzer', 'buzzer inside SC');
    await cp.waitFor((e) => e.type === 'command' && e.ok, 'buzzer ACK');
    expect(peer.lines.some((l) => l.ev === 'nak')).toBe(false);
    expect(cp.bus.stats().pds[1]).toMatchObject({ macErrors: 0, handshakes: 1 });
  });

  it('install mode: SCBK-D session, KEYSET to the site key, then a session on the new key only', async () => {
    const { peer, cp } = await setup('install', ['--address', '1']); // a factory reader: no SCBK, install mode
    cp.bus.add({ address: 1, installMode: true, scbk: NEW_KEY });
    const keyset = await peer.waitFor((l) => l.ev === 'cmd' && l.cmd === 'keyset', 'keyset');
    expect(keyset).toMatchObject({ type: 1, length: 16, key: '5A0C93E17B2D48F6A1C07E3359B2D4E8', accepted: true });
    await cp.waitFor(is('key-changed'), 'key-changed');
    expect(await cp.waitFor(is('online'), 'online')).toMatchObject({ secure: true, key: 'scbk' });
    // The peer prints its side on its own stdout: wait for its second session line.
    const active = (): PeerLine[] => peer.lines.filter((l) => l.ev === 'sc' && l.state === 'active');
    await peer.waitFor(() => active().length >= 2, 'second secure session');
    const sc = active().map((l) => l.key);
    expect(sc).toEqual(['scbk-d', 'scbk']);
    // Install mode is over: no install-mode warning, and a card arrives in the new session.
    expect(cp.events.some((e) => e.type === 'warning')).toBe(false);
    peer.cmd('card 80800080 26 raw');
    expect(await cp.waitFor(is('card'), 'card')).toMatchObject({ format: 'raw', bits: 26, hex: '80800080' });
  });

  it('a wrong key is refused and reported as a fault; the PD never gets a session', async () => {
    const { peer, cp } = await setup('wrong', ['--address', '1', '--scbk', '8E1F47A0C3925BD6704E19F2AC5D8B31', '--enforce-secure']);
    cp.bus.add({ address: 1, scbk: WRONG_KEY });
    expect(await cp.waitFor(is('fault'), 'fault')).toMatchObject({ reason: 'sc-wrong-key' });
    await new Promise((r) => setTimeout(r, 300));
    expect(cp.events.some((e) => e.type === 'online')).toBe(false);
    expect(peer.lines.some((l) => l.ev === 'sc' && l.state === 'active')).toBe(false);
  });

  it('a site key against a reader still on its factory key is refused, not downgraded', async () => {
    const { peer, cp } = await setup('factory', ['--address', '1']);
    cp.bus.add({ address: 1, scbk: SITE_KEY });
    expect(await cp.waitFor(is('fault'), 'fault')).toMatchObject({ reason: 'sc-wrong-key' });
    expect(cp.events.some((e) => e.type === 'online')).toBe(false);
    peer.cmd('card 0400A1B2C3 40');
    await new Promise((r) => setTimeout(r, 300));
    expect(cp.events.some((e) => e.type === 'card')).toBe(false);
  });

  it('KEYSET inside a running session rotates the key; the link stays up on the new key', async () => {
    const { peer, cp } = await setup('rotate', ['--address', '1', '--scbk', '8E1F47A0C3925BD6704E19F2AC5D8B31', '--enforce-secure']);
    const pd = cp.bus.add({ address: 1, scbk: SITE_KEY });
    await cp.waitFor(is('online'), 'online');
    pd.keyset(NEW_KEY);
    expect(await peer.waitFor((l) => l.ev === 'cmd' && l.cmd === 'keyset', 'keyset')).toMatchObject({ key: '5A0C93E17B2D48F6A1C07E3359B2D4E8' });
    await cp.waitFor(is('key-changed'), 'key-changed');
    await peer.waitFor(
      (l) => l.ev === 'sc' && l.state === 'active' && peer.lines.filter((x) => x.ev === 'sc' && x.state === 'active').length === 2,
      'second session',
    );
    peer.cmd('card 0400A1B2C3 40');
    expect(await cp.waitFor(is('card'), 'card')).toMatchObject({ hex: '0400A1B2C3' });
    expect(cp.events.filter(is('online'))).toHaveLength(1);
    expect(cp.events.some((e) => e.type === 'fault' || e.type === 'offline')).toBe(false);
  });

  it('a reply MAC changed on the line is refused: fault, no card from it, then a fresh session', async () => {
    let armed = false;
    // Flip a MAC byte of the first encrypted reply (SCS_18, i.e. the card) once armed.
    const mangle = (b: Uint8Array): Uint8Array => {
      if (!armed || b.length < 12 || b[0] !== 0x53 || b[6] !== 0x18) return b;
      armed = false;
      const out = b.slice();
      out[out.length - 3] = out[out.length - 3]! ^ 0x01;
      // Keep the CRC right, so only the MAC is wrong.
      const crc = osdpCrc16(out, 0, out.length - 2);
      out[out.length - 2] = crc & 0xff;
      out[out.length - 1] = crc >> 8;
      return out;
    };
    const { peer, cp } = await setup('tamper', ['--address', '1', '--scbk', '8E1F47A0C3925BD6704E19F2AC5D8B31', '--enforce-secure'], { mangle });
    cp.bus.add({ address: 1, scbk: SITE_KEY, restartDelayMs: 200 });
    await cp.waitFor(is('online'), 'online');
    armed = true;
    peer.cmd('card 0400A1B2C3 40');
    expect(await cp.waitFor(is('fault'), 'fault')).toMatchObject({ reason: 'sc-mac' });
    await cp.waitFor((e) => e.type === 'online' && cp.events.filter(is('online')).length === 2, 'back online');
    expect(cp.events.some((e) => e.type === 'card')).toBe(false);
    expect(cp.bus.stats().pds[1]!.macErrors).toBe(1);
    peer.cmd('card 0400A1B2C4 40');
    expect(await cp.waitFor(is('card'), 'card after the new session')).toMatchObject({ hex: '0400A1B2C4' });
  });

  it('two readers on one bus (multi-drop): each comes online by its address, cards are told apart', async () => {
    const [a, b] = [await ptyPair(dir, 'bus1'), await ptyPair(dir, 'bus2')];
    cleanup.push(
      () => a.kill(),
      () => b.kill(),
    );
    const pd1 = await startPeer(peerPath, a.device, ['--address', '1', '--scbk', '8E1F47A0C3925BD6704E19F2AC5D8B31', '--enforce-secure']);
    cleanup.push(() => pd1.stop());
    const pd2 = await startPeer(peerPath, b.device, ['--address', '2', '--scbk', '5A0C93E17B2D48F6A1C07E3359B2D4E8', '--enforce-secure']);
    cleanup.push(() => pd2.stop());
    const cp = runCp([a, b], { baud: 9600 });
    cleanup.push(() => cp.stop());
    cp.bus.add({ address: 1, scbk: SITE_KEY });
    cp.bus.add({ address: 2, scbk: NEW_KEY });
    await cp.waitFor((e) => e.type === 'online' && e.address === 1, 'PD 1 online');
    await cp.waitFor((e) => e.type === 'online' && e.address === 2, 'PD 2 online');
    pd2.cmd('card 0400000002 40');
    expect(await cp.waitFor(is('card'), 'card')).toMatchObject({ address: 2, hex: '0400000002' });
    pd1.cmd('card 0400000001 40');
    await cp.waitFor((e) => e.type === 'card' && e.address === 1, 'card from PD 1');
    expect(cp.events.filter(is('card')).map((e) => [e.address, e.hex])).toEqual([
      [2, '0400000002'],
      [1, '0400000001'],
    ]);
    expect(cp.events.some((e) => e.type === 'fault' || e.type === 'offline')).toBe(false);
  });

  it('a reader unplugged is reported offline, and online again once it is back', async () => {
    const pty = await ptyPair(dir, 'unplug');
    cleanup.push(() => pty.kill());
    const args = ['--address', '1', '--scbk', '8E1F47A0C3925BD6704E19F2AC5D8B31', '--enforce-secure'];
    const first = await startPeer(peerPath, pty.device, args);
    cleanup.push(() => first.stop());
    const cp = runCp(pty, { baud: 9600 });
    cleanup.push(() => cp.stop());
    cp.bus.add({ address: 1, scbk: SITE_KEY, offlineAfter: 3, restartDelayMs: 300 });
    await cp.waitFor(is('online'), 'online');
    await pty.kill(); // the peer loses its line and exits
    await cp.waitFor(is('offline'), 'offline');
    await pty.restart();
    const second = await startPeer(peerPath, pty.device, args);
    cleanup.push(() => second.stop());
    await cp.waitFor((e) => e.type === 'online' && cp.events.filter(is('online')).length === 2, 'online again');
    second.cmd('card 0400A1B2C3 40');
    expect(await cp.waitFor(is('card'), 'card')).toMatchObject({ hex: '0400A1B2C3' });
    expect(cp.events.map((e) => e.type).filter((t) => t === 'online' || t === 'offline')).toEqual(['online', 'offline', 'online']);
  });
});
