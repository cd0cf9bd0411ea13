import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventView } from '../../contracts/api/index.ts';
import '../../dashboard/src/components/event-feed.ts';
import type { EventFeed } from '../../dashboard/src/components/event-feed.ts';
import { describeEvent } from '../../dashboard/src/data/event-words.ts';
import { eventTimeFormatter } from '../../dashboard/src/time-format.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { accessEvent, T0, text } from './fixtures.ts';

async function mount(events: EventView[], timeZone = 'Europe/Copenhagen'): Promise<EventFeed> {
  const el = document.createElement('ss-event-feed');
  el.events = events;
  el.timeZone = timeZone;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const row = (el: EventFeed, id: string) => el.shadowRoot!.querySelector(`[data-event-id="${id}"]`);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0 + 60_000);
});
afterEach(() => {
  vi.useRealTimers();
  locale.reset();
  document.body.replaceChildren();
});

describe('event words', () => {
  it.each([
    [{ decision: 'granted', reason: 'ok' }, 'Access granted'],
    [{ decision: 'denied', reason: 'unknown-credential' }, 'Access denied — unknown card'],
    [{ decision: 'denied', reason: 'door-not-in-plan' }, 'Access denied — door not in their plan'],
    [{ decision: 'denied', reason: 'outside-schedule' }, 'Access denied — outside their hours'],
    [{ decision: 'denied', reason: 'no-access-list' }, 'Access denied — the door has no access list yet'],
    [{ decision: 'denied', reason: 'offline-not-allowed' }, 'Access denied — not allowed while offline'],
    [{ decision: 'denied', reason: 'lockdown' }, 'Access denied — lockdown'],
    [{ decision: 'denied', reason: 'suspended' }, 'Access denied — member suspended'],
    [{ decision: 'denied', reason: 'expired' }, 'Access denied — access has ended (day pass or plan)'],
    [{ decision: 'denied', reason: 'unknown-credential', via: 'pin' }, 'Access denied — unknown PIN'],
  ] as const)('%o reads "%s"', (over, words) => {
    expect(describeEvent(accessEvent(over)).what).toBe(words);
  });

  it('words door events', () => {
    const ev = (kind: EventView['kind']) => describeEvent({ ...accessEvent(), type: 'door', kind, decision: undefined, reason: undefined, via: undefined });
    expect(ev('opened').what).toBe('Door opened');
    expect(ev('forced-open')).toMatchObject({ what: 'Door forced open', alert: true, who: '' });
    expect(ev('relocked').what).toBe('Locked again');
  });

  it('names the space a network visitor comes from, never the person', () => {
    const { memberName: _, ...anonymous } = accessEvent();
    expect(describeEvent({ ...anonymous, visitorFrom: 'Klitmøller Kontor' }).who).toBe('A visitor from Klitmøller Kontor');
    expect(describeEvent(anonymous).who).toBe('Someone');
  });
});

describe('event feed', () => {
  it('shows time in the site zone, door, words and who', async () => {
    const el = await mount([
      accessEvent({ id: 'ev-granted1', memberName: 'Mette Holm' }),
      accessEvent({ id: 'ev-denied01', decision: 'denied', reason: 'unknown-credential', ts: T0 - 120_000 }),
    ]);
    const granted = row(el, 'ev-granted1');
    expect(text(granted?.querySelector('time'))).toBe('10:30:00'); // 08:30 UTC is 10:30 in Copenhagen
    expect(text(granted?.querySelector('.what'))).toBe('Access granted');
    expect(text(granted?.querySelector('.meta'))).toBe('Front door · Mette Holm by card');
    const denied = row(el, 'ev-denied01');
    expect(text(denied?.querySelector('.what'))).toBe('Access denied — unknown card');
    expect(text(denied?.querySelector('.meta'))).toBe('Front door · Someone by card');
    expect(denied?.classList.contains('alert')).toBe(true);
  });

  it('says who was refused and how: a suspended member by name, a day-pass PIN as PIN, the exit button as no alarm', async () => {
    const events = [
      accessEvent({ id: 'ev-suspend1', decision: 'denied', reason: 'suspended', via: 'card', memberName: 'Anna Østergård' }),
      accessEvent({ id: 'ev-daypass1', via: 'pin', memberName: 'Karen Sørensen' }),
      accessEvent({ id: 'ev-exitbtn1', via: 'exit-button', memberName: undefined }),
    ];
    const el = await mount(events);
    expect(text(row(el, 'ev-suspend1'))).toBe('10:30:00 Access denied — member suspended Front door · Anna Østergård by card');
    expect(text(row(el, 'ev-daypass1'))).toBe('10:30:00 Access granted Front door · Karen Sørensen by PIN');
    expect(text(row(el, 'ev-exitbtn1'))).toBe('10:30:00 Exit button pressed Front door');
    el.events = [accessEvent({ id: 'ev-unknown1', decision: 'denied', reason: 'unknown-credential', cardTail: '0A01' }), ...events];
    await el.updateComplete;
    // The end of the number on the card the host may have in hand.
    expect(text(row(el, 'ev-unknown1'))).toBe('10:30:00 Access denied — unknown card Front door · Someone by card …0A01');
    expect(row(el, 'ev-exitbtn1')?.classList.contains('alert')).toBe(false);

    locale.set('da', false);
    await el.updateComplete;
    expect(text(row(el, 'ev-suspend1'))).toBe('10.30.00 Adgang nægtet — medlemmet er suspenderet Front door · Anna Østergård med kort');
    expect(text(row(el, 'ev-daypass1'))).toBe('10.30.00 Adgang givet Front door · Karen Sørensen med pinkode');
    expect(text(row(el, 'ev-exitbtn1'))).toBe('10.30.00 Udgangsknap trykket Front door');
  });

  it('uses the site’s zone, not the browser’s', async () => {
    const el = await mount([accessEvent({ id: 'ev-granted1' })], 'America/New_York');
    expect(text(row(el, 'ev-granted1')?.querySelector('time'))).toBe('04:30:00');
  });

  it('marks offline decisions', async () => {
    const el = await mount([accessEvent({ id: 'ev-offline1', offline: true, via: 'card', memberName: 'Jonas' })]);
    expect(text(row(el, 'ev-offline1')?.querySelector('.offline'))).toBe('offline decision');
    const online = await mount([accessEvent({ id: 'ev-online01' })]);
    expect(row(online, 'ev-online01')?.querySelector('.offline')).toBeNull();
  });

  it('adds new events on top', async () => {
    const el = await mount([accessEvent({ id: 'ev-first001' })]);
    el.events = [accessEvent({ id: 'ev-second01', ts: T0 + 1000, via: 'remote', memberName: 'Mette Holm' }), ...el.events];
    await el.updateComplete;
    const ids = [...el.shadowRoot!.querySelectorAll('[data-event-id]')].map((r) => r.getAttribute('data-event-id'));
    expect(ids).toEqual(['ev-second01', 'ev-first001']);
    expect(text(row(el, 'ev-second01')?.querySelector('.meta'))).toBe('Front door · Mette Holm by app');
  });

  it('dates events from before today', () => {
    const format = eventTimeFormatter('Europe/Copenhagen', () => T0);
    expect(format(T0)).toBe('10:30:00');
    expect(format(T0 - 24 * 3600_000)).toMatch(/Sun 1 Jun,? 10:30/);
  });
});
