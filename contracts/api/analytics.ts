// Analytics over the history and the monthly report. Dates are local dates in the site's
// time zone (YYYY-MM-DD, inclusive); instants are epoch ms, UTC.
import { Type, type Static } from '@sinclair/typebox';
import { ExportLang } from './audit.ts';
import { Id, LocalDate, Month, strictObject } from './common.ts';

/** Analytics over local dates from..to (inclusive, at most 366 days), optionally one zone or desk. */
export const AnalyticsQuery = Type.Object({ from: LocalDate, to: LocalDate, zone: Type.Optional(Id), desk: Type.Optional(Id) }, strictObject);
export type AnalyticsQuery = Static<typeof AnalyticsQuery>;

/** A step function: each point's value holds until the next point (or `to`). */
export const OccupancyTimeline = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  series: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('desk'), Type.Literal('zone')]),
      id: Id,
      points: Type.Array(Type.Object({ ts: Type.Integer(), occupied: Type.Integer() })),
    }),
  ),
});
export type OccupancyTimeline = Static<typeof OccupancyTimeline>;

/**
 * Share of desk time occupied per local hour of the week (day 1 = Monday), 0..1, out of the desk
 * time with data (time that has not happened, and time a desk's sensor was in fault, silent or
 * never reported, count neither way). utilisation null: no data in that hour. deskHours /
 * knownHours: desk hours occupied / with data.
 */
export const UtilisationByHour = Type.Object({
  zone: Type.Union([Id, Type.Null()]),
  desks: Type.Integer(),
  cells: Type.Array(
    Type.Object({
      day: Type.Integer(),
      hour: Type.Integer(),
      utilisation: Type.Union([Type.Number(), Type.Null()]),
      deskHours: Type.Number(),
      knownHours: Type.Number(),
    }),
  ),
});
export type UtilisationByHour = Static<typeof UtilisationByHour>;

/** visits: distinct members in that day; entries: doors opened to members (card, PIN or remote). */
export const VisitsPerDay = Type.Object({
  days: Type.Array(Type.Object({ date: LocalDate, visits: Type.Integer(), entries: Type.Integer() })),
});
export type VisitsPerDay = Static<typeof VisitsPerDay>;

/**
 * Desk utilisation per local day (desk time occupied out of desk time with data, 0..1; null: no
 * data that day): the trend. The same numbers as the heatmap's cells summed over that day.
 */
export const UtilisationTrend = Type.Object({
  zone: Type.Union([Id, Type.Null()]),
  desk: Type.Union([Id, Type.Null()]),
  desks: Type.Integer(),
  days: Type.Array(
    Type.Object({ date: LocalDate, utilisation: Type.Union([Type.Number(), Type.Null()]), deskHours: Type.Number(), knownHours: Type.Number() }),
  ),
});
export type UtilisationTrend = Static<typeof UtilisationTrend>;

export const UniqueMembersPerWeek = Type.Object({
  weeks: Type.Array(Type.Object({ week: Type.String({ description: 'ISO week, YYYY-Www' }), members: Type.Integer() })),
});
export type UniqueMembersPerWeek = Static<typeof UniqueMembersPerWeek>;

export const PeakOccupancy = Type.Object({
  zone: Type.Union([Id, Type.Null()]),
  peak: Type.Integer(),
  at: Type.Union([Type.Integer(), Type.Null()]),
  days: Type.Array(Type.Object({ date: LocalDate, peak: Type.Integer(), at: Type.Union([Type.Integer(), Type.Null()]) })),
});
export type PeakOccupancy = Static<typeof PeakOccupancy>;

export const MonthQuery = Type.Object({ month: Month }, strictObject);
export type MonthQuery = Static<typeof MonthQuery>;

/** A monthly report: the month, and the language of its headers and words (the site's when absent). */
export const ReportQuery = Type.Object({ month: Month, lang: Type.Optional(ExportLang) }, strictObject);
export type ReportQuery = Static<typeof ReportQuery>;
