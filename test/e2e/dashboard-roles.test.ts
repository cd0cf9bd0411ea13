// Each role's main flow in real Chromium against the real services and a simulated gateway, in
// Danish and English, on a phone: a member unlocking and seeing who is in, a host with alerts,
// floor plan and feed, an operator with the gateways, plus what happens when the session ends,
// a gateway goes away or the services restart. Screenshots of each main screen at phone
// (390×844) and desktop (1280×800) size go to test/e2e/screenshots/ (git-ignored).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, gatewayReady, sim, type Stack } from '../helpers/stack.ts';
import { launchChromium } from '../helpers/browser.ts';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const UNKNOWN_CARD = 'DEADBEEF01';
const CARDS = { lars: '0400445566', ida: '0400778899' };

type Lang = 'da' | 'en';

describe('dashboard roles in Chromium', () => {
  let site: TestSite;
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    site = await makeTestSite((raw) => (raw.doors[0].unlockMs = 2000));
    stack = await startStack(site);
    await gatewayReady(stack.baseUrl, 'gw-main');
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await stack?.stop();
    site?.cleanup();
  });

  /** A phone whose browser speaks `lang` (navigator.languages), at the start page. */
  async function phone(lang: Lang, path = '/'): Promise<Page> {
    const context = await browser.newContext({ viewport: PHONE, locale: lang === 'da' ? 'da-DK' : 'en-GB', hasTouch: true, isMobile: true });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(stack.baseUrl + path);
    return page;
  }

  async function logIn(page: Page, email: string, password: string): Promise<void> {
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-live=live]');
  }

  /** The screen as it is, at phone and at desktop size. */
  async function shots(page: Page, name: string): Promise<void> {
    await page.waitForTimeout(150); // let the last live update paint
    await page.screenshot({ path: `${SHOTS}${name}-phone.png`, fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${SHOTS}${name}-desktop.png`, fullPage: true });
    await page.setViewportSize(PHONE);
  }

  async function go(page: Page, route: string): Promise<void> {
    await page.click(`nav a[data-route=${route}]`);
    await page.waitForSelector(`main[data-route=${route}]`);
  }

  it('a member, in Danish by the browser’s choice: unlocks with honest feedback, sees free desks and who is in', async () => {
    const page = await phone('da');
    await expectText(page, 'label[for=password]', /^Adgangskode/);
    await page.fill('#email', 'jonas@kystkontor.dk');
    await page.fill('#password', 'forkert');
    await page.click('button[type=submit]');
    await expectText(page, '[data-testid=login-error]', /^Kunne ikke logge ind: forkert e-mail eller adgangskode\./);
    await page.fill('#password', 'member-jonas');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-live=live]');

    await expectText(page, 'ss-doors-panel h2', /^Dine døre$/);
    await page.waitForSelector('[data-door=front][data-state=locked]');
    await expectText(page, '[data-door=front] .badge', /^Låst$/);
    await sim(stack.simUrl, '/sim/presence', { sensor: 'd05-pir', present: true });
    await page.waitForSelector('[data-desk=d05][data-occupied=true]');
    await expectText(page, '[data-desk=d05] .word', /^optaget$/);
    await expectText(page, '.counts [data-zone=open-space]', /9 af 10 pladser ledige/);
    await shots(page, 'member-home-da');

    await page.click('[data-door=front] [data-action=unlock]');
    await page.waitForSelector('[data-testid=unlock-feedback][data-phase=unlocked]');
    await expectText(page, '[data-door=front] [data-testid=unlock-feedback]', /^Låst op$/);
    await page.screenshot({ path: `${SHOTS}member-unlocked-da-phone.png`, fullPage: true });
    await page.waitForSelector('[data-testid=unlock-feedback][data-phase=relocked]', { timeout: 15_000 });
    await expectText(page, '[data-door=front] [data-testid=unlock-feedback]', /^Låst igen$/);

    // Lars opted in to being shown, Ida did not: a member sees Lars and themself, not Ida.
    await sim(stack.simUrl, '/sim/tap', { reader: 'front-reader', uid: CARDS.lars });
    await sim(stack.simUrl, '/sim/tap', { reader: 'front-reader', uid: CARDS.ida });
    await go(page, 'today');
    await page.waitForSelector('[data-visitor="Jonas Brandt"]');
    await page.waitForSelector('[data-visitor="Lars Vestergaard"]');
    await expectText(page, 'ss-visitors h2', /^Hvem er her i dag$/);
    expect(await page.locator('[data-visitor="Ida Thomsen"]').count()).toBe(0);
    await shots(page, 'member-today-da');

    // The picker switches at once and is remembered over a reload.
    await page.selectOption('header ss-lang-picker select', 'en');
    await expectText(page, 'ss-visitors h2', /^Who’s in today$/);
    await page.reload();
    await page.waitForSelector('[data-live=live]');
    await expectText(page, 'ss-visitors h2', /^Who’s in today$/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
  }, 90_000);

  it('a member, in English: a door behind an offline gateway is unknown, and an unlock says what to do', async () => {
    const page = await phone('en');
    await logIn(page, 'jonas@kystkontor.dk', 'member-jonas');
    await page.waitForSelector('[data-door=front][data-state=locked]');
    await shots(page, 'member-home-en');

    await stack.gateway!.stop();
    await page.waitForSelector('[data-door=front][data-state=unknown]', { timeout: 30_000 });
    await expectText(page, '[data-door=front] .detail', /gateway is offline: state not known/);
    await page.click('[data-door=front] [data-action=unlock]');
    await expectText(page, '[data-door=front] [data-testid=unlock-feedback]', /^Front door did not unlock: the door is offline\. Use your card or PIN at the door, or call the host\.$/);
    await shots(page, 'member-door-offline-en');

    await stack.startGateway();
    await gatewayReady(stack.baseUrl, 'gw-main');
    await page.waitForSelector('[data-door=front][data-state=locked]', { timeout: 30_000 });
  }, 120_000);

  it('a host, in English: live alerts for a forced door and repeated denials, since-when on the floor, names in the feed', async () => {
    const page = await phone('en');
    await logIn(page, 'mette@kystkontor.dk', 'host-mette');
    await page.waitForSelector('[data-testid=no-alerts]');

    await page.waitForSelector('[data-door=front][data-state=locked]');
    await sim(stack.simUrl, '/sim/contact', { contact: 'front-contact', open: true });
    await page.waitForSelector('[data-alert=forced-open][data-severity=critical]');
    await expectText(page, '[data-alert=forced-open] .title', /^Front door was forced open$/);
    await page.waitForSelector('[data-door=front][data-state=open] [data-note=alarm]');
    for (let i = 0; i < 3; i++) await sim(stack.simUrl, '/sim/tap', { reader: 'meeting-reader', uid: UNKNOWN_CARD });
    await expectText(page, '[data-alert=denied] .title', /^3 denied attempts at Meeting room within a minute$/);
    await expectText(page, '[data-testid=alert-count]', /^2/);
    await shots(page, 'host-overview-en');

    // Closing the door ends the forced-open alarm, live.
    await sim(stack.simUrl, '/sim/contact', { contact: 'front-contact', open: false });
    await page.waitForSelector('[data-alert=forced-open]', { state: 'detached' });

    await sim(stack.simUrl, '/sim/tap', { reader: 'front-reader', uid: CARDS.lars });
    await expectText(page, 'ss-event-feed ol', /Access granted Front door · Lars Vestergaard by card/);

    await go(page, 'floor');
    await page.waitForSelector('[data-desk-row=d05]');
    await expectText(page, '[data-desk=d05] .since', /^since \d\d:\d\d$/);
    await shots(page, 'host-floor-en');
    await go(page, 'activity');
    await page.waitForSelector('[data-event-id]');
    await shots(page, 'host-activity-en');

    // The session ends (cookie gone): the next call brings the login back, with a word on why,
    // and logging in lands on the screen that was asked for.
    await page.context().clearCookies();
    await page.click('nav a[data-route=today]');
    await expectText(page, '[data-testid=login-notice]', /session has ended/);
    expect(new URL(page.url()).pathname).toBe('/today');
    await page.screenshot({ path: `${SHOTS}login-session-ended-en-phone.png`, fullPage: true });
    await logIn(page, 'mette@kystkontor.dk', 'host-mette');
    await page.waitForSelector('main[data-route=today]');
    // Hosts see everyone who came in, opted in or not.
    await page.waitForSelector('[data-visitor="Ida Thomsen"]');
    await shots(page, 'host-today-en');
  }, 120_000);

  it('a host, in Danish: the overview and floor plan speak Danish', async () => {
    const page = await phone('da');
    await logIn(page, 'mette@kystkontor.dk', 'host-mette');
    await expectText(page, 'nav a[data-route=home]', /^Overblik/);
    await expectText(page, 'ss-alerts h2', /^Alarmer/);
    await expectText(page, '[data-alert=denied] .title', /^3 afviste forsøg ved Meeting room inden for et minut$/);
    await expectText(page, 'ss-floor-plan h2', /^Pladser$/);
    await shots(page, 'host-overview-da');
    await go(page, 'floor');
    await expectText(page, 'ss-desk-list h2', /^Alle pladser$/);
    await shots(page, 'host-floor-da');
  }, 60_000);

  it('an operator: gateways with last seen, access list and outbox, the Node-RED link, and a resync after the services restart', async () => {
    const page = await phone('en');
    await logIn(page, 'ida@kystkontor.dk', 'operator-ida');
    await go(page, 'gateways');
    await page.waitForSelector('[data-gateway=gw-main][data-online=true]');
    await expectText(page, '[data-gateway=gw-main] [data-field=acl]', /^version \d+$/);
    await expectText(page, '[data-gateway=gw-main] [data-field=outbox]', /^\d+$/);
    await expectText(page, '[data-gateway=gw-main] [data-field=last-seen]', /\d\d:\d\d/);
    expect(await page.getAttribute('[data-action=node-red]', 'href')).toBe('http://127.0.0.1:1880/');
    await shots(page, 'operator-gateways-en');

    // The services go away: the dashboard says so, and what changed meanwhile shows on return.
    await stack.services!.stop();
    await page.waitForSelector('[data-live=reconnecting]');
    await sim(stack.simUrl, '/sim/presence', { sensor: 'd07-pir', present: true });
    await stack.startServices();
    await page.waitForSelector('[data-live=live]', { timeout: 30_000 });
    await go(page, 'floor');
    await page.waitForSelector('[data-desk=d07][data-occupied=true]', { timeout: 30_000 });

    await page.selectOption('header ss-lang-picker select', 'da');
    await go(page, 'gateways');
    await expectText(page, '[data-gateway=gw-main] dt', /^Sidst set$/);
    await shots(page, 'operator-gateways-da');
  }, 120_000);
});

async function expectText(page: Page, selector: string, re: RegExp): Promise<void> {
  const el = page.locator(selector).first();
  await el.waitFor();
  const until = Date.now() + 10_000;
  for (;;) {
    const text = ((await el.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    if (re.test(text)) return;
    if (Date.now() > until) throw new Error(`${selector}: text never matched ${re}: "${text}"`);
    await page.waitForTimeout(50);
  }
}
