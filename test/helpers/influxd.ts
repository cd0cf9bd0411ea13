// Debian's influxd (InfluxDB 1.6.7) for tests and benchmarks: started without systemd on a
// private loopback port with its data in a temp dir, ready when GET /ping answers 204, stopped
// by its PID. The top-level bind-address (backup/RPC, default 8088) moves too, so two copies
// and a system InfluxDB never collide (see shared toolchain notes).
import { serverProcess } from './server-process.ts';
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
  const server = serverProcess({
    name: 'influxd',
    command: INFLUXD,
    args: ['-config', configPath],
    env: { ...process.env, INFLUXDB_CONFIG_PATH: configPath },
    ready: (line) => line === null && pingOk(url),
    readyTimeoutMs: opts.readyTimeoutMs ?? 30_000,
    stopGraceMs: 10_000,
  });

  const inst: Influxd = {
    url,
    port,
    dir,
    get pid() {
      return server.pid;
    },
    start: () => server.start(),
    stop: (graceMs) => server.stop(graceMs),
    kill9: () => server.kill9(),
    async cleanup() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    output: () => server.output(),
  };
  try {
    await inst.start();
  } catch (err) {
    await inst.cleanup();
    throw err;
  }
  return inst;
}
