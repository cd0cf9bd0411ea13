// Operations in real Chromium against the real services and a simulated gateway: an operator
// sees each gateway's devices with their firmware; a reader put into fault (sim control
// `POST /sim/fault`) raises a device alert on the host's overview and shows as fault on the
// Gateways screen — openly, while the working devices stay folded under a summary on a phone —
// and clearing the fault takes both away; the reports with a zone picked show
// the utilisation trend; a member's My data lists a visit after a tap without writing a
// `privacy.export` audit entry. Danish and English, on a phone; screenshots at phone
// (390×844) and desktop (1280×800) size go to test/e2e/screenshots/ (git-ignored).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { AuditPage } from '../../contracts/api/index.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, gatewayReady, login, sim, type Stack } from '../helpers/stack.ts';
import { launchChromium, until, expectText, goTo, phonePage, PHONE, DESKTOP, type Lang } from '../helpers/browser.ts';
import type { Person } from '../helpers/people.ts';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const JONAS_CARD = '0400D4E5F6';

describe('operations in Chromium: devices, device alerts, scoped reports, my visits', () => {
  let site: TestSite;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    site = await makeTestSite();
    stack = await startStack(site);
    await gatewayReady(stack.baseUrl, 'gw-main');
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    // Leave no fault behind, whatever failed.
    await sim(stack?.simUrl ?? '', '/sim/fault', { device: 'front-reader', error: null }).catch(() => {});
    await browser?.close();
    await stack?.stop();
    site?.cleanup();
  });

  const phoneAs = (lang: Lang, user: Person): Promise<Page> => phonePage(browser, stack, { lang, user });

  /** The screen as it is, at phone and at desktop size. */
  async function shots(page: Page, name: string): Promise<void> {
    await page.waitForTimeout(200); // let the last live update (and a chart) paint
    await page.screenshot({ path: `${SHOTS}${name}-phone.png`, fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.waitForTimeout(300); // charts follow their box's width
    await page.screenshot({ path: `${SHOTS}${name}-desktop.png`, fullPage: true });
    await page.setViewportSize(PHONE);
  }

  async function go(page: Page, route: string): Promise<void> {
    await goTo(page, route);
  }

  it('an operator, in English: each gateway’s software, uptime and devices — what and where, state, firmware', async () => {
    const page = await phoneAs('en', 'ida');
    await go(page, 'gateways');
    await page.waitForSelector('[data-gateway=gw-main][data-online=true]');
    // On a phone the working devices are folded under a summary; nothing needs attention.
    await page.waitForSelector('ss-gateways tr[data-device=front-reader][data-state=ok]', { state: 'attached' });
    await expectText(page, '[data-gateway=gw-main] details[data-testid=devices-working] summary', /^\d+ devices working — show$/);
    expect(await page.locator('[data-gateway=gw-main] table[data-part=attention]').count()).toBe(0);
    await page.click('[data-gateway=gw-main] details[data-testid=devices-working] summary');
    await expectText(page, '[data-gateway=gw-main] details[data-testid=devices-working] summary', /^\d+ devices working — hide$/);
    await expectText(page, 'ss-gateways tr[data-device=front-reader] th', /^Reader at Hoveddør front-reader$/);
    await expectText(page, 'ss-gateways tr[data-device=front-reader] [data-field=firmware]', /^(?!not reported$)\S.*$/);
    await expectText(page, 'ss-gateways tr[data-device=d05-pir] th', /^Desk sensor at Skrivebord 5 d05-pir$/);
    await expectText(page, '[data-gateway=gw-main] [data-field=version]', /^\d+\.\d+\.\d+\S*$/);
    await expectText(page, '[data-gateway=gw-main] [data-field=uptime]', /^\d+ (min|h|d)/);
    // Every device the site config names for the gateway: two doors' worth and sixteen desks.
    expect(await page.locator('ss-gateways tr[data-device]').count()).toBeGreaterThanOrEqual(16 + 5);
    expect(await page.locator('ss-gateways tr[data-device][data-state=ok]').count()).toBe(await page.locator('ss-gateways tr[data-device]').count());
    await page.click('[data-gateway=gw-main] details[data-testid=devices-working] summary'); // folded again, as a phone starts
    await shots(page, 'operator-devices-en');
  }, 60_000);

  it('a reader in fault: the host’s overview alerts, Gateways shows the fault; clearing it takes both away (English)', async () => {
    const host = await phoneAs('en', 'mette');
    await host.waitForSelector('ss-alerts [data-testid=no-alerts]');
    const operator = await phoneAs('en', 'ida');
    await go(operator, 'gateways');
    await operator.waitForSelector('ss-gateways tr[data-device=front-reader][data-state=ok]', { state: 'attached' });
    const working = await operator.locator('[data-gateway=gw-main] details[data-testid=devices-working] tr[data-device]').count();

    await sim(stack.simUrl, '/sim/fault', { device: 'front-reader', error: 'no frames for 30 s' });
    await host.waitForSelector('ss-alerts [data-alert=device-fault]');
    await expectText(host, 'ss-alerts [data-alert=device-fault] .title', /^Reader at Hoveddør is not working$/);
    await expectText(host, 'ss-alerts [data-alert=device-fault] time', /^since \d\d:\d\d$/);
    await expectText(host, 'ss-alerts [data-alert=device-fault] .hint', /^Check its cable and power\./);
    await expectText(host, '[data-testid=alert-count]', /^1/);
    // The fault is in view above the folded working devices, never folded with them.
    await operator.waitForSelector('ss-gateways table[data-part=attention] tr[data-device=front-reader][data-state=fault]');
    await expectText(operator, 'ss-gateways tr[data-device=front-reader] [data-field=state]', /^fault\b/);
    await expectText(operator, '[data-gateway=gw-main] details[data-testid=devices-working] summary', new RegExp(`^${working - 1} devices working — show$`));
    await host.setViewportSize(DESKTOP);
    await host.waitForTimeout(200);
    await host.screenshot({ path: `${SHOTS}host-alert-device-en-desktop.png`, fullPage: true });
    await host.setViewportSize(PHONE);
    await host.screenshot({ path: `${SHOTS}host-alert-device-en-phone.png`, fullPage: true });
    await shots(operator, 'operator-devices-fault-en');

    await sim(stack.simUrl, '/sim/fault', { device: 'front-reader', error: null });
    await host.waitForSelector('ss-alerts [data-alert=device-fault]', { state: 'detached' });
    await host.waitForSelector('ss-alerts [data-testid=no-alerts]');
    await operator.waitForSelector('ss-gateways tr[data-device=front-reader][data-state=ok]', { state: 'attached' });
    expect(await operator.locator('[data-gateway=gw-main] table[data-part=attention]').count()).toBe(0);
  }, 90_000);

  it('an operator, in Danish: the gateways and their devices speak Danish', async () => {
    const page = await phoneAs('da', 'ida');
    await go(page, 'gateways');
    await page.waitForSelector('ss-gateways tr[data-device=front-reader][data-state=ok]', { state: 'attached' });
    await expectText(page, '[data-gateway=gw-main] h4', /^Enheder på Pi i skabet$/);
    const summary = '[data-gateway=gw-main] details[data-testid=devices-working] summary';
    await expectText(page, summary, /^\d+ enheder virker — vis$/);
    await page.click(summary);
    await expectText(page, summary, /^\d+ enheder virker — skjul$/);
    await expectText(page, 'ss-gateways tr[data-device=front-reader] th', /^Kortlæser ved Hoveddør front-reader$/);
    await page.click(summary);
    await shots(page, 'operator-devices-da');
  }, 60_000);

  it('a host, in Danish: reports for one zone show the utilisation trend; visits and members stay site-wide', async () => {
    await sim(stack.simUrl, '/sim/presence', { sensor: 'd11-pir', present: true });
    const page = await phoneAs('da', 'mette');
    await go(page, 'reports');
    await page.waitForSelector('ss-reports [data-testid=heatmap]');
    await page.waitForSelector('ss-reports select[name=scope] option[value="zone:quiet-room"]', { state: 'attached' });
    const asked: string[] = [];
    page.on('request', (r) => void (r.url().includes('/api/analytics/') && asked.push(new URL(r.url()).pathname + new URL(r.url()).search)));
    await page.selectOption('ss-reports select[name=scope]', 'zone:quiet-room');
    await expectText(page, 'ss-reports #trend-title', /^Udnyttelse af pladser pr\. dag · Stillerum$/);
    await page.waitForSelector('ss-reports [data-chart=trend] canvas');
    await expectText(page, 'ss-reports [data-testid=scope-note]', /gælder Stillerum\. Besøg og medlemmer tælles altid for hele stedet\.$/);
    expect(asked.some((q) => q.startsWith('/api/analytics/utilisation-trend?') && q.includes('&zone=quiet-room'))).toBe(true);
    expect(asked.some((q) => q.startsWith('/api/analytics/visits'))).toBe(false); // site-wide: not asked again
    // The table alternative has one row per day so far, in percent.
    const cells = await page.locator('ss-reports [data-testid=trend-table] td:nth-child(2)').allTextContents();
    expect(cells.length).toBeGreaterThan(0);
    // A percentage, or "ingen data" for a day before the zone's sensors first reported — never a made-up 0 %.
    expect(cells.every((c) => /^(\d{1,3} %|ingen data)$/.test(c.trim()))).toBe(true);
    expect(cells.some((c) => /^\d{1,3} %$/.test(c.trim()))).toBe(true);
    await page.waitForSelector('ss-reports [data-chart=members] canvas');
    await shots(page, 'host-reports-zone-da');
  }, 60_000);

  it('a member, in English: My data lists today’s visit after a tap, and viewing it writes no privacy.export audit entry', async () => {
    const operator = await login(stack.baseUrl, 'ida@kystkontor.dk', 'operator-ida');
    const exports = async (): Promise<number> => {
      const r = await fetch(`${stack.baseUrl}/api/audit?action=privacy.export&actor=jonas`, { headers: { cookie: operator } });
      expect(r.status).toBe(200);
      return ((await r.json()) as AuditPage).items.length;
    };
    const before = await exports();
    await sim(stack.simUrl, '/sim/tap', { reader: 'front-reader', uid: JONAS_CARD });
    const page = await phoneAs('en', 'jonas');
    await go(page, 'mine');
    await page.waitForSelector('ss-my-data [data-visit]');
    await expectText(page, 'ss-my-data [data-visit]', /^\w{3}, \d{1,2} \w{3} \d{4} at \d\d:\d\d · 1 entry Hoveddør$/);
    await shots(page, 'member-mine-visits-en');
    await page.reload();
    await page.waitForSelector('ss-my-data [data-visit]');
    expect(await exports()).toBe(before);

    // The download is the export, and that one is audited.
    const download = page.waitForEvent('download');
    await page.click('ss-my-data [data-action=download]');
    await download;
    await until(async () => (await exports()) === before + 1);
  }, 60_000);

  it('a reader in fault behind a gateway that goes offline: only the gateway alerts, its devices are unknown, never ok (English)', async () => {
    const host = await phoneAs('en', 'mette');
    const operator = await phoneAs('en', 'ida');
    await go(operator, 'gateways');
    await sim(stack.simUrl, '/sim/fault', { device: 'front-reader', error: 'no frames for 30 s' });
    await host.waitForSelector('ss-alerts [data-alert=device-fault]');

    await stack.gateway!.stop();
    await host.waitForSelector('ss-alerts [data-alert=gateway-offline]', { timeout: 30_000 });
    await host.waitForSelector('ss-alerts [data-alert=device-fault]', { state: 'detached' });
    await operator.waitForSelector('[data-gateway=gw-main][data-online=false]');
    await operator.waitForSelector('ss-gateways tr[data-device=front-reader][data-state=unknown]');
    expect(await operator.locator('ss-gateways tr[data-device][data-state=ok]').count()).toBe(0);
    expect(await operator.locator('ss-gateways tr[data-device][data-state=fault]').count()).toBe(0);
    await expectText(operator, '[data-testid=devices-unknown]', /^The gateway is offline: what its devices do now is not known\.$/);
    expect(await operator.locator('[data-gateway=gw-main] details[data-testid=devices-working]').count()).toBe(0); // all in view
    await shots(operator, 'operator-devices-offline-en');

    // A new gateway process starts with healthy simulated hardware: all clear again.
    await stack.startGateway();
    await gatewayReady(stack.baseUrl, 'gw-main');
    await operator.waitForSelector('ss-gateways tr[data-device=front-reader][data-state=ok]', { state: 'attached', timeout: 30_000 });
    await host.waitForSelector('ss-alerts [data-testid=no-alerts]', { timeout: 30_000 });
  }, 120_000);
});
