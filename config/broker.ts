// Which broker a site uses and how its clients name themselves there: the embedded aedes broker
// (default) or an external one (Mosquitto, `broker.external: true`). Shared by services, gateway
// and the Mosquitto config generator (scripts/mosquitto-config.ts).
import type { SiteConfig } from './schema.ts';

export function isExternalBroker(config: Pick<SiteConfig, 'broker'>): boolean {
  return config.broker.external === true;
}

const DEFAULT_PORTS: Record<string, number> = { 'mqtt:': 1883, 'mqtts:': 8883, 'ws:': 80, 'wss:': 443 };

export interface BrokerEndpoint {
  protocol: 'mqtt' | 'mqtts' | 'ws' | 'wss';
  /** Host name or address as written (IPv6 without brackets). */
  host: string;
  port: number;
  /** WebSocket path ('/' for mqtt and mqtts). */
  path: string;
}

/** Parses `broker.url`; throws an Error with a message for the operator when it is malformed. */
export function parseBrokerUrl(url: string): BrokerEndpoint {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(url)}`);
  }
  const port0 = DEFAULT_PORTS[u.protocol];
  if (port0 === undefined) throw new Error(`unsupported scheme ${u.protocol} (mqtt, mqtts, ws or wss)`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new Error('no host');
  if (u.username || u.password) throw new Error('credentials belong in the secrets file, not in the URL');
  const port = u.port === '' ? port0 : Number(u.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`bad port ${u.port}`);
  const protocol = u.protocol.slice(0, -1) as BrokerEndpoint['protocol'];
  if ((protocol === 'mqtt' || protocol === 'mqtts') && u.pathname !== '' && u.pathname !== '/')
    throw new Error(`a path (${u.pathname}) means nothing for ${protocol}://`);
  return { protocol, host, port, path: u.pathname || '/' };
}

/** The MQTT client id of the services on an external broker: fixed, so that their session persists. */
export function servicesClientId(site: string): string {
  return `smartspace-services-${site}`;
}

/**
 * A gateway's MQTT username. Mosquitto's password file is `user:hash` split at the first ':'
 * (and mosquitto_passwd refuses a ':' in a username), so on an external broker the gateway is
 * `gateway.<id>` instead of the embedded broker's `gateway:<id>` (unchanged there).
 */
export function gatewayMqttUsername(config: Pick<SiteConfig, 'broker'>, gatewayId: string): string {
  return `${isExternalBroker(config) ? EXTERNAL_GATEWAY_PREFIX : 'gateway:'}${gatewayId}`;
}

export const EXTERNAL_GATEWAY_PREFIX = 'gateway.';
