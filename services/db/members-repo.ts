// Plans, members and card credentials.
import type { TimeWindow } from '../../contracts/payloads.ts';
import type { Role } from '../../contracts/api.ts';
import type { Db } from './database.ts';

export interface Plan {
  id: string;
  name: string;
  doors: string[];
  windows: TimeWindow[];
  offline: boolean;
}

export interface Member {
  id: string;
  name: string;
  email: string;
  role: Role;
  plan: string | null;
  presenceOptIn: boolean;
  active: boolean;
}

export interface NewMember extends Member {
  passwordHash: string;
}

/** One row per active member × live credential: what the access lists are compiled from. */
export interface Grant {
  member: string;
  fingerprint: string;
  plan: string;
}

interface MemberRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  plan: string | null;
  presence_opt_in: number;
  active: number;
  password_hash: string;
}

interface PlanRow {
  id: string;
  name: string;
  doors: string;
  windows: string;
  offline: number;
}

const toMember = (r: MemberRow): Member => ({
  id: r.id,
  name: r.name,
  email: r.email,
  role: r.role,
  plan: r.plan,
  presenceOptIn: r.presence_opt_in === 1,
  active: r.active === 1,
});

const toPlan = (r: PlanRow): Plan => ({
  id: r.id,
  name: r.name,
  doors: JSON.parse(r.doors) as string[],
  windows: JSON.parse(r.windows) as TimeWindow[],
  offline: r.offline === 1,
});

export function createMembersRepo(db: Db) {
  const s = {
    count: db.prepare('SELECT COUNT(*) AS n FROM members'),
    byId: db.prepare('SELECT * FROM members WHERE id = ?'),
    byEmail: db.prepare('SELECT * FROM members WHERE email = ? COLLATE NOCASE'),
    insertMember: db.prepare(`INSERT INTO members
      (id, name, email, password_hash, role, plan, presence_opt_in, active, created_at)
      VALUES (@id, @name, @email, @passwordHash, @role, @plan, @presenceOptIn, @active, @createdAt)`),
    upsertPlan: db.prepare(`INSERT INTO plans (id, name, doors, windows, offline)
      VALUES (@id, @name, @doors, @windows, @offline)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, doors = excluded.doors,
        windows = excluded.windows, offline = excluded.offline`),
    planById: db.prepare('SELECT * FROM plans WHERE id = ?'),
    allPlans: db.prepare('SELECT * FROM plans ORDER BY id'),
    insertCredential: db.prepare('INSERT INTO credentials (member, fingerprint, created_at) VALUES (?, ?, ?)'),
    grants: db.prepare(`SELECT m.id AS member, c.fingerprint AS fingerprint, m.plan AS plan
      FROM members m JOIN credentials c ON c.member = m.id
      WHERE m.active = 1 AND c.revoked_at IS NULL AND m.plan IS NOT NULL
      ORDER BY c.fingerprint`),
  };

  return {
    count: (): number => (s.count.get() as { n: number }).n,
    byId: (id: string): Member | undefined => {
      const r = s.byId.get(id) as MemberRow | undefined;
      return r && toMember(r);
    },
    /** The member and their password hash, for login only. */
    withHashByEmail: (email: string): { member: Member; passwordHash: string } | undefined => {
      const r = s.byEmail.get(email) as MemberRow | undefined;
      return r && { member: toMember(r), passwordHash: r.password_hash };
    },
    insertMember: (m: NewMember, now: number): void => {
      s.insertMember.run({
        ...m,
        presenceOptIn: m.presenceOptIn ? 1 : 0,
        active: m.active ? 1 : 0,
        createdAt: now,
      });
    },
    upsertPlan: (p: Plan): void => {
      s.upsertPlan.run({ ...p, doors: JSON.stringify(p.doors), windows: JSON.stringify(p.windows), offline: p.offline ? 1 : 0 });
    },
    planById: (id: string): Plan | undefined => {
      const r = s.planById.get(id) as PlanRow | undefined;
      return r && toPlan(r);
    },
    allPlans: (): Plan[] => (s.allPlans.all() as PlanRow[]).map(toPlan),
    insertCredential: (member: string, fingerprint: string, now: number): void => {
      s.insertCredential.run(member, fingerprint, now);
    },
    grants: (): Grant[] => s.grants.all() as Grant[],
  };
}

export type MembersRepo = ReturnType<typeof createMembersRepo>;
