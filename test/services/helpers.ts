// Shared set-up for the services tests: a real app on ephemeral ports over a temp site,
// real MQTT clients, logged-in HTTP sessions.
import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient, type IClientOptions } from 'mqtt';
import { pino } from 'pino';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { buildApp, type App, type AppOptions } from '../../services/app.ts';
import { topics } from '../../contracts/topics.ts';
import type { AccessEvent, AccessList, GatewayStatus } from '../../contracts/payloads.ts';
import type { Health } from '../../contracts/api/index.ts';

export const silent = () => pino({ level: 'silent' });

/** Where tests find no dashboard build. */
export const NO_DASHBOARD = '/nonexistent/dashboard';

export interface Running {
  site: TestSite;
  app: App;
  httpPort: number;
  mqttPort: number;
  base: string;
  t: ReturnType<typeof topics>;
  clients: MqttClient[];
  /** An MQTT client that is ended in stop(). */
  connect(username: string, password: string, opts?: IClientOptions): Promise<MqttClient>;
  gateway(id?: string): Promise<MqttClient>;
  stop(): Promise<void>;
}

export async function startApp(
  opts: { edit?: (raw: Record<string, any>) => void; app?: AppOptions; site?: TestSite } = {}, // eslint-disable-line @typescript-eslint/no-explicit-any
): Promise<Running> {
  const site =
    opts.site ??
    (await makeTestSite((raw) => {
      raw.services.http.port = 0;
      raw.services.mqtt.port = 0;
      opts.edit?.(raw);
    }));
  const app = await buildApp(site.config, site.secrets, { logger: silent(), dashboardDir: NO_DASHBOARD, ...opts.app });
  const { httpPort, mqttPort } = await app.listen();
  const clients: MqttClient[] = [];
  const connect = async (username: string, password: string, o: IClientOptions = {}) => {
    const c = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
      username,
      password,
      protocolVersion: 4,
      reconnectPeriod: 0,
      clientId: `t-${randomUUID().slice(0, 8)}`,
      ...o,
    });
    clients.push(c);
    return c;
  };
  return {
    site,
    app,
    httpPort,
    mqttPort,
    base: `http://127.0.0.1:${httpPort}`,
    t: topics(site.config.site.id),
    clients,
    connect,
    gateway: (id = 'gw-main') => connect(`gateway:${id}`, site.secrets.gateways[id]!.mqttPassword),
    async stop() {
      for (const c of clients) c.end(true);
      await app.close();
      if (!opts.site) site.cleanup();
    },
  };
}

export function gatewayStatus(gateway: string, state: 'online' | 'offline', extra: Partial<GatewayStatus> = {}): GatewayStatus {
  return { v: 1, ts: Date.now(), gateway, state, ...extra };
}

export function accessEvent(extra: Partial<AccessEvent> = {}): AccessEvent {
  return {
    v: 1,
    ts: Date.now(),
    id: randomUUID(),
    type: 'access',
    door: 'front',
    gateway: 'gw-main',
    decision: 'granted',
    reason: 'ok',
    via: 'card',
    member: 'jonas',
    offline: false,
    ...extra,
  };
}

export async function publishJson(c: MqttClient, topic: string, payload: unknown, retain = false): Promise<void> {
  await c.publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos: 1, retain });
}

/** Polls until `check` returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 3000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Marks a gateway online the way a real one does (retained status) and waits until the services know. */
export async function bringOnline(r: Running, gw = 'gw-main'): Promise<MqttClient> {
  const c = await r.gateway(gw);
  await publishJson(c, r.t.gatewayStatus(gw), gatewayStatus(gw, 'online'), true);
  await waitFor(async () => {
    const h = await fullHealth(r);
    return h.gateways.find((g) => g.id === gw)?.online;
  });
  return c;
}

export async function login(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  const cookie = res.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0]!;
}

export const DEMO = {
  mette: { email: 'mette@kystkontor.dk', password: 'host-mette' },
  jonas: { email: 'jonas@kystkontor.dk', password: 'member-jonas' },
  sofie: { email: 'sofie@kystkontor.dk', password: 'member-sofie' },
  lars: { email: 'lars@kystkontor.dk', password: 'member-lars' },
  ida: { email: 'ida@kystkontor.dk', password: 'operator-ida' },
} as const;

export async function loginAs(r: Running, who: keyof typeof DEMO): Promise<string> {
  return login(r.base, DEMO[who].email, DEMO[who].password);
}

/** GET /api/health as staff (the automation token): gateways, broker, ingest and all. */
export async function fullHealth(r: Running): Promise<Health> {
  const res = await fetch(`${r.base}/api/health`, { headers: { authorization: `Bearer ${r.site.secrets.automationToken}` } });
  return (await res.json()) as Health;
}

export async function getJson<T = unknown>(r: Running, path: string, cookie?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${r.base}${path}`, { headers: cookie ? { cookie } : {} });
  return { status: res.status, body: (await res.json()) as T };
}

/** SUBACK return codes for `filters` (mqtt.js rejects when any is 128; we want to see them). */
export async function subackCodes(c: MqttClient, filters: string[]): Promise<number[]> {
  try {
    const granted = await c.subscribeAsync(filters, { qos: 1 });
    return granted.map((g) => g.qos);
  } catch (err) {
    const packet = (err as { packet?: { granted?: number[] } }).packet;
    if (!packet?.granted) throw err;
    return packet.granted;
  }
}

/** One API call: JSON body in and out (text when not JSON). */
export async function api<T = any>( // eslint-disable-line @typescript-eslint/no-explicit-any
  r: Running,
  method: string,
  path: string,
  opts: { body?: unknown; cookie?: string; token?: string } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${r.base}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* CSV */
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

/** The retained access list of a gateway, as a gateway sees it (waits for `accept` to hold). */
export async function watchAcl(
  r: Running,
  gw = 'gw-main',
): Promise<{ latest(): AccessList | undefined; until(accept: (l: AccessList) => boolean): Promise<AccessList> }> {
  const c = await r.gateway(gw);
  const got: AccessList[] = [];
  c.on('message', (_t, p) => got.push(JSON.parse(p.toString())));
  await c.subscribeAsync(r.t.acl(gw), { qos: 1 });
  return {
    latest: () => got.at(-1),
    until: (accept) => waitFor(() => got.findLast(accept), 5000),
  };
}
