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
import { launchChromium, until, expectText, goTo } from '../helpers/browser.ts';

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
    await goTo(page, route);
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
    // On a phone the plan fits the width: the state is in the desk's label (and fill pattern).
    expect(await page.getAttribute('[data-desk=d05]', 'aria-label')).toMatch(/optaget/);
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
    await expectText(page, '[data-door=front] .detail', /gateway stopped answering: its state is not known/);
    await page.click('[data-door=front] [data-action=unlock]');
    await expectText(
      page,
      '[data-door=front] [data-testid=unlock-feedback]',
      /^Hoveddør did not unlock: the door is offline\. Use your card or PIN at the door, or call the host\.$/,
    );
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
    await expectText(page, '[data-alert=forced-open] .title', /^Hoveddør was forced open$/);
    await page.waitForSelector('[data-door=front][data-state=alarm] [data-note=alarm]');
    for (let i = 0; i < 3; i++) await sim(stack.simUrl, '/sim/tap', { reader: 'meeting-reader', uid: UNKNOWN_CARD });
    await expectText(page, '[data-alert=denied] .title', /^3 denied attempts at Mødelokale within a minute$/);
    await expectText(page, '[data-testid=alert-count]', /^2/);
    await shots(page, 'host-overview-en');

    // Closing the door ends the forced-open alarm, live.
    await sim(stack.simUrl, '/sim/contact', { contact: 'front-contact', open: false });
    await page.waitForSelector('[data-alert=forced-open]', { state: 'detached' });

    await sim(stack.simUrl, '/sim/tap', { reader: 'front-reader', uid: CARDS.lars });
    await expectText(page, 'ss-event-feed ol', /Access granted Hoveddør · Lars Vestergaard by card/);

    await go(page, 'floor');
    await page.waitForSelector('[data-desk-row=d05]');
    expect(await page.getAttribute('[data-desk=d05]', 'aria-label')).toMatch(/since \d\d:\d\d/);
    await shots(page, 'host-floor-en');
    await go(page, 'activity');
    await page.waitForSelector('[data-event-id]');
    await shots(page, 'host-activity-en');

    // The session ends (cookie gone): the next call brings the login back, with a word on why,
    // and logging in lands on the screen that was asked for.
    await page.context().clearCookies();
    await page.click('nav [data-action=more]'); // on a phone "Who's in" is behind More
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
    await expectText(page, '[data-alert=denied] .title', /^3 afviste forsøg ved Mødelokale inden for et minut$/);
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

  it('a member, in English: my visits, a real download of my data, and being shown or not', async () => {
    const page = await phone('en');
    await logIn(page, 'jonas@kystkontor.dk', 'member-jonas');
    await go(page, 'mine');
    // Jonas unlocked the front door from the app in the first test: that is a visit today.
    await page.waitForSelector('ss-my-data [data-visit]');
    await expectText(page, 'ss-my-data [data-visit]', /Hoveddør/);
    const download = page.waitForEvent('download');
    await page.click('ss-my-data [data-action=download]');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^smartspace-my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const { readFileSync } = await import('node:fs');
    const data = JSON.parse(readFileSync(await file.path(), 'utf8')) as { member: { email: string }; events: unknown[] };
    expect(data.member.email).toBe('jonas@kystkontor.dk');
    expect(data.events.length).toBeGreaterThan(0);
    await expectText(page, 'ss-my-data [data-testid=download-note]', /^Downloaded smartspace-my-data-/);

    const toggle = page.locator('ss-my-data [data-action=presence]');
    expect(await toggle.isChecked()).toBe(true);
    await toggle.uncheck();
    await expectText(page, 'ss-my-data [data-testid=presence-note]', /^Your name is now hidden from other members\.$/);
    await page.reload();
    await page.waitForSelector('[data-live=live]');
    expect(await page.locator('ss-my-data [data-action=presence]').isChecked()).toBe(false);
    await shots(page, 'member-mine-en');
    await page.locator('ss-my-data [data-action=presence]').check();
    await expectText(page, 'ss-my-data [data-testid=presence-note]', /^Your name is now shown to other members\.$/);
  }, 60_000);

  it('a host, in English: enrols a card at the door, sees the tap arrive live and confirms it, then revokes it', async () => {
    const page = await phone('en');
    await logIn(page, 'mette@kystkontor.dk', 'host-mette');
    await go(page, 'cards');
    await page.waitForSelector('ss-cards select[data-field=member] option[value=sofie]', { state: 'attached' });
    await page.selectOption('ss-cards select[data-field=member]', 'sofie');
    await page.waitForSelector('ss-cards [data-credential]');
    await page.selectOption('ss-cards select[data-field=door]', 'front');
    await page.click('ss-cards [data-action=start-enrolment]');
    await page.waitForSelector('ss-cards [data-testid=enrolment][data-status=waiting]');
    await expectText(page, 'ss-cards [data-testid=enrolment]', /^Waiting for a tap at Hoveddør… (60|59|58) seconds left/);
    await shots(page, 'host-enrol-waiting-en');
    await sim(stack.simUrl, '/sim/tap', { reader: 'front-reader', uid: '04C0FFEE42' });
    // The tap shows up live as a candidate; it is bound only when the host confirms it.
    await page.waitForSelector('ss-cards [data-testid=enrolment][data-status=tapped]', { timeout: 15_000 });
    await page.click('ss-cards [data-action=confirm-enrolment]');
    await page.waitForSelector('ss-cards [data-testid=enrolment][data-status=bound]', { timeout: 15_000 });
    await expectText(page, 'ss-cards [data-testid=enrolment] p', /^Card …[0-9A-Fa-f]{4,6} now opens for Sofie Lund\.$/);
    await until(async () => (await page.locator('ss-cards [data-credential]').count()) === 2);
    await shots(page, 'host-enrol-bound-en');

    const newest = page.locator('ss-cards [data-credential]').last();
    await newest.locator('[data-action=revoke]').click();
    await newest.locator('[data-action=revoke-yes]').click();
    await expectText(page, 'ss-cards [data-testid=revoke-note]', /^Card …[0-9A-Fa-f]{4,6} is revoked\.$/);
    await expectText(page, 'ss-cards [data-credential]:last-child', /revoked$/);
  }, 60_000);

  it('an operator, in English: the audit log with filters and CSV, and the reports with charts loaded on demand', async () => {
    const page = await phone('en');
    await logIn(page, 'ida@kystkontor.dk', 'operator-ida');
    await go(page, 'audit');
    await page.waitForSelector('ss-audit tr[data-audit]');
    await page.fill('ss-audit input[name=action]', 'privacy.');
    await page.click('ss-audit [data-action=apply]');
    await until(async () => {
      const actions = await page.locator('ss-audit tr[data-audit] td:nth-child(3)').allTextContents();
      return actions.length > 0 && actions.every((a) => a.startsWith('privacy.'));
    });
    const csv = await page.getAttribute('ss-audit [data-testid=audit-csv]', 'href');
    expect(csv).toBe('/api/audit.csv?action=privacy.&lang=en');
    const res = await page.request.get(stack.baseUrl + csv!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^text\/csv/);
    expect(await res.text()).toMatch(/privacy\.presence/);
    await shots(page, 'operator-audit-en');

    const scripts: string[] = [];
    page.on('request', (r) => void (r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname)));
    await go(page, 'reports');
    await page.waitForSelector('ss-reports [data-testid=heatmap]');
    await page.waitForSelector('ss-reports [data-chart=weeks] canvas');
    expect(scripts.some((p) => /\/assets\/charts-[\w-]+\.js$/.test(p))).toBe(true);
    expect(await page.getAttribute('ss-reports [data-testid=report-csv]', 'href')).toMatch(/^\/api\/reports\/monthly\.csv\?month=\d{4}-\d{2}&lang=en$/);
    await shots(page, 'operator-reports-en');
  }, 60_000);
});
