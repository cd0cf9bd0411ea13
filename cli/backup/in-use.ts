// Is the site running? restore and migrate must not change databases under a running process.
// Two signs, either is enough: a database of the site is open in another process (every
// connection to a WAL database holds a shared lock on it, so an exclusive lock cannot be had;
// this works across containers that share the volume), or something answers on the services'
// HTTP port on this machine (the services are up, perhaps between opening their files).
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import Database from 'better-sqlite3';
import type { SiteLayout } from './layout.ts';

const BUSY = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED']);

/** True when another connection holds the database open; false when it is free or missing. */
export function databaseInUse(path: string): boolean {
  if (!existsSync(path)) return false;
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: true });
  } catch (err) {
    return BUSY.has((err as { code?: string }).code ?? '');
  }
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (err) {
    return BUSY.has((err as { code?: string }).code ?? '');
  } finally {
    db.close();
  }
}

/** True when a TCP connection to host:port succeeds within `timeoutMs`. */
export function portAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  const target = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return new Promise((done) => {
    const socket = connect({ host: target, port });
    const finish = (answered: boolean) => {
      socket.destroy();
      done(answered);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** Why the site looks running (one line), or null when it does not. */
export async function siteRunning(layout: SiteLayout, opts: { probePort?: boolean } = {}): Promise<string | null> {
  for (const d of layout.databases) {
    if (databaseInUse(d.path)) return `the ${d.name} database (${d.path}) is open in another process`;
  }
  const { host, port } = layout.config.services.http;
  if ((opts.probePort ?? true) && (await portAnswers(host, port))) return `something answers on the services' HTTP port ${host}:${port}`;
  return null;
}
