// Booking on the phone in Danish (issue 16 part 1), in real Chromium against the real services:
// a member books Mødelokale tomorrow 10:00 in three taps (day, hour, confirm) and finds it under
// »Mine bookinger«. Tomorrow, so that the time of day the test runs at does not matter (the demo
// plans book 7 and 30 days ahead). The screenshot is one of the committed Danish phone set
// (test/e2e/screenshots/README.md).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { BookingView } from '../../contracts/api/index.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, type Stack } from '../helpers/stack.ts';
import { launchChromium, expectText, goTo } from '../helpers/browser.ts';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const PHONE = { width: 390, height: 844 };

describe('booking on the phone in Danish', () => {
  let site: TestSite;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    site = await makeTestSite();
    stack = await startStack(site);
    browser = await launchChromium({ lang: 'da' });
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    site?.cleanup();
  });

  it('a member books Mødelokale tomorrow 10:00 in three taps and sees it in »Mine bookinger«', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'da-DK', hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto(stack.baseUrl + '/');
    await page.fill('#email', 'lars@kystkontor.dk');
    await page.fill('#password', 'member-lars');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-live=live]');

    // On a member's tab bar.
    expect(await page.locator('nav ul.tabs a[data-route=bookings]').textContent()).toMatch(/^\s*Bookinger\s*$/);
    await goTo(page, 'bookings');
    await page.waitForSelector('ss-bookings [data-testid=slots]');

    // Tap 1: tomorrow (the second day of the picker, as the page's own clock has it).
    const tomorrow = page.locator('ss-bookings [data-day]').nth(1);
    const day = (await tomorrow.getAttribute('data-day'))!;
    await tomorrow.click();
    await expectText(page, 'ss-bookings h3', /^Mødelokale, I morgen$/);
    // Tap 2: a free hour; tap 3: confirm.
    // (Brought to the middle of the screen first, as a thumb scrolls it: not under the bars.)
    const hour = page.locator('ss-bookings [data-slot="10:00"][data-state=free]');
    await hour.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await hour.click();
    await expectText(page, 'ss-bookings [data-testid=book-confirm]', /^Book Mødelokale I morgen 10:00–11:00\?/);
    const book = page.locator('ss-bookings [data-action=book]');
    await book.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await book.click();

    await expectText(page, 'ss-bookings [data-testid=note]', /^Booket: Mødelokale I morgen 10:00–11:00\.$/);
    await expectText(page, 'ss-bookings [data-testid=mine]', /^Mine bookinger Mødelokale I morgen 10:00–11:00/);
    await page.waitForSelector('ss-bookings [data-slot="10:00"][data-state=busy]');
    const mine = (await (await page.request.get(`${stack.baseUrl}/api/me/bookings`)).json()) as BookingView[];
    expect(mine.map((b) => [b.resource, b.from, b.to])).toEqual([['moedelokale', `${day}T10:00`, `${day}T11:00`]]);

    await page.mouse.move(0, 0); // no hover left on an hour in the picture
    await page.waitForTimeout(150); // let the last update paint
    await page.screenshot({ path: `${SHOTS}bookings-da-phone.png`, fullPage: true });
    await context.close();
  }, 90_000);
});
