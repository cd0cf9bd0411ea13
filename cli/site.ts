// What most commands start from: the site config and its secrets, loaded the way the processes
// load them (config/load.ts: errors name the key), and the services' database.
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
  return openStore(config.services.dataDir);
}

/** Who did it, in the audit log: the admin CLI as the machine's user. */
export function cliActor(env: NodeJS.ProcessEnv): { actor: string; source: string } {
  return { actor: 'cli', source: `cli:${env.SUDO_USER ?? env.USER ?? env.LOGNAME ?? 'unknown'}` };
}
