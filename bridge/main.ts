// The bridge process: `node dist/node/bridge/main.js --config <site.yaml>` (or `tsx bridge/main.ts`).
// Reads zigbee2mqtt and ESPHome on `bridge.source` and publishes the desks whose sensors are
// `driver: zigbee2mqtt` / `esphome` to the site's broker as the `bridge` role. Composition root:
// load config and secrets, build, start, stop on SIGINT/SIGTERM. Exit codes: 0 clean stop,
// 1 failure at run time, 2 bad config or arguments.
import { parseArgs } from 'node:util';
import { loadSiteConfig, loadSecrets, defaultSecretsPath, ConfigError } from '../config/load.ts';
import { createLogger } from '../runtime/log.ts';
import { stopOnSignals } from '../runtime/signals.ts';
import { buildBridge } from './run.ts';

const USAGE = 'usage: bridge --config <site.yaml>';

function build() {
  let values: { config?: string };
  try {
    ({ values } = parseArgs({ args: process.argv.slice(2), options: { config: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new ConfigError(`${(err as Error).message} (${USAGE})`, '(args)');
  }
  if (!values.config) throw new ConfigError(`--config is required (${USAGE})`, '--config');
  const config = loadSiteConfig(values.config);
  const secrets = loadSecrets(config, defaultSecretsPath(values.config));
  const log = createLogger('bridge');
  return { log, proc: buildBridge(config, secrets, log) };
}

function main(): void {
  let parts: ReturnType<typeof build>;
  try {
    parts = build();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`config error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const { log, proc } = parts;
  stopOnSignals({ name: 'bridge', log, stop: () => proc.stop() });
  proc.start();
  log.info({ desks: proc.bridge.desks, topics: proc.bridge.topics.length }, 'bridge ready');
}

try {
  main();
} catch (err: unknown) {
  process.stderr.write(`bridge failed: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
}
