// Erasures: members whose data was anonymised. Keyed by a hash of the id, so an erased id is
// never handed to someone new (their history would be renamed too) without keeping the id.
import { createHash } from 'node:crypto';
import type { Db } from './database.ts';

export const memberHash = (id: string): string => createHash('sha256').update(`member:${id}`).digest('hex');

export interface PendingErasure {
  member: string;
  pseudonym: string;
}

export function createErasuresRepo(db: Db) {
  const s = {
    insert: db.prepare('INSERT INTO erasures (member_hash, member, pseudonym, erased_at) VALUES (?, ?, ?, ?)'),
    byHash: db.prepare('SELECT pseudonym FROM erasures WHERE member_hash = ?'),
    pending: db.prepare('SELECT member, pseudonym FROM erasures WHERE history_done = 0 AND member IS NOT NULL'),
    done: db.prepare('UPDATE erasures SET history_done = 1, member = NULL WHERE member_hash = ?'),
    all: db.prepare('SELECT member_hash AS hash, pseudonym FROM erasures'),
  };
  return {
    record: (member: string, pseudonym: string, now: number): void => {
      s.insert.run(memberHash(member), member, pseudonym, now);
    },
    /** The pseudonym of an erased member id, if it was erased. */
    pseudonymOf: (member: string): string | undefined => (s.byHash.get(memberHash(member)) as { pseudonym: string } | undefined)?.pseudonym,
    /** Erasures whose history is not rewritten yet. */
    pending: (): PendingErasure[] => s.pending.all() as PendingErasure[],
    historyDone: (member: string): void => {
      s.done.run(memberHash(member));
    },
    /** hash → pseudonym, for rewriting points still in flight. */
    all: (): Map<string, string> => new Map((s.all.all() as { hash: string; pseudonym: string }[]).map((r) => [r.hash, r.pseudonym])),
  };
}

export type ErasuresRepo = ReturnType<typeof createErasuresRepo>;
