// Login sessions. Only sha256(token) is stored: a copy of the database opens no session.
import type { Db } from './database.ts';

export function createSessionsRepo(db: Db) {
  const s = {
    insert: db.prepare('INSERT INTO sessions (token_hash, member, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    member: db.prepare(`SELECT s.member AS member FROM sessions s JOIN members m ON m.id = s.member
      WHERE s.token_hash = ? AND s.expires_at > ? AND m.active = 1`),
    remove: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    purge: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    removeForMember: db.prepare('DELETE FROM sessions WHERE member = ?'),
  };
  return {
    insert: (tokenHash: string, member: string, now: number, expiresAt: number): void => {
      s.insert.run(tokenHash, member, now, expiresAt);
    },
    /** Member id of a live session of an active member. */
    memberFor: (tokenHash: string, now: number): string | undefined => (s.member.get(tokenHash, now) as { member: string } | undefined)?.member,
    remove: (tokenHash: string): void => {
      s.remove.run(tokenHash);
    },
    purgeExpired: (now: number): number => s.purge.run(now).changes,
    /** Logs a member out everywhere (a password reset); returns how many sessions ended. */
    removeForMember: (member: string): number => s.removeForMember.run(member).changes,
  };
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
