// The demo as a newcomer first sees it, in real Chromium on a phone in Danish (issue 13
// findings 9, 12, 13): the Reports screen is alive from the first start (eight weeks of made-up
// history), the places have Danish names, and the monthly report opens as a page to print with
// the month's numbers in Danish. Screenshots (phone and desktop) go to test/e2e/screenshots/.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addDays, localDate } from '../../contracts/local-time.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, type Stack } from '../helpers/stack.ts';
import { launchChromium, expectText, goTo, phonePage, PHONE, DESKTOP } from '../helpers/browser.ts';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

describe('the demo’s reports at first start, on a phone in Danish', () => {
  let site: TestSite;
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  // A whole month of history: the month before the one 14 days ago at the latest.
  const month = addDays(localDate(Date.now(), 'Europe/Copenhagen'), -14).slice(0, 7);

  beforeAll(async () => {
    site = await makeTestSite(undefined, { history: true });
    stack = await startStack(site, { gateway: false });
    browser = await launchChromium({ lang: 'da' });
    mkdirSync(SHOTS, { recursive: true });
    page = await phonePage(browser, stack, { lang: 'da', user: 'mette' });
    context = page.context();
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close();
    await stack?.stop();
    site?.cleanup();
  });

  async function shots(name: string): Promise<void> {
    await page.waitForTimeout(300); // let the charts paint
    await page.screenshot({ path: `${SHOTS}${name}-phone.png`, fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}${name}-desktop.png`, fullPage: true });
    await page.setViewportSize(PHONE);
  }

  it('shows a month of visits, members, a peak and a busy heatmap, with Danish place names', async () => {
    await goTo(page, 'reports');
    await page.fill('ss-reports input[name=month]', month);
    await page.dispatchEvent('ss-reports input[name=month]', 'change');
    // The tables carry the month they show: wait for the picked one, not this month's first load.
    await page.waitForSelector(`ss-reports [data-testid=heatmap][data-month="${month}"]`);
    await page.waitForSelector(`ss-reports [data-testid=weeks-table][data-month="${month}"]`, { state: 'attached' });
    await expectText(page, 'ss-reports [data-testid=peak-headline]', /^Højst \d+ pladser i brug på én gang, /);
    const weeks = await page.locator('ss-reports [data-testid=weeks-table] td:nth-child(2)').allTextContents();
    expect(weeks.length).toBeGreaterThanOrEqual(4);
    expect(weeks.map((w) => Number(w.trim())).filter((n) => n > 20).length).toBeGreaterThanOrEqual(3);
    await page.waitForSelector('ss-reports select[name=scope] option[value="zone:quiet-room"]', { state: 'attached' });
    expect((await page.locator('ss-reports select[name=scope] option[value="zone:quiet-room"]').textContent())?.trim()).toBe('Stillerum');
    await page.waitForSelector('ss-reports [data-chart=members] canvas');
    const print = await page.getAttribute('ss-reports [data-testid=report-print]', 'href');
    expect(print).toBe(`/api/reports/monthly.html?month=${month}&lang=da`);
    await shots('host-reports-demo-da');
  }, 90_000);

  it('opens the monthly report to print, in Danish, with the month’s numbers', async () => {
    const printable = await context.newPage();
    await printable.goto(`${stack.baseUrl}/api/reports/monthly.html?month=${month}&lang=da`);
    await expectText(printable, 'h1', /^Månedlig brugsrapport$/);
    await expectText(printable, '[data-testid=site]', /^Klitmøller Kystkontor$/);
    await expectText(printable, '[data-kpi=visits] b', /^[1-9]\d*$/);
    await expectText(printable, '[data-kpi=members] b', /^(1\d|2\d)$/);
    await expectText(printable, '[data-kpi=utilisation] b', /^[2-7]\d,\d %$/);
    await expectText(printable, '[data-kpi=peak] b', /^\d+ · \d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(await printable.locator('table[data-testid=days] tbody tr').count()).toBeGreaterThanOrEqual(28);
    // The page's own stylesheet applies (allowed by its hash): the key numbers sit in boxes.
    expect(await printable.evaluate("getComputedStyle(document.querySelector('[data-kpi=visits]')).borderTopStyle")).toBe('solid');
    page = printable;
    await shots('report-print-da');
  }, 60_000);
});
