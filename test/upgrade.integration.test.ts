// Upgrades keep the data: every services database made by a past release (test/fixtures/upgrade/
// <release>/, written by that release's make-fixture.ts) opens with today's code, which migrates
// it, and still holds every member, card, plan, closure, event, audit row and session.
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../services/db/store.ts';
import { MIGRATIONS } from '../services/db/migrations.ts';
import { fingerprint } from '../contracts/signing.ts';
import { SITE_KEY, expectedRows } from './fixtures/upgrade/rows.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/upgrade/', import.meta.url));
const releases = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('upgrade from the databases of past releases', () => {
  it('has at least the fixture of 0.2.0', () => {
    expect(releases).toContain('0.2.0');
  });

  it.each(releases)('opens the %s database with today’s code and keeps every row', (release) => {
    const dir = mkdtempSync(join(tmpdir(), `smartspace-upgrade-${release}-`));
    dirs.push(dir);
    cpSync(join(FIXTURES, release, 'services.db'), join(dir, 'services.db'));
    const expected = JSON.parse(readFileSync(join(FIXTURES, release, 'expected.json'), 'utf8')) as Record<string, unknown[]>;

    const store = openStore(dir);
    try {
      const latest = Math.max(...MIGRATIONS.map((m) => m.version));
      expect((store.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v).toBe(latest);
      expect(expectedRows(store.db)).toEqual(expected);
      expect(expected.members!.length).toBeGreaterThan(0);
      expect(expected.events!.length).toBeGreaterThan(0);

      // Through the repositories of today: a card fingerprinted with the site key still opens,
      // members and plans read back.
      expect(store.credentials.liveByFingerprint(fingerprint(SITE_KEY, '04a1b2c3d4e520'))?.member).toBe('carla');
      expect(store.credentials.liveByFingerprint(fingerprint(SITE_KEY, '04FFFF0001'))).toBeUndefined();
      expect(store.members.count()).toBe(expected.members!.length);
      expect(store.plans.all().map((p) => p.id)).toEqual(['fixed', 'flex', 'summer']);
      expect(store.events.page(1000).length).toBe(expected.events!.length);
      expect(() => store.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    } finally {
      store.close();
    }
  });
});
