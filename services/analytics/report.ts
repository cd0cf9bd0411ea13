// The monthly usage report: the numbers a space shows its municipality or funders. One
// computation (funderReport) behind the CSV and the printable page (report-page.ts, and its PDF).
// Times are local (the site's time zone) in one format, 24-hour; utilisation is desk time in use
// within opening hours out of desk time while open (site.openingHours), never over 24 h.
import type { SiteConfig } from '../../config/schema.ts';
import type { TimeWindow } from '../../contracts/payloads.ts';
import { addDays } from '../../contracts/local-time.ts';
import type { Analytics } from './analytics.ts';
import { sumSteps, peak, utilisationOver } from './occupancy.ts';
import { visitsPerDay, uniqueMembers } from './visits.ts';
import { csvDecimal, csvDialect, csvLine, localReadable } from './csv.ts';
import { openingHours, utilisationWithinOpeningHours, weekdayOf } from './opening-hours.ts';
import { exportWords, type ExportLang, type ExportWords } from './export-words.ts';

export interface ReportDay {
  date: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  visits: number;
  entries: number;
  peak: number;
  /** Local `HH:MM` of the day's peak, null when no desk was in use. */
  peakAt: string | null;
  deskHours: number;
  openHours: number;
  /** 0..1 within opening hours; null on a day the space is not open. */
  utilisation: number | null;
}

export interface ReportTotals {
  visits: number;
  entries: number;
  uniqueMembers: number;
  peak: number;
  /** Local `YYYY-MM-DD HH:MM`. */
  peakAt: string | null;
  deskHours: number;
  /** Desk hours within opening hours with the sensors known: what `utilisation` is out of. */
  openDeskHours: number;
  utilisation: number | null;
}

export interface FunderReport {
  site: { id: string; name: string; timeZone: string };
  month: string;
  desks: number;
  openingHours: readonly TimeWindow[];
  days: ReportDay[];
  total: ReportTotals;
  lastMonth: ReportTotals;
  lastYear: ReportTotals;
  /** Local `YYYY-MM-DD HH:MM` when it was made. */
  madeAt: string;
}

/** First and last local date of YYYY-MM. */
export function monthDates(month: string): { from: string; to: string } {
  const next = addDays(`${month}-28`, 4).slice(0, 7);
  return { from: `${month}-01`, to: addDays(`${next}-01`, -1) };
}

const shiftMonth = (month: string, by: number): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + by;
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
};

const hhmm = (ts: number, tz: string) => localReadable(ts, tz).slice(11);

interface Computed {
  days: ReportDay[];
  total: ReportTotals;
}

async function compute(analytics: Analytics, config: SiteConfig, month: string, now: number): Promise<Computed> {
  const tz = config.site.timeZone;
  const hours = openingHours(config);
  const { from, to } = monthDates(month);
  const { access, desks } = await analytics.month(from, to);
  const total = sumSteps(desks, analytics.bounds(from, from).start);
  let best = { peak: 0, at: null as number | null };
  let sumMs = 0;
  const days = visitsPerDay(access, from, to, tz).map((d): ReportDay => {
    const b = analytics.bounds(d.date, d.date);
    const p = peak(total, b.start, b.end);
    const ms = utilisationOver(desks, b.start, b.end).deskHours * 3600_000;
    const open = utilisationWithinOpeningHours(desks, d.date, d.date, hours, tz, now);
    sumMs += ms;
    if (p.peak > best.peak) best = p;
    return {
      date: d.date,
      weekday: weekdayOf(d.date),
      visits: d.visits,
      entries: d.entries,
      peak: p.peak,
      peakAt: p.at === null ? null : hhmm(p.at, tz),
      deskHours: ms / 3600_000,
      openHours: open.openMs / 3600_000,
      utilisation: open.utilisation,
    };
  });
  const month_ = utilisationWithinOpeningHours(desks, from, to, hours, tz, now);
  return {
    days,
    total: {
      visits: days.reduce((s, d) => s + d.visits, 0),
      entries: days.reduce((s, d) => s + d.entries, 0),
      uniqueMembers: uniqueMembers(access),
      peak: best.peak,
      peakAt: best.at === null ? null : localReadable(best.at, tz),
      deskHours: sumMs / 3600_000,
      openDeskHours: month_.knownMs / 3600_000,
      utilisation: month_.utilisation,
    },
  };
}

/** The month's report with last month and the same month last year to compare with. `month` is YYYY-MM. */
export async function funderReport(analytics: Analytics, config: SiteConfig, month: string, now: number = analytics.now()): Promise<FunderReport> {
  const [cur, lastMonth, lastYear] = await Promise.all([
    compute(analytics, config, month, now),
    compute(analytics, config, shiftMonth(month, -1), now),
    compute(analytics, config, shiftMonth(month, -12), now),
  ]);
  return {
    site: { id: config.site.id, name: config.site.name, timeZone: config.site.timeZone },
    month,
    desks: config.desks.length,
    openingHours: openingHours(config),
    days: cur.days,
    total: cur.total,
    lastMonth: lastMonth.total,
    lastYear: lastYear.total,
    madeAt: localReadable(now, config.site.timeZone),
  };
}

/**
 * Only the month's totals, as funderReport has them (the same computation, without the months
 * to compare with): what a site shares with its network as usage counts (services/network).
 */
export async function reportTotals(analytics: Analytics, config: SiteConfig, month: string, now: number = analytics.now()): Promise<ReportTotals> {
  return (await compute(analytics, config, month, now)).total;
}

/** The CSV's header row in `lang`. */
export const reportColumns = (w: ExportWords['report']): string[] => [
  w.date,
  w.weekday,
  w.visits,
  w.entries,
  w.uniqueMembers,
  w.peak,
  w.peakAt,
  w.deskHours,
  w.openHours,
  `${w.utilisationShort} %`,
];

/**
 * The report as CSV (RFC 4180), headers in `lang`: one row per day, then a total row. In the
 * dialect of `lang`'s spreadsheets (`;` and decimal commas in Danish); no byte order mark (the
 * caller adds CSV_BOM where the text becomes a file).
 */
export function reportCsv(r: FunderReport, lang: ExportLang): string {
  const w = exportWords(lang, undefined).words.report;
  const d = csvDialect(lang);
  const hours = (h: number) => csvDecimal(h, 1, d);
  const pct = (u: number | null) => (u === null ? '' : csvDecimal(u * 100, 1, d));
  const lines = [csvLine(reportColumns(w), d)];
  for (const day of r.days) {
    lines.push(
      csvLine(
        [
          day.date,
          w.days[day.weekday - 1],
          day.visits,
          day.entries,
          day.visits,
          day.peak,
          day.peakAt ?? '',
          hours(day.deskHours),
          hours(day.openHours),
          pct(day.utilisation),
        ],
        d,
      ),
    );
  }
  const t = r.total;
  const openHours = r.days.reduce((s, day) => s + day.openHours, 0);
  lines.push(csvLine([w.total, '', t.visits, t.entries, t.uniqueMembers, t.peak, t.peakAt ?? '', hours(t.deskHours), hours(openHours), pct(t.utilisation)], d));
  return `${lines.join('\r\n')}\r\n`;
}

/** The monthly CSV, as GET /api/reports/monthly.csv answers it. */
export async function monthlyReport(analytics: Analytics, config: SiteConfig, month: string, lang?: ExportLang, now?: number): Promise<string> {
  return reportCsv(await funderReport(analytics, config, month, now), exportWords(lang, config.site.language).lang);
}
