// What the public page, the widget and GET /api/public/availability say: free desks per zone now,
// open hours today (closures respected), whether an opted-in host is in, and the forecast. The
// forecast is made once and then again when it is an hour old (the request that finds it stale
// starts the new one and is answered with the old), never per request; the answer itself is kept
// for a few seconds, with its ETag, so a burst of visitors costs one render.
import { createHash } from 'node:crypto';
import type { SiteConfig } from '../../config/schema.ts';
import type { Forecast, PublicAvailability } from '../../contracts/api/public.ts';
import { localDate, startOfLocalDay } from '../../contracts/local-time.ts';
import type { Logger } from '../../runtime/log.ts';
import type { Analytics } from '../analytics/analytics.ts';
import { openingHours, openIntervals, weekdayOf } from '../analytics/opening-hours.ts';
import type { Store } from '../db/store.ts';
import { deskStates, freeDesks, zoneOccupancy, type Views } from '../views.ts';
import { closureOn, forecastCells, forecastRange, hourlyOccupancy, MIN_SAMPLES } from './forecast.ts';

export const FORECAST_MAX_AGE_MS = 3600_000;
/** How long one rendered answer is reused (the HTTP cache says 30 s; live counts stay fresher here). */
export const SNAPSHOT_MS = 5_000;

export interface PublicDeps {
  config: SiteConfig;
  views: Pick<Views, 'desks'>;
  store: Pick<Store, 'plans' | 'events' | 'members'>;
  analytics: Pick<Analytics, 'deskSteps'>;
  now: () => number;
  log: Pick<Logger, 'warn'>;
}

export interface Snapshot {
  body: PublicAvailability;
  /** The JSON text and its strong ETag. */
  json: string;
  etag: string;
  at: number;
}

export function createPublicAvailability(o: PublicDeps) {
  const tz = o.config.site.timeZone;
  const windows = openingHours(o.config);
  let forecast: Forecast | null = null;
  let making: Promise<void> | undefined;
  let snapshot: Snapshot | undefined;

  async function makeForecast(): Promise<Forecast> {
    const madeAt = o.now();
    const { from, to } = forecastRange(localDate(madeAt, tz));
    const { desks, end } = await o.analytics.deskSteps(from, to);
    const samples = hourlyOccupancy(desks, from, to, { windows, closures: o.store.plans.closures(), timeZone: tz, end });
    return { from, to, madeAt, minSamples: MIN_SAMPLES, cells: forecastCells(samples, windows) };
  }

  /** Starts a new forecast when there is none or it is an hour old; one at a time. */
  function refresh(): Promise<void> {
    const stale = forecast === null || o.now() - forecast.madeAt >= FORECAST_MAX_AGE_MS;
    if (!stale || making) return making ?? Promise.resolve();
    making = makeForecast()
      .then((f) => {
        forecast = f;
        snapshot = undefined;
      })
      .catch((err: unknown) => o.log.warn({ err: (err as Error).message }, 'public forecast not made'))
      .finally(() => (making = undefined));
    return making;
  }

  function build(at: number): PublicAvailability {
    const zones = zoneOccupancy(o.config, deskStates(o.views)).map((z) => ({
      id: z.zone,
      name: z.name,
      desks: z.desks,
      free: freeDesks(z),
      unknown: z.unknown,
    }));
    const date = localDate(at, tz);
    const day = weekdayOf(date);
    const closure = closureOn(date, o.store.plans.closures());
    const open = closure
      ? []
      : windows
          .filter((w) => w.days.includes(day))
          .map((w) => ({ from: w.from, to: w.to }))
          .sort((a, b) => a.from.localeCompare(b.from));
    const openNow = !closure && openIntervals(date, windows, tz).some(([a, b]) => a <= at && at < b);
    const since = Math.max(startOfLocalDay(date, tz), at - o.config.public.hostInHours * 3600_000);
    const hostIn = o.store.members.optedInHosts() === 0 ? null : o.store.events.hostEntrySince(since);
    return {
      site: { name: o.config.site.name, timeZone: tz },
      at,
      zones,
      free: zones.reduce((n, z) => n + z.free, 0),
      desks: zones.reduce((n, z) => n + z.desks, 0),
      unknown: zones.reduce((n, z) => n + z.unknown, 0),
      today: { date, day, open, openNow, closure: closure?.name ?? null },
      hostIn,
      forecast,
    };
  }

  return {
    /** The answer now: the one made in the last few seconds, or a new one. Waits only for the very first forecast. */
    async current(): Promise<Snapshot> {
      if (forecast === null) await refresh();
      else void refresh();
      const now = o.now();
      if (snapshot && now - snapshot.at < SNAPSHOT_MS && now >= snapshot.at) return snapshot;
      const body = build(now);
      const json = JSON.stringify(body);
      // Over everything but the clock: an unchanged answer keeps its ETag (a 304) from one render to the next.
      const etag = `"${createHash('sha1')
        .update(JSON.stringify({ ...body, at: 0 }))
        .digest('base64url')}"`;
      snapshot = { body, json, etag, at: now };
      return snapshot;
    },
    /** Makes the first forecast ahead of the first visitor (at start). */
    warm: (): Promise<void> => refresh(),
  };
}

export type PublicAvailabilityService = ReturnType<typeof createPublicAvailability>;
