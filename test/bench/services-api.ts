// Benchmark (prints, asserts nothing): API latency at a fixed 200 requests/s (autocannon, with
// coordinated-omission correction), against the services process (compiled JavaScript) with a
// site that has some history: 300 members, a few thousand door events and desk changes.
// Run: npm run build:node && node --import tsx test/bench/services-api.ts  (BENCH_API_S=…)
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { makeTestSite } from '../helpers/site.ts';
import { startStack, login, eventually, health } from '../helpers/stack.ts';
import { topics } from '../../contracts/topics.ts';
import { localDate, addDays } from '../../contracts/local-time.ts';

interface Histogram {
  p50: number;
  p99: number;
  max: number;
}
interface Result {
  latency: Histogram;
  requests: { total: number; average: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (opts: object) => Promise<Result>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const RATE = 200;
const SECONDS = Number(process.env.BENCH_API_S ?? 15);
const COMPILED = process.env.BENCH_SOURCE !== '1';

async function seedHistory(site: Awaited<ReturnType<typeof makeTestSite>>, base: string, host: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    await fetch(`${base}/api/members`, {
      method: 'POST',
      headers: { cookie: host, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Bench Member ${i}`, email: `bench${i}@example.org`, plan: i % 2 ? 'flex' : 'resident' }),
    });
  }
  const gw = await mqtt.connectAsync(`mqtt://127.0.0.1:${site.mqttPort}`, {
    username: 'gateway:gw-main',
    password: site.secrets.gateways['gw-main']!.mqttPassword,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  const t = topics(site.config.site.id);
  const start = Date.now() - 20 * 86_400_000;
  for (let i = 0; i < 3000; i++) {
    const ts = start + i * 576_000; // spread over 20 days
    const member = `bench-member-${i % 300}`;
    gw.publish(
      t.doorEvent('front'),
      JSON.stringify({
        v: 1,
        ts,
        id: randomUUID(),
        type: 'access',
        door: 'front',
        gateway: 'gw-main',
        decision: 'granted',
        reason: 'ok',
        via: 'card',
        member,
        offline: false,
      }),
      { qos: 1 },
    );
    const desk = `d${String((i % 16) + 1).padStart(2, '0')}`;
    gw.publish(t.deskOccupancy(desk), JSON.stringify({ v: 1, ts, desk, occupied: i % 2 === 0, since: ts }), { qos: 1 });
  }
  await eventually(async () => ((await health(base)).events.stored >= 3000 ? true : null), 60_000, 'events stored');
  await eventually(async () => ((await health(base)).history?.spooled === 0 ? true : null), 60_000, 'history written');
  gw.end(true);
}

export async function benchApi(): Promise<void> {
  const site = await makeTestSite();
  const stack = await startStack(site, { gateway: false, compiled: COMPILED });
  try {
    const base = stack.baseUrl;
    const host = await login(base, 'mette@kystkontor.dk', 'host-mette');
    const member = await login(base, 'jonas@kystkontor.dk', 'member-jonas');
    await seedHistory(site, base, host);
    const today = localDate(Date.now(), site.config.site.timeZone);
    const from = addDays(today, -27);
    const routes: [string, string, Record<string, string>][] = [
      ['GET /api/doors (member)', '/api/doors', { cookie: member }],
      ['GET /api/zones/occupancy (automation token)', '/api/zones/occupancy', { authorization: `Bearer ${site.secrets.automationToken}` }],
      ['GET /api/members?limit=50 (host)', '/api/members?limit=50', { cookie: host }],
      ['GET /api/audit?limit=50 (host)', '/api/audit?limit=50', { cookie: host }],
    ];
    const run = (path: string, headers: Record<string, string>, connections: number, rate: number) =>
      autocannon({ url: `${base}${path}`, headers, connections, overallRate: rate, duration: SECONDS });
    const show = (label: string, r: Result, target = true) =>
      console.log(
        `  ${label.padEnd(52)} p50=${r.latency.p50} ms  p99=${r.latency.p99} ms  max=${r.latency.max} ms  (${r.requests.total} requests, non-2xx ${r.non2xx}, errors ${r.errors})` +
          (target ? `  target p99 <= 20 ms: ${r.latency.p99 <= 20 ? 'met' : 'MISSED'}` : ''),
      );
    console.log(
      `\nAPI latency at ${RATE} requests/s, ${SECONDS} s per line (services ${COMPILED ? 'compiled' : 'from source'}, SQLite history, 305 members, 3,000 events; load average ${loadavg()[0]!.toFixed(2)})`,
    );
    // Warm-up (not measured): JIT, connection pools, SQLite page cache.
    for (const [, path, headers] of routes) await autocannon({ url: `${base}${path}`, headers, connections: 2, overallRate: RATE, duration: 2 });
    for (const [label, path, headers] of routes) show(`${label}, 2 connections`, await run(path, headers, 2, RATE));
    // Ten connections paced together arrive in bursts of ten: a harsher pattern, for reference.
    show('GET /api/doors (member), 10 connections', await run('/api/doors', { cookie: member }, 10, RATE));
    // Analytics reads and computes four weeks of history per request: not a 200/s route.
    show('GET /api/analytics/visits, 4 weeks (host), 20 req/s', await run(`/api/analytics/visits?from=${from}&to=${today}`, { cookie: host }, 2, 20), false);
  } finally {
    await stack.stop();
    site.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchApi().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
