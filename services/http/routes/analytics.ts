// Analytics over history: occupancy timelines, utilisation by hour of week, visits per day,
// unique members per week, peak occupancy; the monthly usage report as CSV.
import { apiError } from '../../../contracts/errors.ts';
import type { FastifyInstance } from 'fastify';
import { ApiError, AnalyticsQuery, OccupancyTimeline, UtilisationByHour, UtilisationTrend, VisitsPerDay, UniqueMembersPerWeek, PeakOccupancy, MonthQuery } from '../../../contracts/api/index.ts';
import { monthlyReport } from '../../analytics/report.ts';
import { addDays } from '../../access/local-date.ts';
import { checkDates } from '../admin.ts';
import type { ApiContext } from '../context.ts';

const MAX_DAYS = 366;

export function analyticsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { analytics, config } = ctx;
  const tags = ['analytics'];
  const errors = { '4xx': ApiError };

  /** Checks the range and the scope; returns the scope. */
  const scope = (q: AnalyticsQuery) => {
    checkDates(q.from, q.to, 'from/to');
    if (addDays(q.from, MAX_DAYS - 1) < q.to) throw apiError('bad-range', `At most ${MAX_DAYS} days at a time.`);
    if (q.zone && !config.zones.some((z) => z.id === q.zone)) throw apiError('unknown-zone', `There is no zone "${q.zone}".`);
    if (q.desk && !config.desks.some((d) => d.id === q.desk)) throw apiError('unknown-desk', `There is no desk "${q.desk}".`);
    if (q.zone && q.desk) throw apiError('bad-request', 'Give a zone or a desk, not both.');
    return { zone: q.zone, desk: q.desk };
  };
  const route = (path: string, summary: string, response: object, run: (q: AnalyticsQuery, s: { zone?: string; desk?: string }) => Promise<unknown>) =>
    app.get<{ Querystring: AnalyticsQuery }>(
      path,
      { config: { access: 'host' }, schema: { tags, summary, querystring: AnalyticsQuery, response: { 200: response, ...errors } } },
      async (request) => run(request.query, scope(request.query)),
    );

  route('/api/analytics/occupancy', 'Occupancy over time: per desk (desk=…) or per zone', OccupancyTimeline, (q, s) => analytics.timeline(q.from, q.to, s));
  route('/api/analytics/utilisation', 'Share of desk time occupied per local hour of the week', UtilisationByHour, (q, s) => analytics.utilisation(q.from, q.to, s));
  route('/api/analytics/utilisation-trend', 'Desk utilisation per local day (0..1) and desk hours: the trend', UtilisationTrend, (q, s) => analytics.trend(q.from, q.to, s));
  route('/api/analytics/visits', 'Visits (members) and entries per day', VisitsPerDay, (q) => analytics.visits(q.from, q.to));
  route('/api/analytics/members', 'Unique members per ISO week', UniqueMembersPerWeek, (q) => analytics.members(q.from, q.to));
  route('/api/analytics/peak', 'Peak concurrent desk occupancy, overall and per day', PeakOccupancy, (q, s) => analytics.peak(q.from, q.to, s));

  app.get<{ Querystring: MonthQuery }>(
    '/api/reports/monthly.csv',
    { config: { access: 'host' }, schema: { tags, summary: 'Monthly usage report (CSV): per day visits, entries, peak occupancy, desk hours, utilisation; a total row', querystring: MonthQuery, response: errors } },
    async (request, reply) => {
      const csv = await monthlyReport(analytics, config, request.query.month);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="usage-${config.site.id}-${request.query.month}.csv"`)
        .send(csv);
    },
  );
}
