// What most commands start from: the site config and its secrets, loaded the way the processes
// load them (config/load.ts: errors name the key), and the services' database.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { loadSecrets, loadSiteConfig } from '../config/load.ts';
import type { Secrets, SiteConfig } from '../config/schema.ts';
import { openStore, type Store } from '../services/db/store.ts';
import type { CliIO } from './command.ts';

export interface Site {
  configPath: string;
  secretsPath: string;
  config: SiteConfig;
  secrets: Secrets;
}

/** secrets.yaml beside the site config, or SMARTSPACE_SECRETS_FILE (as the processes read it). */
export function secretsPathFor(configPath: string, env: NodeJS.ProcessEnv): string {
  return env.SMARTSPACE_SECRETS_FILE ?? resolve(dirname(resolve(configPath)), 'secrets.yaml');
}

/** Loads config and secrets; throws ConfigError naming the key. */
export function loadSite(configPath: string, io: Pick<CliIO, 'env' | 'cwd'>): Site {
  const path = resolve(io.cwd, configPath);
  const config = loadSiteConfig(path);
  const secretsPath = secretsPathFor(path, io.env);
  return { configPath: path, secretsPath, config, secrets: loadSecrets(config, secretsPath, io.env) };
}

/**
 * The services' database, migrated. Safe while the services run: SQLite in WAL mode with a busy
 * timeout (services/db/database.ts), so our short write transactions wait for theirs.
 */
export function openSiteStore(config: SiteConfig): Store {
  becomeOwnerOf(config.services.dataDir);
  return openStore(config.services.dataDir);
}

/** Who did it, in the audit log: the admin CLI as the machine's user. */
export function cliActor(env: NodeJS.ProcessEnv): { actor: string; source: string } {
  return { actor: 'cli', source: `cli:${env.SUDO_USER ?? env.USER ?? env.LOGNAME ?? 'unknown'}` };
}

/** uid and gid of a user from /etc/passwd (no NSS lookup: the users we need are local). */
export function lookupUser(name: string, passwd = '/etc/passwd'): { uid: number; gid: number } | undefined {
  for (const line of readFileSync(passwd, 'utf8').split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/**
 * Run as root (sudo smartspace …), the files SQLite creates (the database, its -wal and -shm)
 * would be root's, and the services, running as their own user, could not open them. So root
 * becomes the owner of the data dir before the database is touched.
 */
export function becomeOwnerOf(dir: string): void {
  if (process.getuid?.() !== 0 || !existsSync(dir)) return;
  const { uid, gid } = statSync(dir);
  if (uid === 0) return;
  const program = programDir();
  process.setgid!(gid);
  process.setuid!(uid);
  try {
    accessSync(program, constants.R_OK | constants.X_OK);
  } catch {
    throw cannotReadProgram(uid, program);
  }
}

// SQLite's native module is loaded as the data dir's owner. Where the program lies in a directory
// that user cannot enter (e.g. under /root, or a clone in a 0700 temp dir), that load would fail
// with a bare EACCES deep inside a require; the services, running as the same user, could not
// start either. So both the switch above and `init --owner` check it first and say so.
const programDir = (): string => dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
const cannotReadProgram = (uid: number, program: string): Error =>
  new Error(
    `the services user (uid ${uid}) cannot read the program at ${program}: install smartspace where that ` +
      'user can read it (e.g. /opt/smartspace), or let it through the parent directories (chmod o+x)',
  );

/** Throws unless `user` can read the program (checked as that user, before anything is written). */
export function assertCanRunProgram(user: { uid: number; gid: number }): void {
  const program = programDir();
  const test = spawnSync('/bin/sh', ['-c', 'test -r "$1" && test -x "$1"', 'sh', program], { uid: user.uid, gid: user.gid });
  if (test.status !== 0) throw cannotReadProgram(user.uid, program);
}
