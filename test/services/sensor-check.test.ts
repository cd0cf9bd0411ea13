// Desk sensors checked against the door (issue 16 part 3): the detector on generated histories
// with one faulty pattern per kind — a stuck PIR (taken all night after its member left), a
// radar seeing a fan (flapping), a dead battery (never taken while its zone is busy) — and
// healthy busy days and the demo's 8 weeks that must not be flagged at all.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { loadSiteConfig } from '../../config/load.ts';
import { readSeed, seedMembers } from '../../config/seed.ts';
import { SensorCheckConfig } from '../../config/schema.ts';
import { Value } from '@sinclair/typebox/value';
import { addDays } from '../../contracts/local-time.ts';
import { demoHistory } from '../../services/demo-history.ts';
import { localInstant } from '../../services/analytics/opening-hours.ts';
import { doorEventPoint, occupancyPoint, type Point } from '../../services/history/point.ts';
import { findSuspects, historyNeeded, type DeskHistory, type SensorRules } from '../../services/sensors/detect.ts';
import { doorPassages } from '../../services/sensors/sensor-checks.ts';

const TZ = 'Europe/Copenhagen';
const H = 3600_000;
const RULES = Value.Default(SensorCheckConfig, {}) as SensorRules;
const DEMO_DIR = new URL('../../config/demo/', import.meta.url).pathname;

/** Local wall-clock time on a date (no DST day is used). */
const at = (date: string, hh: number, mm = 0) => localInstant(date, hh * 60 + mm, TZ);
const occ = (desk: string, zone: string, occupied: boolean | null, ts: number): Point => occupancyPoint({ v: 1, ts, desk, occupied, since: ts }, zone);

/** A generated site: open-space d01–d04, quiet-room d11–d12; who sits where each weekday. */
class Site {
  readonly points = new Map<string, Point[]>();
  readonly doors: number[] = [];
  readonly zone = (d: string) => (d.startsWith('d1') ? 'quiet-room' : 'open-space');
  constructor(readonly desks: readonly string[] = ['d01', 'd02', 'd03', 'd04', 'd11', 'd12']) {
    for (const d of desks) this.points.set(d, []);
  }
  set(desk: string, occupied: boolean | null, ts: number): void {
    this.points.get(desk)!.push(occ(desk, this.zone(desk), occupied, ts));
  }
  /** A member comes in by card, sits, and leaves by the exit button. */
  visit(desk: string, a: number, b: number): void {
    this.doors.push(a - 120_000, b + 60_000);
    this.set(desk, true, a);
    this.set(desk, false, b);
  }
  /** Every desk but `skip` taken 08–16 on each weekday from `from` for `days` days. */
  busyWeek(from: string, days: number, skip: readonly string[] = []): void {
    for (let i = 0; i < days; i++) {
      const date = addDays(from, i);
      const wd = new Date(`${date}T12:00:00Z`).getUTCDay();
      if (wd === 0 || wd === 6) continue;
      this.desks.filter((d) => !skip.includes(d)).forEach((d, k) => this.visit(d, at(date, 8, k * 5), at(date, 16, k * 7)));
    }
  }
  check(now: number, from = now - historyNeeded(RULES), notBefore: Record<string, number> = {}) {
    const desks: DeskHistory[] = this.desks.map((id) => ({ id, zone: this.zone(id), points: this.points.get(id)!, notBefore: notBefore[id] }));
    return findSuspects({ now, from, desks, doorPassages: this.doors, rules: RULES });
  }
}

describe('a stuck PIR: taken all night after its member left', () => {
  // Monday 7 December 2026: everyone works 08–16; d02's member stays till 17:30 and leaves by the
  // exit button, but the PIR at d02 keeps saying taken.
  const site = new Site();
  site.busyWeek('2026-11-30', 7, ['d02']);
  site.busyWeek('2026-12-07', 1, ['d02']);
  site.doors.push(at('2026-12-07', 7, 55));
  site.set('d02', true, at('2026-12-07', 8));
  site.doors.push(at('2026-12-07', 17, 31)); // the exit button; d02 never turns free

  it('is not suspect in the evening, a few hours in', () => {
    expect(site.check(at('2026-12-07', 23))).toEqual([]);
  });

  it('is suspect by night, from its member’s exit, with the hours as evidence', () => {
    const found = site.check(at('2026-12-08', 4));
    expect(found).toEqual([{ desk: 'd02', reason: 'stuck-occupied', since: at('2026-12-07', 17, 31), evidence: { occupiedHours: 20, quietHours: 10.5 } }]);
  });

  it('is not suspect while another desk sees someone (a late worker) or someone passes a door', () => {
    const late = new Site();
    late.busyWeek('2026-12-07', 1, ['d02']);
    late.set('d02', true, at('2026-12-07', 8));
    late.set('d03', true, at('2026-12-07', 20)); // someone at d03 all evening
    late.set('d03', false, at('2026-12-08', 1));
    expect(late.check(at('2026-12-08', 4))).toEqual([]);
    late.doors.push(at('2026-12-08', 2)); // and the front door at 02:00
    expect(late.check(at('2026-12-08', 11, 30)).map((s) => s.desk)).toEqual([]);
    expect(late.check(at('2026-12-08', 12, 1))).toMatchObject([{ desk: 'd02', reason: 'stuck-occupied', since: at('2026-12-08', 2) }]);
  });

  it('two PIRs stuck the same night do not vouch for each other', () => {
    const two = new Site();
    two.busyWeek('2026-12-07', 1, ['d02', 'd11']);
    two.set('d02', true, at('2026-12-07', 8));
    two.set('d11', true, at('2026-12-07', 9));
    two.doors.push(at('2026-12-07', 17, 31));
    expect(two.check(at('2026-12-08', 4)).map((s) => [s.desk, s.reason, s.since])).toEqual([
      ['d02', 'stuck-occupied', at('2026-12-07', 17, 31)],
      ['d11', 'stuck-occupied', at('2026-12-07', 17, 31)],
    ]);
  });

  it('counts again when a host confirmed it: what came before is settled', () => {
    expect(site.check(at('2026-12-08', 4), undefined, { d02: at('2026-12-08', 3, 59) })).toEqual([]);
  });
});

describe('a radar seeing a fan: flapping', () => {
  const site = new Site();
  site.busyWeek('2026-11-30', 8);
  // Tuesday 8 December from 10:00: the fan near d03 makes the radar flip every 90 s.
  for (let t = at('2026-12-08', 10), on = true; t < at('2026-12-08', 13); t += 90_000, on = !on) site.set('d03', on, t);

  it('is flapping once it lasts two hours, from when it began, with the changes an hour', () => {
    expect(site.check(at('2026-12-08', 10, 45))).toEqual([]);
    expect(site.check(at('2026-12-08', 12, 30))).toEqual([
      { desk: 'd03', reason: 'flapping', since: at('2026-12-08', 10), evidence: { changesPerHour: 40, hours: 3 } },
    ]);
  });

  it('recovers once the fan is off', () => {
    expect(site.check(at('2026-12-08', 15))).toEqual([]);
  });
});

describe('a dead battery: never taken while its zone is busy', () => {
  const site = new Site();
  // d04 was last taken on Friday 27 November; then its battery died (the bridge said unknown, then nothing).
  site.busyWeek('2026-11-23', 5);
  site.set('d04', null, at('2026-11-28', 3));
  site.busyWeek('2026-11-30', 14, ['d04']);

  it('is suspect from when it was last taken, with the busy days as evidence', () => {
    const found = site.check(at('2026-12-11', 18));
    expect(found).toEqual([{ desk: 'd04', reason: 'never-occupied', since: at('2026-11-27', 16, 21), evidence: { days: 7, busyDays: 5 } }]);
  });

  it('is not suspect when its zone was quiet (a holiday week)', () => {
    const quiet = new Site();
    quiet.busyWeek('2026-11-23', 5);
    expect(quiet.check(at('2026-12-11', 18))).toEqual([]);
  });

  it('a radar aimed wrong says free instead of nothing: the same', () => {
    const wrong = new Site();
    wrong.busyWeek('2026-11-30', 14, ['d12']);
    for (let i = 0; i < 14; i++) wrong.set('d12', false, at(addDays('2026-11-30', i), 9));
    expect(wrong.check(at('2026-12-11', 18))).toMatchObject([{ desk: 'd12', reason: 'never-occupied', evidence: { days: 7, busyDays: 5 } }]);
  });
});

describe('healthy sensors are not flagged', () => {
  it('busy weeks with lunches, late workers and an empty weekend: nothing, checked every hour', () => {
    const site = new Site();
    site.busyWeek('2026-11-02', 35);
    // A late worker alone at d11 until 22:00 after everyone else left.
    site.visit('d11', at('2026-12-01', 17), at('2026-12-01', 22));
    const found = new Set<string>();
    for (let t = at('2026-11-12', 0); t < at('2026-12-07', 0); t += H) for (const s of site.check(t)) found.add(`${s.desk} ${s.reason}`);
    expect([...found]).toEqual([]);
  });

  it('the demo’s 8 weeks: zero suspects, checked every hour of them', () => {
    const config = loadSiteConfig(join(DEMO_DIR, 'site.yaml'));
    const seed = readSeed(join(DEMO_DIR, 'members.yaml'), config);
    const plans = new Map(seed.plans.map((p) => [p.id, p]));
    const members = seedMembers(seed)
      .filter((m) => m.active !== false)
      .map((m) => ({ id: m.id, plan: m.plan, doors: plans.get(m.plan)!.doors, anyTime: !plans.get(m.plan)!.windows?.length }));
    // A fixed day, and today: the history is relative to the day it is made.
    for (const now of [Date.UTC(2026, 11, 3, 9), Date.now()]) {
      const history = demoHistory(config, { weeks: 8, seed: seed.history!.seed, now, members });
      const byDesk = new Map(config.desks.map((d) => [d.id, [] as Point[]]));
      for (const p of history.points) if (p.measurement === 'occupancy') byDesk.get(p.tags.desk!)!.push(p);
      const passages = doorPassages(history.points.filter((p) => p.measurement === 'door_event'));
      expect(passages.length).toBeGreaterThan(500);
      const desks = config.desks.map((d) => ({ id: d.id, zone: d.zone, points: byDesk.get(d.id)! }));
      const start = at(history.from, 0);
      const end = at(addDays(history.to, 1), 0);
      const found = new Set<string>();
      for (let t = start + historyNeeded(RULES); t <= end; t += H) {
        for (const s of findSuspects({ now: t, from: start, desks, doorPassages: passages, rules: RULES })) found.add(`${s.desk} ${s.reason}`);
      }
      expect([...found]).toEqual([]);
    }
  });
});

// Keeps the generated patterns honest: the door events the service reads are those it counts.
describe('door passages', () => {
  it('are granted entries and exits and door openings; refusals are not', () => {
    const base = { v: 1, gateway: 'gw-main', door: 'front', offline: false } as const;
    const points = [
      doorEventPoint({ ...base, id: 'a', ts: 1, type: 'access', decision: 'granted', reason: 'ok', via: 'card', member: 'm' }),
      doorEventPoint({ ...base, id: 'b', ts: 2, type: 'access', decision: 'denied', reason: 'unknown-credential', via: 'card' }),
      doorEventPoint({ ...base, id: 'c', ts: 3, type: 'door', kind: 'opened' }),
      doorEventPoint({ ...base, id: 'd', ts: 4, type: 'door', kind: 'closed' }),
      doorEventPoint({ ...base, id: 'e', ts: 5, type: 'access', decision: 'granted', reason: 'ok', via: 'exit-button' }),
    ];
    expect(doorPassages(points)).toEqual([1, 3, 5]);
  });
});
