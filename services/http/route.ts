// Registers a route from the catalogue (contracts/routes.ts + contracts/route-schemas.ts): method,
// path, access, schemas, OpenAPI words and error codes all come from its entry, so a route file
// writes only what the route does. A JSON route's handler returns its reply (typed by the entry)
// and the success status is the entry's; CSV and stream routes answer through `reply` themselves.
import type { FastifyInstance, FastifyPluginAsync, FastifyPluginOptions, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ROUTES, routeErrors, type RouteInfo, type RouteName } from '../../contracts/routes.ts';
import { ROUTE_SCHEMAS, type RouteBody, type RouteParams, type RouteQuery, type RouteReply, type RouteSchema } from '../../contracts/route-schemas.ts';
import { API_ERRORS, apiError, type ApiErrorCode } from '../../contracts/errors.ts';
import { validatorCompiler } from './validation.ts';

export type RouteRequest<K extends RouteName> = FastifyRequest<{ Params: RouteParams<K>; Querystring: RouteQuery<K>; Body: RouteBody<K> }>;

type Raw = { raw: string };
/**
 * JSON routes return their reply (nothing for a 204), at once or as a promise: the route awaits
 * it, so a handler that has nothing to wait for need not be async. Raw routes (CSV, SSE) send it
 * themselves.
 */
export type RouteHandler<K extends RouteName> = (
  request: RouteRequest<K>,
  reply: FastifyReply,
) => (typeof ROUTES)[K] extends Raw ? unknown : (typeof ROUTES)[K] extends { status: 204 } ? void | Promise<void> : RouteReply<K> | Promise<RouteReply<K>>;

/**
 * A plugin that only registers routes, which is synchronous. Fastify's plugin contract is async
 * (or a `done` callback): running the registration inside a promise keeps a throw while
 * registering (a catalogue entry without its rate limit, a route Fastify refuses) a rejection of
 * `register()`, as an async plugin would give, without an `async` that awaits nothing.
 */
export function routePlugin<O extends FastifyPluginOptions>(register: (app: FastifyInstance, opts: O) => void): FastifyPluginAsync<O> {
  return (app, opts) =>
    new Promise<void>((resolve) => {
      register(app, opts);
      resolve();
    });
}

export interface RouteExtras {
  /** @fastify/rate-limit options for this route (the catalogue says which routes are limited). */
  rateLimit?: object;
  /**
   * Several counts for one route (e.g. per member and per IP), each its own window in the same
   * limiter (@fastify/rate-limit's createRateLimit); a request over any of them is refused with
   * 429, Retry-After and a message naming what was counted, before the handler runs.
   */
  limits?: readonly RouteLimit[];
}

export interface RouteLimit {
  max: number;
  /** Milliseconds. */
  windowMs: number;
  /** Whose count: the request's bucket key (the caller is known: access was checked before). */
  key: (request: FastifyRequest) => string;
  /** What is counted, for people: "bookings from your account". */
  what: string;
}

/** "3 minutes", "40 seconds": when a refused client may try again. */
const inTime = (ms: number): string => {
  const s = Math.max(1, Math.ceil(ms / 1000));
  const [n, unit] = s >= 120 ? [Math.ceil(s / 60), 'minute'] : [s, 'second'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
};

type LimitCheck = ReturnType<FastifyInstance['createRateLimit']>;
/** One count per limit and app: routes given the same limit (book for me, book for a member) share it. */
const limitChecks = new WeakMap<object, Map<RouteLimit, LimitCheck>>();

function limitsHook(app: FastifyInstance, limits: readonly RouteLimit[]) {
  // Each plugin has its own instance object; the server is the app's one.
  let made = limitChecks.get(app.server);
  if (!made) limitChecks.set(app.server, (made = new Map<RouteLimit, LimitCheck>()));
  const checks = limits.map((l) => {
    let check = made.get(l);
    if (!check) made.set(l, (check = app.createRateLimit({ max: l.max, timeWindow: l.windowMs, keyGenerator: (req) => l.key(req) })));
    return { l, check };
  });
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    for (const { l, check } of checks) {
      const r = await check(request);
      if (r.isAllowed || !r.isExceeded) continue;
      reply.header('retry-after', r.ttlInSeconds);
      throw apiError('rate-limited', `Too many ${l.what}: at most ${l.max} in ${inTime(l.windowMs)}. Try again in ${inTime(r.ttl)}.`);
    }
  };
}

const codeList = (codes: ApiErrorCode[]) => codes.map((c) => `\`${c}\``).join(', ');

/** `{error, message}` with the codes this route may answer at these statuses, for OpenAPI. */
function errorSchema(codes: ApiErrorCode[]) {
  return Type.Object(
    {
      error: Type.String({ description: `One of: ${codeList(codes)} (contracts/errors.ts).` }),
      message: Type.String({ description: 'what went wrong and what to do, for people' }),
    },
    { description: codes.map((c) => `\`${c}\` (${API_ERRORS[c].status}): ${API_ERRORS[c].description}`).join('\n\n') },
  );
}

const statusesOf = (c: ApiErrorCode): number[] => {
  const e: { status: number; alsoStatus?: readonly number[] } = API_ERRORS[c];
  return [e.status, ...(e.alsoStatus ?? [])];
};

type Node = Record<string, unknown>;
const closedCopies = new WeakMap<object, Node>();

/**
 * The schema with `additionalProperties: false` on every object that does not say otherwise, at
 * any depth: a body carries only what its schema lists, and anything else is refused (400 naming
 * it, services/http/validation.ts) rather than dropped. One copy per schema, so the validator
 * compiles each body once however many apps register it.
 */
export function closed(schema: object): Node {
  const done = closedCopies.get(schema);
  if (done) return done;
  const s = schema as Node;
  const out: Node = { ...s };
  if (s.type === 'object' && s.properties && s.additionalProperties === undefined) out.additionalProperties = false;
  const each = (v: unknown): unknown => (Array.isArray(v) ? v.map(each) : v !== null && typeof v === 'object' ? closed(v) : v);
  for (const k of ['items', 'anyOf', 'allOf', 'oneOf', 'not']) if (s[k] !== undefined) out[k] = each(s[k]);
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties as Node).map(([k, v]) => [k, each(v)]));
  closedCopies.set(schema, out);
  return out;
}

/** Fastify route options from a catalogue entry: schema (validation, serialisation, OpenAPI) and access config. */
export function routeOptions(name: RouteName): Pick<RouteOptions, 'method' | 'url' | 'schema' | 'config' | 'validatorCompiler'> {
  const info: RouteInfo = ROUTES[name];
  const s: RouteSchema = ROUTE_SCHEMAS[name];
  const codes = routeErrors(info, s.params !== undefined || s.query !== undefined || s.body !== undefined);
  const response: Record<string, unknown> = {};
  if (s.reply) response[info.status ?? 200] = s.reply;
  const client = codes.filter((c) => statusesOf(c).some((st) => st < 500));
  const server = codes.filter((c) => statusesOf(c).some((st) => st >= 500));
  if (client.length > 0) response['4xx'] = errorSchema(client);
  if (server.length > 0) response['5xx'] = errorSchema(server);
  const schema: Record<string, unknown> = { tags: [...s.tags], summary: s.summary, response };
  if (s.description) schema.description = s.description;
  if (s.params) schema.params = s.params;
  if (s.query) schema.querystring = s.query;
  if (s.body) schema.body = closed(s.body);
  return {
    method: info.method,
    url: info.path,
    schema,
    // Bodies strict, query and params coerced from text: validation.ts.
    validatorCompiler,
    config: { access: info.access, ...(info.automation && { automation: true }) },
  };
}

/** Registers the catalogue's route `name` with its handler. */
export function route<K extends RouteName>(app: FastifyInstance, name: K, handler: RouteHandler<K>, extras: RouteExtras = {}): void {
  const info: RouteInfo = ROUTES[name];
  const opts = routeOptions(name);
  if (info.limited && !extras.rateLimit && !extras.limits?.length) throw new Error(`route ${name} is rate-limited in the catalogue: give its rateLimit`);
  if (!info.limited && (extras.rateLimit || extras.limits)) throw new Error(`route ${name} has a rate limit: mark it limited in the catalogue`);
  const config = { ...opts.config, ...(extras.rateLimit && { rateLimit: extras.rateLimit }) };
  // The access check (services/http/auth.ts) goes before these, so a limit may count per member.
  const onRequest = extras.limits?.length ? { onRequest: [limitsHook(app, extras.limits)] } : {};
  const run = handler as (request: FastifyRequest, reply: FastifyReply) => unknown;
  const json = async (request: FastifyRequest, reply: FastifyReply) => {
    const out = await run(request, reply);
    if (info.status === 204) return reply.code(204).send();
    return reply.code(info.status ?? 200).send(out);
  };
  app.route({ ...opts, ...onRequest, config, handler: info.raw ? run : json });
}
