// Versioned schema migrations: an ordered list, each applied once in its own transaction and
// recorded in `schema_migrations`. Never edit a released migration: append a new one.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE plans (
        id       TEXT PRIMARY KEY,
        name     TEXT NOT NULL,
        doors    TEXT NOT NULL,             -- JSON array of door ids
        windows  TEXT NOT NULL,             -- JSON array of TimeWindow; [] = any time
        offline  INTEGER NOT NULL CHECK (offline IN (0, 1))
      );
      CREATE TABLE members (
        id               TEXT PRIMARY KEY,
        name             TEXT NOT NULL,
        email            TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash    TEXT NOT NULL,     -- scrypt$N$r$p$salt$hash
        role             TEXT NOT NULL CHECK (role IN ('member', 'host', 'operator')),
        plan             TEXT REFERENCES plans (id),
        presence_opt_in  INTEGER NOT NULL DEFAULT 0 CHECK (presence_opt_in IN (0, 1)),
        active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at       INTEGER NOT NULL
      );
      -- Card credentials: only the fingerprint HMAC(site key, uid); the uid is never stored.
      CREATE TABLE credentials (
        id           INTEGER PRIMARY KEY,
        member       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        fingerprint  TEXT NOT NULL UNIQUE,
        created_at   INTEGER NOT NULL,
        revoked_at   INTEGER
      );
      CREATE INDEX credentials_member ON credentials (member);
      -- Doors and desks mirror the site config; synced at every start.
      CREATE TABLE doors (
        id       TEXT PRIMARY KEY,
        name     TEXT NOT NULL,
        gateway  TEXT NOT NULL
      );
      CREATE TABLE desks (
        id       TEXT PRIMARY KEY,
        name     TEXT NOT NULL,
        zone     TEXT NOT NULL,
        gateway  TEXT NOT NULL,
        x        REAL NOT NULL,
        y        REAL NOT NULL
      );
      CREATE TABLE door_state (
        door         TEXT PRIMARY KEY,
        ts           INTEGER NOT NULL,
        payload      TEXT NOT NULL,         -- JSON DoorState
        received_at  INTEGER NOT NULL
      );
      CREATE TABLE desk_state (
        desk         TEXT PRIMARY KEY,
        ts           INTEGER NOT NULL,
        occupied     INTEGER NOT NULL CHECK (occupied IN (0, 1)),
        since        INTEGER NOT NULL,
        received_at  INTEGER NOT NULL
      );
      CREATE TABLE gateway_status (
        gateway      TEXT PRIMARY KEY,
        ts           INTEGER NOT NULL,
        state        TEXT NOT NULL,
        payload      TEXT NOT NULL,         -- JSON GatewayStatus
        received_at  INTEGER NOT NULL
      );
      -- Door events; the event id from the gateway is the primary key, so a resent event
      -- (outbox after a reconnect) is stored once.
      CREATE TABLE events (
        id           TEXT PRIMARY KEY,
        ts           INTEGER NOT NULL,
        door         TEXT NOT NULL,
        gateway      TEXT NOT NULL,
        type         TEXT NOT NULL,
        member       TEXT,
        payload      TEXT NOT NULL,         -- JSON DoorEvent
        received_at  INTEGER NOT NULL
      );
      CREATE INDEX events_ts ON events (ts, id);
      CREATE INDEX events_door_ts ON events (door, ts, id);
      CREATE TABLE sessions (
        token_hash  TEXT PRIMARY KEY,       -- sha256 of the cookie token, hex
        member      TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL
      );
      CREATE INDEX sessions_expires ON sessions (expires_at);
      CREATE TABLE acl_versions (
        gateway     TEXT PRIMARY KEY,
        version     INTEGER NOT NULL,
        ts          INTEGER NOT NULL,
        entries     INTEGER NOT NULL
      );
      CREATE TABLE audit (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        ts      INTEGER NOT NULL,
        actor   TEXT,
        action  TEXT NOT NULL,
        target  TEXT,
        detail  TEXT,                       -- JSON
        ip      TEXT
      );
      CREATE INDEX audit_ts ON audit (ts);
    `,
  },
];
