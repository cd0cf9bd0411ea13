// Analytics over the history store: occupancy timelines, utilisation by hour of the week,
// visits, unique members, peaks, and the monthly report. Reads points, computes in process
// (one implementation for every store; a small site's month is a few thousand points).
import type { OccupancyTimeline, UtilisationByHour, UtilisationTrend, VisitsPerDay, UniqueMembersPerWeek, PeakOccupancy } from '../../contracts/api/index.ts';
import type { SiteConfig } from '../../config/schema.ts';
import type { HistoryStore } from '../history/store.ts';
import type { Point } from '../history/point.ts';
import type { TimeWindow } from '../../contracts/payloads.ts';
import { dateRangeBounds, localDate } from '../../contracts/local-time.ts';
import {
  deskSteps,
  sumSteps,
  utilisationByHour,
  peak,
  untilNow,
  utilisationOver,
  utilisationWithin,
  openIntervals,
  withoutSpans,
  type Step,
  type Utilisation,
} from './occupancy.ts';
import { visitsPerDay, uniqueMembersPerWeek, datesBetween } from './visits.ts';

/** How far back to look for a desk's state at the start of a range. */
export const LOOKBACK_MS = 14 * 86_400_000;

export interface Scope {
  zone?: string;
  desk?: string;
}

export class Analytics {
  readonly #config: SiteConfig;
  readonly #store: HistoryStore;
  readonly #tz: string;
  readonly #now: () => number;
  readonly #excluded: () => ReadonlyMap<string, readonly (readonly [number, number | null])[]>;

  /**
   * `excluded`: per desk, the spans its sensor was suspect and no host counted again
   * (services/sensors): no data, like a sensor in fault.
   */
  constructor(
    config: SiteConfig,
    store: HistoryStore,
    now: () => number = Date.now,
    excluded: () => ReadonlyMap<string, readonly (readonly [number, number | null])[]> = () => new Map(),
  ) {
    this.#config = config;
    this.#store = store;
    this.#now = now;
    this.#excluded = excluded;
    this.#tz = config.site.timeZone;
  }

  /** [start, end) in epoch ms of local dates from..to. */
  bounds(from: string, to: string): { start: number; end: number } {
    return dateRangeBounds(from, to, this.#tz);
  }

  /** Desks in scope: one desk, one zone's, or all. */
  desks(scope: Scope): string[] {
    if (scope.desk) return this.#config.desks.some((d) => d.id === scope.desk) ? [scope.desk] : [];
    return this.#config.desks.filter((d) => !scope.zone || d.zone === scope.zone).map((d) => d.id);
  }

  /**
   * Each desk's steps over [start, end): occupied, free, or no data (never reported, sensor in
   * fault, gateway silent, sensor suspect) — and no data after now: a desk's last known state holds until now,
   * not for the rest of the month. Every analysis below reads this one series.
   */
  async #deskSeries(scope: Scope, start: number, end: number): Promise<Map<string, Step[]>> {
    const tags: Record<string, string> | undefined = scope.desk ? { desk: scope.desk } : scope.zone ? { zone: scope.zone } : undefined;
    const points = await this.#store.query({ measurement: 'occupancy', from: start - LOOKBACK_MS, to: end, tags });
    const byDesk = new Map<string, Point[]>();
    for (const d of this.desks(scope)) byDesk.set(d, []);
    for (const p of points) byDesk.get(p.tags.desk ?? '')?.push(p);
    const now = this.#now();
    const excluded = this.#excluded();
    return new Map([...byDesk].map(([d, pts]) => [d, withoutSpans(untilNow(deskSteps(pts, start, end), now, end), excluded.get(d) ?? [], end)]));
  }

  async #accessPoints(start: number, end: number): Promise<Point[]> {
    return this.#store.query({ measurement: 'door_event', from: start, to: end, tags: { type: 'access', decision: 'granted' } });
  }

  async timeline(from: string, to: string, scope: Scope): Promise<OccupancyTimeline> {
    const { start, end } = this.bounds(from, to);
    const desks = await this.#deskSeries(scope, start, end);
    const series: OccupancyTimeline['series'] = [];
    if (scope.desk) {
      // No data is drawn as free (0); the series ends at now.
      for (const [id, points] of desks) series.push({ kind: 'desk', id, points: points.map((p) => ({ ts: p.ts, occupied: p.occupied ?? 0 })) });
    } else {
      const zones = scope.zone ? [scope.zone] : this.#config.zones.map((z) => z.id);
      for (const z of zones) {
        const inZone = this.#config.desks.filter((d) => d.zone === z).map((d) => desks.get(d.id) ?? [{ ts: start, occupied: null }]);
        series.push({ kind: 'zone', id: z, points: sumSteps(inZone, start) });
      }
    }
    return { from: start, to: end, series };
  }

  async utilisation(from: string, to: string, scope: Scope): Promise<UtilisationByHour> {
    const { start, end } = this.bounds(from, to);
    const desks = [...(await this.#deskSeries(scope, start, end)).values()];
    return { zone: scope.zone ?? null, desks: desks.length, cells: utilisationByHour(desks, start, end, this.#tz) };
  }

  /**
   * Utilisation per local day: occupied desk time out of desk time with data that day (a DST
   * day has 23 or 25 h of it at most; time after now and time no sensor reported are left out),
   * the same computation as the monthly report's desk_hours and utilisation_pct.
   */
  async trend(from: string, to: string, scope: Scope): Promise<UtilisationTrend> {
    const { start, end } = this.bounds(from, to);
    const desks = [...(await this.#deskSeries(scope, start, end)).values()];
    const days = datesBetween(from, to).map((date) => {
      const b = this.bounds(date, date);
      return { date, ...utilisationOver(desks, b.start, b.end) };
    });
    return { zone: scope.zone ?? null, desk: scope.desk ?? null, desks: desks.length, days };
  }

  /**
   * Utilisation within opening hours over local dates from..to: desk time occupied out of desk
   * time with data, both only inside `openingHours` (weekly windows in the site's time zone, as
   * plans' windows: contracts/schedule.ts), per local day and in total. A day that is closed or
   * has no data has utilisation null. For the funder report.
   */
  async utilisationWithinHours(
    from: string,
    to: string,
    openingHours: readonly TimeWindow[],
    scope: Scope = {},
  ): Promise<Utilisation & { days: ({ date: string; openHours: number } & Utilisation)[] }> {
    const { start, end } = this.bounds(from, to);
    const desks = [...(await this.#deskSeries(scope, start, end)).values()];
    const open = openIntervals(openingHours, start, end, this.#tz);
    const days = datesBetween(from, to).map((date) => {
      const b = this.bounds(date, date);
      const within = open.map(([a, z]): [number, number] => [Math.max(a, b.start), Math.min(z, b.end)]).filter(([a, z]) => z > a);
      const openHours = within.reduce((n, [a, z]) => n + (z - a), 0) / 3600_000;
      return { date, openHours, ...utilisationWithin(desks, within, end) };
    });
    return { ...utilisationWithin(desks, open, end), days };
  }

  async visits(from: string, to: string): Promise<VisitsPerDay> {
    const { start, end } = this.bounds(from, to);
    return { days: visitsPerDay(await this.#accessPoints(start, end), from, to, this.#tz) };
  }

  async members(from: string, to: string): Promise<UniqueMembersPerWeek> {
    const { start, end } = this.bounds(from, to);
    return { weeks: uniqueMembersPerWeek(await this.#accessPoints(start, end), from, to, this.#tz) };
  }

  async peak(from: string, to: string, scope: Scope): Promise<PeakOccupancy> {
    const { start, end } = this.bounds(from, to);
    const total = sumSteps([...(await this.#deskSeries(scope, start, end)).values()], start);
    const days = datesBetween(from, to).map((date) => {
      const b = this.bounds(date, date);
      return { date, ...peak(total, b.start, b.end) };
    });
    return { zone: scope.zone ?? null, ...peak(total, start, end), days };
  }

  /** Every desk's steps over local dates from..to (the public forecast), ending at the range's end. */
  async deskSteps(from: string, to: string): Promise<{ desks: Step[][]; end: number }> {
    const { start, end } = this.bounds(from, to);
    return { desks: [...(await this.#deskSeries({}, start, end)).values()], end };
  }

  /** Points for the monthly report. */
  async month(from: string, to: string): Promise<{ access: Point[]; desks: Step[][]; start: number; end: number }> {
    const { start, end } = this.bounds(from, to);
    const [access, desks] = await Promise.all([this.#accessPoints(start, end), this.#deskSeries({}, start, end)]);
    return { access, desks: [...desks.values()], start, end };
  }

  /** The clock analytics count up to (time after it has not happened). */
  now(): number {
    return this.#now();
  }

  localDate(ts: number): string {
    return localDate(ts, this.#tz);
  }
}
