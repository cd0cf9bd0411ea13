// A socat PTY pair standing in for a serial cable (toolchain notes): the gateway opens `device`
// as its reader's port; the test writes the reader's bytes into `feeder` and reads what the
// gateway sends back. Killing socat removes both links: the device "unplugged".
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readlinkSync, readSync, realpathSync, rmSync, writeSync, constants } from 'node:fs';
import { join } from 'node:path';

export interface PtyPair {
  device: string;
  feeder: string;
  readonly alive: boolean;
  /** Writes bytes into the feeder end (what the device sends), synchronously. */
  write(bytes: Uint8Array): void;
  /**
   * Writes bytes as a UART at `baudRate` (8N1) puts them on the wire: each byte no earlier than
   * its own character time after the first, so the gateway sees a line arrive as it would.
   * Resolves to the longest pause between two writes (ms): on a loaded machine this process
   * can be descheduled mid-line, which puts a pause on the "wire" that a UART never makes.
   */
  writePaced(bytes: Uint8Array, baudRate: number): Promise<number>;
  /** Bytes the gateway wrote to the device since the last call (non-blocking). */
  readBack(): Uint8Array;
  /**
   * Whether process `pid` has the device end open now. A PTY keeps what is written while nobody
   * has it open; a real UART or USB adapter does not: a test that wants the real behaviour
   * writes only when this is true.
   */
  openBy(pid: number): boolean;
  /** Unplug: kill -9 socat; both links vanish. */
  kill(): Promise<void>;
  /** Plug back in at the same paths. */
  restart(): Promise<void>;
}

export async function ptyPair(dir: string, name: string): Promise<PtyPair> {
  const device = join(dir, `${name}-dev`);
  const feeder = join(dir, `${name}-feed`);
  let proc: ChildProcess | undefined;
  let fd: number | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    // A socat killed with -9 leaves its links behind, dangling: if the new socat's first PTY
    // reuses the old number, an old link looks alive for a moment before socat replaces it (an
    // open in that moment found no file). Remove them first, and open once both are socat's.
    rmSync(device, { force: true });
    rmSync(feeder, { force: true });
    proc = spawn('socat', [`pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${feeder}`], { stdio: 'ignore' });
    const p = proc;
    exited = new Promise((resolve) => p.once('exit', () => resolve()));
    const until = Date.now() + 5000;
    for (;;) {
      if (existsSync(device) && existsSync(feeder)) {
        try {
          fd = openSync(feeder, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
          return;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      }
      if (Date.now() > until || p.exitCode !== null) throw new Error('socat did not create the PTY pair (is socat installed? scripts/setup-system.sh)');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const closeFd = () => {
    if (fd === undefined) return;
    try {
      closeSync(fd);
    } catch {
      /* already gone */
    }
    fd = undefined;
  };
  const kill = async () => {
    closeFd();
    proc?.kill('SIGKILL');
    await exited;
  };
  const write = (bytes: Uint8Array): void => {
    if (fd === undefined) throw new Error('pty is unplugged');
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
  };
  await start();
  return {
    device,
    feeder,
    get alive() {
      return proc?.exitCode === null && proc.signalCode === null;
    },
    write,
    async writePaced(bytes, baudRate) {
      const charMs = 10_000 / baudRate;
      const t0 = performance.now();
      let sent = 0;
      let last = t0;
      let longest = 0;
      while (sent < bytes.length) {
        const now = performance.now();
        const due = Math.min(bytes.length, Math.floor((now - t0) / charMs) + 1);
        if (due > sent) {
          write(bytes.subarray(sent, due));
          sent = due;
          longest = Math.max(longest, now - last);
          last = now;
        }
        if (sent < bytes.length) await new Promise((r) => setTimeout(r, Math.max(1, Math.floor(charMs))));
      }
      return longest;
    },
    readBack() {
      if (fd === undefined) return new Uint8Array(0);
      const chunks: Buffer[] = [];
      const buf = Buffer.alloc(4096);
      for (;;) {
        let n = 0;
        try {
          n = readSync(fd, buf, 0, buf.length, null);
        } catch {
          break; // EAGAIN: nothing more
        }
        if (n <= 0) break;
        chunks.push(Buffer.from(buf.subarray(0, n)));
      }
      return new Uint8Array(Buffer.concat(chunks));
    },
    openBy(pid) {
      let pts: string;
      try {
        pts = realpathSync(device);
      } catch {
        return false;
      }
      try {
        return readdirSync(`/proc/${pid}/fd`).some((fd) => {
          try {
            return readlinkSync(`/proc/${pid}/fd/${fd}`) === pts;
          } catch {
            return false;
          }
        });
      } catch {
        return false;
      }
    },
    kill,
    async restart() {
      await kill();
      await start();
    },
  };
}
