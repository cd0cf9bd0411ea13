// Analytics over the history store: occupancy timelines, utilisation by hour of the week,
// visits, unique members, peaks, and the monthly report. Reads points, computes in process
// (one implementation for every store; a small site's month is a few thousand points).
import type { OccupancyTimeline, UtilisationByHour, UtilisationTrend, VisitsPerDay, UniqueMembersPerWeek, PeakOccupancy } from '../../contracts/api/index.ts';
import type { SiteConfig } from '../../config/schema.ts';
import type { HistoryStore } from '../history/store.ts';
import type { Point } from '../history/point.ts';
import { dateRangeBounds, localDate } from '../../contracts/local-time.ts';
import { deskSteps, sumSteps, utilisationByHour, peak, occupiedMs, type Step } from './occupancy.ts';
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

  constructor(config: SiteConfig, store: HistoryStore, now: () => number = Date.now) {
    this.#config = config;
    this.#store = store;
    this.#now = now;
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

  async #deskSeries(scope: Scope, start: number, end: number): Promise<Map<string, Step[]>> {
    const tags: Record<string, string> | undefined = scope.desk ? { desk: scope.desk } : scope.zone ? { zone: scope.zone } : undefined;
    const points = await this.#store.query({ measurement: 'occupancy', from: start - LOOKBACK_MS, to: end, tags });
    const byDesk = new Map<string, Point[]>();
    for (const d of this.desks(scope)) byDesk.set(d, []);
    for (const p of points) byDesk.get(p.tags.desk ?? '')?.push(p);
    return new Map([...byDesk].map(([d, pts]) => [d, deskSteps(pts, start, end)]));
  }

  /**
   * A desk's last known state holds until now, not forever: for peaks and totals, the time
   * after now counts as nobody (otherwise the rest of the month shows today's occupancy).
   */
  #untilNow(steps: Step[]): Step[] {
    const now = this.#now();
    const kept = steps.filter((s) => s.ts < now);
    return kept.length < steps.length || kept.at(-1)?.occupied ? [...kept, { ts: now, occupied: 0 }] : kept;
  }

  async #accessPoints(start: number, end: number): Promise<Point[]> {
    return this.#store.query({ measurement: 'door_event', from: start, to: end, tags: { type: 'access', decision: 'granted' } });
  }

  async timeline(from: string, to: string, scope: Scope): Promise<OccupancyTimeline> {
    const { start, end } = this.bounds(from, to);
    const desks = await this.#deskSeries(scope, start, end);
    const series: OccupancyTimeline['series'] = [];
    if (scope.desk) {
      for (const [id, points] of desks) series.push({ kind: 'desk', id, points });
    } else {
      const zones = scope.zone ? [scope.zone] : this.#config.zones.map((z) => z.id);
      for (const z of zones) {
        const inZone = this.#config.desks.filter((d) => d.zone === z).map((d) => desks.get(d.id) ?? [{ ts: start, occupied: 0 }]);
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
   * Utilisation per local day: occupied desk time / (desks × that day's length), the same
   * computation as the monthly report's desk_hours and utilisation_pct (a DST day is 23 or 25 h
   * long; time after now counts as free).
   */
  async trend(from: string, to: string, scope: Scope): Promise<UtilisationTrend> {
    const { start, end } = this.bounds(from, to);
    const desks = [...(await this.#deskSeries(scope, start, end)).values()].map((d) => this.#untilNow(d));
    const days = datesBetween(from, to).map((date) => {
      const b = this.bounds(date, date);
      const ms = occupiedMs(desks, b.start, b.end);
      const capacity = desks.length * (b.end - b.start);
      return { date, utilisation: capacity > 0 ? ms / capacity : 0, deskHours: ms / 3600_000 };
    });
    return { zone: scope.zone ?? null, desk: scope.desk ?? null, desks: desks.length, days };
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
    const total = sumSteps(
      [...(await this.#deskSeries(scope, start, end)).values()].map((d) => this.#untilNow(d)),
      start,
    );
    const days = datesBetween(from, to).map((date) => {
      const b = this.bounds(date, date);
      return { date, ...peak(total, b.start, b.end) };
    });
    return { zone: scope.zone ?? null, ...peak(total, start, end), days };
  }

  /** Points for the monthly report. */
  async month(from: string, to: string): Promise<{ access: Point[]; desks: Step[][]; start: number; end: number }> {
    const { start, end } = this.bounds(from, to);
    const [access, desks] = await Promise.all([this.#accessPoints(start, end), this.#deskSeries({}, start, end)]);
    return { access, desks: [...desks.values()].map((d) => this.#untilNow(d)), start, end };
  }

  /** The clock analytics count up to (time after it has not happened). */
  now(): number {
    return this.#now();
  }

  localDate(ts: number): string {
    return localDate(ts, this.#tz);
  }
}
