// In real Chromium against the real services and a simulated gateway: a member logs in on a
// phone-sized screen, sees the desks, presses Unlock and sees the door unlock and relock.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, gatewayReady, sim, type Stack } from '../helpers/stack.ts';
import { launchChromium } from '../helpers/browser.ts';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

describe('dashboard in Chromium', () => {
  let site: TestSite;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    site = await makeTestSite((raw) => (raw.doors[0].unlockMs = 2000));
    stack = await startStack(site);
    await gatewayReady(stack.baseUrl, 'gw-main');
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    site?.cleanup();
  });

  it('a member logs in, sees the desks, presses Unlock and sees the door unlock', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(stack.baseUrl + '/');
    await page.fill('#email', 'jonas@kystkontor.dk');
    await page.fill('#password', 'wrong-password');
    await page.click('button[type=submit]');
    await expectText(page, '[data-testid=login-error]', /wrong email or password/i);

    await page.fill('#password', 'member-jonas');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-live=live]');
    expect(await page.locator('[data-desk]').count()).toBe(16);

    // A desk fills on the simulated hardware and the floor plan follows live.
    await sim(stack.simUrl, '/sim/presence', { sensor: 'd03-pir', present: true });
    await page.waitForSelector('[data-desk=d03][data-occupied=true]');

    const door = page.locator('[data-door=front]');
    await page.waitForSelector('[data-door=front][data-state=locked]');
    await page.screenshot({ path: `${SHOTS}member-phone.png`, fullPage: true });
    await door.locator('[data-action=unlock]').click();
    await page.waitForSelector('[data-door=front][data-state=unlocked]');
    expect((await sim(stack.simUrl, '/sim/state')).locks['front-lock'].operations).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}member-phone-unlocked.png`, fullPage: true });
    await page.waitForSelector('[data-door=front][data-state=locked]', { timeout: 15_000 });
    // The remote unlock is in the live feed.
    await page.waitForSelector('[data-event-id]');
    await page.close();
  });
});

async function expectText(page: import('playwright-core').Page, selector: string, re: RegExp): Promise<void> {
  const el = page.locator(selector);
  await el.waitFor();
  const until = Date.now() + 10_000;
  while (!re.test((await el.textContent()) ?? '')) {
    if (Date.now() > until) throw new Error(`${selector}: text never matched ${re}: ${await el.textContent()}`);
    await page.waitForTimeout(50);
  }
}
