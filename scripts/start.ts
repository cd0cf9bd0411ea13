// `npm start`: the demo site. Builds the dashboard if needed, generates the demo secrets on
// first run, then runs the services, a gateway with simulated hardware, the demo-day simulator
// and Node-RED (the operators' rules) as separate processes with labelled logs, supervised: a
// process that dies is started again after a growing delay (scripts/lib/supervisor.ts). Ctrl-C
// stops everything in reverse order; a start-up that fails stops what it had started.
import { join } from 'node:path';
import { loadSiteConfig, ensureSecretsFile, defaultSecretsPath, ConfigError } from '../config/load.ts';
import { startProcess, logMsg, ROOT } from './lib/proc.ts';
import { buildDemo } from './lib/build-if-stale.ts';
import { runSupervised } from './lib/supervisor.ts';
import { printSupervisorEvents } from './lib/supervisor-log.ts';
import { formatLogLine } from './lib/log-format.ts';
import { loadNodeRedSite } from '../config/node-red/site.ts';
import { bannerLines } from './lib/banner.ts';
import { runtimeLine, unsupportedReason } from './lib/node-runtime.ts';

const CONFIG = process.env.SMARTSPACE_CONFIG ?? join(ROOT, 'config/demo/site.yaml');
const SIM_CONTROL = process.env.SMARTSPACE_SIM_CONTROL ?? '127.0.0.1:18831';

async function main(): Promise<void> {
  const unsupported = unsupportedReason();
  if (unsupported) {
    console.error(unsupported);
    process.exit(1);
  }
  console.log(runtimeLine());
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
  // Node-RED's view of the site (port, where its login is): read before any process starts.
  const nodeRed = loadNodeRedSite({ configPath: CONFIG, secretsPath: defaultSecretsPath(CONFIG) });
  // The processes run as compiled JavaScript, as on a Pi: no TypeScript loader in memory.
  buildDemo();

  const print = (l: Parameters<typeof formatLogLine>[0]) => console.log(formatLogLine(l));
  const onEvent = printSupervisorEvents();

  await runSupervised({ onEvent }, async (sup) => {
    await sup.start(
      'services',
      () => startProcess('services', 'services/main.ts', ['--config', CONFIG], { onLine: print, compiled: true }),
      (p) => p.waitForLog(logMsg('services ready'), 60_000),
    );
    await Promise.all(
      config.gateways.map((g, i) =>
        sup.start(
          g.id,
          () =>
            startProcess(g.id, 'gateway/main.ts', ['--config', CONFIG, '--gateway', g.id, ...(i === 0 ? ['--sim-control', SIM_CONTROL] : [])], {
              onLine: print,
              compiled: true,
              // A 1 MB young generation: ~13 MB less resident memory on a Pi, tap latency unchanged
              // (measured by the gateway hardware benchmark).
              nodeArgs: ['--max-semi-space-size=1'],
            }),
          (p) => p.waitForLog(logMsg('gateway ready'), 60_000),
        ),
      ),
    );
    const seed = config.services.seed;
    await sup.start('sim', () =>
      startProcess('sim', 'gateway/sim/demo-day.ts', ['--control', `http://${SIM_CONTROL}`, '--config', CONFIG, ...(seed ? ['--cards', seed] : [])], {
        onLine: print,
        compiled: true,
      }),
    );
    // Node-RED: the shipped rules, the smartspace palette, the editor behind the operator login.
    await sup.start(
      'node-red',
      () =>
        startProcess('node-red', 'node_modules/node-red/red.js', ['--settings', 'config/node-red/settings.cjs'], {
          onLine: print,
          env: { SMARTSPACE_CONFIG: CONFIG, SMARTSPACE_SECRETS_FILE: nodeRed.secretsPath },
        }),
      (p) => p.waitForLog(logMsg('Started flows'), 60_000),
    );
    console.log(bannerLines(config, nodeRed).join('\n'));
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
