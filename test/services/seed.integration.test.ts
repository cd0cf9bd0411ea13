import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { makeTestSite, DEMO_DIR, type TestSite } from '../helpers/site.ts';
import { openStore, DB_FILE } from '../../services/db/store.ts';
import { seedIfEmpty } from '../../services/seed.ts';
import { readSeed } from '../../config/seed.ts';
import { verifyPassword, hashPassword } from '../../services/auth/password.ts';
import { fingerprint } from '../../contracts/signing.ts';
import { ConfigError } from '../../config/load.ts';

const demo = parse(readFileSync(join(DEMO_DIR, 'members.yaml'), 'utf8')) as {
  members: { id: string; email: string; password: string; cards: string[] }[];
  unknownCards: string[];
};

let site: TestSite | undefined;
afterEach(() => site?.cleanup());

describe('seed', () => {
  it('loads the demo members with verifiable scrypt hashes and card fingerprints', async () => {
    site = await makeTestSite();
    const store = openStore(site.config.services.dataDir);
    expect(await seedIfEmpty(store, site.config, site.secrets.siteKey, 1)).toBe(demo.members.length);
    for (const m of demo.members) {
      const found = store.members.withHashByEmail(m.email.toUpperCase())!;
      expect(found.member.id).toBe(m.id);
      expect(found.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
      expect(await verifyPassword(m.password, found.passwordHash)).toBe(true);
      expect(await verifyPassword(`${m.password}x`, found.passwordHash)).toBe(false);
    }
    const fps = store.credentials
      .grants()
      .map((g) => g.fingerprint)
      .sort();
    expect(fps).toEqual(demo.members.flatMap((m) => m.cards.map((c) => fingerprint(site!.secrets.siteKey, c))).sort());
    // Seeding again does nothing: the table is no longer empty.
    expect(await seedIfEmpty(store, site.config, site.secrets.siteKey, 2)).toBe(0);
    store.close();
  });

  it('never stores a card UID or a password: not in the db file, not in the WAL', async () => {
    site = await makeTestSite();
    const store = openStore(site.config.services.dataDir);
    await seedIfEmpty(store, site.config, site.secrets.siteKey, 1);
    const read = () =>
      [DB_FILE, `${DB_FILE}-wal`]
        .map((f) => join(site!.config.services.dataDir, f))
        .filter((f) => existsSync(f))
        .map((f) => readFileSync(f));
    const open = read(); // with the WAL as written
    store.close();
    const all = Buffer.concat([...open, ...read()]).toString('latin1'); // and after the checkpoint
    expect(all).toContain('jonas@kystkontor.dk'); // the file is readable as text at all
    for (const m of demo.members) {
      for (const uid of m.cards) {
        expect(all.toUpperCase()).not.toContain(uid.toUpperCase());
      }
      expect(all).not.toContain(m.password);
    }
  });

  it('names the bad key of a bad seed', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const cases: [(s: Record<string, any>) => void, RegExp][] = [
      [(s) => (s.members[2].plan = 'x'), /^members\[2\]\.plan: unknown plan "x"/],
      [(s) => (s.plans[0].doors = ['front', 'vault']), /^plans\[0\]\.doors\[1\]: unknown door "vault"/],
      [(s) => (s.members[1].role = 'admin'), /^members\[1\]\.role: expected one of/],
      [(s) => (s.members[0].colour = 'blue'), /^members\[0\]\.colour: unknown key/],
      [(s) => (s.members[3].email = s.members[0].email), /^members\[3\]\.email: duplicate email/],
      [(s) => (s.members[4].cards = s.members[0].cards), /^members\[4\]\.cards\[0\]: card already given/],
    ];
    for (const [edit, expected] of cases) {
      const seed = parse(readFileSync(join(DEMO_DIR, 'members.yaml'), 'utf8'));
      edit(seed);
      site?.cleanup();
      site = await makeTestSite();
      const path = join(site.dir, 'members.yaml');
      writeFileSync(path, stringify(seed));
      const err = (() => {
        try {
          readSeed(path, site.config);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(expected);
      // A duplicate card error never echoes the UID.
      expect((err as Error).message).not.toContain(seed.members[0].cards[0]);
    }
  });

  it('a malformed stored hash never verifies', async () => {
    expect(await verifyPassword('x', 'plain')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1$1$1$$')).toBe(false);
    expect(await verifyPassword('pw', await hashPassword('pw'))).toBe(true);
  });
});
