// Command ids already seen, with their expiry, kept in the gateway db: a restart must not
// reopen the replay window. Ids are dropped once expired (the expiry check refuses those).
import type { Statement } from 'better-sqlite3';
import type { Db } from '../outbox/gateway-db.ts';

export class ReplayGuard {
  readonly #getDb: () => Db;
  #insert: Statement<[string, number]> | undefined;
  #prune: Statement<[number]> | undefined;

  constructor(getDb: () => Db) {
    this.#getDb = getDb;
  }

  start(now: number): void {
    const db = this.#getDb();
    this.#insert = db.prepare('INSERT OR IGNORE INTO seen_commands (id, exp) VALUES (?, ?)');
    this.#prune = db.prepare('DELETE FROM seen_commands WHERE exp < ?');
    this.prune(now);
  }

  stop(): void {
    this.#insert = this.#prune = undefined;
  }

  /** Records the id; false when it was seen before (a replay). */
  firstSighting(id: string, exp: number): boolean {
    if (!this.#insert) throw new Error('replay guard is not started');
    return this.#insert.run(id, exp).changes === 1;
  }

  prune(now: number): number {
    return this.#prune?.run(now).changes ?? 0;
  }
}
