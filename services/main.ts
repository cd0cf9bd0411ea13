// The services process: `tsx services/main.ts --config <site.yaml>`.
// Exit codes: 0 after SIGINT/SIGTERM, 1 when it cannot start, 2 for a bad config or usage.
import { parseArgs } from 'node:util';
import { createLogger } from '../runtime/log.ts';
import { stopOnSignals } from '../runtime/signals.ts';
import { ConfigError, defaultSecretsPath, loadSecrets, loadSiteConfig } from '../config/load.ts';
import { buildApp, type App } from './app.ts';

const USAGE = 'usage: tsx services/main.ts --config <path/to/site.yaml>';

function configPath(): string {
  try {
    const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' } }, strict: true });
    if (values.config) return values.config;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
  }
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const path = configPath();
  const log = createLogger('services');
  let app: App | undefined;
  let ready: Awaited<ReturnType<App['listen']>>;
  let config: ReturnType<typeof loadSiteConfig>;
  try {
    config = loadSiteConfig(path);
    const secrets = loadSecrets(config, defaultSecretsPath(path));
    app = await buildApp(config, secrets, { logger: log });
    ready = await app.listen();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`config error: ${err.message}\n`);
      await app?.close();
      process.exit(2);
    }
    log.fatal({ err }, 'services failed to start');
    await app?.close().catch(() => undefined);
    process.exit(1);
  }

  const running = app;
  stopOnSignals({ name: 'services', log, stop: () => running.close() });
  // `systemctl reload` / a certbot deploy hook: renewed certificates without a restart. A bad
  // file keeps the certificates in use and says why.
  process.on('SIGHUP', () => {
    try {
      running.reloadTls();
    } catch (err) {
      log.error({ error: (err as Error).message }, 'tls certificates not reloaded, the previous ones stay in use');
    }
  });
  // "services ready" comes last: a supervisor that stops us the moment it reads the line finds
  // the signal handlers already in place.
  const { httpPort, mqttPort, mqttsPort } = ready;
  const { http } = config.services;
  const host = http.host.includes(':') ? `[${http.host}]` : http.host;
  log.info(
    {
      http: `${http.tls ? 'https' : 'http'}://${host}:${httpPort}`,
      mqtt: config.broker.external ? config.broker.url : mqttPort,
      ...(mqttsPort ? { mqtts: mqttsPort } : {}),
    },
    'services ready',
  );
}

void main();
