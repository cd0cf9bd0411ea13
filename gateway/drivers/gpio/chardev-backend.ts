// GPIO on the character device (/dev/gpiochipN) through Debian's gpiod tools, for kernels
// without /sys/class/gpio (Pi OS on Debian 13). No native module and no compiler on the Pi: an
// input is one long-running gpiomon, an output one long-running gpioset (protocols.md §7.5).
// The tools' two dialects (v1 on bookworm, v2 on trixie) are told apart by `gpioset --version`;
// what differs lives in gpiod-tools.ts.
//
// What the chardev does NOT allow, and what follows (gateway/README.md, "GPIO"):
//  - one holder per line: gpioget cannot read a line gpiomon holds, so an input's level is read
//    once before gpiomon starts and then follows gpiomon's edges (an edge in between is missed
//    until the next one; the drivers debounce and re-read on every edge).
//  - a line is released when its process exits, and its level is then not guaranteed (both
//    tools' man pages say so). So changing an output's level is: stop gpioset, start it again
//    at the new level; in between the relay sees a released pin. A lock's transitions both pass
//    through "de-energised", so that gap never opens a door the transition would not open; but a
//    gateway restart releases the line for as long as the gateway is down.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PI_HEADER_CHIP_LABELS } from './chip-base.ts';
import { GpioUnavailableError, type GpioBackend, type GpioLine, type Level } from './gpio-port.ts';
import {
  classifyGpiodError,
  gpiogetArgs,
  gpiomonArgs,
  gpiosetArgs,
  isGpiosetBanner,
  parseGpiodetect,
  parseGpiodVersion,
  parseGpiogetOutput,
  parseGpiomonLine,
  type GpiodChip,
  type GpiodMajor,
} from './gpiod-tools.ts';

export interface ChardevBackendOptions {
  /** `gpiochip0` (or a number): the chip to use, when it is not a Pi header chip. */
  chip?: string;
  /** Environment of the tools (tests put fake ones first on PATH). */
  env?: NodeJS.ProcessEnv;
}

const GROUP_HINT = 'add the gateway user to the gpio group (sudo usermod -aG gpio <user>) and start it again';

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class ChardevBackend implements GpioBackend {
  readonly name = 'chardev';
  readonly #children = new Set<ChildProcess>();
  readonly #held = new Set<number>();

  private constructor(
    readonly version: GpiodMajor,
    readonly chip: GpiodChip,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    // A gpiomon or v2 gpioset outlives a parent that forgets it and keeps its line busy; kill
    // them whenever this process exits (SIGKILL aside: systemd's KillMode=control-group).
    process.once('exit', this.#killAll);
  }

  /** Throws GpioUnavailableError, with what to do, when the chardev cannot be used here. */
  static async create(opts: ChardevBackendOptions = {}): Promise<ChardevBackend> {
    const env = opts.env ?? process.env;
    const ver = await run('gpioset', ['--version'], env);
    if (ver === 'missing') {
      throw new GpioUnavailableError('GPIO is not accessible: the gpiod tools are not installed (sudo apt install gpiod)');
    }
    const version = parseGpiodVersion(ver.stdout);
    if (!version) throw new GpioUnavailableError(`GPIO is not accessible: cannot tell the gpiod tools' version from "${ver.stdout.trim()}"`);
    const det = await run('gpiodetect', [], env);
    if (det === 'missing') throw new GpioUnavailableError('GPIO is not accessible: gpiodetect is missing (sudo apt install gpiod)');
    const chips = parseGpiodetect(det.stdout);
    const failure = det.code === 0 ? null : classifyGpiodError(det.stderr);
    if (failure === 'permission') {
      throw new GpioUnavailableError(`GPIO is not accessible: no permission on /dev/gpiochip* (${firstLine(det.stderr)}); ${GROUP_HINT}`);
    }
    if (chips.length === 0) {
      throw new GpioUnavailableError(
        `GPIO is not accessible: no GPIO chip (/dev/gpiochip*) on this machine${det.stderr ? ` (${firstLine(det.stderr)})` : ''}; not a Raspberry Pi?`,
      );
    }
    const chip = pickChip(chips, opts.chip);
    if (!chip) {
      throw new GpioUnavailableError(
        opts.chip
          ? `GPIO is not accessible: no chip "${opts.chip}" (gpiodetect lists ${chips.map((c) => c.name).join(', ')})`
          : `GPIO is not accessible: no Raspberry Pi header chip (${PI_HEADER_CHIP_LABELS.join(', ')}) among ${chips.map((c) => `${c.name} [${c.label}]`).join(', ')}; set gateways[].gpio.chip for other boards`,
      );
    }
    return new ChardevBackend(version, chip, env);
  }

  async input(bcm: number): Promise<GpioLine> {
    this.#claim(bcm);
    try {
      const got = await run('gpioget', gpiogetArgs(this.version, this.chip.name, bcm), this.env);
      if (got === 'missing') throw new GpioUnavailableError('GPIO is not accessible: gpioget is missing (sudo apt install gpiod)');
      if (got.code !== 0) throw this.#lineError(bcm, got.stderr);
      let level = parseGpiogetOutput(got.stdout);
      const watchers: Array<(level: Level) => void> = [];
      const faults: Array<(message: string) => void> = [];
      let released = false;
      const child = await this.#start('gpiomon', gpiomonArgs(this.version, this.chip.name, bcm), bcm, {
        ready: (line) => parseGpiomonLine(this.version, line).kind === 'banner',
        line: (text) => {
          const ev = parseGpiomonLine(this.version, text);
          if (ev.kind !== 'edge' || ev.offset !== bcm) return;
          level = ev.level;
          for (const w of [...watchers]) w(level);
        },
        lost: (message) => !released && faults.forEach((f) => f(message)),
      });
      return {
        read: () => level,
        write: () => {
          throw new Error(`GPIO ${bcm} is an input`);
        },
        watch: (onEdge) => void watchers.push(onEdge),
        onFault: (cb) => void faults.push(cb),
        release: () => {
          released = true;
          watchers.length = 0;
          this.#stop(child);
          this.#held.delete(bcm);
        },
      };
    } catch (err) {
      this.#held.delete(bcm);
      throw err;
    }
  }

  async output(bcm: number, initial: Level): Promise<GpioLine> {
    this.#claim(bcm);
    let level = initial;
    let released = false;
    const faults: Array<(message: string) => void> = [];
    const lost = (message: string) => !released && faults.forEach((f) => f(message));
    const hold = (l: Level) => this.#start('gpioset', gpiosetArgs(this.version, this.chip.name, bcm, l), bcm, { ready: isGpiosetBanner, lost, stdin: true });
    let child: ChildProcess;
    try {
      child = await hold(initial);
    } catch (err) {
      this.#held.delete(bcm);
      throw err;
    }
    // Level changes one after the other: the old gpioset must be gone before the new one asks.
    let queue: Promise<unknown> = Promise.resolve();
    return {
      read: () => level,
      write: (l) => {
        if (released) throw new Error(`GPIO ${bcm} was released`);
        level = l;
        queue = queue
          .then(async () => {
            if (released) return;
            const old = child;
            old.removeAllListeners('exit');
            await this.#stopAndWait(old);
            if (!released) child = await hold(l);
          })
          .catch((err: unknown) => lost(`cannot drive GPIO ${bcm}: ${(err as Error).message}`));
      },
      watch: () => undefined,
      onFault: (cb) => void faults.push(cb),
      release: () => {
        released = true;
        void queue.then(() => this.#stop(child));
        this.#held.delete(bcm);
      },
    };
  }

  /** Stops every tool this backend started (tests; the exit hook does the same). */
  close(): void {
    this.#killAll();
    process.removeListener('exit', this.#killAll);
  }

  #claim(bcm: number): void {
    if (bcm >= this.chip.lines) throw new RangeError(`GPIO ${bcm} is beyond ${this.chip.name} (${this.chip.lines} lines)`);
    if (this.#held.has(bcm)) throw new Error(`cannot use GPIO ${bcm}: already in use by this gateway`);
    this.#held.add(bcm);
  }

  /**
   * Starts a long-running tool; resolves once it holds the line: at its banner (v2), or once it
   * runs (v1 prints nothing; gpioget has just shown the line is usable, and a later failure is a
   * fault). Rejects when the tool exits first.
   */
  #start(
    tool: string,
    args: string[],
    bcm: number,
    h: { ready: (line: string) => boolean; line?: (line: string) => void; lost: (message: string) => void; stdin?: boolean },
  ): Promise<ChildProcess> {
    return new Promise((resolve, reject) => {
      const child = spawn(tool, args, { env: this.env, stdio: [h.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
      this.#children.add(child);
      let ready = false;
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => void (stderr = (stderr + d).slice(-2000)));
      // v1 gpioset --mode=wait exits at end of stdin: the pipe stays open while we live.
      child.stdin?.on('error', () => undefined);
      const becomeReady = () => {
        if (ready) return;
        ready = true;
        resolve(child);
      };
      createInterface({ input: child.stdout! }).on('line', (text) => {
        if (!ready && h.ready(text)) return becomeReady();
        h.line?.(text);
      });
      child.once('spawn', () => {
        if (this.version === 1) becomeReady();
      });
      child.once('error', (err) => {
        this.#children.delete(child);
        if (!ready) reject(new GpioUnavailableError(`GPIO is not accessible: cannot run ${tool} (${err.message}); sudo apt install gpiod`, { cause: err }));
      });
      child.once('exit', (code, signal) => {
        this.#children.delete(child);
        if (!ready) return reject(this.#lineError(bcm, stderr || `${tool} exited (${signal ?? code})`));
        h.lost(`GPIO ${bcm} lost: ${tool} exited (${signal ?? code})${stderr ? `: ${firstLine(stderr)}` : ''}`);
      });
    });
  }

  #lineError(bcm: number, stderr: string): Error {
    const what = firstLine(stderr);
    switch (classifyGpiodError(stderr)) {
      case 'permission':
        return new GpioUnavailableError(`GPIO is not accessible: no permission on /dev/${this.chip.name} (${what}); ${GROUP_HINT}`);
      case 'no-chip':
        return new GpioUnavailableError(`GPIO is not accessible: /dev/${this.chip.name} is gone (${what})`);
      case 'busy':
        return new Error(
          `cannot use GPIO ${bcm} (${this.chip.name} line ${bcm}): another process holds it (${what}); \`gpioinfo ${this.chip.name}\` shows which consumer`,
        );
      default:
        return new Error(`cannot use GPIO ${bcm} (${this.chip.name} line ${bcm}): ${what}`);
    }
  }

  #stop(child: ChildProcess): void {
    child.removeAllListeners('exit');
    child.once('exit', () => this.#children.delete(child));
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }

  #stopAndWait(child: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => {
        this.#children.delete(child);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  #killAll = (): void => {
    for (const c of this.#children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    this.#children.clear();
  };
}

/** The chip to use: the named one, else the Pi header chip by its exact label (§7.3). */
export function pickChip(chips: GpiodChip[], wanted?: string): GpiodChip | null {
  if (wanted !== undefined) {
    const name = /^\d+$/.test(wanted) ? `gpiochip${wanted}` : wanted.replace(/^\/dev\//, '');
    return chips.find((c) => c.name === name) ?? null;
  }
  for (const label of PI_HEADER_CHIP_LABELS) {
    const c = chips.find((x) => x.label === label);
    if (c) return c;
  }
  return null;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

/** Runs a short tool to its end; 'missing' when it is not installed. */
function run(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult | 'missing'> {
  return new Promise((resolve) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => void (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => void (stderr += d));
    child.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ENOENT' ? 'missing' : { code: -1, stdout, stderr: err.message }));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
