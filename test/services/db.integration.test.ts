import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, migrate } from '../../services/db/database.ts';
import { MIGRATIONS } from '../../services/db/migrations.ts';
import { createStore } from '../../services/db/store.ts';
import { subMsOffset } from '../../services/history/point.ts';

const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ss-db-'));
  dirs.push(dir);
  return join(dir, 'services.db');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('database', () => {
  it('applies migrations once: reopening the file and migrating again changes nothing', () => {
    const path = tempDb();
    const db = openDatabase(path);
    expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    expect(migrate(db)).toEqual([]);
    db.close();
    const again = openDatabase(path);
    expect(migrate(again)).toEqual([]);
    expect((again.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(MIGRATIONS.length);
    again.close();
  });

  it('uses WAL with synchronous NORMAL and foreign keys', () => {
    const db = openDatabase(tempDb());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('rolls back a failing migration as a whole', () => {
    const db = openDatabase(tempDb());
    const bad = [...MIGRATIONS, { version: 99, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); SELECT * FROM nope;' }];
    expect(() => migrate(db, bad)).toThrow(/nope/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: MIGRATIONS.at(-1)!.version });
    db.close();
  });

  it('migration 8 makes e-mail optional and keeps every member, reference, index and trigger', () => {
    const path = tempDb();
    const before = MIGRATIONS.filter((m) => m.version < 8);
    const old = openDatabase(path, before);
    const m = 'm_aaaaaaaaaaaaaaaa';
    old.exec(`INSERT INTO plans (id, name, doors, windows, offline) VALUES ('flex', 'Flex', '["front"]', '[]', 0);
      INSERT INTO members (id, name, email, password_hash, role, plan, created_at) VALUES ('${m}', 'Anna Ø', 'anna@example.org', 'h', 'host', 'flex', 1);
      INSERT INTO credentials (member, fingerprint, created_at) VALUES ('${m}', '${'f'.repeat(64)}', 1);
      INSERT INTO sessions (token_hash, member, created_at, expires_at) VALUES ('t', '${m}', 1, 2);
      INSERT INTO alert_prefs (member, prefs) VALUES ('${m}', '{}');
      INSERT INTO push_subscriptions (endpoint, member, p256dh, auth, created_at) VALUES ('https://p/1', '${m}', 'k', 'a', 1);`);
    old.close();

    const db = openDatabase(path);
    expect(db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT id, name, email, role, plan FROM members').all()).toEqual([
      { id: m, name: 'Anna Ø', email: 'anna@example.org', role: 'host', plan: 'flex' },
    ]);
    for (const t of ['credentials', 'sessions', 'alert_prefs', 'push_subscriptions']) expect(db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get()).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // Guests without e-mail, as many as there are; an e-mail stays unique (case-insensitive).
    const add = db.prepare("INSERT INTO members (id, name, email, password_hash, role, created_at) VALUES (?, ?, ?, '!', 'member', 1)");
    add.run('m_bbbbbbbbbbbbbbbb', 'Gæst 1', null);
    add.run('m_cccccccccccccccc', 'Gæst 2', null);
    expect(() => add.run('m_dddddddddddddddd', 'Anna igen', 'ANNA@example.org')).toThrow(/UNIQUE/);
    // The session-generation trigger is back; deleting the member still cascades to what references it.
    db.prepare("UPDATE members SET password_hash = 'h2' WHERE id = ?").run(m);
    expect(db.prepare('SELECT session_generation FROM members WHERE id = ?').pluck().get(m)).toBe(1);
    db.prepare('DELETE FROM members WHERE id = ?').run(m);
    for (const t of ['credentials', 'sessions', 'alert_prefs', 'push_subscriptions']) expect(db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get()).toBe(0);
    db.close();
  });

  it('stores a door event once per id', () => {
    const store = createStore(openDatabase(tempDb()));
    const e = {
      v: 1 as const,
      ts: 1000,
      id: 'evt-00000001',
      type: 'door' as const,
      door: 'front',
      gateway: 'gw-main',
      kind: 'opened' as const,
    };
    expect(store.events.insert(e, 1001)).toBeTypeOf('number');
    expect(store.events.insert({ ...e, ts: 2000 }, 1002)).toBeNull();
    expect(store.events.page(10).map((r) => r.event)).toEqual([e]);
    store.close();
    store.close();
  });

  it('gives two events of one door and millisecond different history times, even when their id hashes collide', () => {
    const store = createStore(openDatabase(tempDb()));
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const id = `evt-${String(i).padStart(8, '0')}`;
      const ns = subMsOffset(id);
      const other = seen.get(ns);
      if (other) pair = [other, id];
      seen.set(ns, id);
    }
    const ev = (id: string) => ({ v: 1 as const, ts: 5000, id, type: 'door' as const, door: 'front', gateway: 'gw-main', kind: 'opened' as const });
    const a = store.events.insert(ev(pair[0]), 1);
    const b = store.events.insert(ev(pair[1]), 1);
    expect(a).toBe(subMsOffset(pair[0]));
    expect(b).not.toBe(a);
    expect(store.events.lastReceived(10).map((x) => x.ns)).toEqual([a, b]);
    store.close();
  });

  it('acl versions only increase', () => {
    const store = createStore(openDatabase(tempDb()));
    expect(store.acl.current('gw-main')).toBe(0);
    expect(store.acl.next('gw-main', 1, 0)).toBe(1);
    expect(store.acl.next('gw-main', 2, 0)).toBe(2);
    expect(store.acl.next('gw-other', 2, 0)).toBe(1);
    store.close();
  });
});
