// `npm run bench:gateway-hw`: the gateway on (PTY-)real hardware. Prints numbers, asserts nothing.
//  1. tap → unlock through a real PTY: the last byte of an RDM6300 frame written into a socat
//     PTY → the lock driver called, in-process gateway (protocols.md §1; target p99 ≤ 2 ms),
//     split into the PTY delivery (write → serialport `data` event) and our part (`data` event →
//     lock driver). Baseline in the same run: PTY write → `data` event on a bare SerialLink.
//     Run twice: with V8's defaults and with `--jitless` (the memory option of item 2).
//  2. RSS (and USS, the private part: most of a node process's file-backed RSS is the node binary,
//     shared by every node process on the machine) of the gateway process
//     (compiled JavaScript, `npm run build:node`, as the demo and a Pi run it) with 4 serial
//     readers and 50 desk sensors (10 LD2410 radars on PTYs streaming reports, 40 PIRs on the
//     fake GPIO), connected to the real services; target ≤ 60 MB. Baseline in the same run: a
//     plain `node` process. Repeated with V8 flags that trade speed for memory.
//  3. PN532 (§2, HSU at 115200) presentation latency: a card put in the field of an emulated
//     PN532 on a PTY (answers held back for their frame time on the wire at 115200) → the
//     reader's card read (the decision follows in the same tick, item 1). p50/p95/p99 beside
//     the frame time of one poll exchange; target p95 < 100 ms. Baseline in the same run, on
//     the same card presentations: a second reader with the cadence up to 0.2.
//  4. Fuzz throughput per codec: `npm run fuzz` (not repeated here).
import { performance } from 'node:perf_hooks';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, gatewayReady } from '../helpers/stack.ts';
import { startProcess, logMsg } from '../../scripts/lib/proc.ts';
import { buildGateway } from '../../gateway/gateway.ts';
import { SerialLink } from '../../gateway/drivers/serial/serial-link.ts';
import { Pn532Session, Pn532Sim, encodeLd2410Report, encodeRdm6300, fromHex, type Pn532Step } from '../../firmware-bridge/index.ts';
import { SerialCardReader } from '../../gateway/drivers/serial/serial-card-reader.ts';
import { PN532_CADENCE, PN532_CADENCE_0_2, type Pn532Cadence } from '../../gateway/drivers/serial/reader-protocols.ts';
import { ptyPair, type PtyPair } from '../gateway/helpers/pty.ts';
import { pumpPn532, wireMs } from '../gateway/helpers/pn532-pump.ts';
import { demoEntries, signedList } from '../gateway/helpers/acl.ts';
import { line, percentile, rssMb, summarise } from './stats.ts';

const TAPS = Number(process.env.BENCH_PTY_TAPS ?? 3000);
const PN532_TAPS = Number(process.env.BENCH_PN532_TAPS ?? 200);
const CARDS = ['0400A1B2C3', '0400D4E5F6', '0400445566', '0400778899'];
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function ptyTapToUnlock(): Promise<void> {
  const site = await makeTestSite((raw) => {
    const dir = String(raw.gateways[0].dataDir).replace(/\/[^/]+$/, '');
    raw.doors[0].reader = { driver: 'serial', id: 'front-reader', path: `${dir}/front-reader-dev`, protocol: 'rdm6300', format: 'hex', holdMs: 0 };
    raw.broker.url = 'mqtt://127.0.0.1:1'; // no broker: the decision never waits for one anyway
  });
  const reader = await ptyPair(site.dir, 'front-reader');
  const raw = await ptyPair(site.dir, 'baseline');
  const gwDir = site.config.gateways[0]!.dataDir;
  mkdirSync(gwDir, { recursive: true });
  const list = signedList({ gateway: 'gw-main', key: site.secrets.gateways['gw-main']!.key, version: 1, entries: demoEntries(site.secrets.siteKey) });
  writeFileSync(join(gwDir, 'acl.json'), JSON.stringify(list));
  const gw = buildGateway(site.config, site.secrets, 'gw-main', { backoff: { minMs: 60_000, maxMs: 60_000 } });
  const link = new SerialLink({ path: raw.device, baudRate: 9600 });
  try {
    await gw.start();
    link.start();
    const lock = gw.sim.locks.get('front-lock')!;
    // The reader's port: timestamp its `data` event before the reader's own listener runs.
    const readerLink = (gw.devices.find((d) => d.id === 'front-reader') as unknown as { link: SerialLink }).link;
    let arrivedAt = 0;
    readerLink.prependListener('data', () => {
      if (arrivedAt === 0) arrivedAt = performance.now();
    });
    let drivenAt = 0;
    lock.on('driven', (state) => {
      if (state === 'unlocked' && drivenAt === 0) drivenAt = performance.now();
    });
    let dataAt = 0;
    link.on('data', () => {
      if (dataAt === 0) dataAt = performance.now();
    });
    const frames = CARDS.map((c) => encodeRdm6300(c));
    const waitFor = async (get: () => number, what: string) => {
      const until = Date.now() + 2000;
      while (get() === 0) {
        if (Date.now() > until) throw new Error(`${what}: nothing within 2 s`);
        await new Promise<void>((r) => setImmediate(r));
      }
    };
    // The reader port opens asynchronously: tap until the first unlock.
    while (drivenAt === 0) {
      reader.write(frames[0]!);
      await sleep(50);
    }
    const samples: number[] = [];
    const delivery: number[] = [];
    const ours: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < TAPS + 200; i++) {
      drivenAt = arrivedAt = 0;
      reader.write(frames[i % frames.length]!);
      const t0 = performance.now();
      await waitFor(() => drivenAt, `tap ${i}`);
      if (i >= 200) {
        samples.push(drivenAt - t0);
        delivery.push(arrivedAt - t0);
        ours.push(drivenAt - arrivedAt);
      }
      dataAt = 0;
      raw.write(frames[0]!);
      const b0 = performance.now();
      await waitFor(() => dataAt, `baseline ${i}`);
      if (i >= 200) baseline.push(dataAt - b0);
      await sleep(2); // taps are far apart in real life; let the outbox write its row
    }
    const flags = process.execArgv.filter((a) => a.startsWith('--') && a !== '--import' && !a.includes('tsx')).join(' ') || 'V8 defaults';
    console.log(line(`PTY tap → lock driver (${flags})`, summarise(samples), 'ms', { p99: 2 }));
    console.log(line('  of which PTY → serialport data event', summarise(delivery)));
    console.log(line('  of which data event → lock driver (ours)', summarise(ours)));
    console.log(line('  baseline: PTY write → data, bare SerialLink', summarise(baseline)));
  } finally {
    await link.stop();
    await gw.stop();
    await reader.kill();
    await raw.kill();
    site.cleanup();
  }
}

/**
 * Item 3 in virtual time: the same session and emulator, but the clock is simulated (timer ticks
 * every `tickMs`, each answer arriving one wire time after its command), so the numbers are what
 * the cadence and the link allow, free of this machine's scheduling. The card is in the field
 * from `t0`; a poll sees it when the command reaches the chip at or after `t0`.
 */
function pn532VirtualLatency(cadence: Pn532Cadence, presentations: number, holdMs: number): number[] {
  const session = new Pn532Session({ holdMs, pollIntervalMs: cadence.pollIntervalMs });
  const chip = new Pn532Sim();
  const card = { uid: fromHex('90 1F 2A A4'), atqa: 0x0004, sak: 0x08 };
  const wire = (n: number) => wireMs(n, 115200);
  let inField = { from: Infinity, to: Infinity };
  const inFlight: Array<{ at: number; bytes: Uint8Array }> = [];
  const samples: number[] = [];
  let readAt = -1;
  const apply = (step: Pn532Step, t: number) => {
    for (const e of step.events) if (e.type === 'card' && readAt < 0) readAt = t;
    for (const b of step.send) {
      const arrives = t + wire(b.length);
      chip.setCard(arrives >= inField.from && arrives < inField.to ? card : null);
      const reply = chip.receive(b);
      if (reply.length > 0) inFlight.push({ at: arrives + wire(reply.length), bytes: reply });
    }
  };
  let t = 0;
  apply(session.start(t), t);
  let nextTick = cadence.tickMs;
  const runUntil = (end: number, stop: () => boolean = () => false) => {
    while (t < end && !stop()) {
      inFlight.sort((a, b) => a.at - b.at);
      const reply = inFlight[0];
      if (reply && reply.at <= nextTick) {
        inFlight.shift();
        t = reply.at;
        apply(session.receive(reply.bytes, t), t);
      } else {
        t = nextTick;
        nextTick += cadence.tickMs;
        apply(session.tick(t), t);
      }
    }
  };
  runUntil(500);
  for (let i = 0; i < presentations; i++) {
    const t0 = t + 20 + Math.random() * 150;
    runUntil(t0);
    inField = { from: t0, to: Infinity };
    readAt = -1;
    runUntil(t0 + 5000, () => readAt >= 0);
    samples.push(readAt - t0);
    inField = { from: t0, to: readAt + 50 };
    runUntil(readAt + 50 + holdMs + 2 * (cadence.pollIntervalMs + cadence.tickMs));
  }
  return samples;
}

/** Item 3: both cadences read the same presentations, each through its own PTY and emulated chip. */
async function pn532Latency(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ss-pn532-bench-'));
  const holdMs = 100; // short, so that a presentation follows the last one sooner; removal is what the polls say
  const card = { uid: fromHex('90 1F 2A A4'), atqa: 0x0004, sak: 0x08 };
  const variants: Array<{ label: string; cadence: Pn532Cadence }> = [
    { label: `cadence now (poll every ${PN532_CADENCE.pollIntervalMs} ms, timer ${PN532_CADENCE.tickMs} ms)`, cadence: PN532_CADENCE },
    { label: `baseline 0.2 (poll every ${PN532_CADENCE_0_2.pollIntervalMs} ms, timer ${PN532_CADENCE_0_2.tickMs} ms)`, cadence: PN532_CADENCE_0_2 },
  ];
  const rigs = await Promise.all(
    variants.map(async (v, i) => {
      const pty = await ptyPair(dir, `pn532-${i}`);
      const chip = new Pn532Sim();
      const pump = pumpPn532(pty, chip, { baud: 115200, everyMs: 1 });
      const reader = new SerialCardReader(`pn532-${i}`, { path: pty.device, protocol: 'pn532', holdMs, pn532Cadence: v.cadence });
      const rig = { ...v, pty, chip, pump, reader, readAt: 0, samples: [] as number[] };
      reader.on('card', () => {
        if (rig.readAt === 0) rig.readAt = performance.now();
      });
      return rig;
    }),
  );
  try {
    await Promise.all(rigs.map((r) => r.reader.start()));
    const until = Date.now() + 5000;
    while (rigs.some((r) => r.chip.commands.length < 4)) {
      if (Date.now() > until) throw new Error('PN532 emulators not polled within 5 s');
      await sleep(20);
    }
    for (let i = 0; i < PN532_TAPS; i++) {
      await sleep(Math.random() * 150); // a presentation falls anywhere in the poll cycle
      for (const r of rigs) r.readAt = 0;
      const t0 = performance.now();
      for (const r of rigs) r.chip.setCard(card);
      const deadline = Date.now() + 2000;
      while (rigs.some((r) => r.readAt === 0)) {
        if (Date.now() > deadline) throw new Error(`PN532 presentation ${i}: not read within 2 s`);
        await sleep(1);
      }
      for (const r of rigs) r.samples.push(r.readAt - t0);
      await sleep(50); // held a moment, then taken away
      for (const r of rigs) r.chip.setCard(null);
      await sleep(holdMs + 2 * (PN532_CADENCE_0_2.pollIntervalMs + PN532_CADENCE_0_2.tickMs)); // answered empty polls ≥ holdMs later
    }
    // One poll that finds the card: InListPassiveTarget (11 bytes), ACK (6), response with a
    // 4-byte UID (19): the least any cadence can do.
    const exchange = wireMs(11 + 6 + 19, 115200);
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    console.log(
      `PN532 card in field → card read, HSU 115200; one poll exchange on the wire = ${exchange.toFixed(2)} ms (36 bytes); load average ${load} on ${availableParallelism()} cores`,
    );
    const pct = (xs: number[]) => {
      const v = [...xs].sort((a, b) => a - b);
      return `p50=${percentile(v, 50).toFixed(2)} ms  p95=${percentile(v, 95).toFixed(2)} ms  p99=${percentile(v, 99).toFixed(2)} ms  max=${v.at(-1)!.toFixed(2)} ms`;
    };
    for (const r of rigs) console.log(`  virtual time, ${r.label}: ${pct(pn532VirtualLatency(r.cadence, 2000, holdMs))}`);
    for (const r of rigs) {
      const s = summarise(r.samples);
      const sorted = [...r.samples].sort((a, b) => a - b);
      const p95 = percentile(sorted, 95);
      console.log(
        `${line(`  real time, ${r.label}`, s)}  p95=${p95.toFixed(2)} ms  (p95 = ${(p95 / exchange).toFixed(1)} × the exchange)` +
          (r.cadence === PN532_CADENCE ? `  target p95 < 100 ms: ${p95 < 100 ? 'met' : 'MISSED'}` : ''),
      );
    }
  } finally {
    for (const r of rigs) {
      r.pump.stop();
      await r.reader.stop();
      await r.pty.kill();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 4 doors with serial readers and GPIO locks and contacts; 10 radar desks and 40 PIR desks. */
async function bigSite(): Promise<{ site: TestSite; readers: PtyPair[]; radars: PtyPair[] }> {
  const readerIds = ['front', 'meeting', 'back', 'office'];
  const site = await makeTestSite((raw) => {
    const dir = String(raw.gateways[0].dataDir).replace(/\/[^/]+$/, '');
    raw.floor = { width: 1000, height: 600 };
    raw.doors = readerIds.map((id, i) => ({
      id,
      name: `Door ${id}`,
      gateway: 'gw-main',
      unlockMs: 3000,
      reader: { driver: 'serial', id: `${id}-reader`, path: `${dir}/${id}-reader-dev`, protocol: 'rdm6300', format: 'hex' },
      lock: { driver: 'gpio', id: `${id}-lock`, pin: i * 2, failMode: 'secure', activeLow: true },
      contact: { driver: 'gpio', id: `${id}-contact`, pin: i * 2 + 1 },
    }));
    raw.desks = Array.from({ length: 50 }, (_, i) => ({
      id: `d${i + 1}`,
      name: `Desk ${i + 1}`,
      zone: i < 25 ? 'open-space' : 'quiet-room',
      gateway: 'gw-main',
      sensor:
        i < 10
          ? { driver: 'serial', id: `d${i + 1}-radar`, path: `${dir}/d${i + 1}-radar-dev`, protocol: 'ld2410' }
          : { driver: 'gpio', id: `d${i + 1}-pir`, pin: 8 + i - 10 },
      position: { x: 50 + (i % 10) * 90, y: 50 + Math.floor(i / 10) * 100 },
    }));
    raw.gateways[0].readingsEveryS = 10;
  });
  const readers = await Promise.all(readerIds.map((id) => ptyPair(site.dir, `${id}-reader`)));
  const radars = await Promise.all(Array.from({ length: 10 }, (_, i) => ptyPair(site.dir, `d${i + 1}-radar`)));
  return { site, readers, radars };
}

async function gatewayRss(): Promise<void> {
  const { site, readers, radars } = await bigSite();
  const stack = await startStack(site, { gateway: false, compiled: true });
  const env = { SMARTSPACE_SECRETS_FILE: site.secretsPath };
  const baseline = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    await gatewayReady(stack.baseUrl, 'gw-main').catch(() => undefined); // no gateway yet: just let the services settle
    await sleep(1000);
    const variants: Array<[string, string[]]> = [
      ['V8 defaults', []],
      ['--max-semi-space-size=1', ['--max-semi-space-size=1']],
      ['--max-semi-space-size=1 --jitless', ['--max-semi-space-size=1', '--jitless']],
    ];
    for (const [label, flags] of variants) {
      const gw = startProcess('gw-main', 'gateway/main.ts', ['--config', site.configPath, '--gateway', 'gw-main', '--gpio', 'fake'], {
        env: { ...env, NODE_OPTIONS: flags.join(' ') },
        compiled: true,
      });
      await gw.waitForLog(logMsg('gateway ready'), 60_000);
      await gatewayReady(stack.baseUrl, 'gw-main');
      const pid = gw.child.pid!;
      await sleep(3000);
      const idle = rssMb(pid);
      // Load: every radar streams reports at ~10 Hz (someone moves in and out), a tap every 250 ms.
      let t = 0;
      const load = setInterval(() => {
        t++;
        for (const [i, r] of radars.entries()) {
          const present = (t + i * 7) % 40 < 25;
          r.write(
            encodeLd2410Report({
              targetState: present ? 2 : 0,
              movingDistanceCm: 0,
              movingEnergy: 0,
              stationaryDistanceCm: present ? 120 : 0,
              stationaryEnergy: present ? 45 : 0,
              detectionDistanceCm: present ? 120 : 0,
            }),
          );
        }
        if (t % 3 === 0) readers[(t / 3) % readers.length]!.write(encodeRdm6300(CARDS[t % CARDS.length]!));
      }, 100);
      let peak = 0;
      for (let s = 0; s < 30; s++) {
        await sleep(1000);
        peak = Math.max(peak, rssMb(pid));
      }
      clearInterval(load);
      const after = rssMb(pid);
      console.log(
        `gateway, 4 readers + 50 desk sensors (${label}): RSS idle ${idle.toFixed(1)} MB, under load ${after.toFixed(1)} MB, peak ${peak.toFixed(1)} MB` +
          `  target <= 60 MB: ${peak <= 60 ? 'met' : 'MISSED'};  USS ${ussMb(pid).toFixed(1)} MB`,
      );
      await gw.stop();
    }
    console.log(`  baseline: plain node process RSS ${rssMb(baseline.pid!).toFixed(1)} MB, USS ${ussMb(baseline.pid!).toFixed(1)} MB`);
  } finally {
    baseline.kill();
    await stack.stop();
    for (const p of [...readers, ...radars]) await p.kill();
    site.cleanup();
  }
}

/** Unique set size: the pages only this process holds (private clean + private dirty). */
function ussMb(pid: number): number {
  try {
    const t = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(t)?.[1] ?? NaN);
    return (kb('Private_Clean') + kb('Private_Dirty')) / 1024;
  } catch {
    return NaN;
  }
}

if (process.argv.includes('--pty-only')) {
  await ptyTapToUnlock();
  process.exit(0);
}
if (process.argv.includes('--pn532-only')) {
  await pn532Latency();
  process.exit(0);
}
console.log(`smartspace gateway hardware benchmark — node ${process.version}, ${new Date().toISOString()}`);
for (const flags of [[], ['--max-semi-space-size=1'], ['--jitless']]) {
  // Each in its own process: V8 flags are fixed at start.
  spawnSync(process.execPath, [...flags, '--import', 'tsx', new URL(import.meta.url).pathname, '--pty-only'], { stdio: 'inherit' });
}
await pn532Latency();
await gatewayRss();
console.log('fuzz throughput per codec: npm run fuzz');
process.exit(0);
