// A host managing the space in real Chromium against the real services and a simulated gateway,
// on a phone: adds a member and issues a day pass whose PIN then opens the front door at the
// simulated reader, suspends them and the PIN stops working (in Danish and in English); edits a
// plan's weekly windows; replaces a member's card, the new card is tapped at the reader, and the
// old card is then denied at the door. Screenshots of the members list, a member's page and the
// plans screen at phone (390×844) and desktop (1280×800) size go to test/e2e/screenshots/.
// A suspended member's pass reads as blocked; an operator's page is read-only for a host. Date
// and time fields show as a Dane or a Briton sees them (see browserIn).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { EventPage, EventView, PlanView } from '../../contracts/api/index.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, gatewayReady, gatewayUsesList, eventually, sim, type Stack } from '../helpers/stack.ts';
import { launchChromium, until, expectText, goTo, phonePage, PHONE, DESKTOP, type Lang } from '../helpers/browser.ts';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const JONAS_CARD = '0400D4E5F6';
const NEW_CARD = '04C0FFEE77';
const STRANGER_CARD = '04BADC0FFE';

describe('a host manages members, passes, plans and cards in Chromium', () => {
  let site: TestSite;
  let stack: Stack;
  const browsers = new Map<Lang, Browser>();

  beforeAll(async () => {
    site = await makeTestSite();
    stack = await startStack(site);
    await gatewayReady(stack.baseUrl, 'gw-main');
    for (const lang of ['da', 'en'] as const) browsers.set(lang, await launchChromium({ lang }));
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    for (const b of browsers.values()) await b.close().catch(() => {});
    await stack?.stop();
    site?.cleanup();
  });

  /** Mette, the host, logged in on a phone whose browser speaks `lang`. */
  const host = (lang: Lang): Promise<Page> => phonePage(browsers.get(lang)!, stack, { lang, user: 'mette' });

  async function go(page: Page, route: string): Promise<void> {
    await goTo(page, route);
  }

  async function shots(page: Page, name: string): Promise<void> {
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${SHOTS}${name}-phone.png`, fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${SHOTS}${name}-desktop.png`, fullPage: true });
    await page.setViewportSize(PHONE);
  }

  /** Holds `uid` to a reader (a PIN is `PIN:<digits>`) and answers the access event it made. */
  async function tap(page: Page, uid: string, reader = 'front-reader'): Promise<EventView> {
    const events = async () => ((await (await page.request.get(`${stack.baseUrl}/api/events?limit=20`)).json()) as EventPage).items;
    const seen = new Set((await events()).map((e) => e.id));
    await sim(stack.simUrl, '/sim/tap', { reader, uid });
    return eventually(async () => (await events()).find((e) => !seen.has(e.id) && e.type === 'access'), 15_000, `access event for ${uid}`);
  }

  const words = {
    da: {
      blocked: /· spærret — medlemmet er suspenderet ·/,
      added: /er tilføjet\.$/,
      pinOnce: /kan ikke vises igen/,
      suspended: /er suspenderet\./,
      confirm: /^Suspendér .+\? Deres kort/,
      range: /^1–\d+ af \d+$/,
    },
    en: {
      blocked: /· blocked — member suspended ·/,
      added: /is added\.$/,
      pinOnce: /cannot be shown again/,
      suspended: /is suspended\./,
      confirm: /^Suspend .+\? Their cards/,
      range: /^1–\d+ of \d+$/,
    },
  } as const;

  for (const [lang, who] of [
    ['da', { name: 'Gitte Gæst', email: 'gitte@example.org' }],
    ['en', { name: 'Greta Guest', email: 'greta@example.org' }],
  ] as const) {
    it(`in ${lang === 'da' ? 'Danish' : 'English'}: adds a member, issues a day pass whose PIN opens the door, then suspends them and it no longer does`, async () => {
      const w = words[lang];
      const page = await host(lang);
      await go(page, 'members');
      await page.waitForSelector('ss-members [data-member=jonas]');
      await expectText(page, 'ss-members [data-testid=member-range]', w.range);
      // The search goes to the services: only Sofie matches "sofie".
      await page.fill('ss-members #find-q', 'sofie');
      await page.click('ss-members [data-action=search]');
      await until(async () => (await page.locator('ss-members [data-member]').count()) === 1);
      await page.fill('ss-members #find-q', '');
      await page.click('ss-members [data-action=search]');
      await until(async () => (await page.locator('ss-members [data-member]').count()) >= 5);
      if (lang === 'da') await shots(page, 'host-members-da');

      await page.click('ss-members [data-action=add-member]');
      await page.click('ss-members [data-form=add] [data-action=save-member]');
      await page.waitForSelector('ss-members #add-name[aria-invalid=true]');
      expect(await focused(page)).toBe('add-name');
      await page.fill('ss-members #add-name', who.name);
      await page.fill('ss-members #add-email', who.email);
      await page.selectOption('ss-members #add-plan', 'flex');
      await page.click('ss-members [data-form=add] [data-action=save-member]');
      await expectText(page, 'ss-members #member-title', new RegExp(`^${who.name}$`));
      await expectText(page, 'ss-members [data-testid=page-note]', w.added);

      // A day pass for today on the 24/7 plan, with a random PIN.
      expect(await page.inputValue('ss-members #pass-from')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      await page.selectOption('ss-members #pass-plan', 'resident');
      await page.click('ss-members [data-action=issue-pass]');
      await page.waitForSelector('ss-members [data-testid=pass-pin]');
      const pin = ((await page.textContent('ss-members [data-testid=pin]')) ?? '').trim();
      expect(pin).toMatch(/^\d{6}$/);
      await expectText(page, 'ss-members [data-testid=pass-pin]', w.pinOnce);
      await page.waitForSelector('ss-members [data-credential][data-status=live]');
      await shots(page, `host-member-pin-${lang}`);
      await page.click('ss-members [data-action=pin-done]');
      expect(await page.locator('ss-members [data-testid=pin]').count()).toBe(0);
      expect(await page.content()).not.toContain(pin);

      await gatewayUsesList(stack, site, `PIN:${pin}`, true);
      expect(await tap(page, `PIN:${pin}`)).toMatchObject({ decision: 'granted', memberName: who.name, door: 'front' });

      // Suspend, after the question; the PIN stops working.
      await page.click('ss-members [data-action=suspend]');
      await expectText(page, 'ss-members [data-testid=suspend-confirm] p', w.confirm);
      await page.click('ss-members [data-action=suspend-yes]');
      await expectText(page, 'ss-members [data-testid=status-note]', w.suspended);
      await page.waitForSelector('ss-members [data-action=reactivate]');
      // The pass is still live, but opens nothing while they are suspended.
      await expectText(page, 'ss-members [data-credential][data-blocked=suspended]', w.blocked);
      await shots(page, `host-member-${lang}`);
      await gatewayUsesList(stack, site, `PIN:${pin}`, false);
      // Refused by name and reason, not as an unknown PIN.
      expect(await tap(page, `PIN:${pin}`)).toMatchObject({ decision: 'denied', reason: 'suspended', via: 'pin', memberName: who.name, door: 'front' });

      await page.click('ss-members [data-action=back]');
      await page.waitForSelector('ss-members [data-member] [data-field=status]');
      await page.selectOption('ss-members #find-status', 'suspended');
      await until(async () => (await page.locator('ss-members [data-member]').allTextContents()).some((t) => t.includes(who.name)));
      if (lang === 'en') await shots(page, 'host-members-en');
    }, 120_000);
  }

  it('in Danish: an operator’s page is read-only for a host, and says who can change it', async () => {
    const page = await host('da');
    await go(page, 'members');
    await page.selectOption('ss-members #find-role', 'operator');
    await page.click('ss-members [data-member=ida] button.link');
    await page.waitForSelector('ss-members [data-open-member=ida][data-read-only]');
    await expectText(page, 'ss-members [data-testid=only-operator]', /^Kun en driftsansvarlig kan ændre en vært eller driftsansvarlig\.$/);
    expect(await page.locator('ss-members form').count()).toBe(0);
    expect(await page.locator('ss-members [data-action=suspend], ss-members [data-action=issue-pass], ss-members [data-credential]').count()).toBe(0);
    await shots(page, 'host-member-read-only-da');
  }, 60_000);

  it('in English: edits a plan’s weekly windows, and the services keep them', async () => {
    const page = await host('en');
    await go(page, 'plans');
    await page.waitForSelector('ss-plans [data-plan=flex]');
    await expectText(page, 'ss-plans [data-plan=flex] [data-field=windows]', /^Mon–Fri 07:00–19:00$/);
    await page.click('ss-plans [data-plan=flex] [data-action=edit-plan]');
    await page.fill('ss-plans #row0-from', '08:00');
    await page.click('ss-plans [data-action=add-window]');
    for (const d of [1, 2, 3, 4, 5]) await page.uncheck(`ss-plans [data-row="1"] input[name=day${d}]`);
    await page.check('ss-plans [data-row="1"] input[name=day6]');
    await page.fill('ss-plans #row1-from', '10:00');
    await page.fill('ss-plans #row1-to', '14:00');
    await shots(page, 'host-plan-edit-en');
    await page.click('ss-plans [data-action=save-plan]');
    await expectText(page, 'ss-plans [data-testid=plans-note]', /^Flex \(hverdage 07–19, hoveddør\) is saved\.$/);
    await expectText(page, 'ss-plans [data-plan=flex] [data-field=windows]', /^Mon–Fri 08:00–19:00; Sat 10:00–14:00$/);
    const saved = (await (await page.request.get(`${stack.baseUrl}/api/plans/flex`)).json()) as PlanView;
    expect(saved.windows).toEqual([
      { days: [1, 2, 3, 4, 5], from: '08:00', to: '19:00' },
      { days: [6], from: '10:00', to: '14:00' },
    ]);
    // A plan people are on cannot go: the reason and what to do, in words.
    await page.click('ss-plans [data-plan=flex] [data-action=delete-plan]');
    await page.click('ss-plans [data-plan=flex] [data-action=delete-yes]');
    await expectText(page, 'ss-plans [data-testid=plans-note]', /^Could not delete the plan: members or passes are still on this plan/);
    await shots(page, 'host-plans-en');
  }, 60_000);

  it('in Danish: the plans screen, and a closure for the holidays', async () => {
    const page = await host('da');
    await go(page, 'plans');
    await page.waitForSelector('ss-plans [data-plan=resident]');
    await expectText(page, 'ss-plans [data-plan=resident] [data-field=windows]', /^når som helst$/);
    await page.fill('ss-plans #closure-name', 'Jul');
    await page.fill('ss-plans #closure-from', '2030-12-24');
    await page.fill('ss-plans #closure-to', '2030-12-26');
    await page.click('ss-plans [data-action=add-closure]');
    await expectText(page, 'ss-plans [data-testid=closure-note]', /^Jul er tilføjet\.$/);
    await expectText(page, 'ss-plans [data-closure]', /^Jul 24\. dec\. 2030 til 26\. dec\. 2030 · alle planer/);
    await shots(page, 'host-plans-da');
  }, 60_000);

  it('in English: replaces a card from the member’s page at the chosen reader, confirmed; the new card opens, the old one is denied; undo', async () => {
    const page = await host('en');
    const before = await tap(page, JONAS_CARD);
    expect(before).toMatchObject({ decision: 'granted', memberName: 'Jonas Brandt' });
    await go(page, 'members');
    await page.click('ss-members [data-member=jonas] button.link');
    await page.waitForSelector('ss-members [data-credential][data-status=live]');
    await page.click('ss-members [data-action=enrol-card]');
    await page.waitForSelector('main[data-route=cards]');
    // The Cards screen starts with Jonas chosen.
    await page.waitForSelector('ss-cards [data-credential][data-status=live] [data-action=replace]');
    expect(await page.inputValue('ss-cards select[data-field=member]')).toBe('jonas');
    await page.selectOption('ss-cards select[data-field=door]', 'front');
    await page.click('ss-cards [data-credential][data-status=live] [data-action=replace]');
    await page.waitForSelector('ss-cards [data-testid=enrolment][data-status=waiting]');
    await expectText(page, 'ss-cards [data-testid=replacing]', /^The new card replaces Card …[0-9a-f]{6}/);
    // A stranger's card at another door during the window: a plain deny, not shown here.
    expect(await tap(page, STRANGER_CARD, 'meeting-reader')).toMatchObject({ decision: 'denied', reason: 'unknown-credential' });
    expect(await page.locator('ss-cards [data-candidate]').count()).toBe(0);
    await sim(stack.simUrl, '/sim/tap', { reader: 'front-reader', uid: NEW_CARD });
    await page.waitForSelector('ss-cards [data-testid=enrolment][data-status=tapped]', { timeout: 15_000 });
    // The end of the new card's number (04C0FFEE77), from the gateway: what the host can read off it.
    await expectText(page, 'ss-cards [data-candidate] span', /^Card …EE77, tapped at \d\d:\d\d:\d\d$/);
    expect(await page.locator('ss-cards [data-candidate]').count()).toBe(1);
    await shots(page, 'host-card-tapped-en');
    // Not bound before the confirm: the old card still works.
    expect(await tap(page, JONAS_CARD)).toMatchObject({ decision: 'granted', memberName: 'Jonas Brandt' });
    await page.click('ss-cards [data-action=confirm-enrolment]');
    await page.waitForSelector('ss-cards [data-testid=enrolment][data-status=bound]', { timeout: 15_000 });
    await expectText(page, 'ss-cards [data-testid=enrolment] p', /^Card …EE77 now opens for Jonas Brandt; card …[0-9a-f]{6} is revoked\.$/);
    await until(
      async () =>
        (await page.locator('ss-cards [data-credential][data-status=revoked]').count()) === 1 &&
        (await page.locator('ss-cards [data-credential][data-status=live]').count()) === 1,
    );
    await shots(page, 'host-card-replaced-en');
    await gatewayUsesList(stack, site, NEW_CARD, true);
    await gatewayUsesList(stack, site, JONAS_CARD, false);
    expect(await tap(page, NEW_CARD)).toMatchObject({ decision: 'granted', memberName: 'Jonas Brandt' });
    expect(await tap(page, JONAS_CARD)).toMatchObject({ decision: 'denied', reason: 'unknown-credential' });
    // Undo, from the result: the new card stops opening.
    await page.click('ss-cards [data-action=undo-enrolment]');
    await page.waitForSelector('ss-cards [data-testid=enrolment][data-status=undone]');
    await expectText(page, 'ss-cards [data-testid=enrolment]', /^Card …EE77 is removed from Jonas Brandt again; it no longer opens\./);
    await gatewayUsesList(stack, site, NEW_CARD, false);
    expect(await tap(page, NEW_CARD)).toMatchObject({ decision: 'denied', reason: 'unknown-credential' });
  }, 90_000);
});

/** The id of the element with focus, through shadow roots. */
async function focused(page: Page): Promise<string | null> {
  // A string: this runs in the page, and the tests' own types have no DOM.
  return page.evaluate<string | null>(`(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return el ? el.id : null;
  })()`);
}
