// Who is in today, derived from access events: everyone let in (granted) whose name the
// services showed this viewer. The services decide the names (contracts/api.ts
// EventView.memberName): to a member only those who opted in and themself; to hosts everyone.
// There is no "left" event, so this is "came in today", which is what a small space means.
import type { EventView } from '../../../contracts/api/index.ts';

export interface Visitor {
  name: string;
  /** First and latest entry today. */
  first: number;
  last: number;
}

/** A granted entry that names a member: the stuff "who is in" is made of. */
export function isVisit(e: EventView): boolean {
  return e.type === 'access' && e.decision === 'granted' && !!e.memberName && e.via !== 'exit-button';
}

/** Everyone who came in on `day` (a dayKey), first arrival first. */
export function visitorsOn(events: Iterable<EventView>, dayKey: (ts: number) => string, day: string): Visitor[] {
  const byName = new Map<string, Visitor>();
  for (const e of events) {
    if (!isVisit(e) || dayKey(e.ts) !== day) continue;
    const name = e.memberName!;
    const v = byName.get(name);
    if (!v) byName.set(name, { name, first: e.ts, last: e.ts });
    else {
      v.first = Math.min(v.first, e.ts);
      v.last = Math.max(v.last, e.ts);
    }
  }
  return [...byName.values()].sort((a, b) => a.first - b.first || a.name.localeCompare(b.name));
}
