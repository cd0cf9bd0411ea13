// Seed: members, plans and cards from the seed file (config/seed.ts reads and checks it), loaded
// only into an empty database (the demo); and the demo's made-up history with its own members. Passwords become scrypt hashes and card UIDs
// fingerprints; neither value is stored.
import { fingerprint, networkFingerprint } from '../contracts/signing.ts';
import { readSeed, seedMembers, type SeedMember } from '../config/seed.ts';
import type { SiteConfig } from '../config/schema.ts';
import type { Store } from './db/store.ts';
import { hashPassword } from './auth/password.ts';
import { demoHistory, type DemoHistory } from './demo-history.ts';

const LOCKED = '!';

function insertMember(store: Store, siteKey: string, m: SeedMember, passwordHash: string, now: number, networkKey?: string): void {
  store.members.insert(
    {
      id: m.id,
      name: m.name,
      email: m.email,
      passwordHash,
      role: m.role,
      plan: m.plan,
      presenceOptIn: m.presenceOptIn,
      active: m.active ?? true,
      networkMember: m.networkMember ?? false,
    },
    now,
  );
  for (const card of m.cards) {
    const fp = fingerprint(siteKey, card);
    store.credentials.insert({ member: m.id, fingerprint: fp }, now);
    // In a network, every card's network fingerprint too (only a network member's ever leaves).
    if (networkKey) store.network.setNetFingerprint(fp, networkFingerprint(networkKey, card));
  }
}

/** Loads the seed into an empty members table; returns how many members were added. */
export async function seedIfEmpty(store: Store, config: SiteConfig, siteKey: string, now: number, networkKey?: string): Promise<number> {
  const path = config.services.seed;
  if (!path || store.members.count() > 0) return 0;
  const seed = readSeed(path, config);
  const members = seed.members;
  // A member without a password gets a hash no password matches (as a locked account in
  // /etc/shadow): no scrypt work at start for the demo's card-only members.
  const hashes = await Promise.all(members.map((m) => (m.password === undefined ? Promise.resolve(LOCKED) : hashPassword(m.password))));
  store.db.transaction(() => {
    for (const p of seed.plans) {
      store.plans.upsert(
        {
          id: p.id,
          name: p.name,
          doors: p.doors,
          windows: p.windows ?? [],
          offline: p.offline,
          validFrom: null,
          validTo: null,
          ...(p.booking && { booking: p.booking }),
        },
        now,
      );
    }
    members.forEach((m, i) => insertMember(store, siteKey, m, hashes[i]!, now, networkKey));
  })();
  return members.length;
}

/**
 * The seed's made-up past (its `history` key; only the demo's seed has one), for a database the
 * seed was just loaded into: the history's own members (cards only) and its holiday closure go
 * into the database now; the door events and occupancy are returned for the history store.
 * Null when the seed asks for none.
 */
export async function seedHistory(store: Store, config: SiteConfig, siteKey: string, now: number): Promise<DemoHistory | null> {
  const path = config.services.seed;
  if (!path) return null;
  const seed = readSeed(path, config);
  if (!seed.history) return null;
  const plans = new Map(seed.plans.map((p) => [p.id, p]));
  const members = seedMembers(seed)
    .filter((m) => m.active !== false)
    .map((m) => {
      const plan = plans.get(m.plan)!;
      return { id: m.id, plan: m.plan, doors: plan.doors, anyTime: !plan.windows?.length };
    });
  const history = demoHistory(config, { ...seed.history, now, members });
  const extra = seed.history.members ?? [];
  const hashes = await Promise.all(extra.map((m) => (m.password === undefined ? Promise.resolve(LOCKED) : hashPassword(m.password))));
  store.db.transaction(() => {
    extra.forEach((m, i) => insertMember(store, siteKey, m, hashes[i]!, now));
    const { from, to } = history.closure;
    store.plans.insertClosure({ id: 'demo-holiday', name: seed.history?.closureName ?? 'Holiday', from, to, plans: [] }, now);
  })();
  return history;
}
