// Changes another process commits to the services' database (the admin CLI's `import` and
// `reset-password`, a host with sqlite3) reach the gateways without a restart. SQLite's
// `data_version` changes exactly when another connection has committed; reading it is one
// pragma on the open connection, so a poll every few seconds costs nothing on a Pi. On a change
// the access lists are refreshed: a new version only where a gateway's entries changed.
import type { Db } from '../db/database.ts';

export const EXTERNAL_CHANGES_EVERY_MS = 2000;

/** Calls `onChange` after another connection commits to `db`; returns the stop function. */
export function watchExternalChanges(db: Db, onChange: () => void, everyMs = EXTERNAL_CHANGES_EVERY_MS): () => void {
  const version = () => db.pragma('data_version', { simple: true }) as number;
  let seen = version();
  const timer = setInterval(() => {
    if (!db.open) return;
    const v = version();
    if (v === seen) return;
    seen = v;
    onChange();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
