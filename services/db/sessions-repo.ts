// Login sessions. Only sha256(token) is stored: a copy of the database opens no session. A
// session carries its member's session generation at login (migration 4) and opens only while
// the member still has it: a new password, a suspension or a role change ends older sessions.
import type { Db } from './database.ts';

export function createSessionsRepo(db: Db) {
  const s = {
    // The generation the login read with the password hash (null: the member's current one).
    insert: db.prepare(`INSERT INTO sessions (token_hash, member, created_at, expires_at, generation)
      SELECT ?, id, ?, ?, COALESCE(?, session_generation) FROM members WHERE id = ?`),
    member: db.prepare(`SELECT s.member AS member FROM sessions s JOIN members m ON m.id = s.member
      WHERE s.token_hash = ? AND s.expires_at > ? AND m.active = 1 AND s.generation = m.session_generation`),
    remove: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    purge: db.prepare(`DELETE FROM sessions WHERE expires_at <= ?
      OR generation IS NOT (SELECT m.session_generation FROM members m WHERE m.id = sessions.member)`),
    removeForMember: db.prepare('DELETE FROM sessions WHERE member = ?'),
  };
  return {
    /**
     * A session of `member` stamped with `generation` (the one read with the password hash at
     * login; a change since then leaves the session stale at birth), or the current one.
     */
    insert: (tokenHash: string, member: string, now: number, expiresAt: number, generation?: number): void => {
      s.insert.run(tokenHash, now, expiresAt, generation ?? null, member);
    },
    /** Member id of a live session of an active member, of the member's current generation. */
    memberFor: (tokenHash: string, now: number): string | undefined => (s.member.get(tokenHash, now) as { member: string } | undefined)?.member,
    remove: (tokenHash: string): void => {
      s.remove.run(tokenHash);
    },
    /** Removes expired sessions and those of an older generation. */
    purgeExpired: (now: number): number => s.purge.run(now).changes,
    /** Logs a member out everywhere (a password reset); returns how many sessions ended. */
    removeForMember: (member: string): number => s.removeForMember.run(member).changes,
  };
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
