// An MQTT client with the services' credentials on a real site's broker, recording everything
// under the site root: what a test checks the gateway published (events, health, status).
import { connect, type MqttClient } from 'mqtt';
import type { TestSite } from '../../helpers/site.ts';

export interface Seen {
  topic: string;
  payload: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  retain: boolean;
  at: number;
}

export interface Observer {
  seen: Seen[];
  on(topicSuffix: string): Seen[];
  close(): void;
}

export async function observe(site: TestSite): Promise<Observer> {
  const root = `smartspace/${site.config.site.id}`;
  const client: MqttClient = connect(`mqtt://127.0.0.1:${site.mqttPort}`, {
    protocolVersion: 4,
    username: 'services',
    password: site.secrets.mqtt.services,
    clientId: `test-observer-${Math.random().toString(36).slice(2)}`,
    reconnectPeriod: 500,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  const seen: Seen[] = [];
  client.on('message', (topic, buf, packet) => {
    try {
      seen.push({ topic, payload: JSON.parse(buf.toString('utf8')), retain: packet.retain, at: Date.now() });
    } catch {
      /* not ours */
    }
  });
  await client.subscribeAsync(`${root}/#`, { qos: 1 });
  return {
    seen,
    on: (suffix) => seen.filter((m) => m.topic === `${root}/${suffix}`),
    close: () => void client.end(true),
  };
}
