// The real processes of a site, for end-to-end tests and the benchmark: the services and a
// gateway with simulated hardware, each its own OS process, plus small clients for the HTTP
// API, the live stream and the gateway's sim control.
import { startProcess, logMsg, type ManagedProcess } from '../../scripts/lib/proc.ts';
import type { LiveMessage, Health } from '../../contracts/api/index.ts';
import { randomUUID } from 'node:crypto';
import { connectAsync } from 'mqtt';
import { topics } from '../../contracts/topics.ts';
import { fingerprint } from '../../contracts/signing.ts';
import type { AccessList } from '../../contracts/payloads.ts';
import { freePort, type TestSite } from './site.ts';
import { startMosquitto, type Mosquitto } from './mosquitto.ts';

export interface Stack {
  site: TestSite;
  baseUrl: string;
  simUrl: string;
  services: ManagedProcess | null;
  gateway: ManagedProcess | null;
  /** The external broker, with `mosquitto: true` (site made with `externalBroker`). */
  mosquitto: Mosquitto | null;
  startServices(): Promise<ManagedProcess>;
  startGateway(): Promise<ManagedProcess>;
  stop(): Promise<void>;
}

export async function startStack(
  site: TestSite,
  opts: { gateway?: boolean; env?: NodeJS.ProcessEnv; compiled?: boolean; mosquitto?: boolean } = {},
): Promise<Stack> {
  const simPort = await freePort();
  const gw = site.config.gateways[0]!.id;
  const env = { SMARTSPACE_SECRETS_FILE: site.secretsPath, ...opts.env };
  const stack: Stack = {
    site,
    baseUrl: `http://127.0.0.1:${site.httpPort}`,
    simUrl: `http://127.0.0.1:${simPort}`,
    services: null,
    gateway: null,
    mosquitto: null,
    async startServices() {
      // The ports came from freePort(): free when picked, but another test file running at the same
      // time can take one (an outgoing connection's ephemeral port) before the services bind it.
      // That is the test machine, not the services: wait a moment and start again, twice at most.
      for (let attempt = 1; ; attempt++) {
        const p = startProcess('services', 'services/main.ts', ['--config', site.configPath], { env, compiled: opts.compiled });
        stack.services = p;
        try {
          await p.waitForLog(logMsg('services ready'), 60_000);
          return p;
        } catch (err) {
          if (attempt >= 3 || !/EADDRINUSE/.test(String((err as Error)?.message))) throw err;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    },
    async startGateway() {
      const p = startProcess(gw, 'gateway/main.ts', ['--config', site.configPath, '--gateway', gw, '--sim-control', `127.0.0.1:${simPort}`], {
        env,
        compiled: opts.compiled,
      });
      stack.gateway = p;
      await p.waitForLog(logMsg('gateway ready'), 60_000);
      return p;
    },
    async stop() {
      await stack.gateway?.stop();
      await stack.services?.stop();
      await stack.mosquitto?.stop();
    },
  };
  if (site.secrets.automationToken) staffTokens.set(stack.baseUrl, site.secrets.automationToken);
  if (opts.mosquitto) stack.mosquitto = await startMosquitto(site);
  await stack.startServices();
  if (opts.gateway !== false) await stack.startGateway();
  return stack;
}

/** Polls until `fn` returns a truthy value (or throws the last error after `timeoutMs`). */
export async function eventually<T>(
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: Error | undefined;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err instanceof Error ? err : new Error(String(err));
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The automation token of each running stack's services, by base URL: the full health needs it. */
const staffTokens = new Map<string, string>();

/** The full health (as staff: the automation token of the stack at `baseUrl`). */
export async function health(baseUrl: string, staffToken?: string): Promise<Health> {
  const token = staffToken ?? staffTokens.get(baseUrl);
  const r = await fetch(`${baseUrl}/api/health`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return (await r.json()) as Health;
}

/** Waits until the gateway is online and holds an access list (so taps are decided by it). The
 * full health needs staff: the stack's token, or `staffToken` for services it did not start. */
export async function gatewayReady(baseUrl: string, gw: string, timeoutMs = 30_000, staffToken?: string): Promise<void> {
  await eventually(
    async () => {
      const h = await health(baseUrl, staffToken);
      const g = h.gateways.find((x) => x.id === gw);
      return g?.online && (g.aclVersion ?? 0) > 0;
    },
    timeoutMs,
    `gateway ${gw} online with an access list`,
  );
}

/** Logs in and returns the session cookie header value. */
export async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const r = await fetch(`${baseUrl}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (r.status !== 200) throw new Error(`login ${email}: HTTP ${r.status} ${await r.text()}`);
  const cookie = r.headers.get('set-cookie');
  if (!cookie) throw new Error('login: no cookie');
  return cookie.split(';')[0]!;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function sim(simUrl: string, path: string, body?: unknown): Promise<any> {
  const r = await fetch(
    `${simUrl}${path}`,
    body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  if (!r.ok) throw new Error(`sim ${path}: HTTP ${r.status} ${await r.text()}`);
  return r.status === 204 ? undefined : r.json();
}

/** A live-stream client: collects every message; `waitFor` resolves on the first match. */
export interface LiveClient {
  messages: LiveMessage[];
  waitFor<T extends LiveMessage>(match: (m: LiveMessage) => m is T, timeoutMs?: number): Promise<T>;
  waitFor(match: (m: LiveMessage) => boolean, timeoutMs?: number): Promise<LiveMessage>;
  close(): void;
}

export async function openLive(baseUrl: string, cookie: string, onMessage?: (m: LiveMessage, at: number) => void): Promise<LiveClient> {
  const ac = new AbortController();
  const r = await fetch(`${baseUrl}/api/live`, { headers: { cookie, accept: 'text/event-stream' }, signal: ac.signal });
  if (r.status !== 200 || !r.body) throw new Error(`live: HTTP ${r.status}`);
  const messages: LiveMessage[] = [];
  const waiters = new Set<{ match: (m: LiveMessage) => boolean; resolve: (m: LiveMessage) => void }>();
  const decoder = new TextDecoder();
  let buf = '';
  void (async () => {
    try {
      for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trimStart())
            .join('\n');
          if (!data) continue;
          const m = JSON.parse(data) as LiveMessage;
          onMessage?.(m, performance.now());
          messages.push(m);
          for (const w of waiters) {
            if (!w.match(m)) continue;
            waiters.delete(w);
            w.resolve(m);
          }
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return {
    messages,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    waitFor(match: (m: LiveMessage) => boolean, timeoutMs = 15_000): Promise<any> {
      const seen = messages.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = { match, resolve: (m: LiveMessage) => (clearTimeout(t), resolve(m)) };
        const t = setTimeout(() => (waiters.delete(w), reject(new Error('live message not seen in time'))), timeoutMs);
        waiters.add(w);
      });
    },
    close: () => ac.abort(),
  };
}

/**
 * Waits until `gateway` uses an access list in which `uid` (a card, or `PIN:<digits>`) opens
 * doors (or does not: absent, or refused): first the newest list the services published (retained on the broker)
 * shows it, then the gateway reports that version or a newer one. Waiting only for the
 * gateway's version to pass one read before a change races: a list from an earlier change can
 * still be on its way.
 */
export async function gatewayUsesList(stack: Stack, site: TestSite, uid: string, present: boolean, gateway = 'gw-main'): Promise<void> {
  const fp = fingerprint(site.secrets.siteKey, uid);
  const topic = topics(site.config.site.id).acl(gateway);
  let version = 0;
  await eventually(
    async () => {
      const c = await connectAsync(site.config.broker.url, {
        username: 'services',
        password: site.secrets.mqtt.services,
        protocolVersion: 4,
        reconnectPeriod: 0,
        clientId: `t-acl-${randomUUID().slice(0, 8)}`,
      });
      try {
        const got = new Promise<AccessList>((resolve) => c.once('message', (_t, buf) => resolve(JSON.parse(buf.toString()) as AccessList)));
        await c.subscribeAsync(topic, { qos: 1 });
        const list = await got;
        // A refused entry (a suspended member, an ended pass) is in the list but opens nothing.
        if (list.entries.some((e) => e.fp === fp && e.refused === undefined) !== present) return false;
        version = list.version;
        return true;
      } finally {
        c.end(true);
      }
    },
    15_000,
    `the published access list ${present ? 'has' : 'no longer has'} ${uid}`,
  );
  await eventually(
    async () => ((await health(stack.baseUrl)).gateways.find((g) => g.id === gateway)?.aclVersion ?? 0) >= version,
    15_000,
    `${gateway} takes the new access list`,
  );
}
