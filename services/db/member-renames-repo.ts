// Member ids renamed by migration 4 (names → random ids). Read by hash: an event a gateway queued
// with an old id before the upgrade, or a history point spooled then, still finds its member; the
// plain old id is kept only until the history store has been rewritten too.
import type { DoorEvent } from '../../contracts/payloads.ts';
import type { Db } from './database.ts';
import { memberHash } from './erasures-repo.ts';

export interface PendingRename {
  old: string;
  new: string;
}

export function createMemberRenamesRepo(db: Db) {
  const s = {
    byHash: db.prepare('SELECT new FROM member_renames WHERE old_hash = ?').pluck(),
    pending: db.prepare('SELECT old, new FROM member_renames WHERE history_done = 0 AND old IS NOT NULL ORDER BY new'),
    done: db.prepare('UPDATE member_renames SET history_done = 1, old = NULL WHERE old_hash = ?'),
    all: db.prepare('SELECT old_hash AS hash, new FROM member_renames'),
    any: db.prepare('SELECT 1 FROM member_renames LIMIT 1').pluck(),
  };
  // Most sites have none (new sites never do): then nothing is looked up per event.
  let some = s.any.get() !== undefined;
  const current = (id: string): string => (some ? ((s.byHash.get(memberHash(id)) as string | undefined) ?? id) : id);
  return {
    /** The member's id today: the new one for an id renamed by migration 4, else `id`. */
    current,
    /** The event as if decided with today's id (it was queued at a gateway before the upgrade). */
    renameEvent: (e: DoorEvent): DoorEvent => {
      if (!some || !('member' in e) || typeof e.member !== 'string') return e;
      const id = current(e.member);
      return id === e.member ? e : { ...e, member: id };
    },
    /** Renames whose history is not rewritten yet. */
    pending: (): PendingRename[] => s.pending.all() as PendingRename[],
    historyDone: (old: string): void => {
      s.done.run(memberHash(old));
    },
    /** hash of the old id → new id, for points still in flight. */
    all: (): Map<string, string> => {
      const rows = s.all.all() as { hash: string; new: string }[];
      some = rows.length > 0;
      return new Map(rows.map((r) => [r.hash, r.new]));
    },
  };
}

export type MemberRenamesRepo = ReturnType<typeof createMemberRenamesRepo>;
