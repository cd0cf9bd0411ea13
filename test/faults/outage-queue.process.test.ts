// Issue 12, finding 15, as an order of things (the time it takes: test/bench/outage-recovery.ts):
// events queued at the gateway while the embedded broker (the services) is away all reach the
// services after it is back, each exactly once, in the order they happened, over several
// outages in a row (the gateway's reconnect backoff grows during each and is reset after).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, gatewayReady, type Stack } from '../helpers/stack.ts';
import { outage } from '../helpers/outage.ts';

describe('events queued during broker outages', () => {
  let site: TestSite;
  let stack: Stack;

  beforeAll(async () => {
    site = await makeTestSite();
    stack = await startStack(site);
    await gatewayReady(stack.baseUrl, 'gw-main');
  });

  afterAll(async () => {
    await stack?.stop();
    site?.cleanup();
  });

  it('arrive after the broker is back, all of them, once each, in order', { timeout: 180_000 }, async () => {
    const seen = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const taps = 4 + round;
      const r = await outage(stack, site, { taps, downMs: 3000, waitMs: 60_000 });
      expect(r.events, `round ${round}`).toHaveLength(taps);
      for (const e of r.events) {
        expect(e.receivedAt, `round ${round}: stored after the services were started again`).toBeGreaterThanOrEqual(r.restartedAt);
        expect(seen.has(e.id), `round ${round}: event ${e.id} stored twice`).toBe(false);
        seen.add(e.id);
      }
      // In the order they happened: the outbox delivers oldest first.
      const received = r.events.map((e) => e.receivedAt);
      expect(received).toEqual([...received].sort((a, b) => a - b));
      await gatewayReady(stack.baseUrl, 'gw-main', 60_000);
    }
  });
});
