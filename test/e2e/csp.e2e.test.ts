// The built dashboard and the API docs under the services' Content-Security-Policy, in real
// Chromium: an operator logs in, opens every screen of the menu and the docs, and the browser
// reports no policy violation (no inline script or style, nothing from elsewhere).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, type Stack } from '../helpers/stack.ts';
import { launchChromium } from '../helpers/browser.ts';

const ROUTES = ['floor', 'activity', 'today', 'gateways', 'members', 'plans', 'cards', 'audit', 'reports', 'mine'];

describe('Content-Security-Policy in Chromium', () => {
  let site: TestSite;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    site = await makeTestSite();
    stack = await startStack(site, { gateway: false });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    site?.cleanup();
  });

  /** A page that records every CSP violation (the DOM event) and every console line about one. */
  async function watched(): Promise<{ page: Page; violations: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const page = await context.newPage();
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
    // Runs in the page before its own scripts (a script the test injects; the policy does not apply to it).
    await page.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (e) =>
        window.reportViolation(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));`,
    });
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    return { page, violations };
  }

  it('the dashboard loads, logs in and shows every screen with no violation; so do the docs', async () => {
    const { page, violations } = await watched();
    const res = await page.goto(stack.baseUrl + '/');
    expect(res?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.fill('#email', 'ida@kystkontor.dk');
    await page.fill('#password', 'operator-ida');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-live=live]');
    const seen: string[] = [];
    for (const route of ROUTES) {
      const link = page.locator(`nav a[data-route=${route}]`);
      if ((await link.count()) === 0) continue;
      await link.first().click();
      await page.waitForSelector(`main[data-route=${route}]`);
      // The reports draw their charts after a lazy import: wait for them, so uPlot's styles and
      // elements are under the policy too, not left behind by the next click.
      if (route === 'reports') await page.waitForSelector('main[data-route=reports] .uplot', { timeout: 15_000 });
      seen.push(route);
    }
    // The operator's menu has the screens the policy must hold for (reports draws the heatmap).
    expect(seen).toEqual(expect.arrayContaining(['members', 'gateways', 'reports']));
    // Swagger UI, logged in (the docs need a host or operator).
    const docs = await page.goto(stack.baseUrl + '/docs');
    expect(docs?.status()).toBe(200);
    await page.waitForSelector('.swagger-ui .info .title');
    await page.waitForSelector('.opblock');
    await page.waitForTimeout(300); // late style and image loads report after the render
    expect(violations).toEqual([]);
  });

  it('the production build has no source maps, nor a pointer to one (the files it serves are the ones built)', () => {
    const dir = new URL('../../dist/dashboard/', import.meta.url).pathname;
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' });
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    const scripts = files.filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const f of scripts) expect([f, readFileSync(join(dir, f), 'utf8').includes('sourceMappingURL')]).toEqual([f, false]);
  });
});
