// Booking on the phone in Danish (issue 16 part 1), in real Chromium against the real services:
// a member books Mødelokale tomorrow 10:00 in three taps (day, hour, confirm) and finds it under
// »Mine bookinger«. Tomorrow, so that the time of day the test runs at does not matter (the demo
// plans book 7 and 30 days ahead). The screenshot is one of the committed Danish phone set
// (test/e2e/screenshots/README.md).
// Then (issue 16, h16f): from the floor plan in three taps (desk, hour, confirm); a host books for
// Lars and Lars finds it under »Mine bookinger«; Lars makes a calendar address, the address shown
// answers iCalendar with that booking, and after »Tilbagekald« it answers 404.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { BookingView } from '../../contracts/api/index.ts';
import { addDays, epochOfLocal, localDate } from '../../contracts/local-time.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, type Stack } from '../helpers/stack.ts';
import { launchChromium, expectText, goTo } from '../helpers/browser.ts';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const PHONE = { width: 390, height: 844 };

/** A member's or host's phone, logged in (Danish); `clock`: the page's own clock stands still there. */
async function phone(browser: Browser, baseUrl: string, email: string, password: string, clock?: number): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, locale: 'da-DK', hasTouch: true, isMobile: true });
  const page = await context.newPage();
  if (clock !== undefined) await page.clock.setFixedTime(clock);
  await page.goto(baseUrl + '/');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-live=live]');
  return page;
}

/** Taps what `selector` finds, brought to the middle of the screen first (as a thumb scrolls it: not under the bars). */
async function tap(page: Page, selector: string): Promise<void> {
  const el = page.locator(selector);
  await el.evaluate((e) => e.scrollIntoView({ block: 'center' }));
  await el.click();
}

async function shot(page: Page, name: string): Promise<void> {
  await page.mouse.move(0, 0); // no hover left in the picture
  await page.waitForTimeout(150); // let the last update paint
  await page.screenshot({ path: `${SHOTS}${name}`, fullPage: true });
}

/** iCalendar's UTC form of an instant: 20250603T080000Z. */
const icsUtc = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

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

  it('books a desk from the floor plan in three taps: desk, hour, confirm; the address keeps the choice', async () => {
    // The page's clock at 09:00 tomorrow (site time): "today" on the phone has free hours whatever
    // the time the test runs at, and the services (on the real clock) book it as tomorrow.
    const tz = site.config.site.timeZone;
    const tomorrow = addDays(localDate(Date.now(), tz), 1);
    const page = await phone(browser, stack.baseUrl, 'lars@kystkontor.dk', 'member-lars', epochOfLocal(`${tomorrow}T09:00`, tz)!);

    // Lars's home: the floor plan offers his plan's desks with »Book« on them.
    const desk = 'ss-floor-plan a[data-book=d03]';
    await page.waitForSelector(desk);
    expect(await page.locator(`${desk} .book`).textContent()).toBe('Book');
    expect(await page.locator(desk).getAttribute('aria-label')).toMatch(/^Book Skrivebord 3: /);
    await page.locator('ss-floor-plan').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await shot(page, 'floor-book-da-phone.png');

    // Tap 1: the desk.
    await tap(page, desk);
    await page.waitForSelector('main[data-route=bookings] ss-bookings [data-testid=slots]');
    await expectText(page, 'ss-bookings h3', /^Skrivebord 3, I dag$/);
    expect(new URL(page.url()).search).toBe(`?desk=d03&day=${tomorrow}`);
    // Tap 2: an hour; tap 3: confirm.
    await tap(page, 'ss-bookings [data-slot="10:00"][data-state=free]');
    await expectText(page, 'ss-bookings [data-testid=book-confirm]', /^Book Skrivebord 3 I dag 10:00–11:00\?/);
    await tap(page, 'ss-bookings [data-action=book]');
    await expectText(page, 'ss-bookings [data-testid=note]', /^Booket: Skrivebord 3 I dag 10:00–11:00\.$/);
    const mine = (await (await page.request.get(`${stack.baseUrl}/api/me/bookings`)).json()) as BookingView[];
    expect(mine.filter((b) => b.resource === 'd03').map((b) => [b.from, b.to])).toEqual([[`${tomorrow}T10:00`, `${tomorrow}T11:00`]]);

    // Opened again (a reload, a shared link): the same desk and day, the hour now booked.
    await page.reload();
    await page.waitForSelector('ss-bookings [data-slot="10:00"][data-state=busy]');
    await expectText(page, 'ss-bookings h3', /^Skrivebord 3, I dag$/);
    await page.context().close();
  }, 90_000);

  it('a host books Mødelokale for Lars; the day shows his name, and Lars sees it under »Mine bookinger«', async () => {
    const host = await phone(browser, stack.baseUrl, 'mette@kystkontor.dk', 'host-mette');
    await goTo(host, 'bookings');
    await host.waitForSelector('ss-bookings [data-testid=slots]');
    const tomorrow = host.locator('ss-bookings [data-day]').nth(1);
    const day = (await tomorrow.getAttribute('data-day'))!;
    await tomorrow.click();
    await expectText(host, 'ss-bookings h3', /^Mødelokale, I morgen$/);
    await expectText(host, 'ss-bookings [data-testid=for-member]', /^Mig selv$/);
    await host.fill('ss-bookings #member-find', 'Lars');
    await tap(host, 'ss-bookings [data-member=lars]');
    await expectText(host, 'ss-bookings [data-testid=for-member]', /^Lars Vestergaard$/);
    await tap(host, 'ss-bookings [data-slot="14:00"][data-state=free]');
    await expectText(host, 'ss-bookings [data-testid=book-confirm]', /^Book Mødelokale I morgen 14:00–15:00 til Lars Vestergaard\?/);
    await host.locator('ss-bookings [data-testid=for-whom]').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await shot(host, 'bookings-host-for-member-da-phone.png');
    await tap(host, 'ss-bookings [data-action=book]');
    await expectText(host, 'ss-bookings [data-testid=note]', /^Booket til Lars Vestergaard: Mødelokale I morgen 14:00–15:00\.$/);
    await expectText(host, 'ss-bookings [data-slot="14:00"]', /^14:00–15:00 booket af Lars Vestergaard$/);
    await expectText(host, 'ss-bookings [data-testid=day]', /14:00–15:00 Lars Vestergaard/);
    await host.context().close();

    const lars = await phone(browser, stack.baseUrl, 'lars@kystkontor.dk', 'member-lars');
    await goTo(lars, 'bookings');
    await expectText(lars, 'ss-bookings [data-testid=mine]', /Mødelokale I morgen 14:00–15:00/);
    expect(await lars.locator('ss-bookings [data-testid=for-whom]').count()).toBe(0); // no such control for a member
    const mine = (await (await lars.request.get(`${stack.baseUrl}/api/me/bookings`)).json()) as BookingView[];
    expect(mine.filter((b) => b.from === `${day}T14:00`).map((b) => [b.resource, b.to])).toEqual([['moedelokale', `${day}T15:00`]]);
    await lars.context().close();
  }, 90_000);

  it('Lars makes his calendar address: shown once, it answers iCalendar with his booking; revoked, 404', async () => {
    const page = await phone(browser, stack.baseUrl, 'lars@kystkontor.dk', 'member-lars');
    await goTo(page, 'bookings');
    await expectText(page, 'ss-calendar-feeds h2', /^Kalender$/);
    await expectText(page, 'ss-calendar-feeds [data-testid=calendar]', /Du har ingen kalenderadresser endnu\./);
    await tap(page, 'ss-calendar-feeds [data-action=make-feed]');
    await expectText(page, 'ss-calendar-feeds [data-testid=feed-fresh]', /Den vises kun nu/);
    const url = ((await page.locator('ss-calendar-feeds [data-testid=feed-url]').textContent()) ?? '').trim();
    expect(url).toMatch(new RegExp(`^${stack.baseUrl.replace(/[.]/g, '\\.')}/api/calendar/[A-Za-z0-9_-]{20,64}\\.ics$`));
    expect(await page.locator('ss-calendar-feeds [data-action=subscribe]').getAttribute('href')).toBe(url.replace(/^https?:/, 'webcal:'));
    await page.locator('ss-calendar-feeds [data-testid=calendar]').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await shot(page, 'bookings-calendar-da-phone.png');

    // The address as a calendar app fetches it: no login.
    const mine = (await (await page.request.get(`${stack.baseUrl}/api/me/bookings`)).json()) as BookingView[];
    const room = mine.find((b) => b.resource === 'moedelokale' && b.state === 'booked')!;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const ics = (await res.text()).replace(/\r\n[ \t]/g, ''); // unfolded (RFC 5545 3.1)
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toMatch(/\r\nEND:VCALENDAR(\r\n)?$/);
    const event = ics.split('BEGIN:VEVENT').find((e) => e.includes(`UID:booking-${room.id}@`))!;
    expect(event).toContain(`DTSTART:${icsUtc(room.start)}`);
    expect(event).toContain(`DTEND:${icsUtc(room.end)}`);
    expect(event).toContain('SUMMARY:Mødelokale');

    // Listed (the address itself not again), then revoked after a confirm: the address is gone.
    await tap(page, 'ss-calendar-feeds [data-action=feed-done]');
    expect(await page.locator('ss-calendar-feeds [data-testid=feed-url]').count()).toBe(0);
    await expectText(page, 'ss-calendar-feeds [data-testid=feeds]', /^Mine bookinger lavet /);
    await tap(page, 'ss-calendar-feeds [data-action=revoke-feed]');
    await tap(page, 'ss-calendar-feeds [data-action=revoke-yes]');
    await expectText(page, 'ss-calendar-feeds [data-testid=feed-note]', /^Kalenderadressen er tilbagekaldt\.$/);
    expect((await fetch(url)).status).toBe(404);
    await page.context().close();
  }, 90_000);
});
