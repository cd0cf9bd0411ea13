// The home end of "the visit is counted against the quota at both ends" (issue 18). A visited
// site refuses by its own `network.visiting.daysPerMonth` (network.ts, entries()). The home site
// may also cap its network members' visit days elsewhere, all sites together
// (`network.homeDaysPerMonth`), from the visit days the visited sites report home.
//
// How it is enforced: the home site stops vouching. On the day the cap is reached its visas for
// that member are re-published (same grant, newer ts) with `until` at the end of that local
// day; from the first of the next month sync() issues them at full length again. A shortened
// `until`, not a revocation: `until` is what every visited gateway already enforces offline
// (a list compiled before the link went down still ends the visa), the member may finish the
// day they are in, and nothing has to undo a revocation next month (a revocation is final for
// its grant). Offline-safe as far as it can be: a visited site that is cut off keeps the longer
// visa until its link is back, and a report still on its way home is counted when it arrives.
import { addDays, localDate, startOfLocalDay } from '../../contracts/local-time.ts';

/** The distinct local days of `month` (YYYY-MM) among `visits`, sorted. */
export function daysInMonth(visits: readonly { day: string }[], month: string): string[] {
  return [...new Set(visits.filter((v) => v.day.startsWith(`${month}-`)).map((v) => v.day))].sort();
}

/**
 * The end of the local day on which a member reached the home site's cap this month (epoch
 * ms): their visas end then. Null while they have days left, or with no cap.
 */
export function homeQuotaEnd(visits: readonly { day: string }[], daysPerMonth: number | undefined, now: number, timeZone: string): number | null {
  if (daysPerMonth === undefined) return null;
  const days = daysInMonth(visits, localDate(now, timeZone).slice(0, 7));
  const reached = days[daysPerMonth - 1];
  return reached === undefined ? null : startOfLocalDay(addDays(reached, 1), timeZone);
}
