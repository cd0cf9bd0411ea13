// Credentials: card fingerprints and keypad PINs (as HMAC fingerprints), with the date range
// and plan of a day or guest pass. Only live credentials (not revoked) hold their fingerprint.
import type { Db } from './database.ts';

export type CredentialKind = 'card' | 'pin';

export interface Credential {
  id: number;
  member: string;
  kind: CredentialKind;
  fingerprint: string;
  label: string | null;
  /** Last digits of the card's printed number (or UID), from the gateway at enrolment; null if unknown. */
  numberTail: string | null;
  /** A pass's own plan; null = the member's plan. */
  plan: string | null;
  validFrom: string | null;
  validTo: string | null;
  createdAt: number;
  revokedAt: number | null;
}

export interface NewCredential {
  member: string;
  kind?: CredentialKind;
  fingerprint: string;
  label?: string | null;
  numberTail?: string | null;
  plan?: string | null;
  validFrom?: string | null;
  validTo?: string | null;
}

/** One row per member × live credential, with the plan that applies (null: none). */
export interface Grant {
  member: string;
  /** false: the member is suspended (their credentials are listed as refused). */
  active: boolean;
  fingerprint: string;
  plan: string | null;
  validFrom: string | null;
  validTo: string | null;
  /** A host's or operator's own card (not a pass, not a PIN): opens in a lockdown (AclEntry.host). */
  host: boolean;
}

interface Row {
  id: number;
  member: string;
  kind: CredentialKind;
  fingerprint: string;
  label: string | null;
  number_tail: string | null;
  plan: string | null;
  valid_from: string | null;
  valid_to: string | null;
  created_at: number;
  revoked_at: number | null;
}

const toCredential = (r: Row): Credential => ({
  id: r.id,
  member: r.member,
  kind: r.kind,
  fingerprint: r.fingerprint,
  label: r.label,
  numberTail: r.number_tail,
  plan: r.plan,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export function createCredentialsRepo(db: Db) {
  const s = {
    insert: db.prepare(`INSERT INTO credentials (member, kind, fingerprint, label, number_tail, plan, valid_from, valid_to, created_at)
      VALUES (@member, @kind, @fingerprint, @label, @numberTail, @plan, @validFrom, @validTo, @createdAt)`),
    byId: db.prepare('SELECT * FROM credentials WHERE id = ?'),
    forMember: db.prepare('SELECT * FROM credentials WHERE member = ? ORDER BY id'),
    live: db.prepare('SELECT * FROM credentials WHERE fingerprint = ? AND revoked_at IS NULL'),
    liveCount: db.prepare('SELECT COUNT(*) AS n FROM credentials WHERE member = ? AND revoked_at IS NULL'),
    revoke: db.prepare('UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    update: db.prepare(`UPDATE credentials SET label = @label, plan = @plan, valid_from = @validFrom, valid_to = @validTo
      WHERE id = @id`),
    grants: db.prepare(`SELECT m.id AS member, m.active AS active, c.fingerprint AS fingerprint, COALESCE(c.plan, m.plan) AS plan,
        c.valid_from AS validFrom, c.valid_to AS validTo,
        (m.role IN ('host', 'operator') AND c.kind = 'card' AND c.plan IS NULL AND c.valid_from IS NULL AND c.valid_to IS NULL) AS host
      FROM members m JOIN credentials c ON c.member = m.id
      WHERE c.revoked_at IS NULL AND (m.active = 0 OR COALESCE(c.plan, m.plan) IS NOT NULL)`),
  };
  return {
    insert: (c: NewCredential, now: number): Credential => {
      const id = Number(
        s.insert.run({
          member: c.member,
          kind: c.kind ?? 'card',
          fingerprint: c.fingerprint,
          label: c.label ?? null,
          numberTail: c.numberTail ?? null,
          plan: c.plan ?? null,
          validFrom: c.validFrom ?? null,
          validTo: c.validTo ?? null,
          createdAt: now,
        }).lastInsertRowid,
      );
      return toCredential(s.byId.get(id) as Row);
    },
    byId: (id: number): Credential | undefined => {
      const r = s.byId.get(id) as Row | undefined;
      return r && toCredential(r);
    },
    forMember: (member: string): Credential[] => (s.forMember.all(member) as Row[]).map(toCredential),
    liveCount: (member: string): number => (s.liveCount.get(member) as { n: number }).n,
    /** The live credential holding this fingerprint, if any. */
    liveByFingerprint: (fp: string): Credential | undefined => {
      const r = s.live.get(fp) as Row | undefined;
      return r && toCredential(r);
    },
    /** True when it was live and is revoked now. */
    revoke: (id: number, now: number): boolean => s.revoke.run(now, id).changes === 1,
    update: (c: Pick<Credential, 'id' | 'label' | 'plan' | 'validFrom' | 'validTo'>): void => {
      s.update.run(c);
    },
    grants: (): Grant[] =>
      (s.grants.all() as (Omit<Grant, 'active' | 'host'> & { active: number; host: number })[]).map((g) => ({
        ...g,
        active: g.active === 1,
        host: g.host === 1,
      })),
  };
}

export type CredentialsRepo = ReturnType<typeof createCredentialsRepo>;
