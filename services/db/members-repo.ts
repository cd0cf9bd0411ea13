// Members: who they are, their role, plan, status and presence opt-in.
import type { Role } from '../../contracts/api/index.ts';
import type { Db } from './database.ts';

export interface Member {
  id: string;
  name: string;
  /** null: a one-off guest (migration 8): no e-mail, no login. */
  email: string | null;
  role: Role;
  plan: string | null;
  presenceOptIn: boolean;
  /** false = suspended: no doors, no login. */
  active: boolean;
  /** Agreed to be a network member (issue 18): only then does a visa for their card leave the site. Absent: false. */
  networkMember?: boolean;
}

export interface NewMember extends Member {
  passwordHash: string;
}

export interface MemberRecord extends Member {
  createdAt: number;
}

export type MemberPatch = Partial<Omit<Member, 'id'>> & { passwordHash?: string };

export interface MemberFilter {
  status?: 'active' | 'suspended';
  role?: Role;
  plan?: string;
  /** Substring of name or email, case-insensitive. */
  q?: string;
  limit: number;
  offset: number;
}

interface MemberRow {
  id: string;
  name: string;
  email: string | null;
  role: Role;
  plan: string | null;
  presence_opt_in: number;
  active: number;
  network_member: number;
  password_hash: string;
  created_at: number;
  session_generation: number;
}

const toMember = (r: MemberRow): Member => ({
  id: r.id,
  name: r.name,
  email: r.email,
  role: r.role,
  plan: r.plan,
  presenceOptIn: r.presence_opt_in === 1,
  active: r.active === 1,
  networkMember: r.network_member === 1,
});

const COLUMNS: Record<keyof MemberPatch, string> = {
  name: 'name',
  email: 'email',
  role: 'role',
  plan: 'plan',
  presenceOptIn: 'presence_opt_in',
  active: 'active',
  networkMember: 'network_member',
  passwordHash: 'password_hash',
};

const WHERE = `WHERE (@active IS NULL OR active = @active) AND (@role IS NULL OR role = @role)
  AND (@plan IS NULL OR plan = @plan)
  AND (@q IS NULL OR instr(lower(name), lower(@q)) > 0 OR instr(lower(email), lower(@q)) > 0)`;

export function createMembersRepo(db: Db) {
  const s = {
    count: db.prepare('SELECT COUNT(*) AS n FROM members'),
    byId: db.prepare('SELECT * FROM members WHERE id = ?'),
    byEmail: db.prepare('SELECT * FROM members WHERE email = ? COLLATE NOCASE'),
    insert: db.prepare(`INSERT INTO members
      (id, name, email, password_hash, role, plan, presence_opt_in, active, network_member, created_at)
      VALUES (@id, @name, @email, @passwordHash, @role, @plan, @presenceOptIn, @active, @networkMember, @createdAt)`),
    list: db.prepare(`SELECT * FROM members ${WHERE} ORDER BY name COLLATE NOCASE, id LIMIT @limit OFFSET @offset`),
    total: db.prepare(`SELECT COUNT(*) AS n FROM members ${WHERE}`),
    remove: db.prepare('DELETE FROM members WHERE id = ?'),
    optedInHosts: db.prepare(`SELECT COUNT(*) AS n FROM members WHERE role IN ('host', 'operator') AND presence_opt_in = 1 AND active = 1`),
  };
  const updates = new Map<string, ReturnType<Db['prepare']>>();

  return {
    count: (): number => (s.count.get() as { n: number }).n,
    byId: (id: string): Member | undefined => {
      const r = s.byId.get(id) as MemberRow | undefined;
      return r && toMember(r);
    },
    record: (id: string): MemberRecord | undefined => {
      const r = s.byId.get(id) as MemberRow | undefined;
      return r && { ...toMember(r), createdAt: r.created_at };
    },
    /**
     * The member, their password hash and session generation, for login only. The generation is
     * read with the hash: a session made from them is stale at once if either changed since. The
     * generation moves on by itself (migration 4's trigger) when the password, role or status
     * change, whoever writes them.
     */
    withHashByEmail: (email: string): { member: Member; passwordHash: string; sessionGeneration: number } | undefined => {
      const r = s.byEmail.get(email) as MemberRow | undefined;
      return r && { member: toMember(r), passwordHash: r.password_hash, sessionGeneration: r.session_generation };
    },
    insert: (m: NewMember, now: number): void => {
      s.insert.run({ ...m, presenceOptIn: m.presenceOptIn ? 1 : 0, active: m.active ? 1 : 0, networkMember: m.networkMember ? 1 : 0, createdAt: now });
    },
    /** Changes the given fields; returns false when there is no such member. */
    update: (id: string, patch: MemberPatch): boolean => {
      const keys = (Object.keys(patch) as (keyof MemberPatch)[]).filter((k) => patch[k] !== undefined && COLUMNS[k]);
      if (keys.length === 0) return s.byId.get(id) !== undefined;
      const sql = `UPDATE members SET ${keys.map((k) => `${COLUMNS[k]} = @${k}`).join(', ')} WHERE id = @id`;
      let stmt = updates.get(sql);
      if (!stmt) updates.set(sql, (stmt = db.prepare(sql)));
      const values: Record<string, unknown> = { id };
      for (const k of keys) {
        const v = patch[k];
        values[k] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
      }
      return stmt.run(values).changes === 1;
    },
    list: (f: MemberFilter): { items: MemberRecord[]; total: number } => {
      const p = { active: f.status === undefined ? null : f.status === 'active' ? 1 : 0, role: f.role ?? null, plan: f.plan ?? null, q: f.q ?? null };
      const rows = s.list.all({ ...p, limit: f.limit, offset: f.offset }) as MemberRow[];
      return { items: rows.map((r) => ({ ...toMember(r), createdAt: r.created_at })), total: (s.total.get(p) as { n: number }).n };
    },
    remove: (id: string): boolean => s.remove.run(id).changes === 1,
    /** Active hosts and operators who opted in to presence (the public page's "a host is in"). */
    optedInHosts: (): number => (s.optedInHosts.get() as { n: number }).n,
  };
}

export type MembersRepo = ReturnType<typeof createMembersRepo>;
