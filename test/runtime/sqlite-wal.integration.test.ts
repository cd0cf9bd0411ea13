// The WAL of every smartspace database is bounded: cut back to journal_size_limit when it is reset,
// emptied by the owner's periodic checkpoint once a long reader lets go. File sizes, not times.
import { describe, it, expect, afterEach, vi } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  checkpointWal,
  openSqlite,
  startWalCheckpoints,
  WAL_AUTOCHECKPOINT_PAGES,
  WAL_CHECKPOINT_EVERY_MS,
  WAL_SIZE_LIMIT_BYTES,
  type SqliteDb,
} from '../../runtime/sqlite.ts';
import { openStore } from '../../services/db/store.ts';
import { SqliteHistoryStore } from '../../services/history/sqlite-store.ts';
import { GatewayDb } from '../../gateway/outbox/gateway-db.ts';

const dirs: string[] = [];
const closers: Array<() => unknown> = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ss-wal-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  vi.useRealTimers();
  for (const c of closers.splice(0).reverse()) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const walSize = (path: string) => (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);

/** ~`mb` MB of rows, one transaction per 256 KB (as a busy outbox or history writer would). */
function write(db: SqliteDb, mb: number): void {
  db.exec('CREATE TABLE IF NOT EXISTS blob (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO blob (body) VALUES (?)');
  const batch = db.transaction(() => {
    for (let i = 0; i < 64; i++) insert.run(Buffer.alloc(4096, i));
  });
  for (let i = 0; i < mb * 4; i++) batch();
}

/** A second connection inside a read transaction: what a backup or a forgotten sqlite3 shell does. */
function longReader(path: string): { release(): void } {
  const reader = new Database(path, { readonly: true });
  reader.exec('BEGIN');
  reader.prepare('SELECT COUNT(*) FROM blob').get();
  return {
    release: () => {
      reader.exec('COMMIT');
      reader.close();
    },
  };
}

describe('bounded WAL (runtime/sqlite.ts)', () => {
  it('every database is opened with the same pragmas: services, history, gateway', () => {
    const dir = tempDir();
    const store = openStore(join(dir, 'services'));
    closers.push(() => store.close());
    const history = new SqliteHistoryStore(join(dir, 'services', 'history.db'));
    closers.push(() => history.close());
    const gateway = new GatewayDb(join(dir, 'gateway', 'gateway.db'));
    gateway.start();
    closers.push(() => gateway.stop());
    const historyDb = new Database(join(dir, 'services', 'history.db'));
    closers.push(() => historyDb.close());
    for (const db of [store.db, gateway.handle]) {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.pragma('journal_size_limit', { simple: true })).toBe(WAL_SIZE_LIMIT_BYTES);
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
    }
    expect(historyDb.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(gateway.handle.pragma('foreign_keys', { simple: true })).toBe(0);
    // Erased members' bytes are zeroed, not left in free space (issue 12, finding 9).
    expect(store.db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(gateway.handle.pragma('secure_delete', { simple: true })).toBe(0);
  });

  it('without readers the WAL file stays near the limit however much is written', () => {
    const path = join(tempDir(), 'a.db');
    const db = openSqlite(path);
    closers.push(() => db.close());
    write(db, 24);
    // Autocheckpoints restart the WAL from the top; the file is cut back to the limit at each reset,
    // so it ends at most one checkpoint interval (plus the last transaction) past it.
    expect(walSize(path)).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES + 2 * 1024 * 1024);
  });

  it('a long reader lets the WAL grow past the limit; the next checkpoint after it lets go empties it', () => {
    const path = join(tempDir(), 'b.db');
    const db = openSqlite(path);
    closers.push(() => db.close());
    write(db, 1);
    const reader = longReader(path);
    write(db, 16);
    const grown = walSize(path);
    expect(grown).toBeGreaterThan(3 * WAL_SIZE_LIMIT_BYTES);

    // While the reader holds its snapshot, the checkpoint neither blocks nor empties the file.
    const held = checkpointWal(db);
    expect(held.truncated).toBe(false);
    expect(walSize(path)).toBe(grown);

    reader.release();
    const done = checkpointWal(db);
    expect(done).toMatchObject({ busy: false, truncated: true });
    expect(walSize(path)).toBe(0);
    // Nothing was lost on the way.
    expect((db.prepare('SELECT COUNT(*) AS n FROM blob').get() as { n: number }).n).toBe(17 * 4 * 64);
  });

  it("the owner's timer checkpoints: the gateway db's WAL is emptied after a long reader", () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const gateway = new GatewayDb(join(tempDir(), 'gateway.db'));
    gateway.start();
    closers.push(() => gateway.stop());
    const db = gateway.handle;
    write(db, 1);
    const reader = longReader(gateway.path);
    write(db, 16);
    expect(walSize(gateway.path)).toBeGreaterThan(3 * WAL_SIZE_LIMIT_BYTES);
    reader.release();
    vi.advanceTimersByTime(WAL_CHECKPOINT_EVERY_MS);
    expect(walSize(gateway.path)).toBe(0);
  });

  it('an in-memory database starts no timer and checkpoints as a no-op', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const db = openSqlite(':memory:');
    closers.push(() => db.close());
    const c = startWalCheckpoints(db);
    expect(vi.getTimerCount()).toBe(0);
    expect(c.run()).toEqual({ busy: false, frames: 0, checkpointed: 0, truncated: false });
    c.stop();
  });
});
