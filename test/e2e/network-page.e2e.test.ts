// The coordinator's »Netværk« screen on a phone in Danish (issue 18 part 4), in real Chromium
// against the real services on a real Mosquitto: site a of network "vest", where Jonas (a member)
// coordinates. Sites b and c's summaries come in over MQTT on their retained `summary` topics,
// published by a test-only login that stands in for the bridge (the bridge itself is the netns
// test's); b is fresh, c was last heard from an hour ago. The screenshot is one of the committed
// Danish phone set (test/e2e/screenshots/README.md).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { connectAsync } from 'mqtt';
import type { Browser } from 'playwright-core';
import { makeTestSite, freePort, type TestSite } from '../helpers/site.ts';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';
import { startStack, type Stack } from '../helpers/stack.ts';
import { launchChromium, expectText, goTo } from '../helpers/browser.ts';
import { newSigningKeyPair } from '../../contracts/signing.ts';
import { netTopics, type NetSummary } from '../../contracts/network.ts';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const PHONE = { width: 390, height: 844 };
const keys = { a: newSigningKeyPair(), b: newSigningKeyPair(), c: newSigningKeyPair() };
const INJECT = { username: 'test-bridge-in', password: 'test-bridge-in-password' };

describe('the network screen on the phone in Danish', () => {
  let site: TestSite;
  let mosquitto: Mosquitto;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    // The network broker's address: a loopback port nothing listens on (the bridge retries; nothing leaves the machine).
    const nowhere = await freePort();
    site = await makeTestSite(
      (raw) => {
        raw.network = {
          id: 'vest',
          site: 'a',
          broker: { url: `mqtts://127.0.0.1:${nowhere}`, ca: '/etc/ssl/certs/ca-certificates.crt' },
          sites: [
            { id: 'a', name: 'Klitmøller Kystkontor', publicKey: keys.a.publicKey },
            { id: 'b', name: 'Hanstholm Havnekontor', publicKey: keys.b.publicKey },
            { id: 'c', name: 'Thisted Erhvervspark', publicKey: keys.c.publicKey },
          ],
          share: { summaries: true, usageCounts: true },
          coordinators: ['jonas@kystkontor.dk'],
        };
      },
      {
        externalBroker: true,
        secrets: { network: { key: 'network-key-shared-by-every-site', mqttPassword: 'site-a-network-password', signingKey: keys.a.privateKey } },
      },
    );
    const t = netTopics('vest');
    mosquitto = await startMosquitto(site, {
      extraUsers: [{ ...INJECT, acl: [`topic write ${t.siteAll('b')}`, `topic write ${t.siteAll('c')}`, `topic read ${t.siteAll('a')}`] }],
    });
    stack = await startStack(site, { gateway: false });
    browser = await launchChromium({ lang: 'da' });
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await mosquitto?.stop();
    site?.cleanup();
  });

  it('the coordinator sees each space’s free desks, a stale one marked, and the month’s report', async () => {
    const t = netTopics('vest');
    const inject = await connectAsync(site.config.broker.url, { ...INJECT, protocolVersion: 4, reconnectPeriod: 0 });
    const summary = (site: string, ts: number, desks: number, free: number): NetSummary => ({
      v: 1,
      ts,
      site,
      desks,
      free,
      unknown: 0,
      zones: [{ zone: 'open-space', desks, free, unknown: 0 }],
    });
    await inject.publishAsync(t.topic('summary', 'b'), JSON.stringify(summary('b', Date.now(), 8, 5)), { qos: 1, retain: true });
    await inject.publishAsync(t.topic('summary', 'c'), JSON.stringify(summary('c', Date.now() - 3600_000, 12, 9)), { qos: 1, retain: true });
    // Not a summary: refused and counted, the screen unharmed.
    await inject.publishAsync(t.topic('summary', 'c'), '{"v":1}', { qos: 1, retain: false });
    // Site a's own summary and usage, as its services published them (retained on its broker).
    const own = new Map<string, string>();
    inject.on('message', (topic, payload) => own.set(topic, payload.toString()));
    await inject.subscribeAsync(t.siteAll('a'), { qos: 1 });
    for (let i = 0; i < 100 && !(own.has(t.topic('summary', 'a')) && [...own.keys()].some((k) => k.includes('/usage/'))); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(JSON.parse(own.get(t.topic('summary', 'a'))!)).toMatchObject({ v: 1, site: 'a', desks: site.config.desks.length });
    expect([...own.keys()].filter((k) => k.includes('/usage/')).length).toBeGreaterThanOrEqual(1);
    await inject.endAsync();

    const context = await browser.newContext({ viewport: PHONE, locale: 'da-DK', hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto(stack.baseUrl + '/');
    await page.fill('#email', 'jonas@kystkontor.dk');
    await page.fill('#password', 'member-jonas');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-live=live]');
    await goTo(page, 'network');
    await expectText(page, 'ss-network h2', /^Netværk/);
    await expectText(page, 'ss-network [data-site=b] [data-testid=free]', /^5 af 8 pladser ledige$/);
    await expectText(page, 'ss-network [data-site=c] [data-testid=stale]', /^Intet hørt siden \d\d[.:]\d\d: stedet er måske offline\.$/);
    await expectText(page, 'ss-network [data-site=a] h3', /^Klitmøller Kystkontor · dette sted$/);
    expect(await page.locator('ss-network [data-site=b] [data-testid=stale]').count()).toBe(0);
    await expectText(page, 'ss-network [data-testid=dropped]', /1 ugyldige, 0 fra ukendte steder/);
    // The report: a row per space (b and c share no usage yet) and the total.
    await expectText(page, 'ss-network [data-testid=network-report] tfoot', /^\s*I alt/);
    expect(await page.locator('ss-network [data-testid=network-report] tbody tr').count()).toBe(3);
    const csv = await page.request.get(`${stack.baseUrl}${await page.locator('ss-network [data-testid=network-csv]').getAttribute('href')}`);
    expect(csv.status()).toBe(200);
    expect((await csv.text()).split('\r\n')[0]).toBe('\uFEFFSted;Besøg;Medlemmer;Netværksbesøg;Indgange;Pladstimer;Udnyttelse %;Pladser');

    await page.mouse.move(0, 0);
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${SHOTS}network-da-phone.png`, fullPage: true });
    await context.close();

    // A host who does not coordinate: no such screen, and the API says no.
    const host = await browser.newContext({ viewport: PHONE, locale: 'da-DK' });
    const login = await host.request.post(`${stack.baseUrl}/api/login`, { data: { email: 'mette@kystkontor.dk', password: 'host-mette' } });
    expect(login.status()).toBe(200);
    expect((await host.request.get(`${stack.baseUrl}/api/network`)).status()).toBe(403);
    await host.close();
  }, 120_000);
});
