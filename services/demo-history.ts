// The demo's past: weeks of believable door events and desk occupancy, made at the demo's first
// start so that every report has something to show. Deterministic (a seeded PRNG: the same seed,
// members and day give the same history), written through the same point builders as live data.
// The shape of a small coworking space: members arrive 07:30–10:00 and leave 15:00–18:30, most
// step out for lunch, weekends are quiet (a resident now and then), one holiday closure, some
// members come nearly daily and some once a fortnight, a few refused cards, an alarm or two.
import { mulberry32 } from '../runtime/prng.ts';
import type { SiteConfig } from '../config/schema.ts';
import { addDays, localDate } from '../contracts/local-time.ts';
import type { AccessEvent, DoorActivityEvent, DoorEvent } from '../contracts/payloads.ts';
import { doorEventPoint, doorStatePoint, occupancyPoint, type Point } from './history/point.ts';
import { localInstant, weekdayOf as weekday } from './analytics/opening-hours.ts';

export interface DemoHistoryMember {
  id: string;
  plan: string;
  /** The doors their plan opens. */
  doors: readonly string[];
  /** May come at weekends (a plan without time windows). */
  anyTime: boolean;
}

export interface DemoHistoryOptions {
  weeks: number;
  seed: number;
  /** History ends at the start of this instant's local day (today stays live). */
  now: number;
  members: readonly DemoHistoryMember[];
}

export interface DemoHistory {
  points: Point[];
  /** The holiday closure inside the history (local dates, inclusive). */
  closure: { from: string; to: string };
  from: string;
  to: string;
}

export function demoHistory(config: SiteConfig, opts: DemoHistoryOptions): DemoHistory {
  const tz = config.site.timeZone;
  const rnd = mulberry32(opts.seed);
  const between = (a: number, b: number) => a + rnd() * (b - a);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const today = localDate(opts.now, tz);
  const from = addDays(today, -7 * opts.weeks);
  const to = addDays(today, -1);
  const front = config.doors[0]!;
  const gateway = front.gateway;
  const inner = config.doors.slice(1);
  const zoneOf = new Map(config.desks.map((d) => [d.id, d.zone]));
  const doorZone = new Map(config.doors.map((d) => [d.id, d.zone]));
  const points: Point[] = [];
  let n = 0;
  const event = (e: Omit<AccessEvent, 'v' | 'id' | 'gateway'> | Omit<DoorActivityEvent, 'v' | 'id' | 'gateway'>) => {
    const full = { ...e, v: 1, id: `demo-${opts.seed}-${String(++n).padStart(6, '0')}`, gateway } as DoorEvent;
    points.push(doorEventPoint(full));
  };
  /**
   * A door passage: the decision, then the door opening and closing a few seconds later, with
   * the contact's states as ingest records them (door_state, with how long it stood open).
   */
  const pass = (door: string, ts: number, member: string | undefined, via: 'card' | 'exit-button') => {
    event({ type: 'access', door, ts, decision: 'granted', reason: 'ok', via, member: via === 'card' ? member : undefined, offline: false });
    const opened = ts + Math.round(between(1_500, 4_000));
    const closed = opened + Math.round(between(3_000, 12_000));
    event({ type: 'door', door, ts: opened, kind: 'opened' });
    event({ type: 'door', door, ts: closed, kind: 'closed' });
    points.push(doorStatePoint(door, true, opened, undefined, doorZone.get(door)));
    points.push(doorStatePoint(door, false, closed, opened, doorZone.get(door)));
  };
  const sit = (desk: string, a: number, b: number) => {
    points.push(occupancyPoint({ v: 1, desk, occupied: true, since: a, ts: a }, zoneOf.get(desk)));
    points.push(occupancyPoint({ v: 1, desk, occupied: false, since: b, ts: b }, zoneOf.get(desk)));
  };

  // How often each member comes on a weekday: from nearly every day to once a fortnight.
  const members = opts.members.map((m, i) => ({
    ...m,
    often: opts.members.length > 1 ? 0.92 - (0.82 * i) / (opts.members.length - 1) : 0.8,
    desk: config.desks[i % Math.max(1, config.desks.length)]?.id,
  }));
  const closureStart = (() => {
    // A Thursday–Friday in the middle of the range (a holiday and the bridge day after it).
    let d = addDays(from, 7 * Math.floor(opts.weeks / 2));
    while (weekday(d) !== 4) d = addDays(d, 1);
    return d;
  })();
  const closure = { from: closureStart, to: addDays(closureStart, 1) };

  for (let date = from; date <= to; date = addDays(date, 1)) {
    const wd = weekday(date);
    const closed = date >= closure.from && date <= closure.to;
    const weekend = wd >= 6;
    if (closed) {
      // Someone who forgot the holiday: refused at the door.
      const m = pick(members);
      event({
        type: 'access',
        door: front.id,
        ts: localInstant(date, 9 * 60 + Math.round(between(0, 60)), tz),
        decision: 'denied',
        reason: 'outside-schedule',
        via: 'card',
        member: m.id,
        offline: false,
      });
      continue;
    }
    const freeAt = new Map(config.desks.map((d) => [d.id, 0]));
    const visits = members
      .filter((m) => (weekend ? m.anyTime && rnd() < 0.12 : rnd() < m.often))
      .map((m) => {
        const arrive = weekend ? between(10 * 60, 12 * 60) : between(7.5 * 60, 10 * 60);
        const leave = weekend ? arrive + between(90, 240) : between(15 * 60, 18.5 * 60);
        return { m, arrive, leave };
      })
      .sort((a, b) => a.arrive - b.arrive);
    for (const { m, arrive, leave } of visits) {
      const at = (minute: number) => localInstant(date, Math.round(minute), tz) + Math.round(rnd() * 59_000);
      const tIn = at(arrive);
      const tOut = at(leave);
      pass(front.id, tIn, m.id, 'card');
      pass(front.id, tOut, m.id, 'exit-button');
      const lunch = !weekend && rnd() < 0.75 ? { out: at(between(11.5 * 60, 12.75 * 60)), minutes: between(25, 55) } : undefined;
      const lunchBack = lunch ? lunch.out + Math.round(lunch.minutes * 60_000) : 0;
      if (lunch) {
        pass(front.id, lunch.out, m.id, 'exit-button');
        pass(front.id, lunchBack, m.id, 'card');
      }
      // A desk: their own when free, else the first free one.
      const seatAt = tIn + 120_000;
      const desk = m.desk && freeAt.get(m.desk)! <= seatAt ? m.desk : [...freeAt].find(([, t]) => t <= seatAt)?.[0];
      if (desk) {
        const leaveDesk = tOut - 60_000;
        if (lunch && lunch.out > seatAt && lunchBack < leaveDesk) {
          sit(desk, seatAt, lunch.out - 60_000);
          sit(desk, lunchBack + 90_000, leaveDesk);
        } else if (leaveDesk > seatAt) sit(desk, seatAt, leaveDesk);
        freeAt.set(desk, tOut);
      }
      // Meetings: members whose plan opens an inner door use it now and then.
      const room = inner.find((d) => m.doors.includes(d.id));
      if (room && !weekend && rnd() < 0.2) pass(room.id, at(between(10 * 60, 15 * 60)), m.id, 'card');
    }
    // A few refused attempts: a card nobody knows, a plan without the meeting room.
    if (!weekend && rnd() < 0.3) {
      event({
        type: 'access',
        door: front.id,
        ts: at0(date, between(8 * 60, 17 * 60)),
        decision: 'denied',
        reason: 'unknown-credential',
        via: 'card',
        offline: false,
      });
    }
    const room = inner[0];
    const outsider = members.find((m) => room && !m.doors.includes(room.id));
    if (room && outsider && !weekend && rnd() < 0.1) {
      event({
        type: 'access',
        door: room.id,
        ts: at0(date, between(10 * 60, 15 * 60)),
        decision: 'denied',
        reason: 'door-not-in-plan',
        via: 'card',
        member: outsider.id,
        offline: false,
      });
    }
    // Alarms are rare: a door held open for a delivery about once a month.
    if (!weekend && rnd() < 0.035) {
      event({ type: 'door', door: front.id, ts: at0(date, between(9 * 60, 16 * 60)), kind: 'held-open' });
    }
  }
  points.sort((a, b) => a.ts - b.ts);
  return { points, closure, from, to };

  function at0(date: string, minute: number) {
    return localInstant(date, Math.round(minute), tz);
  }
}
