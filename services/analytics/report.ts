// The monthly usage report as CSV: the numbers a space shows its municipality or funders. One
// row per day, then a total row. Times are local (the site's time zone); utilisation is desk
// time occupied out of desk time with data (analytics/occupancy.ts), empty when there was none.
import type { SiteConfig } from '../../config/schema.ts';
import { addDays } from '../../contracts/local-time.ts';
import { localWeekMinute } from '../../contracts/schedule.ts';
import type { Analytics } from './analytics.ts';
import { sumSteps, peak, utilisationOver } from './occupancy.ts';
import { visitsPerDay, uniqueMembers } from './visits.ts';
import { csvLine } from './csv.ts';

export const REPORT_COLUMNS = ['date', 'visits', 'entries', 'unique_members', 'peak_occupancy', 'peak_time', 'desk_hours', 'utilisation_pct'] as const;

const hhmm = (ts: number, tz: string) => {
  const m = localWeekMinute(ts, tz).minute;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

const pct = (u: number | null) => (u === null ? '' : (u * 100).toFixed(1));

/** `month` is YYYY-MM. */
export async function monthlyReport(analytics: Analytics, config: SiteConfig, month: string): Promise<string> {
  const tz = config.site.timeZone;
  const from = `${month}-01`;
  const next = addDays(`${month}-28`, 4).slice(0, 7);
  const to = addDays(`${next}-01`, -1);
  const { access, desks } = await analytics.month(from, to);
  const total = sumSteps(desks, analytics.bounds(from, from).start);
  const days = visitsPerDay(access, from, to, tz);
  const lines = [csvLine([...REPORT_COLUMNS])];
  let sumVisits = 0;
  let sumEntries = 0;
  let best = { peak: 0, at: null as number | null };
  for (const d of days) {
    const b = analytics.bounds(d.date, d.date);
    const p = peak(total, b.start, b.end);
    const u = utilisationOver(desks, b.start, b.end);
    sumVisits += d.visits;
    sumEntries += d.entries;
    if (p.peak > best.peak) best = p;
    lines.push(csvLine([d.date, d.visits, d.entries, d.visits, p.peak, p.at === null ? '' : hhmm(p.at, tz), u.deskHours.toFixed(1), pct(u.utilisation)]));
  }
  const range = analytics.bounds(from, to);
  const all = utilisationOver(desks, range.start, range.end);
  lines.push(
    csvLine([
      'total',
      sumVisits,
      sumEntries,
      uniqueMembers(access),
      best.peak,
      best.at === null ? '' : `${analytics.localDate(best.at)} ${hhmm(best.at, tz)}`,
      all.deskHours.toFixed(1),
      pct(all.utilisation),
    ]),
  );
  return `${lines.join('\r\n')}\r\n`;
}
