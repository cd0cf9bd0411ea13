// Local dates, validity, closures and the access-list timers: what the gateway cannot know is
// compiled in, and the lists change by themselves when a boundary passes.
import { describe, it, expect, afterEach } from 'vitest';
import { pino } from 'pino';
import { startOfLocalDay, localDate, addDays, isoWeek, dateRangeBounds, isLocalDate } from '../../contracts/local-time.ts';
import { compileEntries } from '../../services/access/compile.ts';
import { unlockRefusal } from '../../services/access/policy.ts';
import { AccessLists } from '../../services/access/access-lists.ts';
import type { Plan } from '../../services/db/plans-repo.ts';
import type { AccessList } from '../../contracts/payloads.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { openStore, type Store } from '../../services/db/store.ts';
import { seedIfEmpty } from '../../services/seed.ts';
import { waitFor } from './helpers.ts';

const TZ = 'Europe/Copenhagen';
const H = 3600_000;

describe('local dates', () => {
  it('a day starts at local midnight, and DST days are 23 and 25 hours long', () => {
    expect(startOfLocalDay('2025-03-30', TZ)).toBe(Date.UTC(2025, 2, 29, 23));
    expect(startOfLocalDay('2025-03-31', TZ) - startOfLocalDay('2025-03-30', TZ)).toBe(23 * H);
    expect(startOfLocalDay('2025-10-27', TZ) - startOfLocalDay('2025-10-26', TZ)).toBe(25 * H);
    // A day that starts at 01:00 because midnight does not exist (Havana, DST at midnight).
    expect(startOfLocalDay('2025-03-09', 'America/Havana')).toBe(Date.UTC(2025, 2, 9, 5));
    expect(localDate(Date.UTC(2025, 2, 2, 23, 30), TZ)).toBe('2025-03-03');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(isLocalDate('2025-02-29')).toBe(false);
    expect(isoWeek('2026-12-31')).toBe('2026-W53');
    expect(isoWeek('2027-01-04')).toBe('2027-W01');
    expect(dateRangeBounds(null, null, TZ)).toEqual({ start: -Infinity, end: Infinity });
  });
});

const plan = (p: Partial<Plan> = {}): Plan => ({ id: 'p', name: 'P', doors: ['front'], windows: [], offline: false, validFrom: null, validTo: null, ...p });
const grant = (extra: object = {}) => ({
  member: 'm1',
  active: true,
  fingerprint: 'a'.repeat(64),
  plan: 'p',
  validFrom: null,
  validTo: null,
  host: false,
  ...extra,
});
const compile = (
  plans: Plan[],
  grants: ReturnType<typeof grant>[],
  now: number,
  closures = [] as { id: string; name: string; from: string; to: string; plans: string[] }[],
) => compileEntries(grants, new Map(plans.map((p) => [p.id, p])), new Set(['front', 'meeting']), { now, timeZone: TZ, closures });

describe('compiling what the gateway cannot know', () => {
  const noon = Date.UTC(2025, 5, 10, 10); // Tuesday 10 June 2025, 12:00 in Copenhagen

  it("a plan outside its validity dates opens nothing; the end becomes the entry's `until`", () => {
    expect(compile([plan({ validFrom: '2025-06-11' })], [grant()], noon)).toEqual({ entries: [], nextChangeAt: startOfLocalDay('2025-06-11', TZ) });
    const valid = compile([plan({ validFrom: '2025-06-01', validTo: '2025-06-30' })], [grant()], noon);
    expect(valid.entries[0]!.until).toBe(startOfLocalDay('2025-07-01', TZ));
    expect(valid.nextChangeAt).toBe(startOfLocalDay('2025-07-01', TZ));
  });

  it('a pass valid one day: opens on that day only, then is refused as expired for 30 days', () => {
    const pass = grant({ validFrom: '2025-06-10', validTo: '2025-06-10' });
    expect(compile([plan()], [pass], noon).entries).toHaveLength(1);
    const expired = { doors: [], fp: 'a'.repeat(64), member: 'm1', offline: false, refused: 'expired' };
    expect(compile([plan()], [pass], startOfLocalDay('2025-06-11', TZ)).entries).toEqual([expired]);
    expect(compile([plan()], [pass], startOfLocalDay('2025-07-10', TZ)).entries).toEqual([expired]);
    expect(compile([plan()], [pass], startOfLocalDay('2025-07-11', TZ)).entries).toHaveLength(0);
    expect(compile([plan()], [pass], startOfLocalDay('2025-06-10', TZ) - 1).entries).toHaveLength(0);
  });

  it('a suspended member stays in the list, refused by name, whatever the plan', () => {
    const suspended = grant({ active: false, plan: null });
    expect(compile([plan()], [suspended], noon).entries).toEqual([{ doors: [], fp: 'a'.repeat(64), member: 'm1', offline: false, refused: 'suspended' }]);
  });

  it('a closure drops the plans it names while it holds, and shortens `until` before it', () => {
    const closure = { id: 'c', name: 'Midsummer', from: '2025-06-23', to: '2025-06-24', plans: ['p'] };
    const before = compile([plan(), plan({ id: 'q' })], [grant(), grant({ member: 'm2', fingerprint: 'b'.repeat(64), plan: 'q' })], noon, [closure]);
    expect(before.entries.map((e) => [e.member, e.until])).toEqual([
      ['m1', startOfLocalDay('2025-06-23', TZ)],
      ['m2', undefined],
    ]);
    expect(before.nextChangeAt).toBe(startOfLocalDay('2025-06-23', TZ));
    const during = compile([plan()], [grant()], Date.UTC(2025, 5, 23, 10), [closure]);
    expect(during).toEqual({ entries: [], nextChangeAt: startOfLocalDay('2025-06-25', TZ) });
    const all = compile([plan()], [grant()], Date.UTC(2025, 5, 23, 10), [{ ...closure, plans: [] }]);
    expect(all.entries).toEqual([]);
  });

  it('remote unlock says why not: plan not valid, closed, outside the windows (local time, DST-safe)', () => {
    const member = { id: 'm1', name: 'M', email: 'm@x', role: 'member' as const, plan: 'p', presenceOptIn: false, active: true };
    const weekdays = plan({ windows: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '08:00', to: '18:00' }] });
    const ctx = (now: number, closures = [] as { id: string; name: string; from: string; to: string; plans: string[] }[]) => ({ timeZone: TZ, now, closures });
    expect(unlockRefusal(member, plan({ validTo: '2025-06-09' }), 'front', ctx(noon))).toBe('plan-not-valid');
    expect(unlockRefusal(member, plan(), 'front', ctx(noon, [{ id: 'c', name: 'x', from: '2025-06-10', to: '2025-06-10', plans: [] }]))).toBe('closed');
    // 08:00–18:00 stays 08:00–18:00 local on the day the clocks go forward (30 March 2025).
    expect(unlockRefusal(member, weekdays, 'front', ctx(Date.UTC(2025, 2, 30, 6, 30)))).toBeNull(); // 08:30 CEST
    expect(unlockRefusal(member, weekdays, 'front', ctx(Date.UTC(2025, 2, 30, 5, 30)))).toBe('outside-schedule'); // 07:30 CEST
    // …and on the day they go back (26 October 2025, CET again).
    expect(unlockRefusal(member, weekdays, 'front', ctx(Date.UTC(2025, 9, 26, 7, 30)))).toBeNull(); // 08:30 CET
    expect(unlockRefusal(member, weekdays, 'front', ctx(Date.UTC(2025, 9, 26, 17, 0)))).toBe('outside-schedule'); // 18:00 CET
  });
});

describe('access-list timers', () => {
  let site: TestSite | undefined;
  let store: Store | undefined;
  let lists: AccessLists | undefined;
  afterEach(() => {
    lists?.stop();
    store?.close();
    site?.cleanup();
  });

  async function setup(now: () => number, refreshMs?: number) {
    site = await makeTestSite();
    store = openStore(site.config.services.dataDir);
    await seedIfEmpty(store, site.config, site.secrets.siteKey, now());
    const published: AccessList[] = [];
    lists = new AccessLists({ config: site.config, secrets: site.secrets, store, log: pino({ level: 'silent' }), now, refreshMs });
    lists.setPublisher((_kind, _gateway, payload) => {
      published.push(payload as AccessList);
      return Promise.resolve();
    });
    return published;
  }

  it('re-signs an unchanged list with a fresh ts (same version) well within offlineAfterH', async () => {
    const published = await setup(Date.now, 100);
    await lists!.recompile();
    lists!.start();
    const first = published[0]!;
    const refreshed = await waitFor(() => published.find((l) => l.ts > first.ts));
    expect(refreshed.version).toBe(first.version);
    expect(refreshed.entries).toEqual(first.entries);
  });

  it('recompiles by itself when a pass becomes valid at local midnight', async () => {
    let t0 = Date.now();
    const midnight = startOfLocalDay(addDays(localDate(t0, TZ), 1), TZ);
    const now = () => midnight - 300 + (Date.now() - t0); // 300 ms before local midnight
    const published = await setup(now);
    const tomorrow = localDate(midnight, TZ);
    store!.credentials.insert({ member: 'lars', kind: 'pin', fingerprint: 'c'.repeat(64), validFrom: tomorrow, validTo: tomorrow }, now());
    t0 = Date.now();
    const [first] = await lists!.recompile();
    lists!.start();
    expect(first!.entries.some((e) => e.fp === 'c'.repeat(64))).toBe(false);
    expect(lists!.nextChangeAt).toBe(midnight);
    const next = await waitFor(() => published.find((l) => l.entries.some((e) => e.fp === 'c'.repeat(64))), 3000);
    expect(next.version).toBe(first!.version + 1);
    expect(next.entries.find((e) => e.fp === 'c'.repeat(64))!.until).toBe(startOfLocalDay(addDays(tomorrow, 1), TZ));
  });
});

describe('fast list signing', () => {
  it('gives the very bytes contracts/signing canonicalJson gives, so gateways verify it', async () => {
    const { fastCanonicalJson, signList } = await import('../../services/access/sign-list.ts');
    const { canonicalJson, verify } = await import('../../contracts/signing.ts');
    const entries = Array.from({ length: 200 }, (_, i) => ({
      member: `m${i}`,
      fp: (i % 16).toString(16).repeat(64),
      offline: i % 2 === 0,
      doors: ['meeting', 'front'],
      windows: i % 3 ? [{ to: '19:00', from: '07:00', days: [1, 2, 3] }] : undefined,
      until: i % 5 ? undefined : 1_750_000_000_000 + i,
    }));
    const unsigned = { version: 7, v: 1 as const, ts: 123, timeZone: 'Europe/Copenhagen', gateway: 'gw-main', entries: entries as never };
    expect(fastCanonicalJson(unsigned)).toBe(canonicalJson(unsigned));
    expect(fastCanonicalJson({ s: 'æ"\\\n\u2028', n: -0.5, e: 1e21, a: [null, true, { z: 1, A: 2 }] })).toBe(
      canonicalJson({ s: 'æ"\\\n\u2028', n: -0.5, e: 1e21, a: [null, true, { z: 1, A: 2 }] }),
    );
    expect(verify(signList(unsigned, 'k'.repeat(32)), 'k'.repeat(32))).toBe(true);
  });
});
