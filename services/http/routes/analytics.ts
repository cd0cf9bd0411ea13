// Analytics over history: occupancy timelines, utilisation by hour of week, visits per day,
// unique members per week, peak occupancy; the monthly usage report as CSV.
import { apiError } from '../../../contracts/errors.ts';
import type { AnalyticsQuery } from '../../../contracts/api/index.ts';
import type { SiteConfig } from '../../../config/schema.ts';
import { funderReport, reportCsv } from '../../analytics/report.ts';
import { CSV_BOM } from '../../analytics/csv.ts';
import { reportPage, REPORT_CSS_HASH } from '../../analytics/report-page.ts';
import { exportWords } from '../../analytics/export-words.ts';
import { addDays } from '../../../contracts/local-time.ts';
import { checkDates } from '../admin.ts';
import type { HttpDeps } from '../context.ts';
import { route, routePlugin } from '../route.ts';

const MAX_DAYS = 366;

export type AnalyticsRoutesOptions = Pick<HttpDeps, 'analytics'> & { config: SiteConfig };

export const analyticsRoutes = routePlugin<AnalyticsRoutesOptions>((app, { analytics, config }) => {
  /** Checks the range and the scope; returns the scope. */
  const scope = (q: AnalyticsQuery) => {
    checkDates(q.from, q.to, 'from/to');
    if (addDays(q.from, MAX_DAYS - 1) < q.to) throw apiError('bad-range', `At most ${MAX_DAYS} days at a time.`);
    if (q.zone && !config.zones.some((z) => z.id === q.zone)) throw apiError('unknown-zone', `There is no zone "${q.zone}".`);
    if (q.desk && !config.desks.some((d) => d.id === q.desk)) throw apiError('unknown-desk', `There is no desk "${q.desk}".`);
    if (q.zone && q.desk) throw apiError('bad-request', 'Give a zone or a desk, not both.');
    return { zone: q.zone, desk: q.desk };
  };

  route(app, 'occupancy', async ({ query: q }) => analytics.timeline(q.from, q.to, scope(q)));
  route(app, 'utilisation', async ({ query: q }) => analytics.utilisation(q.from, q.to, scope(q)));
  route(app, 'utilisationTrend', async ({ query: q }) => analytics.trend(q.from, q.to, scope(q)));
  route(app, 'visitsPerDay', async ({ query: q }) => (scope(q), analytics.visits(q.from, q.to)));
  route(app, 'membersPerWeek', async ({ query: q }) => (scope(q), analytics.members(q.from, q.to)));
  route(app, 'peak', async ({ query: q }) => analytics.peak(q.from, q.to, scope(q)));

  route(app, 'monthlyReport', async (request, reply) => {
    const { lang } = exportWords(request.query.lang, config.site.language);
    const csv = reportCsv(await funderReport(analytics, config, request.query.month), lang);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="usage-${config.site.id}-${request.query.month}.csv"`)
      .send(CSV_BOM + csv);
  });

  route(app, 'monthlyReportPage', async (request, reply) => {
    const { lang } = exportWords(request.query.lang, config.site.language);
    const html = reportPage(await funderReport(analytics, config, request.query.month), lang);
    // The page's one stylesheet is inline: allowed by its hash, nothing else inline.
    const csp = reply.getHeader('content-security-policy');
    if (typeof csp === 'string') reply.header('content-security-policy', csp.replace("style-src 'self'", `style-src 'self' ${REPORT_CSS_HASH}`));
    return reply.type('text/html; charset=utf-8').send(html);
  });
});
