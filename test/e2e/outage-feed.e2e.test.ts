// Issue 13, finding 15, as a host sees it: real Chromium on the dashboard against real services
// and a simulated gateway, through a small reverse proxy that answers 502 while the services are
// down (as Caddy or nginx in front of them do). The services are stopped for 20 s while cards are
// tapped (decided by the gateway, queued in its outbox) and started again; the host's open event
// feed shows every queued event without a reload, the dashboard having kept trying meanwhile.
// How long it took after the broker was back is printed (not asserted: 2 shared cores). Measured
// 2026-12-03: ~3.4-4.2 s, of which ~2.3-3 s is the gateway's reconnect backoff (capped at 3 s).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, gatewayReady, type Stack } from '../helpers/stack.ts';
import { launchChromium } from '../helpers/browser.ts';
import { outage } from '../helpers/outage.ts';

describe('the host’s event feed after an outage of the services', () => {
  let site: TestSite;
  let stack: Stack;
  let browser: Browser;
  let proxy: Server;
  let proxyUrl: string;
  /** Requests for the live stream the proxy saw, with the time and its answer. */
  const liveTries: { at: number; status: number }[] = [];

  beforeAll(async () => {
    site = await makeTestSite();
    stack = await startStack(site);
    await gatewayReady(stack.baseUrl, 'gw-main');
    browser = await launchChromium();
    proxy = createServer((req, res) => {
      const live = req.url?.startsWith('/api/live') ?? false;
      const up = request({ host: '127.0.0.1', port: site.httpPort, path: req.url, method: req.method, headers: req.headers }, (ur) => {
        if (live) liveTries.push({ at: Date.now(), status: ur.statusCode ?? 0 });
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      });
      up.on('error', () => {
        if (live) liveTries.push({ at: Date.now(), status: 502 });
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway');
        else res.destroy();
      });
      res.on('close', () => up.destroy());
      req.pipe(up);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    proxy?.closeAllConnections();
    proxy?.close();
    await stack?.stop();
    site?.cleanup();
  });

  it('shows the events queued while the services were down, without a reload', { timeout: 180_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'da-DK', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(proxyUrl + '/');
    await page.fill('#email', 'mette@kystkontor.dk');
    await page.fill('#password', 'host-mette');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-live=live]');
    const r = await outage(stack, site, { taps: 3, downMs: 20_000, waitMs: 60_000 });
    expect(r.events).toHaveLength(3);
    const storedAt = Math.max(...r.events.map((e) => e.receivedAt));
    for (const e of r.events) await page.waitForSelector(`li[data-event-id="${e.id}"]`, { state: 'attached', timeout: 60_000 });
    const shownAt = Date.now();
    // While the services were away the dashboard kept trying (each a 502)...
    const during = liveTries.filter((t) => t.at > r.restartedAt - 20_000 && t.at < r.restartedAt);
    expect(during.length, 'tries while the services were down').toBeGreaterThanOrEqual(4);
    // ...and the stream that brought the queued events was at most its second try after they were stored.
    const after = liveTries.filter((t) => t.at >= storedAt);
    expect(
      after.findIndex((t) => t.status === 200),
      'live stream tries after the events were stored',
    ).toBeLessThanOrEqual(1);
    console.log(
      `outage → host's feed in Chromium behind a proxy (issue 13, finding 15): broker back → last stored ${storedAt - r.brokerBackAt} ms, → all shown ≤ ${shownAt - r.brokerBackAt} ms; stream tries while down: ${during.length}`,
    );
    await context.close();
  });
});
