// A network member's visits on the phone in Danish (issue 18), in real Chromium against the real
// services on Mosquitto. The other space, Hanstholm Havn, is played by a test login on the
// site's broker that may write only Hanstholm's subtree, as its bridge would deliver it: its
// announcement (rules for visitors) and a report of Lars's visit today. Lars sees under »Mit«
// that he is a network member, Hanstholm's rules, today's visit day against Hanstholm's limit
// and the home site's own, and the visit in »Seneste besøg«; Sofie, no network member, reads
// what it is and that a host turns it on. The dates are today's, so the day of the month (the
// 1st too) does not matter. The screenshot is one of the committed Danish phone set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { connectAsync, type MqttClient } from 'mqtt';
import { parse, stringify } from 'yaml';
import { netTopics, type NetAnnounce, type NetVisit, type Visa } from '../../contracts/network.ts';
import { localDate } from '../../contracts/local-time.ts';
import { PAYLOAD_VERSION } from '../../contracts/payloads.ts';
import { newSigningKeyPair } from '../../contracts/signing.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';
import { makeTestCerts } from '../helpers/tls-certs.ts';
import { expectText, goTo, launchChromium } from '../helpers/browser.ts';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const PHONE = { width: 390, height: 844 };
const TZ = 'Europe/Copenhagen';
const t = netTopics('vest');

describe('a network member’s visits on the phone in Danish', () => {
  let site: TestSite;
  let mosquitto: Mosquitto;
  let stack: Stack;
  let browser: Browser;
  let hanstholm: MqttClient;
  let certDir = '';

  beforeAll(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'smartspace-net-ca-'));
    makeTestCerts(certDir);
    const keys = { kyst: newSigningKeyPair(), hanstholm: newSigningKeyPair(), thy: newSigningKeyPair() };
    const names = { kyst: 'Kystkontoret', hanstholm: 'Hanstholm Havn', thy: 'Thy Kontorfællesskab' };
    site = await makeTestSite(
      (raw) => {
        raw.network = {
          id: 'vest',
          site: 'kyst',
          // Nothing listens there: the bridge keeps trying, the site does not depend on it.
          broker: { url: 'mqtts://127.0.0.1:9', ca: join(certDir, 'ca.pem') },
          sites: (['kyst', 'hanstholm', 'thy'] as const).map((id) => ({ id, name: names[id], publicKey: keys[id].publicKey })),
          share: { visiting: true },
          visiting: { doors: ['front'] },
          homeDaysPerMonth: 4,
        };
        const seed = parse(readFileSync(raw.services.seed as string, 'utf8')) as { members: { id: string; networkMember?: boolean }[] };
        seed.members = seed.members.map((m) => (m.id === 'lars' ? { ...m, networkMember: true } : m));
        writeFileSync(raw.services.seed as string, stringify(seed));
      },
      {
        externalBroker: true,
        secrets: { network: { key: 'network-key-shared-by-every-site', mqttPassword: 'kyst-network-password', signingKey: keys.kyst.privateKey } },
      },
    );
    mosquitto = await startMosquitto(site, {
      extraUsers: [
        { username: 'hanstholm', password: 'hanstholm-test-password', acl: ['topic readwrite net/vest/site/hanstholm/#', 'topic read net/vest/site/+/#'] },
      ],
    });
    stack = await startStack(site, { gateway: false });
    hanstholm = await connectAsync(mosquitto.url, {
      username: 'hanstholm',
      password: 'hanstholm-test-password',
      clientId: 'hanstholm-test',
      reconnectPeriod: 0,
    });
    browser = await launchChromium({ lang: 'da' });
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hanstholm?.endAsync(true);
    await stack?.stop();
    await mosquitto?.stop();
    site?.cleanup();
    rmSync(certDir, { recursive: true, force: true });
  });

  async function phoneAs(email: string, password: string): Promise<Page> {
    const context = await browser.newContext({ viewport: PHONE, locale: 'da-DK', hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto(stack.baseUrl + '/');
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-live=live]');
    return page;
  }

  it('Lars sees Hanstholm’s rules, today’s visit day against both limits, and the visit; Sofie reads what it is', async () => {
    // Lars's visa, as the home site published it (retained) on the network subtree.
    const visas: Visa[] = [];
    hanstholm.on('message', (topic, payload) => {
      if (topic.startsWith(`${t.root}/site/kyst/visa/`)) visas.push(JSON.parse(payload.toString()) as Visa);
    });
    await hanstholm.subscribeAsync(t.wildcard('visa', 'kyst'), { qos: 1 });
    const visa = await eventually(() => visas.find((v) => !v.revoked), 30_000, 'Lars’s visa from the home site');

    const now = Date.now();
    const today = localDate(now, TZ);
    const announce: NetAnnounce = {
      v: PAYLOAD_VERSION,
      ts: now,
      site: 'hanstholm',
      name: 'Hanstholm Havn',
      shares: { visiting: true, summaries: false, usageCounts: false },
      visiting: {
        daysPerMonth: 2,
        doors: [{ id: 'front', name: 'Havnekontoret' }],
        windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '17:00' }],
        timeZone: TZ,
      },
    };
    const a = t.message('announce', 'hanstholm', undefined, announce);
    await hanstholm.publishAsync(a.topic, a.payload, { qos: 1, retain: a.retain });
    const visit: NetVisit = {
      v: PAYLOAD_VERSION,
      ts: now,
      id: `hanstholm.${visa.grant}.${today}`,
      grant: visa.grant,
      home: 'kyst',
      site: 'hanstholm',
      day: today,
    };
    const r = t.message('visit', 'hanstholm', visit.id, visit);
    await hanstholm.publishAsync(r.topic, r.payload, { qos: 1 });

    const page = await phoneAs('lars@kystkontor.dk', 'member-lars');
    // The report arrives over the broker: reload »Mit« until the home site has counted it.
    await eventually(
      async () => {
        await page.reload();
        await page.waitForSelector('[data-live=live]');
        await goTo(page, 'mine');
        const text = (await page.locator('[data-testid=network-days]').textContent({ timeout: 10_000 })) ?? '';
        return /1 dag af 4/.test(text);
      },
      30_000,
      'the visit counted at home',
    );
    await expectText(page, '[data-testid=network-member]', /^Du er netværksmedlem/);
    await expectText(page, '[data-testid=network-days]', /^Denne måned: 1 dag af 4 besøgsdage i alt\.$/);
    await expectText(page, '[data-space=hanstholm]', /Hanstholm Havn · 2 dage om måneden/);
    await expectText(page, '[data-space=hanstholm] [data-testid=space-used]', /^Denne måned: 1 dag af 2 dage$/);
    await expectText(page, '[data-space=hanstholm]', /man\.–fre\. 08:00–17:00/);
    await expectText(page, '[data-space=hanstholm]', /Døre: Havnekontoret/);
    await expectText(page, '[data-space=thy]', /Thy Kontorfællesskab.*Stedets regler for besøg er ikke nået frem endnu\./);
    await expectText(page, '[data-testid=network-visits] li', /^Hanstholm Havn, /);
    const section = page.locator('ss-my-network [data-testid=my-network]');
    await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(150); // let the last update paint
    await section.screenshot({ path: `${SHOTS}member-network-da-phone.png` });
    await page.context().close();

    const sofie = await phoneAs('sofie@kystkontor.dk', 'member-sofie');
    await goTo(sofie, 'mine');
    await expectText(sofie, '[data-testid=network-not-member]', /^Dette sted er med i et netværk .*En vært slår det til, når du siger ja/);
    expect(await sofie.locator('[data-testid=network-spaces]').count()).toBe(0);
    await sofie.context().close();
  }, 120_000);
});
