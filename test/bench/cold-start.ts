// `npm run bench:cold-start` (part of `npm run bench`): how long a Pi's processes take from being
// spawned to being useful, compiled JavaScript as a site runs them (dist/node). Prints, asserts
// nothing. N runs each (BENCH_COLD_RUNS, default 10), p50/p99; for each process also the CPU time
// it used until then (user + system, from /proc: what other load on the machine cannot inflate,
// unlike the wall time; the load average is printed) and its RSS then.
//  1. Baseline in the same run: `node -e 0`, spawn → exit.
//  2. Gateway: spawn `node dist/node/gateway/main.js` → "first door decision possible", measured
//     two ways: (a) its `gateway ready` log line; (b) a card tapped through its sim control unlocks
//     the sim lock (the access list on disk loaded, the door controller deciding), polling from
//     the spawn on. Target ≤ 1.5 s for both. No broker: a door decision never waits for one.
//  3. Services: spawn `node dist/node/services/main.js` → `GET /api/health` answers 200 (polled
//     from the spawn on), with an existing database (a restart, as after a power cut) and with an
//     empty data dir (the first start: migrations and the seed). Target ≤ 3 s.
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { makeTestSite, freePort, type TestSite } from '../helpers/site.ts';
import { startProcess, logMsg, type ManagedProcess } from '../../scripts/lib/proc.ts';
import { demoEntries, signedList } from '../gateway/helpers/acl.ts';
import { line, rssMb, summarise } from './stats.ts';

const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 10);
const GATEWAY_TARGET_MS = 1500;
const SERVICES_TARGET_MS = 3000;
/** A staff card of the demo site: opens the front door at any hour. */
const CARD = '0400A1B2C3';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Run {
  ms: number;
  rssMb: number;
  /** CPU the process used until then (user + system): what a busy machine cannot inflate. */
  cpuMs: number;
}

/** User + system CPU time of a process so far, ms (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

const sample = (pid: number, ms: number): Run => ({ ms, rssMb: rssMb(pid), cpuMs: cpuMs(pid) });

function report(label: string, runs: Run[], targetMs?: number): void {
  console.log(line(label, summarise(runs.map((r) => r.ms)), 'ms', targetMs ? { p99: targetMs } : undefined));
  if (runs.every((r) => Number.isNaN(r.rssMb))) return;
  console.log(line(`  its CPU time until then`, summarise(runs.map((r) => r.cpuMs)), 'ms'));
  console.log(line(`  its RSS then`, summarise(runs.map((r) => r.rssMb)), 'MB'));
}

async function baseline(): Promise<Run[]> {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => child.once('exit', () => resolve()).once('error', reject));
    runs.push({ ms: performance.now() - t0, rssMb: NaN, cpuMs: NaN });
  }
  return runs;
}

/** Polls `attempt` (false or a throw: not yet) every 5 ms (more steals the CPU being measured) until it says yes or the process dies. */
async function until(proc: ManagedProcess, what: string, attempt: () => Promise<boolean>, timeoutMs = 20_000): Promise<number> {
  const end = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited before ${what}:\n${proc.lines.map((l) => l.text).join('\n')}`);
    try {
      if (await attempt()) return performance.now();
    } catch (err) {
      last = err; // not listening yet
    }
    if (performance.now() > end) throw new Error(`${proc.name}: ${what} not within ${timeoutMs} ms (last: ${String(last)})`, { cause: last });
    await sleep(5);
  }
}

async function gatewayRuns(site: TestSite): Promise<{ ready: Run[]; decision: Run[] }> {
  const gwDir = site.config.gateways[0]!.dataDir;
  mkdirSync(gwDir, { recursive: true });
  const list = signedList({ gateway: 'gw-main', key: site.secrets.gateways['gw-main']!.key, version: 1, entries: demoEntries(site.secrets.siteKey) });
  writeFileSync(join(gwDir, 'acl.json'), JSON.stringify(list));
  const ready: Run[] = [];
  const decision: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const port = await freePort();
    const args = ['--config', site.configPath, '--gateway', 'gw-main', '--sim-control', `127.0.0.1:${port}`];
    // (a) Nothing polls it: the log line alone.
    {
      let readyAt = 0;
      const t0 = performance.now();
      const gw = startProcess('gateway', 'gateway/main.ts', args, {
        compiled: true,
        onLine: (l) => {
          if (readyAt === 0 && logMsg('gateway ready')(l)) readyAt = performance.now();
        },
      });
      try {
        await gw.waitForLog(logMsg('gateway ready'), 20_000);
        ready.push(sample(gw.child.pid!, readyAt - t0));
      } finally {
        await gw.stop();
      }
    }
    // (b) Tapped from the spawn on until the sim control takes the tap (its port listens, the
    // reader runs) and the lock shows the decision.
    const sim = `http://127.0.0.1:${port}`;
    const t0 = performance.now();
    const gw = startProcess('gateway', 'gateway/main.ts', args, { compiled: true });
    try {
      const decidedAt = await until(gw, 'a tap unlocking the door', async () => {
        const tap = await fetch(`${sim}/sim/tap`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ reader: 'front-reader', uid: CARD }),
        });
        await tap.arrayBuffer();
        if (!tap.ok) return false;
        for (let k = 0; k < 500; k++) {
          const state = (await (await fetch(`${sim}/sim/state`)).json()) as { locks: Record<string, { unlocked: boolean }> };
          if (state.locks['front-lock']?.unlocked) return true;
          await sleep(1);
        }
        throw new Error('tap answered but the door stayed locked');
      });
      decision.push(sample(gw.child.pid!, decidedAt - t0));
    } finally {
      await gw.stop();
    }
  }
  return { ready, decision };
}

async function servicesRuns(site: TestSite, fresh: boolean): Promise<Run[]> {
  const runs: Run[] = [];
  const health = `http://127.0.0.1:${site.httpPort}/api/health`;
  for (let i = 0; i < RUNS; i++) {
    if (fresh) rmSync(site.config.services.dataDir, { recursive: true, force: true });
    const t0 = performance.now();
    const svc = startProcess('services', 'services/main.ts', ['--config', site.configPath], { compiled: true });
    try {
      const at = await until(svc, '/api/health 200', async () => {
        const r = await fetch(health);
        await r.arrayBuffer();
        return r.status === 200;
      });
      runs.push(sample(svc.child.pid!, at - t0));
    } finally {
      await svc.stop();
    }
  }
  return runs;
}

// The first fetch loads undici into this process: not the measured processes' time.
await fetch('http://127.0.0.1:1').catch(() => undefined);

const site = await makeTestSite((raw) => {
  raw.broker.url = 'mqtt://127.0.0.1:1'; // gateway runs: no broker
});
const servicesSite = await makeTestSite();
try {
  console.log(`cold start, compiled JavaScript, ${RUNS} runs each, Node ${process.version}`);
  console.log(
    `load average at the start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${availableParallelism()} cores`,
  );
  report('node -e 0 (baseline, spawn → exit)', await baseline());
  const gw = await gatewayRuns(site);
  report('gateway: spawn → "gateway ready" log line', gw.ready, GATEWAY_TARGET_MS);
  report('gateway: spawn → first tap unlocks (sim control)', gw.decision, GATEWAY_TARGET_MS);
  report('services, empty data dir: spawn → /api/health 200', await servicesRuns(servicesSite, true), SERVICES_TARGET_MS);
  report('services, restart: spawn → /api/health 200', await servicesRuns(servicesSite, false), SERVICES_TARGET_MS);
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  site.cleanup();
  servicesSite.cleanup();
}
process.exit(0);
