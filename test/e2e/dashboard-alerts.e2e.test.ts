// The alert centre in real Chromium against the real services and a simulated gateway: an alert
// raised the way Node-RED raises it (POST /api/alerts with the automation token) reaches a
// host's phone live, in Danish, with the badge; she acknowledges it there, and another host
// (English, desktop) sees who took care at once. Screenshots go to test/e2e/screenshots/.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, gatewayReady, type Stack } from '../helpers/stack.ts';
import { launchChromium, expectText, phonePage } from '../helpers/browser.ts';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

describe('alerts in Chromium: live to hosts, acknowledged from the phone', () => {
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
    await browser?.close();
    await stack?.stop();
    site?.cleanup();
  });

  const raise = (body: object) =>
    fetch(`${stack.baseUrl}/api/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${site.secrets.automationToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('a capacity alert from Node-RED’s token reaches the host’s phone live; she acknowledges it; the other host sees who', async () => {
    const mette = await phonePage(browser, stack, { lang: 'da', user: 'mette' });
    const ida = await phonePage(browser, stack, { lang: 'en', user: 'ida', desktop: true });
    await mette.waitForSelector('ss-alerts [data-testid=no-alerts]');

    expect((await raise({ kind: 'capacity', zone: 'open-space', detail: { occupied: 9, capacity: 10 } })).status).toBe(200);
    await mette.waitForSelector('ss-alerts li[data-alert=capacity][data-centre]');
    await expectText(mette, 'ss-alerts li[data-alert=capacity] .title', /^Åbent kontor er næsten fuld$/);
    await expectText(mette, 'ss-alerts li[data-alert=capacity]', /9 af 10 pladser optaget\./);
    await expectText(mette, '[data-testid=alert-count]', /^1/);
    await ida.waitForSelector('ss-alerts li[data-alert=capacity] [data-testid=ack]');
    await mette.waitForTimeout(200);
    await mette.screenshot({ path: `${SHOTS}host-alert-centre-da-phone.png`, fullPage: true });

    await mette.getByRole('button', { name: 'Kvittér: Åbent kontor er næsten fuld' }).tap();
    await expectText(mette, 'ss-alerts li[data-alert=capacity] [data-testid=acked]', /^Håndteres af Mette Kjær kl\. \d\d[.:]\d\d$/);
    expect(await mette.locator('[data-testid=alert-count]').count()).toBe(0);
    await expectText(ida, 'ss-alerts li[data-alert=capacity] [data-testid=acked]', /^Taken care of by Mette Kjær at \d\d:\d\d$/);
    await mette.waitForTimeout(200);
    await mette.screenshot({ path: `${SHOTS}host-alert-centre-acked-da-phone.png`, fullPage: true });
    await ida.screenshot({ path: `${SHOTS}host-alert-centre-acked-en-desktop.png`, fullPage: true });

    // The rule clears it: it leaves both screens.
    await raise({ kind: 'capacity', zone: 'open-space', clear: true });
    await mette.waitForSelector('ss-alerts li[data-alert=capacity]', { state: 'detached' });
    await ida.waitForSelector('ss-alerts li[data-alert=capacity]', { state: 'detached' });

    // My alerts, in Danish, on the phone.
    await mette.click('ss-alerts details.prefs summary');
    await mette.waitForSelector('ss-alert-prefs form');
    await expectText(mette, 'ss-alert-prefs fieldset legend', /^Sig til om$/);
    await mette.screenshot({ path: `${SHOTS}host-alert-prefs-da-phone.png`, fullPage: true });
  }, 90_000);
});
