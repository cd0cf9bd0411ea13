// Versioned schema migrations: an ordered list, each applied once in its own transaction and
// recorded in `schema_migrations`. Never edit a released migration: append a new one. A migration
// is self-contained: it uses no code that may change later (it runs on old databases for good).
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** What SQL alone cannot do (random values, loops), run after `sql` in the same transaction. */
  run?: (db: Database) => void;
  /**
   * A table rebuild (new table, copy, drop, rename): foreign keys are switched off around its
   * transaction, as SQLite's ALTER TABLE rules ask (dropping the old table would otherwise cascade
   * to the rows that reference it), and `PRAGMA foreign_key_check` must find nothing before it
   * commits.
   */
  rebuild?: boolean;
}

/**
 * Migration 4: every member id that is not already random (`m_` + 16 base32, PATTERNS.memberId)
 * becomes one, wherever it is stored: members, credentials, sessions, events (column and
 * payload), audit (actor; target of the actions about a member; detail.member). Old → new is kept
 * in member_renames: the plain old id only until the history store is rewritten too (services/
 * privacy/erasure.ts), the hash of it for good, so that an event a gateway queued with the old id
 * before the upgrade still lands on the right member.
 */
function renameMemberIdsToOpaque(db: Database): void {
  const opaque = /^m_[a-z2-7]{16}$/;
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const ids = db.prepare('SELECT id FROM members ORDER BY id').pluck().all() as string[];
  const taken = new Set(ids);
  const fresh = (): string => {
    for (;;) {
      // 80 random bits, 5 per character.
      let n = BigInt(`0x${randomBytes(10).toString('hex')}`);
      let id = '';
      for (let i = 0; i < 16; i++, n >>= 5n) id = alphabet[Number(n & 31n)]! + id;
      if (!taken.has(`m_${id}`)) return `m_${id}`;
    }
  };
  const hash = (id: string) => createHash('sha256').update(`member:${id}`).digest('hex');
  const s = {
    rename: db.prepare('INSERT INTO member_renames (old_hash, old, new) VALUES (?, ?, ?)'),
    members: db.prepare('UPDATE members SET id = @new WHERE id = @old'),
    credentials: db.prepare('UPDATE credentials SET member = @new WHERE member = @old'),
    sessions: db.prepare('UPDATE sessions SET member = @new WHERE member = @old'),
    events: db.prepare(`UPDATE events SET member = CASE WHEN member = @old THEN @new ELSE member END,
        payload = CASE WHEN json_extract(payload, '$.member') = @old THEN json_set(payload, '$.member', @new) ELSE payload END
      WHERE member = @old OR json_extract(payload, '$.member') = @old`),
    // Targets are door, plan and closure ids too: only the actions about a member are renamed.
    audit: db.prepare(`UPDATE audit SET
        actor = CASE WHEN actor = @old THEN @new ELSE actor END,
        target = CASE WHEN target = @old AND (action LIKE 'member.%' OR action LIKE 'credential.%' OR action LIKE 'pass.%'
          OR action LIKE 'privacy.%' OR action LIKE 'enrolment.%') THEN @new ELSE target END,
        detail = CASE WHEN json_extract(detail, '$.member') = @old THEN json_set(detail, '$.member', @new) ELSE detail END
      WHERE actor = @old OR target = @old OR json_extract(detail, '$.member') = @old`),
    gate: db.prepare('UPDATE privacy_gate SET open = ? WHERE id = 1'),
  };
  // The ids change in members and in the rows that reference them one statement apart.
  db.pragma('defer_foreign_keys = ON');
  s.gate.run(1);
  for (const old of ids) {
    if (opaque.test(old)) continue;
    const pair = { old, new: fresh() };
    taken.add(pair.new);
    s.rename.run(hash(old), old, pair.new);
    for (const stmt of [s.members, s.credentials, s.sessions, s.events, s.audit]) stmt.run(pair);
  }
  s.gate.run(0);
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
  {
    version: 2,
    name: 'plans validity, passes, closures, append-only audit',
    sql: `
      -- Plan validity: local dates (YYYY-MM-DD, inclusive) in the site's time zone; NULL = open.
      ALTER TABLE plans ADD COLUMN valid_from TEXT;
      ALTER TABLE plans ADD COLUMN valid_to TEXT;
      ALTER TABLE plans ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;

      -- Credentials, rebuilt: a fingerprint is unique among live credentials only (a revoked card
      -- can be enrolled again); passes carry a date range, an optional plan of their own and
      -- may be a keypad PIN (kind pin: the fingerprint is HMAC(site key, "PIN:<digits>")).
      CREATE TABLE credentials_v2 (
        id           INTEGER PRIMARY KEY,
        member       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        kind         TEXT NOT NULL DEFAULT 'card' CHECK (kind IN ('card', 'pin')),
        fingerprint  TEXT NOT NULL,
        label        TEXT,
        plan         TEXT REFERENCES plans (id),
        valid_from   TEXT,
        valid_to     TEXT,
        created_at   INTEGER NOT NULL,
        revoked_at   INTEGER
      );
      INSERT INTO credentials_v2 (id, member, fingerprint, created_at, revoked_at)
        SELECT id, member, fingerprint, created_at, revoked_at FROM credentials;
      DROP TABLE credentials;
      ALTER TABLE credentials_v2 RENAME TO credentials;
      CREATE INDEX credentials_member ON credentials (member);
      CREATE UNIQUE INDEX credentials_live_fingerprint ON credentials (fingerprint) WHERE revoked_at IS NULL;

      -- The nanosecond offset of each event's time in the history store (history/point.ts): its
      -- id's hash, moved on when another event of the same door and millisecond has it already,
      -- kept so that every rewrite of the event lands on the same point.
      ALTER TABLE events ADD COLUMN history_ns INTEGER;

      -- Closures and holidays: local dates, inclusive; plans = JSON array, [] = every plan.
      CREATE TABLE closures (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        from_date   TEXT NOT NULL,
        to_date     TEXT NOT NULL,
        plans       TEXT NOT NULL DEFAULT '[]',
        created_at  INTEGER NOT NULL
      );

      -- Erased members: a hash of the id (never reused), the pseudonym their events now carry,
      -- and the plain id only until the history store has been rewritten too.
      CREATE TABLE erasures (
        member_hash   TEXT PRIMARY KEY,
        member        TEXT,
        pseudonym     TEXT NOT NULL,
        erased_at     INTEGER NOT NULL,
        history_done  INTEGER NOT NULL DEFAULT 0 CHECK (history_done IN (0, 1))
      );

      -- Audit: "from where" is an IP for HTTP, gateway:<id> for decisions made at a door.
      ALTER TABLE audit RENAME COLUMN ip TO source;
      CREATE INDEX audit_actor_ts ON audit (actor, ts);
      CREATE INDEX audit_action_ts ON audit (action, ts);

      -- Append-only: UPDATE and DELETE are refused, except while the privacy gate is open, which
      -- only the anonymisation path does, inside one transaction (erasure and retention).
      CREATE TABLE privacy_gate (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        open  INTEGER NOT NULL CHECK (open IN (0, 1))
      );
      INSERT INTO privacy_gate (id, open) VALUES (1, 0);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        WHEN COALESCE((SELECT open FROM privacy_gate WHERE id = 1), 0) = 0
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
      CREATE TRIGGER audit_anonymise_only BEFORE UPDATE ON audit
        WHEN NEW.id IS NOT OLD.id OR NEW.ts IS NOT OLD.ts OR NEW.action IS NOT OLD.action
        BEGIN SELECT RAISE(ABORT, 'audit: only who, target, detail and source may be anonymised'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
      CREATE TRIGGER privacy_gate_kept BEFORE DELETE ON privacy_gate
        BEGIN SELECT RAISE(ABORT, 'privacy gate row is permanent'); END;
    `,
  },
  {
    version: 3,
    name: 'device health, events by member',
    sql: `
      -- The last health report of each device (gateway/health): what /api/devices knows of a
      -- device after a restart, until it is heard again.
      CREATE TABLE device_health (
        device       TEXT PRIMARY KEY,
        gateway      TEXT,
        payload      TEXT NOT NULL,
        received_at  INTEGER NOT NULL
      );
      -- A member's own visits (GET /api/me/visits).
      CREATE INDEX events_member_ts ON events (member, ts);
    `,
  },
  {
    version: 4,
    name: 'random member ids',
    sql: `
      -- Member ids made from names (anna-berg) renamed to random ones (renameMemberIdsToOpaque).
      -- old: the plain old id until the history store is rewritten, then NULL; old_hash stays,
      -- so that an event queued with the old id before the upgrade finds its member.
      CREATE TABLE member_renames (
        old_hash      TEXT PRIMARY KEY,
        old           TEXT,
        new           TEXT NOT NULL UNIQUE,
        history_done  INTEGER NOT NULL DEFAULT 0 CHECK (history_done IN (0, 1))
      );
    `,
    run: renameMemberIdsToOpaque,
  },
  {
    version: 5,
    name: 'session generations, refused requests pruned',
    sql: `
      -- Session generations: a session carries the generation its member had at login and only
      -- opens while the member still has it. A new password, a suspension or reactivation and a
      -- role change move the generation on, by this trigger, whoever writes the row (the API,
      -- smartspace reset-password, a host with sqlite3): older sessions end at once, and a
      -- suspend-then-reactivate does not bring them back.
      ALTER TABLE members ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sessions ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
      CREATE TRIGGER members_session_generation AFTER UPDATE OF password_hash, active, role ON members
        WHEN OLD.password_hash IS NOT NEW.password_hash OR OLD.active IS NOT NEW.active OR OLD.role IS NOT NEW.role
        BEGIN UPDATE members SET session_generation = session_generation + 1 WHERE id = NEW.id; END;

      -- Refused requests (api.refused, counted per minute) are the one kind of audit row that
      -- retention deletes: anyone can cause them. Still only through the privacy gate.
      DROP TRIGGER audit_no_delete;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        WHEN OLD.action IS NOT 'api.refused' OR COALESCE((SELECT open FROM privacy_gate WHERE id = 1), 0) = 0
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
    `,
  },
  {
    version: 6,
    name: 'card number tails',
    sql: `
      -- The last digits of the number printed on a card (or its UID), as the gateway reported
      -- them at enrolment, so that a host can match the list to the card on the desk. The full
      -- number never leaves the gateway; NULL for PINs and cards added before this.
      ALTER TABLE credentials ADD COLUMN number_tail TEXT;
    `,
  },
  {
    version: 7,
    name: 'alert centre',
    sql: `
      -- The alert centre (services/alerts): one row per alert, active until cleared. At most one
      -- active alert per kind and subject: raising it again counts it (count, last_at).
      CREATE TABLE alerts (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL,
        severity    TEXT NOT NULL,
        subject     TEXT NOT NULL,
        door        TEXT,
        zone        TEXT,
        gateway     TEXT,
        detail      TEXT NOT NULL DEFAULT '{}',
        text        TEXT,
        raised_at   INTEGER NOT NULL,
        last_at     INTEGER NOT NULL,
        count       INTEGER NOT NULL DEFAULT 1,
        cleared_at  INTEGER,
        acked_at    INTEGER,
        acked_by    TEXT
      );
      CREATE UNIQUE INDEX alerts_active ON alerts (kind, subject) WHERE cleared_at IS NULL;
      CREATE INDEX alerts_raised ON alerts (raised_at);
      -- One row per alert and recipient: e-mail or push to a host, or a site webhook. Stored
      -- before the first attempt, so a delivery survives a restart and an SMTP outage.
      CREATE TABLE alert_deliveries (
        id          INTEGER PRIMARY KEY,
        alert       INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
        channel     TEXT NOT NULL CHECK (channel IN ('email', 'push', 'webhook')),
        target      TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('pending', 'held', 'sent', 'failed')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        next_at     INTEGER NOT NULL,
        error       TEXT,
        sent_at     INTEGER
      );
      CREATE INDEX alert_deliveries_due ON alert_deliveries (state, next_at);
      CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert);
      -- A host's choices (JSON: kinds, channels, quiet hours) and the browsers they get push in.
      CREATE TABLE alert_prefs (
        member  TEXT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE ON UPDATE CASCADE,
        prefs   TEXT NOT NULL
      );
      CREATE TABLE push_subscriptions (
        endpoint    TEXT PRIMARY KEY,
        member      TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE ON UPDATE CASCADE,
        p256dh      TEXT NOT NULL,
        auth        TEXT NOT NULL,
        created_at  INTEGER NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: 'sensor suspects',
    sql: `
      -- Desk sensors checked against the door (services/sensors): one row per episode of a desk
      -- sensor being suspect, open until a host confirms the sensor (ended = 'confirmed') or it
      -- recovers ('recovered'). Its time from since to the end is left out of analytics,
      -- unless the host chose to count it again (backfill = 1). At most one open episode per desk.
      CREATE TABLE sensor_suspects (
        id            INTEGER PRIMARY KEY,
        desk          TEXT NOT NULL,
        reason        TEXT NOT NULL,
        since         INTEGER NOT NULL,
        evidence      TEXT NOT NULL DEFAULT '{}',
        detected_at   INTEGER NOT NULL,
        ended_at      INTEGER,
        ended         TEXT CHECK (ended IN ('confirmed', 'recovered')),
        confirmed_by  TEXT,
        backfill      INTEGER NOT NULL DEFAULT 0
      );
      CREATE UNIQUE INDEX sensor_suspects_open ON sensor_suspects (desk) WHERE ended_at IS NULL;
      CREATE INDEX sensor_suspects_desk ON sensor_suspects (desk, ended_at);
    `,
  },
  {
    version: 9,
    name: 'bookings',
    sql: `
      -- What a plan's members may book (JSON BookingRules, contracts/api/plans.ts); NULL: nothing.
      ALTER TABLE plans ADD COLUMN booking TEXT;
      -- Bookings of a room (site config bookings.rooms) or a desk, [starts_at, ends_at) epoch ms.
      -- The PIN is kept (not only its fingerprint, unlike a pass's): the booker sees it again and
      -- the calendar event carries it; it opens the room's door only in the booking's window.
      CREATE TABLE bookings (
        id           INTEGER PRIMARY KEY,
        kind         TEXT NOT NULL CHECK (kind IN ('room', 'desk')),
        resource     TEXT NOT NULL,
        member       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE ON UPDATE CASCADE,
        starts_at    INTEGER NOT NULL,
        ends_at      INTEGER NOT NULL CHECK (ends_at > starts_at),
        title        TEXT,
        guests       TEXT NOT NULL DEFAULT '[]',
        state        TEXT NOT NULL DEFAULT 'booked' CHECK (state IN ('booked', 'cancelled', 'released')),
        pin          TEXT,
        pin_fp       TEXT,
        created_at   INTEGER NOT NULL,
        created_by   TEXT NOT NULL,
        ended_at     INTEGER
      );
      CREATE INDEX bookings_resource ON bookings (resource, starts_at);
      CREATE INDEX bookings_member ON bookings (member, starts_at);
      CREATE UNIQUE INDEX bookings_live_pin ON bookings (pin_fp) WHERE pin_fp IS NOT NULL AND state = 'booked';
      -- No two live bookings of one room or desk overlap. In the database, so that two requests
      -- at once cannot both pass a check made before their inserts.
      CREATE TRIGGER bookings_no_overlap BEFORE INSERT ON bookings
        WHEN NEW.state = 'booked' AND EXISTS (SELECT 1 FROM bookings b WHERE b.resource = NEW.resource AND b.state = 'booked'
          AND b.starts_at < NEW.ends_at AND NEW.starts_at < b.ends_at)
        BEGIN SELECT RAISE(ABORT, 'booking-overlap'); END;
      CREATE TRIGGER bookings_no_overlap_update BEFORE UPDATE OF starts_at, ends_at, state, resource ON bookings
        WHEN NEW.state = 'booked' AND EXISTS (SELECT 1 FROM bookings b WHERE b.resource = NEW.resource AND b.state = 'booked'
          AND b.id <> NEW.id AND b.starts_at < NEW.ends_at AND NEW.starts_at < b.ends_at)
        BEGIN SELECT RAISE(ABORT, 'booking-overlap'); END;
      -- Secret calendar feed addresses (iCalendar), per member or per room; only a hash is kept.
      CREATE TABLE calendar_feeds (
        id          INTEGER PRIMARY KEY,
        token_hash  TEXT NOT NULL UNIQUE,
        member      TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE ON UPDATE CASCADE,
        room        TEXT,
        created_at  INTEGER NOT NULL,
        revoked_at  INTEGER
      );
    `,
  },
  {
    version: 10,
    name: 'outgoing webhooks',
    sql: `
      -- Outgoing webhooks (services/webhooks): one row per event and subscription, stored before
      -- the first attempt so that nothing is lost over a restart or a receiver's outage. Sent in
      -- id order per subscription; msg_id is the webhook-id header, the same on every attempt.
      -- A delivered row is deleted; one given up stays as a dead letter until sent again or deleted.
      CREATE TABLE webhook_outbox (
        id          INTEGER PRIMARY KEY,
        sub         TEXT NOT NULL,
        msg_id      TEXT NOT NULL UNIQUE,
        type        TEXT NOT NULL,
        body        TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('pending', 'dead')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        next_at     INTEGER NOT NULL,
        error       TEXT,
        dead_at     INTEGER
      );
      CREATE INDEX webhook_outbox_sub ON webhook_outbox (sub, state, id);
      -- Each subscription's health for the dashboard: last success, last failure, failures since.
      CREATE TABLE webhook_health (
        sub            TEXT PRIMARY KEY,
        delivered      INTEGER NOT NULL DEFAULT 0,
        last_ok_at     INTEGER,
        last_error_at  INTEGER,
        last_error     TEXT,
        failures       INTEGER NOT NULL DEFAULT 0
      );
    `,
  },
  {
    version: 11,
    name: 'network of spaces',
    sql: `
      -- A member's agreement to be a network member (issue 18): only then does anything about
      -- them (a visa: a random grant id and their card's network fingerprint) leave the site.
      ALTER TABLE members ADD COLUMN network_member INTEGER NOT NULL DEFAULT 0 CHECK (network_member IN (0, 1));
      -- HMAC(network key, uid) of a card, made where the uid is known (seed, import, the gateway
      -- at enrolment); NULL while the site is in no network.
      ALTER TABLE credentials ADD COLUMN net_fingerprint TEXT;
      -- Visas: those this site issued for its network members (member and credential set) and
      -- those other sites published (member NULL); the latest signed word per grant.
      CREATE TABLE net_visas (
        grant_id    TEXT PRIMARY KEY,
        home        TEXT NOT NULL,
        member      TEXT REFERENCES members (id) ON DELETE CASCADE,
        credential  INTEGER,
        fp          TEXT NOT NULL,
        until       INTEGER NOT NULL,
        revoked     INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
        ts          INTEGER NOT NULL,
        payload     TEXT NOT NULL
      );
      CREATE INDEX net_visas_home ON net_visas (home);
      -- Visit days, counted at both ends: here (site = this site) and at home (reports from the
      -- visited sites). The id is <site>.<grant>.<day>: a redelivered report is stored once.
      CREATE TABLE net_visits (
        id           TEXT PRIMARY KEY,
        grant_id     TEXT NOT NULL,
        home         TEXT NOT NULL,
        site         TEXT NOT NULL,
        day          TEXT NOT NULL,
        ts           INTEGER NOT NULL,
        received_at  INTEGER NOT NULL
      );
      CREATE INDEX net_visits_grant ON net_visits (grant_id, day);
    `,
  },
  {
    version: 12,
    name: 'members: e-mail optional',
    rebuild: true,
    sql: `
      -- A one-off guest (a day or guest pass) is a member with a name and no e-mail: e-mail is
      -- NULL for them, unique among those who have one (NULLs are distinct in UNIQUE). They have
      -- no password either, so they cannot log in. Rebuilt with every column, default, check,
      -- the session-generation trigger (migration 5) and every row; the tables that reference
      -- members (credentials, sessions, alert_prefs, push_subscriptions) keep their rows and
      -- point at the new table by name.
      CREATE TABLE members_v12 (
        id                  TEXT PRIMARY KEY,
        name                TEXT NOT NULL,
        email               TEXT UNIQUE COLLATE NOCASE,
        password_hash       TEXT NOT NULL,
        role                TEXT NOT NULL CHECK (role IN ('member', 'host', 'operator')),
        plan                TEXT REFERENCES plans (id),
        presence_opt_in     INTEGER NOT NULL DEFAULT 0 CHECK (presence_opt_in IN (0, 1)),
        active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at          INTEGER NOT NULL,
        session_generation  INTEGER NOT NULL DEFAULT 0,
        network_member      INTEGER NOT NULL DEFAULT 0 CHECK (network_member IN (0, 1))
      );
      INSERT INTO members_v12 (id, name, email, password_hash, role, plan, presence_opt_in, active, created_at, session_generation, network_member)
        SELECT id, name, email, password_hash, role, plan, presence_opt_in, active, created_at, session_generation, network_member FROM members;
      DROP TABLE members;
      ALTER TABLE members_v12 RENAME TO members;
      CREATE TRIGGER members_session_generation AFTER UPDATE OF password_hash, active, role ON members
        WHEN OLD.password_hash IS NOT NEW.password_hash OR OLD.active IS NOT NEW.active OR OLD.role IS NOT NEW.role
        BEGIN UPDATE members SET session_generation = session_generation + 1 WHERE id = NEW.id; END;
    `,
  },
  {
    version: 13,
    name: 'network: announcements of other sites',
    sql: `
      -- The latest announcement of each other site of the network (issue 18): its name, what it
      -- shares and its rules for visitors, shown to this site's network members. Names nobody.
      CREATE TABLE net_announces (
        site     TEXT PRIMARY KEY,
        ts       INTEGER NOT NULL,
        payload  TEXT NOT NULL
      );
    `,
  },
  {
    version: 14,
    name: 'bookings: iCalendar sequence',
    sql: `
      -- RFC 5545 SEQUENCE of the booking's calendar event: 0 when made, one more with each change
      -- a calendar app must take over the copy it has (cancelled, released, a guest PIN added).
      -- A trigger, so every update counts, whoever makes it.
      ALTER TABLE bookings ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
      CREATE TRIGGER bookings_sequence AFTER UPDATE OF state, pin, starts_at, ends_at, resource, title, guests ON bookings
        BEGIN UPDATE bookings SET sequence = OLD.sequence + 1 WHERE id = NEW.id; END;
    `,
  },
];
