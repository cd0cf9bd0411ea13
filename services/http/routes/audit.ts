// The audit trail: filter, page (newest first), export as CSV.
import { apiError } from '../../../contracts/errors.ts';
import { normaliseName } from '../../../contracts/patterns.ts';
import type { AuditPage, AuditQuery } from '../../../contracts/api/index.ts';
import type { AuditFilter, AuditRow } from '../../db/audit-repo.ts';
import { csvLine } from '../../analytics/csv.ts';
import type { HttpDeps } from '../context.ts';
import { route, routePlugin } from '../route.ts';

const CSV_MAX_ROWS = 100_000;
const CSV_COLUMNS = ['id', 'time', 'actor', 'actor_name', 'action', 'target', 'target_name', 'source', 'detail'];

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

const row = (r: AuditRow) => csvLine([r.id, new Date(r.ts).toISOString(), r.actor, r.actorName, r.action, r.target, r.targetName, r.source, r.detail]);

export type AuditRoutesOptions = Pick<HttpDeps, 'store'> & { siteId: string };

export const auditRoutes = routePlugin<AuditRoutesOptions>((app, { store, siteId }) => {
  route(app, 'audit', (request): AuditPage => {
    const limit = request.query.limit ?? 100;
    const rows = store.audit.query({ ...filter(request.query), limit: limit + 1 });
    const items = rows.slice(0, limit);
    return { items, next: rows.length > limit ? String(items.at(-1)!.id) : null };
  });

  route(app, 'auditCsv', async (request, reply) => {
    const rows = store.audit.query({ ...filter(request.query), limit: Math.min(request.query.limit ?? CSV_MAX_ROWS, CSV_MAX_ROWS) });
    const body = [csvLine(CSV_COLUMNS), ...rows.map(row)].join('\r\n') + '\r\n';
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="audit-${siteId}.csv"`).send(body);
  });
});
