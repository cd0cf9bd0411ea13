// Test harness for the OSDP interop tests: builds test/tools/osdp-peer (libosdp 3.2.2 PD) into
// .tmp/osdp-peer with its build.sh, runs it on one end of a socat PTY pair, and drives an
// OsdpCpBus on the other end the way a gateway driver would (bytes in, ticks, bytes out).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { OsdpCpBus, concatBytes, type OsdpBusOptions, type OsdpEvent } from '../../firmware-bridge/index.ts';
import { ptyPair, type PtyPair } from '../gateway/helpers/pty.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** Builds the peer (a no-op when it is up to date) and returns the path of osdp-pd-peer. */
export function buildPeer(): string {
  const out = execFileSync('bash', [join(ROOT, 'test/tools/osdp-peer/build.sh')], {
    env: { ...process.env, OSDP_PEER_BUILD_DIR: join(ROOT, '.tmp/osdp-peer') },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.trim().split('\n').pop()!;
}

export type PeerLine = Record<string, unknown> & { ev: string };

export interface Peer {
  lines: PeerLine[];
  /** Writes one stdin command (`card 0400A1B2C3 40`). */
  cmd(line: string): void;
  /** Resolves with the first line (already seen or coming) that matches. */
  waitFor(match: (l: PeerLine) => boolean, what: string, timeoutMs?: number): Promise<PeerLine>;
  /** Called for every new line (after it is stored). */
  onLine(cb: (l: PeerLine) => void): void;
  stop(): Promise<void>;
}

export async function startPeer(peerPath: string, device: string, args: string[]): Promise<Peer> {
  const proc: ChildProcess = spawn(peerPath, ['--device', device, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: PeerLine[] = [];
  const listeners: Array<(l: PeerLine) => void> = [];
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  createInterface({ input: proc.stdout! }).on('line', (text) => {
    const l = JSON.parse(text) as PeerLine;
    lines.push(l);
    for (const cb of listeners) cb(l);
  });
  const peer: Peer = {
    lines,
    cmd(line) {
      proc.stdin!.write(`${line}\n`);
    },
    waitFor(match, what, timeoutMs = 10_000) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`peer: no ${what} within ${timeoutMs} ms; last lines: ${JSON.stringify(lines.slice(-12))}; stderr tail: ${stderr}`)),
          timeoutMs,
        );
        listeners.push((l) => {
          if (match(l)) {
            clearTimeout(t);
            resolve(l);
          }
        });
      });
    },
    onLine(cb) {
      listeners.push(cb);
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.stdin!.end('quit\n');
        const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(t);
      }
    },
  };
  await peer.waitFor((l) => l.ev === 'ready' || l.ev === 'exit', 'ready line');
  if (!lines.some((l) => l.ev === 'ready')) throw new Error(`peer did not start: ${JSON.stringify(lines)} ${stderr}`);
  return peer;
}

export interface CpRun {
  bus: OsdpCpBus;
  events: OsdpEvent[];
  waitFor(match: (e: OsdpEvent) => boolean, what: string, timeoutMs?: number): Promise<OsdpEvent>;
  onEvent(cb: (e: OsdpEvent, atMs: number) => void): void;
  stop(): void;
}

export interface RunCpOptions extends OsdpBusOptions {
  /**
   * Model the wire: a PTY moves bytes at once whatever the baud, so each packet (either way) is
   * held for 10 bits per byte at `baud` on one shared half-duplex line before it is delivered.
   */
  paceLine?: boolean;
  /** Sees (and may change) every chunk on its way from the PD to the CP: a man on the line. */
  mangle?: (bytes: Uint8Array) => Uint8Array;
}

/**
 * Drives `bus` on the CP end of `line` every 1–2 ms: what a gateway's serial driver will do.
 * Several PTY pairs make one multi-drop bus: what the CP sends reaches every PD, what any PD
 * sends reaches the CP. Writes to an unplugged PTY are lost, as on a pulled adapter.
 */
export function runCp(line: PtyPair | PtyPair[], opts: RunCpOptions = {}): CpRun {
  const ptys = Array.isArray(line) ? line : [line];
  const pty = {
    write(b: Uint8Array): void {
      for (const p of ptys) {
        try {
          p.write(b);
        } catch {
          /* unplugged: the bytes are gone */
        }
      }
    },
    readBack(): Uint8Array {
      return concatBytes(...ptys.map((p) => p.readBack()));
    },
  };
  const bus = new OsdpCpBus(opts);
  const events: OsdpEvent[] = [];
  const listeners: Array<(e: OsdpEvent, atMs: number) => void> = [];
  const t0 = performance.now();
  const now = (): number => performance.now() - t0;
  const msPerByte = opts.paceLine ? 10_000 / (opts.baud ?? 9600) : 0;
  let lineFreeAt = 0;
  const held: Array<{ at: number; bytes: Uint8Array; toPd: boolean }> = [];
  const onLine = (chunk: Uint8Array, toPd: boolean): void => {
    const bytes = !toPd && opts.mangle ? opts.mangle(chunk) : chunk;
    if (!opts.paceLine) {
      if (toPd) pty.write(bytes);
      else step(bus.receive(bytes, now()));
      return;
    }
    lineFreeAt = Math.max(lineFreeAt, now()) + bytes.length * msPerByte;
    held.push({ at: lineFreeAt, bytes, toPd });
  };
  const step = (s: { send: Uint8Array[]; events: OsdpEvent[] }): void => {
    for (const b of s.send) onLine(b, true);
    for (const e of s.events) {
      events.push(e);
      for (const cb of listeners) cb(e, performance.now());
    }
  };
  const timer = setInterval(() => {
    while (held.length > 0 && held[0]!.at <= now()) {
      const h = held.shift()!;
      if (h.toPd) pty.write(h.bytes);
      else step(bus.receive(h.bytes, now()));
    }
    const bytes = pty.readBack();
    if (bytes.length > 0) onLine(bytes, false);
    step(bus.tick(now()));
  }, 1);
  return {
    bus,
    events,
    waitFor(match, what, timeoutMs = 10_000) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () =>
            reject(
              new Error(`CP: no ${what} within ${timeoutMs} ms; last events: ${JSON.stringify(events.slice(-8).map((e) => ({ ...e, caps: undefined })))}`),
            ),
          timeoutMs,
        );
        listeners.push((e) => {
          if (match(e)) {
            clearTimeout(t);
            resolve(e);
          }
        });
      });
    },
    onEvent(cb) {
      listeners.push(cb);
    },
    stop() {
      clearInterval(timer);
    },
  };
}

export { ptyPair };
