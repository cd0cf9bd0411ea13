// A server from the system (influxd, mosquitto) run as the tests' own process: started, ready
// when `ready` says so, stopped by its PID (SIGTERM, SIGKILL after a grace period) or killed, and
// started again with the same files. Its last output lines are kept for failure reports.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServerProcess {
  /** The running process, null while stopped. */
  readonly pid: number | null;
  /** Starts it (again); resolves once it is ready, rejects with its last lines if it exits or times out. */
  start(): Promise<void>;
  /** SIGTERM (SIGKILL after `graceMs`). Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: a crash. */
  kill9(): Promise<void>;
  /** The last lines it printed. */
  output(): string;
}

export interface ServerOptions {
  /** Name for error messages. */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Working directory (default: the tests' own). */
  cwd?: string;
  /** Ready when this holds: checked on every output line (`line`) and every `pollMs` (no line). */
  ready: (line: string | null) => boolean | Promise<boolean>;
  readyTimeoutMs: number;
  stopGraceMs: number;
  pollMs?: number;
}

const KEEP_LINES = 500;

export function serverProcess(o: ServerOptions): ServerProcess {
  let child: ChildProcess | null = null;
  const lines: string[] = [];
  const alive = (c: ChildProcess | null): c is ChildProcess => c !== null && c.exitCode === null && c.signalCode === null;
  const last = () => lines.slice(-20).join('\n');

  async function signal(sig: NodeJS.Signals, graceMs: number): Promise<void> {
    const c = child;
    if (!alive(c)) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill(sig);
    const timer = setTimeout(() => alive(c) && c.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  return {
    get pid() {
      return alive(child) ? (child.pid ?? null) : null;
    },
    async start() {
      if (alive(child)) return;
      const c = spawn(o.command, o.args, { stdio: ['ignore', 'pipe', 'pipe'], env: o.env ?? process.env, cwd: o.cwd });
      child = c;
      let ready = false;
      const keep = (chunk: Buffer) => {
        for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) {
          lines.push(l);
          if (!ready && o.ready(l) === true) ready = true;
        }
        if (lines.length > KEEP_LINES) lines.splice(0, lines.length - KEEP_LINES);
      };
      c.stdout.on('data', keep);
      c.stderr.on('data', keep);
      const until = Date.now() + o.readyTimeoutMs;
      while (!ready && !(await o.ready(null))) {
        if (c.exitCode !== null || c.signalCode !== null) throw new Error(`${o.name} exited (code ${c.exitCode}) before it was ready:\n${last()}`);
        if (Date.now() > until) throw new Error(`${o.name} was not ready within ${o.readyTimeoutMs} ms:\n${last()}`);
        await new Promise((r) => setTimeout(r, o.pollMs ?? 50));
      }
    },
    stop: (graceMs = o.stopGraceMs) => signal('SIGTERM', graceMs),
    kill9: () => signal('SIGKILL', 0),
    output: () => lines.join('\n'),
  };
}
