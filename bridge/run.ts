// The bridge's two links and its state, wired: what bridge/main.ts starts, and what the
// integration test starts in-process against real brokers.
import { readCa } from '../config/tls.ts';
import { ConfigError } from '../config/load.ts';
import type { Secrets, SiteConfig } from '../config/schema.ts';
import { contractPublisher } from '../contracts/topics.ts';
import type { Logger } from '../runtime/log.ts';
import { MqttLink, plainTcpStream } from '../runtime/mqtt-link.ts';
import { Bridge } from './bridge.ts';

/** Rejected payloads logged one by one up to this many; after that only counted (health `dropped`). */
const LOGGED_REJECTS = 20;

export interface BridgeProcess {
  bridge: Bridge;
  site: MqttLink;
  source: MqttLink;
  start(): void;
  stop(): Promise<void>;
}

export function buildBridge(config: SiteConfig, secrets: Secrets, log: Logger, opts: { holdMs?: number; enterMs?: number } = {}): BridgeProcess {
  const bridgeConfig = config.bridge;
  if (!bridgeConfig) throw new ConfigError('bridge: missing, expected bridge.source.url (the broker zigbee2mqtt / ESPHome publish to)', 'bridge');
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
    ...opts,
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
  for (const [name, link] of [
    ['site', site],
    ['source', source],
  ] as const) {
    link.on('up', () => log.info({ broker: name }, 'connected'));
    link.on('down', ({ retryInMs }) => log.warn({ broker: name, retryInMs }, 'disconnected'));
    link.on('error', ({ err, during }) => log.warn({ broker: name, during, err: err.message }, 'mqtt error'));
  }
  return {
    bridge,
    site,
    source,
    start() {
      site.start();
      source.start();
      bridge.start();
    },
    async stop() {
      bridge.stop();
      await source.stop();
      await site.stop();
      log.info({ ...bridge.stats }, 'bridge totals');
    },
  };
}
