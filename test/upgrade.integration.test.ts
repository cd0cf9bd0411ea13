// Upgrades keep the data: every services database made by a past release (test/fixtures/upgrade/
// <release>/, written by that release's make-fixture.ts) opens with today's code, which migrates
// it, and still holds every member, card, plan, closure, event, audit row and session. Member ids
// made from names (0.2.0) come out random (migration 4), renamed wherever they are referenced.
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../services/db/store.ts';
import { MIGRATIONS } from '../services/db/migrations.ts';
import { fingerprint } from '../contracts/signing.ts';
import { regex } from '../contracts/patterns.ts';
import type { DoorEvent } from '../contracts/payloads.ts';
import { SqliteHistoryStore } from '../services/history/sqlite-store.ts';
import { doorEventPoint } from '../services/history/point.ts';
import { erasureTransform, finishPendingRenames } from '../services/privacy/erasure.ts';
import { silent } from './services/helpers.ts';
import { SITE_KEY, expectedRows } from './fixtures/upgrade/rows.ts';

type Row = Record<string, unknown>;

/** The rows of expected.json with each old member id replaced where migration 4 renames it. */
function renamed(expected: Record<string, Row[]>, id: Map<string, string>): Record<string, Row[]> {
  const to = (v: unknown) => (typeof v === 'string' && id.has(v) ? id.get(v)! : v);
  const aboutMember = /^(member|credential|pass|privacy|enrolment)\./;
  const json = (text: unknown) => {
    if (typeof text !== 'string') return text;
    const o = JSON.parse(text) as Row;
    return 'member' in o ? JSON.stringify({ ...o, member: to(o.member) }) : text;
  };
  return {
    ...expected,
    members: expected.members!.map((m) => ({ ...m, id: to(m.id) })).sort((a, b) => String(a.id).localeCompare(String(b.id))),
    credentials: expected.credentials!.map((c) => ({ ...c, member: to(c.member) })),
    sessions: expected.sessions!.map((x) => ({ ...x, member: to(x.member) })),
    events: expected.events!.map((e) => ({ ...e, member: to(e.member), payload: json(e.payload) })),
    audit: expected.audit!.map((a) => ({
      ...a,
      actor: to(a.actor),
      target: aboutMember.test(String(a.action)) ? to(a.target) : a.target,
      detail: json(a.detail),
    })),
  };
}

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

  it.each(releases)('opens the %s database with today’s code and keeps every row', async (release) => {
    const dir = mkdtempSync(join(tmpdir(), `smartspace-upgrade-${release}-`));
    dirs.push(dir);
    cpSync(join(FIXTURES, release, 'services.db'), join(dir, 'services.db'));
    const expected = JSON.parse(readFileSync(join(FIXTURES, release, 'expected.json'), 'utf8')) as Record<string, Row[]>;

    const store = openStore(dir);
    try {
      const latest = Math.max(...MIGRATIONS.map((m) => m.version));
      expect((store.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v).toBe(latest);
      expect(expected.members!.length).toBeGreaterThan(0);
      expect(expected.events!.length).toBeGreaterThan(0);

      // Every member has a random id now (the pattern leaves no room for a name); the same person (by e-mail).
      const members = store.db.prepare('SELECT id, name, email FROM members').all() as { id: string; name: string; email: string }[];
      const id = new Map<string, string>();
      for (const m of members) {
        expect(m.id).toMatch(regex('memberId'));
        const was = expected.members!.find((e) => e.email === m.email)!;
        expect(m.id).not.toBe(was.id);
        id.set(String(was.id), m.id);
      }
      expect(id.size).toBe(expected.members!.length);
      // Every reference follows (cards, sessions, events, audit), and nothing else changed.
      expect(expectedRows(store.db)).toEqual(renamed(expected, id));
      expect(store.db.pragma('foreign_key_check')).toEqual([]);

      // Through the repositories of today: a card fingerprinted with the site key still opens,
      // members and plans read back.
      const carla = id.get('carla')!;
      expect(store.credentials.liveByFingerprint(fingerprint(SITE_KEY, '04a1b2c3d4e520'))?.member).toBe(carla);
      expect(store.credentials.liveByFingerprint(fingerprint(SITE_KEY, '04FFFF0001'))).toBeUndefined();
      expect(
        store.credentials
          .grants()
          .map((g) => g.member)
          .every((m) => regex('memberId').test(m)),
      ).toBe(true);
      expect(store.members.count()).toBe(expected.members!.length);
      expect(store.plans.all().map((p) => p.id)).toEqual(['fixed', 'flex', 'summer']);
      expect(store.events.page(1000).length).toBe(expected.events!.length);
      expect(store.events.entriesOf(carla).length).toBeGreaterThan(0);
      expect(() => store.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);

      // An event a gateway queued before the upgrade, with the old id, lands on the member.
      const queued = JSON.parse(String(expected.events!.find((e) => e.member === 'carla')!.payload)) as DoorEvent;
      expect(store.memberRenames.renameEvent(queued)).toEqual({ ...queued, member: carla });
      expect(erasureTransform(store).transform(doorEventPoint(queued)).tags.member).toBe(carla);

      // The history store (its own file) follows; then the old ids are forgotten.
      const history = new SqliteHistoryStore(join(dir, 'history.db'));
      try {
        await history.write([doorEventPoint(queued)]);
        expect(await finishPendingRenames({ store, history, log: silent() })).toBe(0);
        const points = await history.query({ measurement: 'door_event', from: 0, to: Number.MAX_SAFE_INTEGER });
        expect(points.map((p) => p.tags.member)).toEqual([carla]);
      } finally {
        await history.close();
      }
      expect(store.memberRenames.pending()).toEqual([]);
      expect(store.db.prepare('SELECT COUNT(*) AS n FROM member_renames WHERE old IS NOT NULL').get()).toEqual({ n: 0 });
    } finally {
      store.close();
    }
  });
});
