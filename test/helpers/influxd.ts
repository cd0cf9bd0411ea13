// Debian's influxd (InfluxDB 1.6.7) for tests and benchmarks: started without systemd on a
// private loopback port with its data in a temp dir, ready when GET /ping answers 204, stopped
// by its PID. The top-level bind-address (backup/RPC, default 8088) moves too, so two copies
// and a system InfluxDB never collide (see shared toolchain notes).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './site.ts';

export const INFLUXD = process.env.INFLUXD_PATH ?? '/usr/bin/influxd';

export interface Influxd {
  url: string;
  port: number;
  dir: string;
  /** The running process, null while stopped. */
  readonly pid: number | null;
  /** Starts it again on the same port with the same data (after stop()). */
  start(): Promise<void>;
  /** SIGTERM (SIGKILL after `graceMs`); keeps the data. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: a crash. */
  kill9(): Promise<void>;
  /** Stops it and removes the data. */
  cleanup(): Promise<void>;
  /** The last lines it printed (for failure reports). */
  output(): string;
}

function configText(dir: string, port: number, backupPort: number): string {
  return `reporting-disabled = true
bind-address = "127.0.0.1:${backupPort}"

[meta]
  dir = "${join(dir, 'meta')}"

[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  query-log-enabled = false
  trace-logging-enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:${port}"
  log-enabled = false
  max-body-size = 0

[monitor]
  store-enabled = false

[continuous_queries]
  enabled = false

[logging]
  level = "warn"
`;
}

async function pingOk(url: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
    return r.status === 204;
  } catch {
    return false;
  }
}

export async function startInfluxd(opts: { readyTimeoutMs?: number } = {}): Promise<Influxd> {
  if (!existsSync(INFLUXD)) throw new Error(`influxd not found at ${INFLUXD}: run scripts/setup-system.sh (npm test does)`);
  const dir = mkdtempSync(join(tmpdir(), 'smartspace-influxd-'));
  for (const d of ['meta', 'data', 'wal']) mkdirSync(join(dir, d));
  const port = await freePort();
  const backupPort = await freePort();
  const configPath = join(dir, 'influxdb.conf');
  writeFileSync(configPath, configText(dir, port, backupPort));
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };

  const alive = (c: ChildProcess | null): c is ChildProcess => c !== null && c.exitCode === null && c.signalCode === null;

  async function start(): Promise<void> {
    if (alive(child)) return;
    const c = spawn(INFLUXD, ['-config', configPath], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, INFLUXDB_CONFIG_PATH: configPath } });
    child = c;
    c.stdout!.on('data', keep);
    c.stderr!.on('data', keep);
    const until = Date.now() + (opts.readyTimeoutMs ?? 30_000);
    while (!(await pingOk(url))) {
      if (c.exitCode !== null || c.signalCode !== null) throw new Error(`influxd exited (code ${c.exitCode}) before answering /ping:\n${lines.slice(-20).join('\n')}`);
      if (Date.now() > until) throw new Error(`influxd did not answer /ping within the timeout:\n${lines.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function signal(sig: NodeJS.Signals, graceMs: number): Promise<void> {
    const c = child;
    if (!alive(c)) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill(sig);
    const timer = setTimeout(() => alive(c) && c.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  const inst: Influxd = {
    url,
    port,
    dir,
    get pid() {
      return alive(child) ? (child.pid ?? null) : null;
    },
    start,
    stop: (graceMs = 10_000) => signal('SIGTERM', graceMs),
    kill9: () => signal('SIGKILL', 0),
    async cleanup() {
      await signal('SIGTERM', 10_000);
      rmSync(dir, { recursive: true, force: true });
    },
    output: () => lines.join('\n'),
  };
  try {
    await start();
  } catch (err) {
    await inst.cleanup();
    throw err;
  }
  return inst;
}
