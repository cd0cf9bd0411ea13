// HTTP errors: a stable machine-readable code from the catalogue (contracts/errors.ts) and a
// message for people, always as `{ error, message }`. Bad input is a 4xx, never a 5xx.
import type { FastifyInstance, FastifyError } from 'fastify';
import type { Logger } from '../../runtime/log.ts';
import { HttpError, apiError, errorBody, type ApiErrorCode } from '../../contracts/errors.ts';
import { HistoryError } from '../history/store.ts';

/** Fastify's own 4xx codes, in our vocabulary. */
const FASTIFY_CODES: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad-request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad-request',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-request',
};

/**
 * A write that lost a race: two requests passed the route's own check (email free, id free) at
 * the same time and SQLite refused the second insert. That is the same 409 the check answers,
 * named after the column the constraint names ("UNIQUE constraint failed: members.email").
 */
function constraintConflict(err: unknown): HttpError | undefined {
  const code = (err as { code?: unknown }).code;
  if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return undefined;
  const columns = (err as Error).message.replace(/^.*constraint failed:\s*/i, '');
  if (/\.email\b/.test(columns)) return apiError('email-taken', 'Another member has this email address.');
  if (/\.fingerprint\b/.test(columns)) return apiError('card-taken', 'The card already belongs to someone.');
  return apiError('id-taken', 'The id was taken by another request at the same time. Reload and try again.');
}

/** A 4xx Fastify raised itself, as a code of ours. */
function fastifyCode(err: FastifyError, status: number): ApiErrorCode {
  const known = err.code ? FASTIFY_CODES[err.code] : undefined;
  return known ?? (status === 404 ? 'not-found' : status === 429 ? 'rate-limited' : 'bad-request');
}

export function installErrorHandlers(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    if (err instanceof HttpError) {
      return reply.code(err.statusCode).send(err.toJSON());
    }
    const conflict = constraintConflict(err);
    if (conflict) {
      log.info({ url: request.url, constraint: err.message }, 'concurrent write refused by a unique constraint');
      return reply.code(conflict.statusCode).send(conflict.toJSON());
    }
    if (err instanceof HistoryError) {
      log.warn({ err: err.message, url: request.url }, 'history store unavailable for a request');
      return reply.code(503).send(errorBody('history-unavailable', 'The history store does not answer. Try again in a moment.'));
    }
    if (err.validation) {
      return reply.code(400).send(errorBody('bad-request', `Invalid request: ${err.message}.`));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send(errorBody(fastifyCode(err, status), err.message));
    log.error({ err, method: request.method, url: request.url }, 'request failed');
    return reply.code(500).send(errorBody('internal', 'Something went wrong on our side. Try again in a moment.'));
  });
}

export const notFound = (what = 'No such API route.') => errorBody('not-found', what);
