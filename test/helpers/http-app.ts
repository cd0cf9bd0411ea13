// The services' HTTP layer for unit tests: buildHttp() over an in-memory store seeded with the
// demo site, real sessions, views, ingest, enrolments, analytics and erasure (history in an
// in-memory SQLite store), fakes for what crosses a process (publishing, access-list recompiles).
// No socket, no file: requests go through fastify's inject(). A route test is a few lines:
//
//   const h = await httpApp();
//   const res = await h.call('members', { as: 'mette' });
//   expectReply('members', res);
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { parse } from 'yaml';
import { pino } from 'pino';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { parseSiteConfig } from '../../config/load.ts';
import type { SiteConfig } from '../../config/schema.ts';
import { ROUTES, routeErrors, routePath, type RouteInfo, type RouteName } from '../../contracts/routes.ts';
import { ROUTE_SCHEMAS, type RouteSchema } from '../../contracts/route-schemas.ts';
import { isApiErrorCode, type ApiErrorCode } from '../../contracts/errors.ts';
import { Ingress } from '../../contracts/ingress.ts';
import { contractPublisher, topics, type Outgoing } from '../../contracts/topics.ts';
import { openMemoryStore, type Store } from '../../services/db/store.ts';
import { seedIfEmpty } from '../../services/seed.ts';
import { hashPassword } from '../../services/auth/password.ts';
import { createViews } from '../../services/views.ts';
import { GatewayPresence } from '../../services/ingest/gateway-presence.ts';
import { Devices } from '../../services/ingest/devices.ts';
import { Ingest } from '../../services/ingest/ingest.ts';
import { LiveHub } from '../../services/live/hub.ts';
import { Enrolments } from '../../services/enrol/enrolments.ts';
import { Analytics } from '../../services/analytics/analytics.ts';
import { SqliteHistoryStore } from '../../services/history/sqlite-store.ts';
import type { History } from '../../services/history/history.ts';
import type { Point } from '../../services/history/point.ts';
import { eraseMember } from '../../services/privacy/erasure.ts';
import { createSessions } from '../../services/http/session.ts';
import { buildHttp } from '../../services/http/server.ts';
import type { HttpDeps } from '../../services/http/context.ts';
import { DEMO_DIR } from './site.ts';
import { SensorChecks } from '../../services/sensors/sensor-checks.ts';
import { AlertCentre } from '../../services/alerts/centre.ts';
import { createChannels } from '../../services/alerts/channels.ts';
import { WebhookOutbox } from '../../services/webhooks/outbox.ts';

import { PEOPLE, type Person } from './people.ts';
export { PEOPLE, type Person };

/** Wednesday 7 May 2025, 12:00 in Copenhagen: inside every demo plan's windows. */
export const T0 = Date.UTC(2025, 4, 7, 10);

export const AUTOMATION_TOKEN = 'automation-token-for-unit-tests';
const SITE_KEY = 'site-key-for-unit-tests-0123456789';

export interface CallOptions {
  /** Logged in as this person (a session cookie from POST /api/login). */
  as?: Person;
  /** `Authorization: Bearer <token>` (AUTOMATION_TOKEN is the valid one). */
  token?: string;
  params?: Record<string, string | number>;
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON body. */
  body?: unknown;
  /** A raw cookie header instead of `as`. */
  cookie?: string;
}

export interface HttpApp {
  app: FastifyInstance;
  store: Store;
  config: SiteConfig;
  /** The in-memory history store analytics read and erasure rewrites. */
  history: SqliteHistoryStore;
  hub: LiveHub;
  ingest: Ingest;
  presence: GatewayPresence;
  enrolments: Enrolments;
  /** The clock every component reads; move it with `clock.now = …`. */
  clock: { now: number };
  /** MQTT messages the routes published (door commands). */
  published: Outgoing[];
  /** How often an access-list recompile was asked for. */
  readonly recompiles: number;
  /** The session cookie of `who` (logs in once per app, through POST /api/login). */
  login(who: Person): Promise<string>;
  /** Calls catalogue route `name`: method and path from contracts/routes.ts. */
  call(name: RouteName, opts?: CallOptions): Promise<LightMyRequestResponse>;
  /** Stores a door event as if a gateway had sent it (through ingest: store, history, live). */
  doorEvent(event: Record<string, unknown>): void;
  /** Resolves when the history points recorded so far are written. */
  drained(): Promise<void>;
  close(): Promise<void>;
}

export interface HttpAppOptions {
  /** Edits the demo site.yaml before it is validated. */
  edit?: (raw: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
  now?: number;
  /** Replaces deps built here (fakes for one test). */
  deps?: Partial<HttpDeps>;
}

const silent = pino({ level: 'silent' });

function demoConfig(edit?: HttpAppOptions['edit']): SiteConfig {
  const raw = parse(readFileSync(join(DEMO_DIR, 'site.yaml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  raw.services.seed = join(DEMO_DIR, 'members.yaml');
  // Never opened: the store and the history store are in memory.
  raw.services.dataDir = '/nonexistent/smartspace-unit';
  for (const g of raw.gateways) g.dataDir = `/nonexistent/smartspace-unit/${g.id}`;
  edit?.(raw);
  return parseSiteConfig(raw, DEMO_DIR);
}

const secretsFor = (config: SiteConfig): HttpDeps['secrets'] => ({
  automationToken: AUTOMATION_TOKEN,
  siteKey: SITE_KEY,
  gateways: Object.fromEntries(config.gateways.map((g) => [g.id, { key: `gateway-key-${g.id}-0123456789`, mqttPassword: `gateway-password-${g.id}` }])),
});

// Scrypt is slow on purpose: the seeded database and the dummy hash are made once per file
// (per seed config), and each app opens its own copy.
let dummyHash: Promise<string> | undefined;
const seeded = new Map<string, Promise<Buffer>>();
function seededImage(config: SiteConfig): Promise<Buffer> {
  const key = JSON.stringify([config.services.seed, config.doors.map((d) => d.id)]);
  let image = seeded.get(key);
  if (!image) {
    image = (async () => {
      const s = openMemoryStore();
      try {
        s.state.syncSite(config.doors, config.desks);
        await seedIfEmpty(s, config, SITE_KEY, T0);
        return s.db.serialize();
      } finally {
        s.close();
      }
    })();
    seeded.set(key, image);
  }
  return image;
}

const open: HttpApp[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

/** The HTTP layer over the demo site, in memory; closed after each test. */
export async function httpApp(opts: HttpAppOptions = {}): Promise<HttpApp> {
  const config = demoConfig(opts.edit);
  const clock = { now: opts.now ?? T0 };
  const now = () => clock.now;
  const store = openMemoryStore(await seededImage(config));
  store.state.syncSite(config.doors, config.desks);
  const history = new SqliteHistoryStore(':memory:');
  const presence = new GatewayPresence(config.gateways);
  presence.load(store.state);
  const devices = new Devices(config, presence, store.devices);
  devices.load(now());
  const hub = new LiveHub();
  const published: Outgoing[] = [];
  let recompiles = 0;
  const recompile = () => {
    recompiles++;
    return Promise.resolve([]);
  };
  const enrolments = new Enrolments({ store, hub, log: silent, now, timeZone: config.site.timeZone, recompile });
  const ingress = new Ingress({ site: config.site.id, log: silent, now });
  const points: Point[] = [];
  const writing = new Set<Promise<unknown>>();
  // History: points go straight to the in-memory store (no writer, no spool on disk).
  const recorder = {
    record: (p: Point) => {
      const w = history.write([p]).then(() => points.push(p));
      writing.add(w);
      void w.finally(() => writing.delete(w));
    },
  } as unknown as History;
  const doorsByGateway = new Map(config.gateways.map((g) => [g.id, config.doors.filter((d) => d.gateway === g.id).map((d) => d.id)]));
  const ingest = new Ingest({
    ingress,
    store,
    hub,
    presence,
    devices,
    doorsOf: (gw) => doorsByGateway.get(gw) ?? [],
    zoneOf: (desk) => config.desks.find((d) => d.id === desk)?.zone,
    history: recorder,
    enrolments,
    log: silent,
    now,
  });
  const sessions = createSessions(store, config.services.sessionTtlH, now);
  const alerts = new AlertCentre({ config, store, hub, channels: createChannels(config.alerts, undefined), log: silent, now });
  const sensors = new SensorChecks({ config, store, history, alerts, log: silent, now });
  const deps: HttpDeps = {
    config,
    secrets: secretsFor(config),
    store,
    views: createViews({ config, store, presence, now }),
    presence,
    ingress,
    ingest,
    devices,
    hub,
    sessions,
    publish: contractPublisher(config.site.id, (m) => {
      published.push(m);
      return Promise.resolve();
    }),
    brokerClients: () => 0,
    log: silent,
    now,
    startedAt: clock.now,
    dummyHash: await (dummyHash ??= hashPassword(randomBytes(18).toString('base64url'))),
    accessLists: { recompile },
    enrolments,
    history: { health: () => ({ store: 'sqlite', up: true, written: points.length, spooled: 0, rejected: 0 }) },
    analytics: new Analytics(config, history, now, () => sensors.excluded()),
    alerts,
    sensors,
    webhooks: new WebhookOutbox({ config, secrets: undefined, store, log: silent, now }),
    erase: (member) => eraseMember({ store, history, log: silent, now }, member, () => undefined),
    dashboardDir: '/nonexistent/dashboard',
    ...opts.deps,
  };
  const app = await buildHttp(deps);
  await app.ready();
  const cookies = new Map<Person, string>();
  const t = topics(config.site.id);

  const login = async (who: Person): Promise<string> => {
    const known = cookies.get(who);
    if (known) return known;
    const { email, password } = PEOPLE[who];
    const res = await app.inject({ method: 'POST', url: '/api/login', payload: { email, password } });
    if (res.statusCode !== 200) throw new Error(`login as ${who}: ${res.statusCode} ${res.body}`);
    const c = res.cookies.find((k) => k.name === 'ss_session');
    if (!c) throw new Error(`login as ${who}: no session cookie`);
    const cookie = `${c.name}=${c.value}`;
    cookies.set(who, cookie);
    return cookie;
  };

  let closed = false;
  const h: HttpApp = {
    app,
    store,
    config,
    history,
    hub,
    ingest,
    presence,
    enrolments,
    clock,
    published,
    get recompiles() {
      return recompiles;
    },
    login,
    async call(name, o = {}) {
      const info: RouteInfo = ROUTES[name];
      const headers: Record<string, string> = {};
      const cookie = o.cookie ?? (o.as ? await login(o.as) : undefined);
      if (cookie) headers.cookie = cookie;
      if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
      const url = routePath(info, o.params, o.query);
      return app.inject({ method: info.method, url, headers, ...(o.body !== undefined && { payload: o.body as object }) });
    },
    doorEvent(event) {
      const e = {
        v: 1,
        ts: clock.now,
        type: 'access',
        door: 'front',
        gateway: 'gw-main',
        decision: 'granted',
        reason: 'ok',
        via: 'card',
        offline: false,
        ...event,
      };
      ingest.handle(t.doorEvent(String(e.door)), JSON.stringify(e));
    },
    async drained() {
      await Promise.all(writing);
    },
    async close() {
      if (closed) return;
      closed = true;
      enrolments.stop();
      hub.close();
      await app.close();
      store.close();
      await history.close();
    },
  };
  open.push(h);
  return h;
}

const compiled = new Map<TSchema, ReturnType<typeof TypeCompiler.Compile>>();
function check(schema: TSchema, value: unknown): string[] {
  let c = compiled.get(schema);
  if (!c) compiled.set(schema, (c = TypeCompiler.Compile(schema)));
  return [...c.Errors(value)].map((e) => `${e.path || '(root)'}: ${e.message}`);
}

/** A success of route `name`: the catalogue's status, and (for JSON) a body its reply schema accepts. Returns the body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function expectReply<T = any>(name: RouteName, res: LightMyRequestResponse): T {
  const info: RouteInfo = ROUTES[name];
  expect(res.statusCode, `${name}: ${res.body.slice(0, 300)}`).toBe(info.status ?? 200);
  if (info.status === 204) {
    expect(res.body).toBe('');
    return undefined as T;
  }
  if (info.raw) return res.body as T;
  const body: unknown = res.json();
  const s: RouteSchema = ROUTE_SCHEMAS[name];
  if (s.reply) expect(check(s.reply, body), `${name} reply schema`).toEqual([]);
  return body as T;
}

/**
 * A refusal of route `name`: this status and code, a code the route may answer with (its
 * catalogue entry and routeErrors), and a message for people. Returns the message.
 */
export function expectRefusal(name: RouteName, res: LightMyRequestResponse, status: number, code: ApiErrorCode): string {
  const body = res.json<{ error: string; message: string }>();
  expect([res.statusCode, body.error], `${name}: ${res.body.slice(0, 300)}`).toEqual([status, code]);
  expect(isApiErrorCode(body.error)).toBe(true);
  const s: RouteSchema = ROUTE_SCHEMAS[name];
  const mayAnswer = routeErrors(ROUTES[name], s.params !== undefined || s.query !== undefined || s.body !== undefined);
  expect(mayAnswer, `${name} lists ${code} in the catalogue`).toContain(code);
  expect(body.message.length).toBeGreaterThan(0);
  return body.message;
}

/** 400 bad-request whose message names the field (`body/email`, `querystring/limit`, `params/id`). */
export function expectBadField(name: RouteName, res: LightMyRequestResponse, field: string): void {
  expect(expectRefusal(name, res, 400, 'bad-request')).toContain(field);
}
