// Benchmark (prints, asserts nothing): issue 16's numbers for the public availability page.
// 1. The forecast's accuracy on the demo's generated history: the last week held out, the
//    forecast made from the 7 weeks before it, mean absolute error over the held-out week's open
//    weekday-hours, beside the naive "same hour last week" on the same hours.
// 2. GET /api/public/availability p50/p99 at 200 requests/s against the compiled services with
//    the demo history, beside GET /api/health (public, no data) in the same run as the baseline.
// 3. The bytes of GET /public gzipped (everything the page needs: it loads nothing else).
// Run: npm run bench:public   (BENCH_API_S=10, BENCH_WARM_S=4)
import { createRequire } from 'node:module';
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { makeTestSite } from '../helpers/site.ts';
import { startStack } from '../helpers/stack.ts';
import { openMemoryStore } from '../../services/db/store.ts';
import { seedHistory, seedIfEmpty } from '../../services/seed.ts';
import { deskSteps } from '../../services/analytics/occupancy.ts';
import { openingHours, localInstant, weekdayOf } from '../../services/analytics/opening-hours.ts';
import { addDays, localDate } from '../../contracts/local-time.ts';
import { forecastCells, hourlyOccupancy } from '../../services/public/forecast.ts';
import type { Point } from '../../services/history/point.ts';

interface Result {
  latency: { p50: number; p99: number };
  requests: { total: number };
  non2xx: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: object) => Promise<Result>;
const SECONDS = Number(process.env.BENCH_API_S ?? 10);
const WARM_S = Number(process.env.BENCH_WARM_S ?? 4);

const site = await makeTestSite((raw) => void (raw.public = { enabled: true }), { history: true });

// 1. Forecast accuracy.
{
  const { config } = site;
  const tz = config.site.timeZone;
  const store = openMemoryStore();
  store.state.syncSite(config.doors, config.desks);
  const now = Date.now();
  await seedIfEmpty(store, config, site.secrets.siteKey, now);
  const history = (await seedHistory(store, config, site.secrets.siteKey, now))!;
  const today = localDate(now, tz);
  const from = addDays(today, -56);
  const trainTo = addDays(today, -8);
  const testFrom = addDays(today, -7);
  const start = localInstant(from, 0, tz);
  const end = localInstant(today, 0, tz);
  const byDesk = new Map<string, Point[]>(config.desks.map((d) => [d.id, []]));
  for (const p of history.points) if (p.measurement === 'occupancy') byDesk.get(p.tags.desk ?? '')?.push(p);
  const desks = [...byDesk.values()].map((pts) => deskSteps(pts, start, end));
  const windows = openingHours(config);
  const closures = store.plans.closures();
  const o = { windows, closures, timeZone: tz, end };
  const cells = forecastCells(hourlyOccupancy(desks, from, trainTo, { ...o, end: localInstant(testFrom, 0, tz) }), windows);
  const actual = hourlyOccupancy(desks, testFrom, addDays(today, -1), o);
  const lastWeek = new Map(hourlyOccupancy(desks, addDays(testFrom, -7), trainTo, o).map((s) => [`${weekdayOf(s.date)}:${s.hour}`, s.value]));
  let n = 0;
  let model = 0;
  let naive = 0;
  let noForecast = 0;
  for (const a of actual) {
    const c = cells.find((x) => x.day === a.day && x.hour === a.hour);
    const prev = lastWeek.get(`${a.day}:${a.hour}`);
    if (c?.median == null || prev === undefined) {
      noForecast++;
      continue;
    }
    n++;
    model += Math.abs(c.median - a.value);
    naive += Math.abs(prev - a.value);
  }
  const pp = (x: number) => `${((x / n) * 100).toFixed(1)} pp`;
  console.log(
    `\nForecast on the demo history (${history.from}..${history.to}, closure ${history.closure.from}..${history.closure.to}), held-out week ${testFrom}..${addDays(today, -1)}`,
  );
  console.log(`  weekday-hours compared: ${n} (left out, no forecast or no week before: ${noForecast})`);
  console.log(`  MAE per weekday-hour, share of desks occupied: forecast (median of 7 weeks) ${pp(model)}   naive (same hour last week) ${pp(naive)}`);
  store.close();
}

// 2 and 3, against the compiled services.
const stack = await startStack(site, { gateway: false, compiled: true });
const gzBytes = (url: string, headers: Record<string, string>) =>
  new Promise<{ status: number; bytes: number; encoding: string | undefined }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (b: Buffer) => (bytes += b.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, encoding: res.headers['content-encoding'] }));
    })
      .on('error', reject)
      .end();
  });
try {
  const base = stack.baseUrl;
  for (const lang of ['da', 'en']) {
    const r = await gzBytes(`${base}/public?lang=${lang}`, { 'accept-encoding': 'gzip' });
    const plain = await gzBytes(`${base}/public?lang=${lang}`, {});
    console.log(
      `\nGET /public?lang=${lang}: ${r.bytes} bytes ${r.encoding ?? 'identity'} (${plain.bytes} bytes unzipped), HTTP ${r.status}; the page loads nothing else`,
    );
  }
  const w = await gzBytes(`${base}/public/widget.js`, { 'accept-encoding': 'gzip' });
  console.log(`GET /public/widget.js: ${w.bytes} bytes ${w.encoding ?? 'identity'}`);
  const routes: [string, string][] = [
    ['GET /api/health (baseline, public)', '/api/health'],
    ['GET /api/public/availability', '/api/public/availability'],
  ];
  for (const [, path] of routes) await autocannon({ url: `${base}${path}`, connections: 2, overallRate: 200, duration: WARM_S });
  console.log(`\nLatency at 200 requests/s, ${SECONDS} s each (load average ${loadavg()[0]!.toFixed(2)})`);
  for (const [label, path] of routes) {
    const r = await autocannon({ url: `${base}${path}`, connections: 2, overallRate: 200, duration: SECONDS });
    console.log(`  ${label.padEnd(40)} p50=${r.latency.p50.toFixed(1)} ms  p99=${r.latency.p99.toFixed(1)} ms  (n=${r.requests.total}, non-2xx ${r.non2xx})`);
  }
} finally {
  await stack.stop();
  site.cleanup();
}
process.exit(0);
