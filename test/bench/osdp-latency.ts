// `node --import tsx test/bench/osdp-latency.ts [--cards N]`: card presented at the libosdp PD
// peer (test/tools/osdp-peer, `card …` on its stdin) → `card` event out of our OSDP CP bus, plain
// and Secure Channel, at 9600 and 115200 baud. The CP runs over a socat PTY pair; since a PTY
// ignores the baud rate, the harness holds each packet for its wire time (10 bits per byte, one
// half-duplex line: runCp's paceLine). Cards are presented at random moments of the 50 ms poll
// cycle. Prints p50/p99/max; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHex, type OsdpEvent } from '../../firmware-bridge/index.ts';
import { buildPeer, ptyPair, runCp, startPeer } from '../firmware-bridge/osdp-peer.ts';
import { line, summarise } from './stats.ts';

const i = process.argv.indexOf('--cards');
const CARDS = i >= 0 ? Number(process.argv[i + 1]) : 200;
const KEY_HEX = '8E1F47A0C3925BD6704E19F2AC5D8B31';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function measure(peerPath: string, dir: string, baud: number, secure: boolean): Promise<number[]> {
  const pty = await ptyPair(dir, `b${baud}${secure ? 's' : 'p'}`);
  const peer = await startPeer(peerPath, pty.device, ['--address', '1', '--baud', String(baud), ...(secure ? ['--scbk', KEY_HEX, '--enforce-secure'] : [])]);
  const cp = runCp(pty, { baud, paceLine: true });
  try {
    cp.bus.add({ address: 1, ...(secure ? { scbk: fromHex(KEY_HEX) } : {}) });
    await cp.waitFor((e) => e.type === 'online', 'online');
    const samples: number[] = [];
    let waiting: ((atMs: number) => void) | null = null;
    cp.onEvent((e: OsdpEvent, atMs) => {
      if (e.type === 'card' && waiting) waiting(atMs);
    });
    for (let n = 0; n < CARDS; n++) {
      await sleep(Math.random() * 60);
      const got = new Promise<number>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`card ${n} not seen within 5 s at ${baud} baud`)), 5000);
        waiting = (atMs) => {
          clearTimeout(t);
          resolve(atMs);
        };
      });
      const t0 = performance.now();
      peer.cmd(`card ${(0x0400a1b200 + n).toString(16).padStart(10, '0')} 40`);
      samples.push((await got) - t0);
      waiting = null;
    }
    const st = cp.bus.stats().pds[1]!;
    if (st.timeouts || st.macErrors) console.log(`  (${baud} ${secure ? 'SC' : 'plain'}: ${st.timeouts} timeouts, ${st.macErrors} MAC errors)`);
    return samples;
  } finally {
    cp.stop();
    await peer.stop();
    await pty.kill();
  }
}

const peerPath = buildPeer();
const dir = mkdtempSync(join(tmpdir(), 'osdp-bench-'));
try {
  console.log(`OSDP card → CP event, ${CARDS} cards each, poll interval 50 ms, line time modelled on a PTY`);
  for (const baud of [9600, 115200]) {
    for (const secure of [false, true]) {
      const s = summarise(await measure(peerPath, dir, baud, secure));
      console.log(line(`card at peer -> CP event, ${secure ? 'SC   ' : 'plain'} ${baud} baud`, s));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
