// Opening a SQLite file, the one way every process does it (the services' database, the history
// store, the gateway's outbox database). WAL with synchronous = NORMAL: a committed row survives
// a crash of the process; on a power cut the last few milliseconds may be lost, never the file
// (the SD-card-friendly trade-off).
//
// The WAL is bounded. SQLite checkpoints it into the database every `wal_autocheckpoint` pages,
// but it only starts writing it from the top again once no reader still needs its frames, and it
// never shrinks the file unless told to: a long reader (a backup, an operator's sqlite3 left open)
// lets it grow without bound, and the file then keeps that size for good. So:
// `journal_size_limit` cuts the file back to that size whenever the WAL is reset, and each owner
// runs `startWalCheckpoints`, which empties it (TRUNCATE) every few minutes once readers let go.
//
// The files are private (runtime/private-files.ts): the folder 0700, the database 0600 before
// SQLite opens it, so the -wal and -shm files SQLite creates take the same mode.
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDir, ensurePrivateFile, tightenIfExists } from './private-files.ts';

export type SqliteDb = Database.Database;

/** The database in memory, empty or a copy of an image (`db.serialize()`): unit tests, no file. */
export const IN_MEMORY = ':memory:';

/** Pages written to the WAL before SQLite checkpoints it on commit (SQLite's own default). */
export const WAL_AUTOCHECKPOINT_PAGES = 1000;
/** Size the WAL file is cut back to whenever it is reset: ~1000 pages of 4 KiB. */
export const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;
/** How often an owner empties the WAL file (`startWalCheckpoints`). */
export const WAL_CHECKPOINT_EVERY_MS = 5 * 60_000;

export interface OpenSqliteOptions {
  /** `PRAGMA foreign_keys`; off unless asked (SQLite's default). */
  foreignKeys?: boolean;
  /**
   * `PRAGMA secure_delete`: deleted rows are overwritten with zeros in the page instead of left
   * as free bytes (an erased member's name would stay readable in the file). Costs some writes on
   * deletes; on for the databases that hold personal data, off unless asked.
   */
  secureDelete?: boolean;
}

/**
 * Opens (creating its folder, 0700, and the file, 0600) a SQLite file, or an in-memory database for `:memory:` or an image,
 * with the pragmas every smartspace database uses. Closes it again if a pragma fails.
 */
export function openSqlite(path: string | Buffer, opts: OpenSqliteOptions = {}): SqliteDb {
  if (typeof path === 'string' && path !== IN_MEMORY) {
    ensurePrivateDir(dirname(path));
    ensurePrivateFile(path);
    tightenIfExists(`${path}-wal`);
    tightenIfExists(`${path}-shm`);
  }
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`foreign_keys = ${opts.foreignKeys ? 'ON' : 'OFF'}`);
    db.pragma(`secure_delete = ${opts.secureDelete ? 'ON' : 'OFF'}`);
    db.pragma('busy_timeout = 5000');
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export interface CheckpointResult {
  /** A reader or writer kept the checkpoint from finishing; tried again next time. */
  busy: boolean;
  /** Frames in the WAL before, and how many of them are now in the database. */
  frames: number;
  checkpointed: number;
  /** The WAL file was emptied (TRUNCATE succeeded). */
  truncated: boolean;
}

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * Copies the WAL into the database without waiting for anyone (PASSIVE); when every frame made
 * it, empties the file (TRUNCATE) if that is possible at once. Never blocks on a busy handler: the
 * event loop of the gateway decides doors.
 */
export function checkpointWal(db: SqliteDb): CheckpointResult {
  const passive = (db.pragma('wal_checkpoint(PASSIVE)') as CheckpointRow[])[0];
  // In memory or not in WAL mode: -1 frames, nothing to do.
  if (!passive || passive.log < 0) return { busy: false, frames: 0, checkpointed: 0, truncated: false };
  const result = { busy: passive.busy !== 0, frames: passive.log, checkpointed: passive.checkpointed, truncated: false };
  if (result.busy || passive.checkpointed < passive.log) return result;
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    const truncate = (db.pragma('wal_checkpoint(TRUNCATE)') as CheckpointRow[])[0];
    result.truncated = truncate?.busy === 0;
    result.busy = !result.truncated;
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
  return result;
}

/**
 * After deleting personal data (an erasure): rebuilds the file (VACUUM: no free page or slack
 * keeps old bytes, and the file shrinks) and empties the WAL (TRUNCATE), whose frames would still
 * hold the pages as they were. Blocks for as long as the VACUUM takes, a moment for a small site;
 * erasures are rare. Returns false when a reader kept the WAL from being emptied (the periodic
 * checkpoint empties it later). In memory: nothing to do.
 */
export function scrubFreedPages(db: SqliteDb): boolean {
  if (db.memory) return true;
  db.exec('VACUUM');
  return checkpointWal(db).truncated;
}

export interface WalCheckpoints {
  /** One checkpoint now (what the timer does). */
  run(): CheckpointResult;
  /** Stops the timer; safe twice. */
  stop(): void;
}

/**
 * Empties the WAL of `db` every `everyMs` (and never keeps the process alive). An in-memory
 * database has no WAL: the timer is not started. A failure (the database closed under it) stops it.
 */
export function startWalCheckpoints(db: SqliteDb, everyMs = WAL_CHECKPOINT_EVERY_MS): WalCheckpoints {
  let timer: NodeJS.Timeout | null = null;
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  const run = () => checkpointWal(db);
  if (!db.memory) {
    timer = setInterval(() => {
      try {
        run();
      } catch {
        stop();
      }
    }, everyMs);
    timer.unref();
  }
  return { run, stop };
}
