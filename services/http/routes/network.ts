// The network of spaces as its coordinator sees it (config `network.coordinators`, by login
// e-mail): each space's live free desks and this month's usage, and the network's monthly
// report per space and in all (JSON, or CSV in the language's spreadsheet dialect). Anyone else
// is refused (403): coordinating is a network duty beside a person's rank at the site, so it is
// a list in the network's config rather than a role of ROLE_RANK.
import { apiError } from '../../../contracts/errors.ts';
import { normaliseEmail } from '../../../contracts/patterns.ts';
import type { NetworkReport } from '../../../contracts/api/index.ts';
import type { SiteConfig } from '../../../config/schema.ts';
import { CSV_BOM, csvDecimal, csvDialect, csvLine } from '../../analytics/csv.ts';
import { EXPORT_WORDS, exportWords } from '../../analytics/export-words.ts';
import type { NetworkView } from '../../network/summaries.ts';
import { memberOf } from '../auth.ts';
import { route, routePlugin } from '../route.ts';

/** Is the member with this e-mail a coordinator of the site's network? */
export function isCoordinator(network: SiteConfig['network'], email: string | null | undefined): boolean {
  if (!network || !email) return false;
  const e = normaliseEmail(email);
  return network.coordinators.some((c) => normaliseEmail(c) === e);
}

export interface NetworkRoutesOptions {
  config: Pick<SiteConfig, 'network' | 'site'>;
  /** Absent: the site is in no network. */
  networkView?: Pick<NetworkView, 'overview' | 'report'>;
}

/** The network report as CSV (RFC 4180) in `lang`'s dialect: one row per space, then the total. */
export function networkReportCsv(r: NetworkReport, lang: 'da' | 'en'): string {
  const w = EXPORT_WORDS[lang].network;
  const d = csvDialect(lang);
  const row = (name: string, f: NetworkReport['total'] | null) =>
    csvLine(
      f === null
        ? [name, w.noFigures]
        : [
            name,
            f.visits,
            f.visitors,
            f.networkVisits,
            f.entries,
            csvDecimal(f.deskHours, 1, d),
            f.utilisation === null ? '' : csvDecimal(f.utilisation * 100, 1, d),
            f.desks,
          ],
      d,
    );
  const lines = [csvLine(w.columns, d), ...r.spaces.map((s) => row(s.name, s.usage)), row(w.total, r.total)];
  return `${lines.join('\r\n')}\r\n`;
}

export const networkRoutes = routePlugin<NetworkRoutesOptions>((app, { config, networkView }) => {
  const check = (email: string | null | undefined) => {
    if (!config.network || !networkView) throw apiError('not-found', 'This site is in no network.');
    if (!isCoordinator(config.network, email)) throw apiError('forbidden', 'Only a coordinator of the network (network.coordinators) sees it.');
    return networkView;
  };

  route(app, 'network', (request) => check(memberOf(request).email).overview());

  route(app, 'networkReport', async (request, reply) => {
    const view = check(memberOf(request).email);
    const report = await view.report(request.query.month);
    if (request.query.format !== 'csv') return reply.send(report);
    const { lang } = exportWords(request.query.lang, config.site.language);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="network-${config.network!.id}-${request.query.month}.csv"`)
      .send(CSV_BOM + networkReportCsv(report, lang));
  });
});
