// One side of `npm run bench:security` (prints one JSON line, asserts nothing): login latency and
// API latency at a fixed rate against the compiled services of the tree this file sits in. The
// orchestrator (security.ts) copies this file into a worktree of the baseline commit and runs it
// there too, so it may use only helpers that both trees have: makeTestSite, startStack, login.
import { createRequire } from 'node:module';
import { request } from 'node:http';
import { makeTestSite } from '../helpers/site.ts';
import { startStack, login } from '../helpers/stack.ts';

interface Result {
  latency: { p50: number; p99: number; max: number };
  requests: { total: number };
  non2xx: number;
  errors: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: object) => Promise<Result>;

const SECONDS = Number(process.env.BENCH_API_S ?? 10);
const LOGINS = Number(process.env.BENCH_LOGINS ?? 60);
const RATE = 200;
const WARM_S = Number(process.env.BENCH_WARM_S ?? 6);

/** A login from a chosen loopback source address (127.0.0.x): each address is its own client IP
 * for the per-IP login limit, so the measurement never waits out a limit window. */
function loginFrom(base: string, email: string, password: string, localAddress: string): Promise<void> {
  const body = JSON.stringify({ email, password });
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/api/login`,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`login ${email} from ${localAddress}: HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

const site = await makeTestSite();
const stack = await startStack(site, { gateway: false, compiled: true });
const out: Record<string, { p50: number; p99: number; n: number; non2xx?: number }> = {};
try {
  const base = stack.baseUrl;
  // Right passwords, one after the other, alternating two accounts: what a member waits for.
  // The password hash dominates; the hardening must not add to it.
  const accounts: [string, string][] = [
    ['jonas@kystkontor.dk', 'member-jonas'],
    ['mette@kystkontor.dk', 'host-mette'],
  ];
  const logins: number[] = [];
  for (let i = 0; i < LOGINS; i++) {
    const [email, password] = accounts[i % 2]!;
    const t0 = performance.now();
    await loginFrom(base, email, password, `127.0.0.${2 + Math.floor(i / 8)}`);
    logins.push(performance.now() - t0);
  }
  logins.sort((a, b) => a - b);
  out['POST /api/login (right password)'] = { n: logins.length, p50: pct(logins, 50), p99: pct(logins, 99) };

  const member = await login(base, 'jonas@kystkontor.dk', 'member-jonas');
  const host = await login(base, 'mette@kystkontor.dk', 'host-mette');
  const routes: [string, string, Record<string, string>][] = [
    ['GET /api/doors (member cookie)', '/api/doors', { cookie: member }],
    ['GET /api/members?limit=50 (host cookie)', '/api/members?limit=50', { cookie: host }],
    ['GET /api/members, Bearer junk (refused)', '/api/members', { authorization: 'Bearer junk' }],
  ];
  // Warm-up, not measured: the first seconds after start carry JIT and first-use costs that
  // dwarf any difference between the trees (p99 ~20 ms in both, falling to a few ms).
  for (const [, path, headers] of routes) await autocannon({ url: `${base}${path}`, headers, connections: 2, overallRate: RATE, duration: WARM_S });
  for (const [label, path, headers] of routes) {
    const r = await autocannon({ url: `${base}${path}`, headers, connections: 2, overallRate: RATE, duration: SECONDS });
    out[label] = { n: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx };
  }
} finally {
  await stack.stop();
  site.cleanup();
}
process.stdout.write(`BENCH ${JSON.stringify(out)}\n`);
process.exit(0);
