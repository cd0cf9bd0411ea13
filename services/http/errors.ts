// HTTP errors: a stable machine-readable code from the catalogue (contracts/errors.ts) and a
// message for people, always as `{ error, message }`. Bad input is a 4xx, never a 5xx.
import type { FastifyInstance, FastifyError } from 'fastify';
import type { Logger } from '../../runtime/log.ts';
import { HttpError, errorBody, type ApiErrorCode } from '../../contracts/errors.ts';
import { HistoryError } from '../history/store.ts';

/** Fastify's own 4xx codes, in our vocabulary. */
const FASTIFY_CODES: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad-request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad-request',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-request',
};

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
