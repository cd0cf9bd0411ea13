// Desk sensors checked against the door in real Chromium (issue 16 part 3): the services start
// over a history in which the PIR at Skrivebord 2 has said taken for 20 hours while the last
// person left by the exit button 12 hours ago; the check at start flags it. A host on a phone in
// Danish sees the alert on the overview and the sensor under "Skrivebordssensorer, der skal
// tjekkes" on the floor plan, with what it means and what to check; "Sensoren er i orden" makes
// it count again and the alert goes. No gateway: nothing else reports the desks. Screenshot at
// phone size in Danish to test/e2e/screenshots/.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SensorSuspectView } from '../../contracts/api/index.ts';
import { doorEventPoint, occupancyPoint } from '../../services/history/point.ts';
import { SqliteHistoryStore, HISTORY_DB_FILE } from '../../services/history/sqlite-store.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, login, type Stack } from '../helpers/stack.ts';
import { launchChromium, expectText, goTo, until, phonePage } from '../helpers/browser.ts';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const H = 3600_000;

describe('a stuck PIR in Chromium, for a host on a phone in Danish', () => {
  let site: TestSite;
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    site = await makeTestSite();
    mkdirSync(site.config.services.dataDir, { recursive: true });
    // Relative to now: the check runs on the services' own clock.
    const now = Date.now();
    const store = new SqliteHistoryStore(join(site.config.services.dataDir, HISTORY_DB_FILE));
    const base = { v: 1, gateway: 'gw-main', door: 'front', offline: false, type: 'access', decision: 'granted', reason: 'ok' } as const;
    await store.write([
      doorEventPoint({ ...base, id: 'e2e-in', ts: now - 21 * H, via: 'card', member: 'jonas' }),
      doorEventPoint({ ...base, id: 'e2e-out', ts: now - 12 * H, via: 'exit-button' }),
      occupancyPoint({ v: 1, desk: 'd01', occupied: true, since: now - 20 * H, ts: now - 20 * H }, 'open-space'),
      occupancyPoint({ v: 1, desk: 'd01', occupied: false, since: now - 13 * H, ts: now - 13 * H }, 'open-space'),
      occupancyPoint({ v: 1, desk: 'd02', occupied: true, since: now - 20 * H, ts: now - 20 * H }, 'open-space'),
    ]);
    await store.close();
    stack = await startStack(site, { gateway: false });
    browser = await launchChromium();
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

  it('the overview has the alert; the floor plan says what is wrong and what to check', async () => {
    await page.waitForSelector('ss-alerts [data-alert=sensor-suspect]', { timeout: 20_000 });
    await expectText(page, 'ss-alerts [data-alert=sensor-suspect] .title', /^Sensoren ved Skrivebord 2 ser forkert ud$/);
    await goTo(page, 'floor');
    const item = 'ss-sensor-checks li[data-desk=d02]';
    await expectText(page, `${item} [data-field=reason]`, /^Siger, at nogen sidder her, men ingen er inde$/);
    await expectText(page, `${item} [data-field=evidence]`, /^Optaget i 20 t uden pause; de sidste 12 t gik ingen gennem en dør/);
    await expectText(page, `${item} [data-field=check]`, /^Se på skrivebordet: sidder der nogen\?/);
    await page.waitForTimeout(200); // let the last update paint
    await page.screenshot({ path: `${SHOTS}sensor-check-da-phone.png` });
  });

  it('"Sensoren er i orden" with the time counted too: it counts again, and the alert goes', async () => {
    await page.check('ss-sensor-checks li[data-desk=d02] [data-action=backfill]');
    await page.click('ss-sensor-checks li[data-desk=d02] [data-action=fine]');
    await expectText(page, 'ss-sensor-checks [role=status]', /^Skrivebord 2 tælles med igen\.$/);
    await expectText(page, 'ss-sensor-checks [data-testid=sensor-checks-none]', /^Ingen skrivebordssensor ser forkert ud\.$/);
    const cookie = await login(stack.baseUrl, 'mette@kystkontor.dk', 'host-mette');
    const res = await fetch(`${stack.baseUrl}/api/sensors/suspects`, { headers: { cookie } });
    expect((await res.json()) as SensorSuspectView[]).toEqual([]);
    await goTo(page, 'home');
    // The gateway is not running, so its own alert stays; the sensor's goes.
    await page.waitForSelector('ss-alerts [data-alert]');
    await until(async () => (await page.locator('ss-alerts [data-alert=sensor-suspect]').count()) === 0);
  });
});
