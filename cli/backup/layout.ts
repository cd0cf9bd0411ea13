// Where a site keeps what a backup holds: its config and secrets, every SQLite database (the
// services', the SQLite history store's, each gateway's whose data dir is on this machine),
// the gateways' access lists and Node-RED's user dir. backup, restore and migrate all read the
// site through this one map, and name each file in the archive by its `archivePath`.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { SiteConfig } from '../../config/schema.ts';
import { migrate as migrateSqlite, schemaVersion } from '../../services/db/database.ts';

export { schemaVersion };
import { DB_FILE } from '../../services/db/store.ts';
import { MIGRATIONS as SERVICES_MIGRATIONS } from '../../services/db/migrations.ts';
import { HISTORY_DB_FILE, MIGRATIONS as HISTORY_MIGRATIONS } from '../../services/history/sqlite-store.ts';
import { MIGRATIONS as GATEWAY_MIGRATIONS, migrate as migrateGateway } from '../../gateway/outbox/gateway-db.ts';

export const GATEWAY_DB_FILE = 'gateway.db';
export const ACL_FILE = 'acl.json';

/** One SQLite database of the site and the migrations its code applies. */
export interface SiteDatabase {
  /** `services`, `history` or `gateway <id>`: how the CLI names it to a person. */
  name: string;
  path: string;
  archivePath: string;
  migrations: readonly { version: number; name?: string }[];
  /** Applies the pending migrations with the code the process that owns it runs. */
  migrate(db: Database.Database): void;
}

export interface SiteFile {
  path: string;
  archivePath: string;
  /** Mode to write it with on restore (secrets: 0600). */
  mode: number;
}

export interface SiteLayout {
  configPath: string;
  secretsPath: string;
  nodeRedDir: string;
  config: SiteConfig;
  databases: SiteDatabase[];
}

export const CONFIG_ENTRY = 'config/site.yaml';
export const SECRETS_ENTRY = 'config/secrets.yaml';

/** Node-RED's own files in its user dir: flows, their credentials, its runtime config; never node_modules. */
export function isNodeRedFile(name: string): boolean {
  return /^(flows\.json|flows_cred\.json|package\.json|\.shipped-flows\.sha256|\.config\.[a-z]+\.json)$/.test(name);
}

export function siteLayout(configPath: string, config: SiteConfig, env: NodeJS.ProcessEnv): SiteLayout {
  const abs = resolve(configPath);
  const services = config.services.dataDir;
  const databases: SiteDatabase[] = [
    {
      name: 'services',
      path: join(services, DB_FILE),
      archivePath: `services/${DB_FILE}`,
      migrations: SERVICES_MIGRATIONS,
      migrate: (db) => {
        db.pragma('foreign_keys = ON');
        migrateSqlite(db, SERVICES_MIGRATIONS);
      },
    },
  ];
  if (config.history.store === 'sqlite') {
    databases.push({
      name: 'history',
      path: join(services, HISTORY_DB_FILE),
      archivePath: `services/${HISTORY_DB_FILE}`,
      migrations: HISTORY_MIGRATIONS,
      migrate: (db) => void migrateSqlite(db, HISTORY_MIGRATIONS),
    });
  }
  for (const g of config.gateways) {
    databases.push({
      name: `gateway ${g.id}`,
      path: join(g.dataDir, GATEWAY_DB_FILE),
      archivePath: `gateways/${g.id}/${GATEWAY_DB_FILE}`,
      migrations: GATEWAY_MIGRATIONS,
      migrate: (db) => void migrateGateway(db),
    });
  }
  return {
    configPath: abs,
    secretsPath: resolve(env.SMARTSPACE_SECRETS_FILE ?? join(dirname(abs), 'secrets.yaml')),
    nodeRedDir: resolve(env.SMARTSPACE_NODE_RED_DIR ?? resolve(services, '..', 'node-red')),
    config,
    databases,
  };
}

/** The plain files of a site, as they are (or would be) on this machine. */
export function siteFiles(layout: SiteLayout, nodeRedNames?: readonly string[]): SiteFile[] {
  const files: SiteFile[] = [
    { path: layout.configPath, archivePath: CONFIG_ENTRY, mode: 0o644 },
    { path: layout.secretsPath, archivePath: SECRETS_ENTRY, mode: 0o600 },
  ];
  for (const g of layout.config.gateways) {
    files.push({ path: join(g.dataDir, ACL_FILE), archivePath: `gateways/${g.id}/${ACL_FILE}`, mode: 0o600 });
  }
  const names = nodeRedNames ?? (existsSync(layout.nodeRedDir) ? readdirSync(layout.nodeRedDir).filter(isNodeRedFile).sort() : []);
  for (const name of names) {
    // flows_cred.json is encrypted with the credential secret, which restore brings back too.
    files.push({ path: join(layout.nodeRedDir, name), archivePath: `node-red/${name}`, mode: name.startsWith('flows') ? 0o600 : 0o644 });
  }
  return files;
}

export function latestVersion(d: SiteDatabase): number {
  return Math.max(0, ...d.migrations.map((m) => m.version));
}
