// The public availability page and widget in real Chromium (issue 16 part 2), with the demo's
// eight weeks of history and public.enabled: on a Danish phone over a throttled line, JavaScript
// off, the page shows the number of free desks; the widget, on another origin with a strict CSP
// of its own, shows it too. The load time is printed, never asserted. Screenshots (phone, Danish)
// go to test/e2e/screenshots/.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import type { PublicAvailability } from '../../contracts/api/index.ts';
import { launchChromium, phoneContext } from '../helpers/browser.ts';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const PHONE = phoneContext('da');
/** The line: 400 kbit/s each way and 400 ms round trip (a poor rural 4G cell; harsher than DevTools' "Slow 4G" download). */
const LINE = { offline: false, latency: 400, downloadThroughput: (400 * 1000) / 8, uploadThroughput: (400 * 1000) / 8 };

/** The browser's own Navigation Timing: the test's wall clock adds Playwright's round trips on a loaded machine. */
async function timing(page: Page): Promise<string> {
  // A string: the test tier's types have no DOM (Node's performance lacks navigation entries).
  const t = await page.evaluate<{ connect: number; response: number; dom: number; bytes: number }>(`(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return { connect: n.connectEnd - n.startTime, response: n.responseEnd - n.startTime, dom: n.domContentLoadedEventEnd - n.startTime, bytes: n.transferSize };
  })()`);
  return `in the browser: connected ${t.connect.toFixed(0)} ms, page received ${t.response.toFixed(0)} ms, DOM ready ${t.dom.toFixed(0)} ms (${t.bytes} bytes)`;
}

describe('the public availability page, on a Danish phone over a slow line', () => {
  let site: TestSite;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    site = await makeTestSite((raw) => void (raw.public = { enabled: true }), { history: true });
    stack = await startStack(site);
    // The simulated gateway's desks have reported: before that every desk is unknown, and the page
    // says the sensors are silent instead of a count.
    await eventually(
      async () => {
        const a = (await (await fetch(`${stack.baseUrl}/api/public/availability`)).json()) as PublicAvailability;
        return a.unknown === 0 ? a : undefined;
      },
      60_000,
      'every desk reported by the gateway',
    );
    browser = await launchChromium({ lang: 'da' });
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    site?.cleanup();
  });

  it('shows the free desks, open hours and the forecast with JavaScript off, throttled', async () => {
    const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', LINE);
      const t0 = Date.now();
      await page.goto(`${stack.baseUrl}/public`, { waitUntil: 'commit' });
      await page.waitForSelector('#free');
      const ms = Date.now() - t0;
      console.log(`public page (400 kbit/s, 400 ms RTT, JavaScript off): free desks found after ${ms} ms in the test, ${await timing(page)}`);
      // Again, as a returning visitor's next look (new connection, the forecast already made).
      const t1 = Date.now();
      await page.goto(`${stack.baseUrl}/public?lang=da`, { waitUntil: 'commit' });
      await page.waitForSelector('#free');
      console.log(`public page, second load: ${Date.now() - t1} ms in the test, ${await timing(page)}`);
      expect((await page.textContent('#free'))?.trim()).toMatch(/^\d+$/);
      const text = (await page.textContent('body')) ?? '';
      expect(text).toContain('ledige pladser nu');
      expect(text).toMatch(/Åbent i dag \d\d:\d\d–\d\d:\d\d|Lukket i dag/);
      // Eight weeks of history: the chart has bars with a typical busyness, not only "not enough data".
      expect(await page.locator('svg rect.m').count()).toBeGreaterThan(0);
      await page.screenshot({ path: `${SHOTS}public-page-da-phone.png`, fullPage: true });
    } finally {
      await context.close();
    }
  }, 60_000);

  it('runs the widget on another origin under that site’s strict CSP', async () => {
    const context = await browser.newContext(PHONE);
    let after = () => Promise.resolve();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
      page.on('pageerror', (e) => void errors.push(e.message));
      // The space's own website: another origin (its own port on loopback: Chromium refuses a
      // public page reaching loopback, as it should), whose CSP lets in scripts and fetches from
      // the services' origin and nothing inline.
      const api = new URL(stack.baseUrl).origin;
      const html = `<!doctype html><html lang="da"><meta name="viewport" content="width=device-width"><h1>Kystkontoret</h1>
<smartspace-availability src="${api}/api/public/availability"></smartspace-availability><script src="${api}/public/widget.js"></script>`;
      const csp = `default-src 'none'; script-src ${api}; connect-src ${api}; style-src 'none'`;
      const own = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp }).end(html));
      await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
      after = () => new Promise<void>((resolve) => own.close(() => resolve()));
      await page.goto(`http://127.0.0.1:${(own.address() as AddressInfo).port}/`);
      await page.waitForSelector('smartspace-availability .n', { timeout: 15_000 }).catch((err: Error) => {
        throw new Error(`${err.message}\nconsole: ${errors.join(' | ')}\n${String(Date.now())}`);
      });
      expect((await page.textContent('smartspace-availability .n'))?.trim()).toMatch(/^\d+$/);
      expect(await page.textContent('smartspace-availability')).toBe('');
      expect(await page.locator('smartspace-availability .s').first().textContent()).toContain('ledige pladser nu');
      expect(errors).toEqual([]);
      await page.screenshot({ path: `${SHOTS}public-widget-da-phone.png`, fullPage: true });
    } finally {
      await context.close();
      await after();
    }
  }, 60_000);
});
