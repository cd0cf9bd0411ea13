// The audit trail: filter, page (newest first), export as CSV.
import { apiError } from '../../../contracts/errors.ts';
import { normaliseName } from '../../../contracts/patterns.ts';
import type { AuditPage, AuditQuery } from '../../../contracts/api/index.ts';
import type { AuditFilter, AuditRow } from '../../db/audit-repo.ts';
import { CSV_BOM, csvDialect, csvLine, detailText, localIso, localReadable, type CsvDialect } from '../../analytics/csv.ts';
import { exportWords, type ExportWords } from '../../analytics/export-words.ts';
import type { SiteConfig } from '../../../config/schema.ts';
import type { HttpDeps } from '../context.ts';
import { route, routePlugin } from '../route.ts';

const CSV_MAX_ROWS = 100_000;

function filter(q: AuditQuery): Omit<AuditFilter, 'limit'> {
  let before: number | undefined;
  if (q.before !== undefined) {
    if (!/^[1-9][0-9]{0,15}$/.test(q.before)) throw apiError('bad-cursor', 'The "before" cursor is not one this server gave out.');
    before = Number(q.before);
  }
  if (q.from !== undefined && q.to !== undefined && q.from > q.to) throw apiError('bad-range', '"from" is after "to".');
  // Names are compared as stored (NFC, single spaces), so a typed "Anna  Østergård" still finds her.
  const name = (s: string | undefined) => (s === undefined ? undefined : normaliseName(s));
  return { from: q.from, to: q.to, actor: name(q.actor), action: q.action, target: name(q.target), before };
}

/**
 * The CSV a host opens in a spreadsheet: the time as the screen shows it (the site's local time,
 * readable, and ISO 8601 with the offset for machines), headers in the host's language, the
 * detail spelled out instead of JSON.
 */
const header = (w: ExportWords['audit'], tz: string, d: CsvDialect) =>
  csvLine([w.id, w.time, w.local(tz), w.actor, w.actorName, w.action, w.target, w.targetName, w.source, w.details], d);
const row = (r: AuditRow, w: ExportWords['audit'], tz: string, d: CsvDialect) =>
  csvLine(
    [
      r.id,
      localIso(r.ts, tz),
      localReadable(r.ts, tz, true),
      r.actor ?? w.system,
      r.actorName,
      r.action,
      r.target,
      r.targetName,
      r.source,
      detailText(r.detail),
    ],
    d,
  );

export type AuditRoutesOptions = Pick<HttpDeps, 'store'> & { site: SiteConfig['site'] };

export const auditRoutes = routePlugin<AuditRoutesOptions>((app, { store, site }) => {
  route(app, 'audit', (request): AuditPage => {
    const limit = request.query.limit ?? 100;
    const rows = store.audit.query({ ...filter(request.query), limit: limit + 1 });
    const items = rows.slice(0, limit);
    return { items, next: rows.length > limit ? String(items.at(-1)!.id) : null };
  });

  route(app, 'auditCsv', async (request, reply) => {
    const { lang, ...q } = request.query;
    const rows = store.audit.query({ ...filter(q), limit: Math.min(q.limit ?? CSV_MAX_ROWS, CSV_MAX_ROWS) });
    const words = exportWords(lang, site.language);
    const w = words.words.audit;
    const d = csvDialect(words.lang);
    const tz = site.timeZone;
    const body = CSV_BOM + [header(w, tz, d), ...rows.map((r) => row(r, w, tz, d))].join('\r\n') + '\r\n';
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="audit-${site.id}.csv"`).send(body);
  });
});
