// The host's emergency controls (issue 13, finding 11): lockdown and hold open ask first, then
// send one door command per door; release goes back to normal; what failed is said per door.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DoorView } from '../../contracts/api/index.ts';
import { ApiRequestError } from '../../dashboard/src/api.ts';
import '../../dashboard/src/components/emergency-panel.ts';
import type { EmergencyPanel } from '../../dashboard/src/components/emergency-panel.ts';
import { emergencyBanner } from '../../dashboard/src/components/emergency-banner.ts';
import { emergencyState } from '../../dashboard/src/data/emergency.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { render } from 'lit';
import { door, doorState, settle, text } from './fixtures.ts';

const FRONT = door();
const MEETING = door({ id: 'meeting', name: 'Meeting room', state: doorState({ door: 'meeting' }) });

async function mount(
  doors: DoorView[],
  send: EmergencyPanel['send'] & ReturnType<typeof vi.fn> = vi.fn((_d: string, _a: string, _r: string) => Promise.resolve({})),
) {
  const el = document.createElement('ss-emergency');
  el.doors = doors;
  el.send = send;
  document.body.append(el);
  await el.updateComplete;
  return { el, send, q: (sel: string) => el.shadowRoot!.querySelector<HTMLElement>(sel) };
}

afterEach(() => {
  locale.reset();
  document.body.replaceChildren();
});

describe('emergency controls', () => {
  it('asks before a lockdown; cancel sends nothing, yes locks every door down', async () => {
    const { el, send, q } = await mount([FRONT, MEETING]);
    q('[data-action=lockdown]')!.click();
    await el.updateComplete;
    expect(text(q('[data-testid=confirm]'))).toMatch(/^Lock down all doors now\? Nobody gets in/);
    expect(el.shadowRoot!.activeElement).toBe(q('[data-action=lockdown-confirm]'));
    q('[data-action=cancel]')!.click();
    await el.updateComplete;
    expect(send).not.toHaveBeenCalled();
    expect(q('[data-testid=confirm]')).toBeNull();

    q('[data-action=lockdown]')!.click();
    await el.updateComplete;
    q('[data-action=lockdown-confirm]')!.click();
    await settle(el);
    expect(send.mock.calls).toEqual([
      ['front', 'lockdown', 'emergency controls'],
      ['meeting', 'lockdown', 'emergency controls'],
    ]);
    expect(text(q('[data-testid=command-note]'))).toBe('Sent to 2 doors. Their state changes when the doors confirm.');
  });

  it('says which door did not get it, and why, in Danish', async () => {
    locale.set('da', false);
    const send = vi.fn((d: string) => (d === 'meeting' ? Promise.reject(new ApiRequestError(503, 'door-offline', 'offline')) : Promise.resolve({})));
    const { el, q } = await mount([FRONT, MEETING], send);
    q('[data-action=lockdown]')!.click();
    await el.updateComplete;
    q('[data-action=lockdown-confirm]')!.click();
    await settle(el);
    const note = q('[data-testid=command-note]')!;
    expect(note.getAttribute('role')).toBe('alert');
    expect(text(note)).toMatch(/Sendt til 1 dør\./);
    expect(text(note)).toMatch(/Meeting room: Kunne ikke sende kommandoen: døren er offline/);
  });

  it('holds one door open after asking, and releases a door that is held or locked down', async () => {
    const held = door({ id: 'meeting', name: 'Meeting room', state: doorState({ door: 'meeting', mode: 'held', lock: 'unlocked' }) });
    const { el, send, q } = await mount([FRONT, held]);
    expect(text(q('[data-emergency-door=meeting] .mode'))).toBe('held open');
    q('[data-emergency-door=front] [data-action=hold]')!.click();
    await el.updateComplete;
    expect(text(q('[data-emergency-door=front] [data-testid=confirm] p'))).toBe('Hold Front door open? Anyone can walk in until you release it.');
    q('[data-action=hold-confirm]')!.click();
    await settle(el);
    q('[data-emergency-door=meeting] [data-action=release]')!.click();
    await settle(el);
    expect(send.mock.calls).toEqual([
      ['front', 'hold', 'emergency controls'],
      ['meeting', 'release', 'emergency controls'],
    ]);
    // While one is held, "release all" is there, and asks first.
    q('[data-action=release-all]')!.click();
    await el.updateComplete;
    q('[data-action=release-all-confirm]')!.click();
    await settle(el);
    expect(send.mock.calls.at(-1)).toEqual(['meeting', 'release', 'emergency controls']);
  });
});

describe('emergency banner', () => {
  const show = (doors: DoorView[], route: 'home' | 'emergency' = 'home') => {
    const host = document.createElement('div');
    render(emergencyBanner(doors, route), host);
    return host;
  };

  it('is there only while a door is locked down or held open, and links to the controls', () => {
    expect(show([FRONT, MEETING]).querySelector('[data-testid=emergency-banner]')).toBeNull();
    const down = [door({ state: doorState({ mode: 'lockdown' }) }), MEETING];
    const banner = show(down).querySelector('[data-testid=emergency-banner]')!;
    expect(banner.getAttribute('role')).toBe('status');
    expect(text(banner)).toMatch(/^Lockdown: Front door locked, members’ cards refused\./);
    expect(banner.querySelector('a')!.getAttribute('href')).toBe('/emergency');
    expect(show(down, 'emergency').querySelector('a')).toBeNull();
  });

  it('does not count a door whose gateway is offline', () => {
    const s = emergencyState([door({ gatewayOnline: false, state: doorState({ mode: 'lockdown' }) })]);
    expect(s.lockdown).toEqual([]);
    expect(s.unknown.map((d) => d.id)).toEqual(['front']);
  });
});
