// GET /api/site, /api/doors, /api/desks, /api/events (all need a session).
import { apiError } from '../../../contracts/errors.ts';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ApiError, SiteView, DoorView, DeskView, EventPage, EventQuery } from '../../../contracts/api/index.ts';
import type { EventCursor } from '../../db/events-repo.ts';
import { memberOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';

const encodeCursor = (c: EventCursor): string => Buffer.from(`${c.ts}:${c.id}`).toString('base64url');

function decodeCursor(s: string): EventCursor {
  const m = /^(\d{1,15}):([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(s, 'base64url').toString('utf8'));
  if (!m) throw apiError('bad-cursor', 'The "before" cursor is not one this server gave out.');
  return { ts: Number(m[1]), id: m[2]! };
}

export function siteRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { views, store } = ctx;
  const errors = { '4xx': ApiError };

  app.get('/api/site', { config: { access: 'member' }, schema: { tags: ['site'], summary: 'The site: name, time zone, floor, zones', response: { 200: SiteView, ...errors } } }, async () =>
    views.site(),
  );

  app.get(
    '/api/doors',
    { config: { access: 'member', automation: true }, schema: { tags: ['doors'], summary: 'Doors, their state and whether the caller may unlock them', response: { 200: Type.Array(DoorView), ...errors } } },
    async (request) => views.doors(request.actor?.kind === 'member' ? request.actor.member : null),
  );

  app.get('/api/desks', { config: { access: 'member' }, schema: { tags: ['desks'], summary: 'Desks and whether they are occupied', response: { 200: Type.Array(DeskView), ...errors } } }, async () =>
    views.desks(),
  );

  app.get<{ Querystring: EventQuery }>(
    '/api/events',
    { config: { access: 'member' }, schema: { tags: ['events'], summary: 'Door events, newest first', querystring: EventQuery, response: { 200: EventPage, ...errors } } },
    async (request): Promise<EventPage> => {
      const { limit = 50, before, door } = request.query;
      const cursor = before ? decodeCursor(before) : undefined;
      const rows = store.events.page(limit + 1, cursor, door);
      const more = rows.length > limit;
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map((r) => views.event(r, memberOf(request))),
        next: more && last ? encodeCursor({ ts: last.event.ts, id: last.event.id }) : null,
      };
    },
  );
}
