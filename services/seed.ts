// Seed: members, plans and cards from the seed file (config/seed.ts reads and checks it), loaded
// only into an empty database (the demo). Passwords become scrypt hashes and card UIDs
// fingerprints; neither value is stored.
import { fingerprint } from '../contracts/signing.ts';
import { readSeed } from '../config/seed.ts';
import type { SiteConfig } from '../config/schema.ts';
import type { Store } from './db/store.ts';
import { hashPassword } from './auth/password.ts';

/** Loads the seed into an empty members table; returns how many members were added. */
export async function seedIfEmpty(store: Store, config: SiteConfig, siteKey: string, now: number): Promise<number> {
  const path = config.services.seed;
  if (!path || store.members.count() > 0) return 0;
  const seed = readSeed(path, config);
  const hashes = await Promise.all(seed.members.map((m) => hashPassword(m.password)));
  store.db.transaction(() => {
    for (const p of seed.plans) {
      store.plans.upsert({ id: p.id, name: p.name, doors: p.doors, windows: p.windows ?? [], offline: p.offline, validFrom: null, validTo: null }, now);
    }
    seed.members.forEach((m, i) => {
      store.members.insert(
        {
          id: m.id,
          name: m.name,
          email: m.email,
          passwordHash: hashes[i]!,
          role: m.role,
          plan: m.plan,
          presenceOptIn: m.presenceOptIn,
          active: m.active ?? true,
        },
        now,
      );
      for (const card of m.cards) store.credentials.insert({ member: m.id, fingerprint: fingerprint(siteKey, card) }, now);
    });
  })();
  return seed.members.length;
}
