// The network of spaces (issue 18): visas issued here and received from other sites, visit
// days counted here and reported from the sites our members visited, and the network
// fingerprints of cards (migration 11); the other sites' announcements (migration 13).
import type { NetAnnounce, Visa } from '../../contracts/network.ts';
import type { Db } from './database.ts';

/** A card of a network member that should carry a visa: live, active member, network fingerprint known. */
export interface VisaCandidate {
  member: string;
  credential: number;
  fp: string;
}

export interface StoredVisa {
  grant: string;
  home: string;
  member: string | null;
  credential: number | null;
  fp: string;
  until: number;
  revoked: boolean;
  ts: number;
  payload: Visa;
}

interface VisaRow {
  grant_id: string;
  home: string;
  member: string | null;
  credential: number | null;
  fp: string;
  until: number;
  revoked: number;
  ts: number;
  payload: string;
}

const toVisa = (r: VisaRow): StoredVisa => ({
  grant: r.grant_id,
  home: r.home,
  member: r.member,
  credential: r.credential,
  fp: r.fp,
  until: r.until,
  revoked: r.revoked === 1,
  ts: r.ts,
  payload: JSON.parse(r.payload) as Visa,
});

export interface VisitRow {
  id: string;
  grant: string;
  home: string;
  site: string;
  day: string;
  ts: number;
}

export function createNetworkRepo(db: Db) {
  const s = {
    candidates: db.prepare(`SELECT m.id AS member, c.id AS credential, c.net_fingerprint AS fp
      FROM members m JOIN credentials c ON c.member = m.id
      WHERE m.network_member = 1 AND m.active = 1 AND c.revoked_at IS NULL AND c.kind = 'card' AND c.net_fingerprint IS NOT NULL
      ORDER BY c.id`),
    setNetFp: db.prepare('UPDATE credentials SET net_fingerprint = ? WHERE fingerprint = ? AND revoked_at IS NULL'),
    visa: db.prepare('SELECT * FROM net_visas WHERE grant_id = ?'),
    issued: db.prepare('SELECT * FROM net_visas WHERE home = ? ORDER BY grant_id'),
    received: db.prepare('SELECT * FROM net_visas WHERE home <> ? ORDER BY grant_id'),
    upsert: db.prepare(`INSERT INTO net_visas (grant_id, home, member, credential, fp, until, revoked, ts, payload)
      VALUES (@grant, @home, @member, @credential, @fp, @until, @revoked, @ts, @payload)
      ON CONFLICT (grant_id) DO UPDATE SET fp = excluded.fp, until = excluded.until, revoked = excluded.revoked, ts = excluded.ts, payload = excluded.payload
      WHERE excluded.ts >= net_visas.ts`),
    visit: db.prepare(`INSERT OR IGNORE INTO net_visits (id, grant_id, home, site, day, ts, received_at)
      VALUES (@id, @grant, @home, @site, @day, @ts, @receivedAt)`),
    days: db.prepare('SELECT DISTINCT day FROM net_visits WHERE grant_id = ? AND site = ? AND day >= ? AND day <= ? ORDER BY day'),
    visitsAt: db.prepare('SELECT COUNT(*) AS n FROM net_visits WHERE site = ? AND day >= ? AND day <= ?'),
    visitsOf: db.prepare(`SELECT v.id, v.grant_id AS "grant", v.home, v.site, v.day, v.ts FROM net_visits v JOIN net_visas g ON g.grant_id = v.grant_id
      WHERE g.member = ? ORDER BY v.day, v.site`),
    announce: db.prepare(`INSERT INTO net_announces (site, ts, payload) VALUES (@site, @ts, @payload)
      ON CONFLICT (site) DO UPDATE SET ts = excluded.ts, payload = excluded.payload WHERE excluded.ts >= net_announces.ts`),
    announces: db.prepare('SELECT payload FROM net_announces ORDER BY site'),
  };
  return {
    candidates: (): VisaCandidate[] => s.candidates.all() as VisaCandidate[],
    /** Records a card's network fingerprint beside its site fingerprint (seed, import, enrolment). */
    setNetFingerprint: (siteFp: string, netFp: string): void => void s.setNetFp.run(netFp, siteFp),
    visa: (grant: string): StoredVisa | undefined => {
      const r = s.visa.get(grant) as VisaRow | undefined;
      return r && toVisa(r);
    },
    /** Visas this site issued. */
    issued: (home: string): StoredVisa[] => (s.issued.all(home) as VisaRow[]).map(toVisa),
    /** Visas other sites published. */
    received: (self: string): StoredVisa[] => (s.received.all(self) as VisaRow[]).map(toVisa),
    /** Stores the latest word on a grant; an older one (smaller ts) changes nothing. True when stored. */
    putVisa: (v: Visa, own?: { member: string; credential: number }): boolean =>
      s.upsert.run({
        grant: v.grant,
        home: v.home,
        member: own?.member ?? null,
        credential: own?.credential ?? null,
        fp: v.fp,
        until: v.until,
        revoked: v.revoked ? 1 : 0,
        ts: v.ts,
        payload: JSON.stringify(v),
      }).changes > 0,
    /** Stores a visit day once (by id); true when it is new. */
    addVisit: (v: VisitRow, receivedAt: number): boolean => s.visit.run({ ...v, receivedAt }).changes > 0,
    /** Local days (YYYY-MM-DD) in [from, to] with a visit on `grant` at `site`. */
    visitDays: (grant: string, site: string, from: string, to: string): string[] => (s.days.all(grant, site, from, to) as { day: string }[]).map((r) => r.day),
    /** Visit days counted at `site` in [from, to] (a network's usage counts). */
    visitsAt: (site: string, from: string, to: string): number => (s.visitsAt.get(site, from, to) as { n: number }).n,
    /** A member's visits on their visas, at every site (for their own page). */
    visitsOf: (member: string): VisitRow[] => s.visitsOf.all(member) as VisitRow[],
    /** Stores a site's announcement unless a newer one is there; true when stored. */
    putAnnounce: (a: NetAnnounce): boolean => s.announce.run({ site: a.site, ts: a.ts, payload: JSON.stringify(a) }).changes > 0,
    /** The latest announcement of each other site. */
    announces: (): NetAnnounce[] => (s.announces.all() as { payload: string }[]).map((r) => JSON.parse(r.payload) as NetAnnounce),
  };
}

export type NetworkRepo = ReturnType<typeof createNetworkRepo>;
