// The services with `broker.external: true` and no broker there (yet): no embedded broker, the
// HTTP API up meanwhile, and a stop that does not wait for a broker that never comes. With
// Mosquitto itself: test/e2e/external-broker.e2e.test.ts.
import { describe, it, expect } from 'vitest';
import { createServer } from 'node:net';
import { makeTestSite, freePort } from '../helpers/site.ts';
import { buildApp } from '../../services/app.ts';
import { MqttLink, LinkError } from '../../services/mqtt/link.ts';
import { silent, waitFor, NO_DASHBOARD } from './helpers.ts';

describe('services with an external broker that is not there', () => {
  it('start no broker of their own, serve health meanwhile, and close() ends the wait for the broker', async () => {
    const site = await makeTestSite((raw) => (raw.services.http.port = 0), { externalBroker: true });
    try {
      const app = await buildApp(site.config, site.secrets, { logger: silent(), dashboardDir: NO_DASHBOARD });
      expect(app.broker).toBeNull();
      let settled = false;
      const listening = app.listen();
      listening.then(
        () => (settled = true),
        () => (settled = true),
      );
      // The HTTP API is up while the link still waits for the broker.
      await waitFor(() => app.http.server.listening);
      // Nobody listens at broker.url: the embedded broker's port is free, so nothing was started there.
      await new Promise<void>((resolve, reject) => {
        const probe = createServer().once('error', reject);
        probe.listen(site.mqttPort, '127.0.0.1', () => probe.close(() => resolve()));
      });
      const port = (app.http.server.address() as { port: number }).port;
      const h = (await (
        await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { authorization: `Bearer ${site.secrets.automationToken}` } })
      ).json()) as { broker: { clients: number | null } };
      expect(h.broker.clients).toBeNull();
      expect(settled).toBe(false); // still waiting for the broker
      // close() ends that wait: listen() fails with the link's error instead of retrying on.
      // (A close() that waited for the broker would never resolve: the test's timeout fails it.)
      await app.close();
      await expect(listening).rejects.toBeInstanceOf(LinkError);
    } finally {
      site.cleanup();
    }
  });

  it('a persistent session needs a fixed client id', async () => {
    const link = new MqttLink({
      url: `mqtt://127.0.0.1:${await freePort()}`,
      username: 'services',
      password: 'x'.repeat(16),
      site: 'klitmoller',
      subscriptions: [],
      clean: false,
      log: silent(),
      now: Date.now,
      onMessage: () => undefined,
    });
    await expect(link.start()).rejects.toThrow(/fixed clientId/);
  });
});
