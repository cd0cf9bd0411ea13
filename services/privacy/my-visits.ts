// A member's own visits, per local day in the site's time zone: the days they were let in (card,
// PIN or remote/app; not the exit button, not denied), with the first and last entry, how many
// and which doors in the order first used. Read-only: nothing is audited (unlike the export).
import type { MyVisits } from '../../contracts/api/index.ts';
import { localDate } from '../../contracts/local-time.ts';

type Day = MyVisits['days'][number];

/** `entries` oldest first. Days newest first, at most `limit`; `total` counts them all. */
export function myVisits(entries: readonly { ts: number; door: string }[], timeZone: string, limit: number): MyVisits {
  const days: Day[] = [];
  let cur: Day | undefined;
  for (const e of entries) {
    const date = localDate(e.ts, timeZone);
    if (cur?.date !== date) {
      cur = { date, first: e.ts, last: e.ts, entries: 0, doors: [] };
      days.push(cur);
    }
    cur.last = e.ts;
    cur.entries++;
    if (!cur.doors.includes(e.door)) cur.doors.push(e.door);
  }
  return { days: days.reverse().slice(0, limit), total: days.length };
}
