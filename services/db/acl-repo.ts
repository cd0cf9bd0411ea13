// Access-list versions per gateway. A version only ever increases, across restarts too, so a
// gateway can refuse anything older than what it already has.
import type { Db } from './database.ts';

export function createAclRepo(db: Db) {
  const s = {
    get: db.prepare('SELECT version FROM acl_versions WHERE gateway = ?'),
    put: db.prepare(`INSERT INTO acl_versions (gateway, version, ts, entries) VALUES (?, ?, ?, ?)
      ON CONFLICT (gateway) DO UPDATE SET version = excluded.version, ts = excluded.ts, entries = excluded.entries`),
  };
  const next = db.transaction((gateway: string, ts: number, entries: number): number => {
    const cur = (s.get.get(gateway) as { version: number } | undefined)?.version ?? 0;
    const version = cur + 1;
    s.put.run(gateway, version, ts, entries);
    return version;
  });
  return {
    current: (gateway: string): number => (s.get.get(gateway) as { version: number } | undefined)?.version ?? 0,
    /** Reserves and records the next version for `gateway`. */
    next: (gateway: string, ts: number, entries: number): number => next(gateway, ts, entries),
  };
}

export type AclRepo = ReturnType<typeof createAclRepo>;
