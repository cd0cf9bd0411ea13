import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DoorView, UnlockAccepted } from '../../contracts/api/index.ts';
import { ApiRequestError } from '../../dashboard/src/api.ts';
import '../../dashboard/src/components/door-card.ts';
import type { DoorCard } from '../../dashboard/src/components/door-card.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { door, doorState, T0, text } from './fixtures.ts';

async function mount(d: DoorView, unlock?: DoorCard['unlock']): Promise<DoorCard> {
  const el = document.createElement('ss-door-card');
  el.door = d;
  if (unlock) el.unlock = unlock;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

async function setDoor(el: DoorCard, d: DoorView): Promise<void> {
  el.door = d;
  await el.updateComplete;
}

const q = (el: DoorCard, sel: string) => el.shadowRoot!.querySelector<HTMLElement>(sel);
const feedback = (el: DoorCard) => q(el, '[data-testid=unlock-feedback]');

/** Lets the awaited unlock promise settle and the card re-render. */
async function settle(el: DoorCard): Promise<void> {
  for (let i = 0; i < 3; i++) await Promise.resolve();
  await el.updateComplete;
}

afterEach(() => {
  locale.reset();
  document.body.replaceChildren();
  vi.useRealTimers();
});

describe('door card', () => {
  it.each([
    ['locked', 'Locked', door()],
    ['unlocked', 'Unlocked', door({ state: doorState({ lock: 'unlocked' }) })],
    ['open', 'Open', door({ state: doorState({ lock: 'unlocked', contact: 'open' }) })],
    ['alarm', 'Alarm', door({ state: doorState({ contact: 'open', alarms: ['held-open'] }) })],
    ['unknown', 'Unknown', door({ state: null })],
  ] as const)('shows %s in words', async (state, words, d) => {
    const el = await mount(d);
    const card = q(el, '[data-door="front"]');
    expect(card?.dataset.state).toBe(state);
    expect(text(card?.querySelector('.badge'))).toBe(words);
    expect(text(card?.querySelector('h3'))).toBe('Front door');
  });

  it('gives a door opened normally (after an unlock) a colour of its own, not the alarm’s', async () => {
    const open = await mount(door({ state: doorState({ lock: 'unlocked', contact: 'open' }) }));
    const forced = await mount(door({ id: 'meeting', state: doorState({ door: 'meeting', contact: 'open', alarms: ['forced-open'] }) }));
    const colour = (el: DoorCard) => getComputedStyle(q(el, 'article')!).getPropertyValue('--status').trim();
    expect(q(open, 'article')!.dataset.state).toBe('open');
    expect(q(forced, 'article')!.dataset.state).toBe('alarm');
    expect(colour(open)).not.toBe('');
    expect(colour(open)).not.toBe(colour(forced));
  });

  it('never shows a door behind an offline gateway as locked', async () => {
    const el = await mount(door({ gatewayOnline: false, state: doorState({ lock: 'locked' }) }));
    expect(q(el, '[data-door]')?.dataset.state).toBe('unknown');
    expect(text(q(el, '.badge'))).toBe('Unknown');
    expect(text(q(el, '.detail'))).toMatch(/stopped answering/i);
  });

  it('offers Unlock only where the user may unlock', async () => {
    const allowed = await mount(door());
    const button = q(allowed, '[data-action="unlock"]');
    expect(button?.tagName).toBe('BUTTON');
    expect(text(button)).toBe('Unlock Front door');
    const denied = await mount(door({ id: 'meeting', name: 'Meeting room', canUnlock: false }));
    expect(q(denied, '[data-door="meeting"]')).not.toBeNull();
    expect(q(denied, '[data-action="unlock"]')).toBeNull();
    expect(feedback(denied)).toBeNull();
  });

  it('says Sending…, then Unlocked when the door reports it, then Locked again', async () => {
    let accept!: (a: UnlockAccepted) => void;
    const unlock = vi.fn(() => new Promise<UnlockAccepted>((resolve) => (accept = resolve)));
    const el = await mount(door(), unlock);
    expect(text(feedback(el))).toBe('');

    q(el, '[data-action="unlock"]')!.click();
    await el.updateComplete;
    expect(unlock).toHaveBeenCalledWith('front');
    expect(text(feedback(el))).toBe('Sending…');
    expect((q(el, '[data-action="unlock"]') as HTMLButtonElement).disabled).toBe(true);

    accept({ commandId: 'cmd-00000001', action: 'unlock', exp: Date.now() + 15_000 });
    await settle(el);
    expect(text(feedback(el))).toBe('Sending…'); // accepted is not unlocked

    await setDoor(el, door({ state: doorState({ lock: 'unlocked', ts: T0 + 1 }) }));
    expect(text(feedback(el))).toBe('Unlocked');
    expect(q(el, '[data-door]')?.dataset.state).toBe('unlocked');

    await setDoor(el, door({ state: doorState({ lock: 'unlocked', contact: 'open', ts: T0 + 2 }) }));
    expect(text(feedback(el))).toBe('Unlocked');

    await setDoor(el, door({ state: doorState({ lock: 'locked', ts: T0 + 3 }) }));
    expect(text(feedback(el))).toBe('Locked again');
    expect((q(el, '[data-action="unlock"]') as HTMLButtonElement).disabled).toBe(false);
  });

  it('counts an unlocked report that beats the 202 answer', async () => {
    let accept!: (a: UnlockAccepted) => void;
    const el = await mount(door(), () => new Promise<UnlockAccepted>((resolve) => (accept = resolve)));
    q(el, '[data-action="unlock"]')!.click();
    await el.updateComplete;
    await setDoor(el, door({ state: doorState({ lock: 'unlocked', ts: T0 + 1 }) }));
    accept({ commandId: 'cmd-00000001', action: 'unlock', exp: Date.now() + 15_000 });
    await settle(el);
    expect(text(feedback(el))).toBe('Unlocked');
  });

  it('says what failed and what to do when the unlock is refused', async () => {
    const el = await mount(door(), () => Promise.reject(new ApiRequestError(503, 'door-offline', 'The door is offline.')));
    q(el, '[data-action="unlock"]')!.click();
    await settle(el);
    expect(text(feedback(el))).toBe('Front door did not unlock: the door is offline. Use your card or PIN at the door, or call the host.');
    expect(feedback(el)?.dataset.phase).toBe('failed');
    expect(feedback(el)?.getAttribute('role')).toBe('status');
    locale.set('da', false);
    await el.updateComplete;
    expect(text(feedback(el))).toBe('Front door blev ikke låst op: døren er offline. Brug dit kort eller din pinkode ved døren, eller ring til værten.');
  });

  it.each([
    [new ApiRequestError(403, 'not-allowed', 'Your plan does not include this door.'), /your plan does not open this door now/],
    [new ApiRequestError(0, 'network', 'server not reachable'), /no connection to the server\. Use your card/],
    [new ApiRequestError(502, 'http-502', 'HTTP 502'), /the server had a problem/],
    [new TypeError('x is not a function'), /something went wrong\. Try again, or call the host/],
  ])('never shows a raw error (%s)', async (err, words) => {
    const el = await mount(door(), () => Promise.reject(err));
    q(el, '[data-action="unlock"]')!.click();
    await settle(el);
    expect(text(feedback(el))).toMatch(words);
    expect(text(feedback(el))).not.toMatch(/Error|HTTP|undefined|\[object/);
  });

  it('marks alarms and unusual modes', async () => {
    const el = await mount(door({ state: doorState({ contact: 'open', alarms: ['forced-open'], mode: 'lockdown' }) }));
    const card = q(el, '[data-door]')!;
    expect(card.dataset.mode).toBe('lockdown');
    expect([...card.querySelectorAll('.notes li')].map((li) => [text(li), li.getAttribute('data-note')])).toEqual([
      ['Forced open', 'alarm'],
      ['Lockdown', 'mode'],
    ]);
  });

  it('says the unlock did not arrive when no unlocked state comes before exp', async () => {
    vi.useFakeTimers();
    const exp = Date.now() + 15_000;
    const el = await mount(door(), () => Promise.resolve({ commandId: 'cmd-00000001', action: 'unlock', exp }));
    q(el, '[data-action="unlock"]')!.click();
    await settle(el);
    expect(text(feedback(el))).toBe('Sending…');
    // a relock report of a door that never unlocked changes nothing
    await setDoor(el, door({ state: doorState({ ts: T0 + 5 }) }));
    vi.advanceTimersByTime(14_000);
    await el.updateComplete;
    expect(text(feedback(el))).toBe('Sending…');
    vi.advanceTimersByTime(1_500);
    await el.updateComplete;
    expect(feedback(el)?.dataset.phase).toBe('expired');
    expect(text(feedback(el))).toMatch(/did not arrive/);
  });
});
