// The public availability answer (GET /api/public/availability): what anyone may see without a
// login, and what the public page (/public) and the widget (/public/widget.js, on the space's own
// website) draw. No personal data: counts, hours, a yes/no for a host, and a forecast.
import { Type, type Static } from '@sinclair/typebox';
import { Id, strictObject } from './common.ts';

const Share = Type.Union([Type.Number(), Type.Null()]);

/** Free desks now in one zone: desks neither occupied nor unknown (an unknown desk is not offered as free). */
export const PublicZone = Type.Object({
  id: Id,
  name: Type.String(),
  desks: Type.Integer(),
  free: Type.Integer(),
  /** Desks whose state is unknown now (sensor in fault, gateway offline). */
  unknown: Type.Integer(),
});
export type PublicZone = Static<typeof PublicZone>;

/** One weekday-hour of the forecast: share of desks occupied (0..1) over the weeks that had data. */
export const ForecastCell = Type.Object({
  /** ISO weekday 1 (Monday) … 7 (Sunday), and the local hour 0..23. */
  day: Type.Integer({ minimum: 1, maximum: 7 }),
  hour: Type.Integer({ minimum: 0, maximum: 23 }),
  /** Weeks with data for this weekday-hour (open, not closed, a sensor reported). */
  samples: Type.Integer(),
  /** null: not enough data yet (fewer than `minSamples` weeks). */
  median: Share,
  p25: Share,
  p75: Share,
});
export type ForecastCell = Static<typeof ForecastCell>;

export const Forecast = Type.Object({
  /** The local dates it was made from (inclusive) and when (epoch ms). */
  from: Type.String(),
  to: Type.String(),
  madeAt: Type.Integer(),
  /** Weeks of a weekday-hour needed before it shows a forecast. */
  minSamples: Type.Integer(),
  /** The open hours of the week only, Monday first. */
  cells: Type.Array(ForecastCell),
});
export type Forecast = Static<typeof Forecast>;

export const PublicAvailability = Type.Object({
  site: Type.Object({ name: Type.String(), timeZone: Type.String() }),
  /** When this answer was made (epoch ms). */
  at: Type.Integer(),
  zones: Type.Array(PublicZone),
  free: Type.Integer(),
  desks: Type.Integer(),
  /** Desks whose state is unknown now, in all: not free, not taken (all of them: the sensors are not answering). */
  unknown: Type.Integer(),
  today: Type.Object({
    date: Type.String(),
    /** ISO weekday of `date`. */
    day: Type.Integer(),
    /** Local open windows ("08:00"–"18:00"); empty when closed all day. */
    open: Type.Array(Type.Object({ from: Type.String(), to: Type.String() })),
    /** Open at `at`. */
    openNow: Type.Boolean(),
    /** The closure's name when a site-wide closure holds today (a holiday), else null. */
    closure: Type.Union([Type.String(), Type.Null()]),
  }),
  /** A host is in (only hosts who opted in to presence count); null when no host opted in. Never a name. */
  hostIn: Type.Union([Type.Boolean(), Type.Null()]),
  /** null until the first forecast is made. */
  forecast: Type.Union([Forecast, Type.Null()]),
});
export type PublicAvailability = Static<typeof PublicAvailability>;

/** `?lang=da|en` on the public page; anything else falls back to Accept-Language. */
export const PublicPageQuery = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 16 })) }, strictObject);
export type PublicPageQuery = Static<typeof PublicPageQuery>;
