// Debian's mosquitto (2.0.11) as the external broker of a test site: its config folder generated
// by `npm run mosquitto:config` (scripts/mosquitto-config.ts) into the site's temp dir, started
// without systemd as our own process on the site's loopback port, ready when it logs that it is
// running, stopped by its PID. Started as root it would drop to user `mosquitto` and fail to read
// the generated files, so tests run it as the current user (`user root` when that is root).
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeMosquittoConfig } from '../../scripts/mosquitto-config.ts';
import { mosquittoHash, type ConfOptions } from '../../scripts/lib/mosquitto-config.ts';
import type { TestSite } from './site.ts';

export const MOSQUITTO = process.env.MOSQUITTO_PATH ?? '/usr/sbin/mosquitto';

export interface Mosquitto {
  url: string;
  port: number;
  /** The generated config folder. */
  dir: string;
  readonly pid: number | null;
  /** Starts it again with the same config and persistence (after stop()). */
  start(): Promise<void>;
  /** SIGTERM (SIGKILL after `graceMs`); it saves its persistence file. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
  kill9(): Promise<void>;
  output(): string;
}

export interface MosquittoOptions {
  /** Test-only users appended to the generated passwd and acl (e.g. an observer that reads `#`). */
  extraUsers?: { username: string; password: string; acl: string[] }[];
  /** Generator options (scripts/lib/mosquitto-config.ts), e.g. usernameAsClientId. */
  conf?: Partial<Omit<ConfOptions, 'dir'>>;
  readyTimeoutMs?: number;
}

export async function startMosquitto(site: TestSite, opts: MosquittoOptions = {}): Promise<Mosquitto> {
  if (!existsSync(MOSQUITTO)) throw new Error(`mosquitto not found at ${MOSQUITTO}: run scripts/setup-system.sh (npm test does)`);
  const dir = join(site.dir, 'mosquitto');
  rmSync(dir, { recursive: true, force: true });
  const user = process.getuid?.() === 0 ? 'root' : undefined;
  const { conf } = writeMosquittoConfig(site.configPath, { user, ...opts.conf, dir }, { SMARTSPACE_SECRETS_FILE: site.secretsPath });
  for (const u of opts.extraUsers ?? []) {
    appendFileSync(join(dir, 'passwd'), `${u.username}:${mosquittoHash(u.password)}\n`);
    appendFileSync(join(dir, 'acl'), `\n# test only\nuser ${u.username}\n${u.acl.join('\n')}\n`);
  }
  const url = site.config.broker.url;
  const port = Number(new URL(url).port);
  let child: ChildProcess | null = null;
  const lines: string[] = [];
  const alive = (c: ChildProcess | null): c is ChildProcess => c !== null && c.exitCode === null && c.signalCode === null;

  async function start(): Promise<void> {
    if (alive(child)) return;
    const c = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    let ready = false;
    const keep = (chunk: Buffer) => {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(l);
        if (/mosquitto version \S+ running/.test(l)) ready = true;
      }
      if (lines.length > 500) lines.splice(0, lines.length - 500);
    };
    c.stdout!.on('data', keep);
    c.stderr!.on('data', keep);
    const until = Date.now() + (opts.readyTimeoutMs ?? 15_000);
    while (!ready) {
      if (c.exitCode !== null || c.signalCode !== null) throw new Error(`mosquitto exited (code ${c.exitCode}) before it was running:\n${lines.slice(-20).join('\n')}`);
      if (Date.now() > until) throw new Error(`mosquitto not running within the timeout:\n${lines.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 20));
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

  const inst: Mosquitto = {
    url,
    port,
    dir,
    get pid() {
      return alive(child) ? (child.pid ?? null) : null;
    },
    start,
    stop: (graceMs = 5000) => signal('SIGTERM', graceMs),
    kill9: () => signal('SIGKILL', 0),
    output: () => lines.join('\n'),
  };
  try {
    await start();
  } catch (err) {
    await inst.stop();
    throw err;
  }
  return inst;
}
