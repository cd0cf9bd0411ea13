// Plans (doors, weekly windows, validity dates, offline flag) and closures (dates when plans
// do not open doors: holidays, the summer break).
import type { TimeWindow } from '../../contracts/payloads.ts';
import type { BookingRules } from '../../contracts/api/plans.ts';
import type { Db } from './database.ts';

export interface Plan {
  id: string;
  name: string;
  doors: string[];
  windows: TimeWindow[];
  offline: boolean;
  /** Local dates, inclusive; null = open-ended. */
  validFrom: string | null;
  validTo: string | null;
  /** What its members may book; absent: nothing (issue 16). */
  booking?: BookingRules;
}

export interface Closure {
  id: string;
  name: string;
  from: string;
  to: string;
  /** Plans it closes; empty = every plan. */
  plans: string[];
}

interface PlanRow {
  id: string;
  name: string;
  doors: string;
  windows: string;
  offline: number;
  valid_from: string | null;
  valid_to: string | null;
  booking: string | null;
}

interface ClosureRow {
  id: string;
  name: string;
  from_date: string;
  to_date: string;
  plans: string;
}

const toPlan = (r: PlanRow): Plan => ({
  id: r.id,
  name: r.name,
  doors: JSON.parse(r.doors) as string[],
  windows: JSON.parse(r.windows) as TimeWindow[],
  offline: r.offline === 1,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  ...(r.booking !== null && { booking: JSON.parse(r.booking) as BookingRules }),
});

const toClosure = (r: ClosureRow): Closure => ({
  id: r.id,
  name: r.name,
  from: r.from_date,
  to: r.to_date,
  plans: JSON.parse(r.plans) as string[],
});

export function createPlansRepo(db: Db) {
  const s = {
    upsert: db.prepare(`INSERT INTO plans (id, name, doors, windows, offline, valid_from, valid_to, booking, created_at)
      VALUES (@id, @name, @doors, @windows, @offline, @validFrom, @validTo, @booking, @createdAt)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, doors = excluded.doors, windows = excluded.windows,
        offline = excluded.offline, valid_from = excluded.valid_from, valid_to = excluded.valid_to, booking = excluded.booking`),
    byId: db.prepare('SELECT * FROM plans WHERE id = ?'),
    all: db.prepare('SELECT * FROM plans ORDER BY id'),
    remove: db.prepare('DELETE FROM plans WHERE id = ?'),
    usage: db.prepare(`SELECT (SELECT COUNT(*) FROM members WHERE plan = @id)
      + (SELECT COUNT(*) FROM credentials WHERE plan = @id AND revoked_at IS NULL) AS n`),
    insertClosure: db.prepare(`INSERT INTO closures (id, name, from_date, to_date, plans, created_at)
      VALUES (@id, @name, @from, @to, @plans, @createdAt)`),
    closureById: db.prepare('SELECT * FROM closures WHERE id = ?'),
    closures: db.prepare('SELECT * FROM closures ORDER BY from_date, id'),
    removeClosure: db.prepare('DELETE FROM closures WHERE id = ?'),
  };
  return {
    upsert: (p: Plan, now = 0): void => {
      s.upsert.run({
        ...p,
        doors: JSON.stringify(p.doors),
        windows: JSON.stringify(p.windows),
        offline: p.offline ? 1 : 0,
        booking: p.booking ? JSON.stringify(p.booking) : null,
        createdAt: now,
      });
    },
    byId: (id: string): Plan | undefined => {
      const r = s.byId.get(id) as PlanRow | undefined;
      return r && toPlan(r);
    },
    all: (): Plan[] => (s.all.all() as PlanRow[]).map(toPlan),
    /** Members and live credentials on this plan. */
    usage: (id: string): number => (s.usage.get({ id }) as { n: number }).n,
    remove: (id: string): boolean => s.remove.run(id).changes === 1,
    insertClosure: (c: Closure, now: number): void => {
      s.insertClosure.run({ ...c, plans: JSON.stringify(c.plans), createdAt: now });
    },
    closureById: (id: string): Closure | undefined => {
      const r = s.closureById.get(id) as ClosureRow | undefined;
      return r && toClosure(r);
    },
    closures: (): Closure[] => (s.closures.all() as ClosureRow[]).map(toClosure),
    removeClosure: (id: string): boolean => s.removeClosure.run(id).changes === 1,
  };
}

export type PlansRepo = ReturnType<typeof createPlansRepo>;
