// Debian's mosquitto (2.0.11) as the external broker of a test site: its config folder generated
// by `npm run mosquitto:config` (scripts/mosquitto-config.ts) into the site's temp dir, started
// without systemd as our own process on the site's loopback port, ready when it logs that it is
// running, stopped by its PID. Started as root it would drop to user `mosquitto` and fail to read
// the generated files, so tests run it as the current user (`user root` when that is root).
import { appendFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeMosquittoConfig } from '../../scripts/mosquitto-config.ts';
import { mosquittoHash, type ConfOptions } from '../../scripts/lib/mosquitto-config.ts';
import type { TestSite } from './site.ts';
import { serverProcess } from './server-process.ts';

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
  const server = serverProcess({
    name: 'mosquitto',
    command: MOSQUITTO,
    args: ['-c', conf],
    ready: (line) => line !== null && /mosquitto version \S+ running/.test(line),
    readyTimeoutMs: opts.readyTimeoutMs ?? 15_000,
    stopGraceMs: 5000,
    pollMs: 20,
  });

  const inst: Mosquitto = {
    url,
    port,
    dir,
    get pid() {
      return server.pid;
    },
    start: () => server.start(),
    stop: (graceMs) => server.stop(graceMs),
    kill9: () => server.kill9(),
    output: () => server.output(),
  };
  try {
    await inst.start();
  } catch (err) {
    await inst.stop();
    throw err;
  }
  return inst;
}
