// Debian's Chromium driven by playwright-core (no browser download). The flags keep Chromium
// off the network: it may only talk to our loopback servers.
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { PEOPLE, type Person } from './people.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * `lang` sets Chromium's own UI language, which is what formats date and time fields (26.11.2026
 * in Danish): on Linux it comes from the environment Chromium starts in; a context's `locale`
 * does not reach it. Needs Debian's chromium-l10n (scripts/setup-system.sh installs it).
 */
export async function launchChromium(opts: { lang?: 'da' | 'en' } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/setup-system.sh (npm test does)`);
  const env = opts.lang
    ? { ...process.env, LANGUAGE: opts.lang === 'da' ? 'da_DK' : 'en_GB', LANG: opts.lang === 'da' ? 'da_DK.UTF-8' : 'en_GB.UTF-8' }
    : undefined;
  return chromium.launch({
    executablePath: CHROMIUM,
    ...(env ? { env } : {}),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Polls `ok` every 50 ms until it holds; throws after `ms`. */
export async function until(ok: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the first element matching `selector` has text (whitespace folded) matching `re`. */
export async function expectText(page: Page, selector: string, re: RegExp, ms = 10_000): Promise<void> {
  const el = page.locator(selector).first();
  await el.waitFor();
  const end = Date.now() + ms;
  for (;;) {
    const text = ((await el.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    if (re.test(text)) return;
    if (Date.now() > end) throw new Error(`${selector}: text never matched ${re}: "${text}"`);
    await page.waitForTimeout(50);
  }
}

/**
 * Follows the navigation to `route`: on a phone the place may be behind "More" (the tab bar
 * holds the main ones), which is opened first.
 */
export async function goTo(page: Page, route: string): Promise<void> {
  const link = page.locator(`nav a[data-route=${route}]`);
  if (!(await link.isVisible())) await page.click('nav [data-action=more]');
  await link.click();
  await page.waitForSelector(`main[data-route=${route}]`);
}

export type Lang = 'da' | 'en';
/** The phone the screens are made for first (screenshots `*-da-phone.png`), and a desktop. */
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/** A browser context like a phone (touch, mobile layout) whose pages ask for `lang`. */
export const phoneContext = (lang: Lang): BrowserContextOptions => ({
  viewport: PHONE,
  locale: lang === 'da' ? 'da-DK' : 'en-GB',
  hasTouch: true,
  isMobile: true,
});

/**
 * A page in a new context of `browser` (a phone, or a desktop with `desktop: true`) speaking
 * `lang`, logged in as `user` through the dashboard's login form at `stack.baseUrl`, once the live
 * feed is connected. The browser's close closes it; `page.context().close()` sooner.
 */
export async function phonePage(browser: Browser, stack: { baseUrl: string }, o: { lang: Lang; user: Person; desktop?: boolean }): Promise<Page> {
  const options = phoneContext(o.lang);
  const context = await browser.newContext(o.desktop ? { ...options, viewport: DESKTOP, hasTouch: false, isMobile: false } : options);
  const page = await context.newPage();
  await page.goto(stack.baseUrl + '/');
  await page.fill('#email', PEOPLE[o.user].email);
  await page.fill('#password', PEOPLE[o.user].password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-live=live]');
  return page;
}
