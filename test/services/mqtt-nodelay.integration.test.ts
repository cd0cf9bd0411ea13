// Both MQTT links (services and gateway) turn Nagle's algorithm off on their socket: with it on,
// a packet written while the previous one is unacknowledged waits for the broker's delayed ACK
// (~40 ms on Linux); two door commands at once took ~38 ms to be acknowledged instead of ~2 ms.
// Asserted on the socket calls, not on timings.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { Socket } from 'node:net';
import { startApp, silent, type Running } from './helpers.ts';
import { MqttLink as ServicesLink } from '../../services/mqtt/link.ts';
import { MqttLink as GatewayLink } from '../../gateway/mqtt/mqtt-link.ts';

let running: Running | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await running?.stop();
  running = null;
});

/** The local ports of the sockets that had setNoDelay(true) called on them. */
function noDelaySpy(): () => number[] {
  const spy = vi.spyOn(Socket.prototype, 'setNoDelay');
  return () => spy.mock.contexts.filter((_s, i) => spy.mock.calls[i]![0] === true).map((s) => (s as Socket).localPort ?? -1);
}

describe('MQTT links without Nagle', () => {
  it('the services link sets TCP_NODELAY on its connection', async () => {
    running = await startApp();
    const ports = noDelaySpy();
    const link = new ServicesLink({
      url: `mqtt://127.0.0.1:${running.mqttPort}`,
      username: 'services',
      password: running.site.secrets.mqtt.services,
      site: running.site.config.site.id,
      subscriptions: [running.t.wildcard.gatewayStatus],
      log: silent(),
      now: Date.now,
      onMessage: () => {},
    });
    await link.start();
    try {
      expect(ports().length).toBeGreaterThan(0);
    } finally {
      await link.close();
    }
  });

  it('the gateway link sets TCP_NODELAY on its connection', async () => {
    running = await startApp();
    const ports = noDelaySpy();
    const link = new GatewayLink({
      url: `mqtt://127.0.0.1:${running.mqttPort}`,
      clientId: 'gw-main-nodelay',
      username: 'gateway:gw-main',
      password: running.site.secrets.gateways['gw-main']!.mqttPassword,
      subscriptions: [],
      will: () => running!.t.message('gatewayStatus', 'gw-main', { v: 1, ts: Date.now(), gateway: 'gw-main', state: 'offline' }),
    });
    const up = new Promise<void>((resolve) => link.once('up', () => resolve()));
    link.start();
    try {
      await up;
      expect(ports().length).toBeGreaterThan(0);
    } finally {
      await link.stop();
    }
  });
});
