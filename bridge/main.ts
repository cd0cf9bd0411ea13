// The bridge process: `node dist/node/bridge/main.js --config <site.yaml>` (or `tsx bridge/main.ts`).
// Reads zigbee2mqtt and ESPHome on `bridge.source` and publishes the desks whose sensors are
// `driver: zigbee2mqtt` / `esphome` to the site's broker as the `bridge` role. Composition root:
// load config and secrets, build, start, stop on SIGINT/SIGTERM. Exit codes: 0 clean stop,
// 1 failure at run time, 2 bad config or arguments.
import { parseArgs } from 'node:util';
import { loadSiteConfig, loadSecrets, defaultSecretsPath, ConfigError } from '../config/load.ts';
import { readCa } from '../config/tls.ts';
import { contractPublisher } from '../contracts/topics.ts';
import { createLogger } from '../runtime/log.ts';
import { MqttLink, plainTcpStream } from '../runtime/mqtt-link.ts';
import { stopOnSignals } from '../runtime/signals.ts';
import { Bridge } from './bridge.ts';

const USAGE = 'usage: bridge --config <site.yaml>';
/** Rejected payloads logged one by one up to this many; after that only counted (health `dropped`). */
const LOGGED_REJECTS = 20;

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
  const bridgeConfig = config.bridge;
  if (!bridgeConfig) throw new ConfigError('bridge: missing, expected bridge.source.url (the broker zigbee2mqtt / ESPHome publish to)', 'bridge');
  const log = createLogger('bridge');
  const site = new MqttLink({
    url: config.broker.url,
    stream: plainTcpStream(config.broker.url),
    clientId: `smartspace-bridge-${config.site.id}`,
    username: 'bridge',
    password: secrets.mqtt.bridge,
    ...(config.broker.ca ? { tls: { ca: readCa(config.broker.ca) } } : {}),
  });
  let rejects = 0;
  const bridge = new Bridge({
    config,
    bridge: bridgeConfig,
    publish: contractPublisher(config.site.id, (m) =>
      site.send(m, (err) => {
        if (err) log.warn({ topic: m.topic, err: err.message }, 'publish to the site broker failed');
      }),
    ),
    onReject: (topic, error) => {
      if (++rejects <= LOGGED_REJECTS) log.warn({ topic, error, rejected: rejects }, 'malformed sensor payload rejected');
    },
  });
  if (bridge.topics.length === 0) throw new ConfigError('desks: no desk sensor has driver zigbee2mqtt or esphome: the bridge has nothing to do', 'desks');
  const src = bridgeConfig.source;
  const source = new MqttLink({
    url: src.url,
    stream: plainTcpStream(src.url),
    clientId: `smartspace-bridge-${config.site.id}-source`,
    ...(src.username && { username: src.username }),
    ...(secrets.bridgeSource && { password: secrets.bridgeSource.password }),
    qos0Subscriptions: bridge.topics,
  });
  source.on('message', (topic, payload) => bridge.handle(topic, payload));
  return { log, site, source, bridge };
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
  const { log, site, source, bridge } = parts;
  for (const [name, link] of [
    ['site', site],
    ['source', source],
  ] as const) {
    link.on('up', () => log.info({ broker: name }, 'connected'));
    link.on('down', ({ retryInMs }) => log.warn({ broker: name, retryInMs }, 'disconnected'));
    link.on('error', ({ err, during }) => log.warn({ broker: name, during, err: err.message }, 'mqtt error'));
  }
  stopOnSignals({
    name: 'bridge',
    log,
    stop: async () => {
      bridge.stop();
      await source.stop();
      await site.stop();
      log.info({ ...bridge.stats }, 'bridge totals');
    },
  });
  site.start();
  source.start();
  bridge.start();
  log.info({ desks: bridge.desks, topics: bridge.topics.length }, 'bridge ready');
}

try {
  main();
} catch (err: unknown) {
  process.stderr.write(`bridge failed: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
}
