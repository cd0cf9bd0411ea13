// The services' database: one SQLite file, its repositories, prepared statements made once.
import { join } from 'node:path';
import { IN_MEMORY, openDatabase, type Db } from './database.ts';
import { startWalCheckpoints } from '../../runtime/sqlite.ts';
import { createMembersRepo } from './members-repo.ts';
import { createPlansRepo } from './plans-repo.ts';
import { createCredentialsRepo } from './credentials-repo.ts';
import { createErasuresRepo } from './erasures-repo.ts';
import { createMemberRenamesRepo } from './member-renames-repo.ts';
import { createSessionsRepo } from './sessions-repo.ts';
import { createStateRepo } from './state-repo.ts';
import { createEventsRepo } from './events-repo.ts';
import { createAclRepo } from './acl-repo.ts';
import { createAuditRepo } from './audit-repo.ts';
import { createDevicesRepo } from './devices-repo.ts';
import { createAlertsRepo } from './alerts-repo.ts';
import { createSensorSuspectsRepo } from './sensor-suspects-repo.ts';
import { createBookingsRepo } from './bookings-repo.ts';
import { createWebhooksRepo } from './webhooks-repo.ts';
import { createNetworkRepo } from './network-repo.ts';

export const DB_FILE = 'services.db';

export function createStore(db: Db) {
  let closed = false;
  // The WAL is emptied every few minutes while the store is open (runtime/sqlite.ts).
  const checkpoints = startWalCheckpoints(db);
  return {
    db,
    members: createMembersRepo(db),
    plans: createPlansRepo(db),
    credentials: createCredentialsRepo(db),
    erasures: createErasuresRepo(db),
    memberRenames: createMemberRenamesRepo(db),
    sessions: createSessionsRepo(db),
    state: createStateRepo(db),
    events: createEventsRepo(db),
    acl: createAclRepo(db),
    audit: createAuditRepo(db),
    devices: createDevicesRepo(db),
    alerts: createAlertsRepo(db),
    sensorSuspects: createSensorSuspectsRepo(db),
    bookings: createBookingsRepo(db),
    webhooks: createWebhooksRepo(db),
    network: createNetworkRepo(db),
    /** Safe to call twice. */
    close(): void {
      if (closed) return;
      closed = true;
      checkpoints.stop();
      db.close();
    },
  };
}

export type Store = ReturnType<typeof createStore>;

export function openStore(dataDir: string): Store {
  return createStore(openDatabase(join(dataDir, DB_FILE)));
}

/** A store in memory (no file): empty, or a copy of `image` (a `store.db.serialize()`). */
export function openMemoryStore(image?: Buffer): Store {
  return createStore(openDatabase(image ?? IN_MEMORY));
}
