// `npm start`: the demo site. Builds the dashboard if needed, generates the demo secrets on
// first run, then runs the services, a gateway with simulated hardware and the demo-day
// simulator as separate processes with labelled logs. Ctrl-C stops everything in reverse order.
import { existsSync, statSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { loadSiteConfig, ensureSecretsFile, defaultSecretsPath, ConfigError } from '../config/load.ts';
import { startProcess, logMsg, ROOT, type ManagedProcess } from './lib/proc.ts';
import { formatLogLine } from './lib/log-format.ts';

const CONFIG = process.env.SMARTSPACE_CONFIG ?? join(ROOT, 'config/demo/site.yaml');
const SIM_CONTROL = process.env.SMARTSPACE_SIM_CONTROL ?? '127.0.0.1:18831';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function buildDashboardIfNeeded(): void {
  const index = join(ROOT, 'dist/dashboard/index.html');
  const src = join(ROOT, 'dashboard');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(src)) return;
  console.log('building the dashboard…');
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'dashboard/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('dashboard build failed');
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadSiteConfig(CONFIG);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`config error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  ensureSecretsFile(config, defaultSecretsPath(CONFIG));
  buildDashboardIfNeeded();

  const procs: ManagedProcess[] = [];
  let stopping = false;
  const print = (l: Parameters<typeof formatLogLine>[0]) => console.log(formatLogLine(l));
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    for (const p of [...procs].reverse()) await p.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const watch = (p: ManagedProcess) => {
    procs.push(p);
    void p.exited.then(({ code, signal }) => {
      if (stopping) return;
      console.error(`${p.name} exited unexpectedly (code ${code}, signal ${signal}); stopping the demo`);
      void stopAll(1);
    });
    return p;
  };

  const services = watch(startProcess('services', 'services/main.ts', ['--config', CONFIG], { onLine: print }));
  await services.waitForLog(logMsg('services ready'), 60_000);
  const gateways = config.gateways.map((g, i) =>
    watch(
      startProcess(g.id, 'gateway/main.ts', ['--config', CONFIG, '--gateway', g.id, ...(i === 0 ? ['--sim-control', SIM_CONTROL] : [])], {
        onLine: print,
      }),
    ),
  );
  await Promise.all(gateways.map((p) => p.waitForLog(logMsg('gateway ready'), 60_000)));
  const seed = config.services.seed;
  watch(
    startProcess('sim', 'gateway/sim/demo-day.ts', ['--control', `http://${SIM_CONTROL}`, '--config', CONFIG, ...(seed ? ['--cards', seed] : [])], {
      onLine: print,
    }),
  );

  const url = `http://${config.services.http.host === '0.0.0.0' ? '127.0.0.1' : config.services.http.host}:${config.services.http.port}/`;
  const members = seed ? ((parse(readFileSync(seed, 'utf8')) as { members?: Array<{ email: string; password: string; role: string }> }).members ?? []) : [];
  console.log(
    [
      '',
      `  smartspace demo: ${config.site.name}`,
      `  dashboard      ${url}`,
      `  health         ${url}api/health`,
      `  MQTT broker    mqtt://${config.services.mqtt.host}:${config.services.mqtt.port} (ws: ${url.replace('http', 'ws')}${config.services.mqtt.wsPath.slice(1)})`,
      '  logins:',
      ...members.map((m) => `    ${m.role.padEnd(9)} ${m.email.padEnd(24)} ${m.password}`),
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
