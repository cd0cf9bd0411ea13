import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../dashboard/src/components/visitors-panel.ts';
import type { VisitorsPanel } from '../../dashboard/src/components/visitors-panel.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { applyLive, EMPTY_STATE, Store } from '../../dashboard/src/data/store.ts';
import { timeFormats } from '../../dashboard/src/time-format.ts';
import { visitorsOn } from '../../dashboard/src/data/visitors.ts';
import { accessEvent, T0, text } from './fixtures.ts';

const cph = timeFormats('en-GB', 'Europe/Copenhagen');
const H = 3600_000;

afterEach(() => {
  locale.reset();
  vi.useRealTimers();
  document.body.replaceChildren();
});

describe('who is in today', () => {
  it('lists each named member let in today once, first arrival first', () => {
    const events = [
      accessEvent({ id: 'ev-1', ts: T0 + 2 * H, memberName: 'Jonas Brandt' }),
      accessEvent({ id: 'ev-2', ts: T0, memberName: 'Mette Kjær' }),
      accessEvent({ id: 'ev-3', ts: T0 + H, memberName: 'Jonas Brandt', via: 'remote' }),
    ];
    expect(visitorsOn(events, cph.dayKey, cph.dayKey(T0))).toEqual([
      { name: 'Mette Kjær', first: T0, last: T0 },
      { name: 'Jonas Brandt', first: T0 + H, last: T0 + 2 * H },
    ]);
  });

  it('leaves out denials, the exit button, nameless entries and other days', () => {
    const events = [
      accessEvent({ id: 'ev-1', memberName: 'Sofie Lund', decision: 'denied', reason: 'outside-schedule' }),
      accessEvent({ id: 'ev-2', memberName: 'Lars Vestergaard', via: 'exit-button' }),
      accessEvent({ id: 'ev-3' }),
      accessEvent({ id: 'ev-4', ts: T0 - 24 * H, memberName: 'Ida Thomsen' }),
    ];
    expect(visitorsOn(events, cph.dayKey, cph.dayKey(T0))).toEqual([]);
  });

  it('counts days in the site’s time zone', () => {
    // 22:30 UTC on 2 June is 00:30 on 3 June in Copenhagen (CEST).
    const late = Date.UTC(2025, 5, 2, 22, 30);
    const events = [accessEvent({ id: 'ev-late', ts: late, memberName: 'Lars Vestergaard' })];
    expect(visitorsOn(events, cph.dayKey, '2025-06-03')).toHaveLength(1);
    expect(visitorsOn(events, cph.dayKey, '2025-06-02')).toHaveLength(0);
  });

  it('keeps visits across a new snapshot and takes older ones from history', () => {
    const jonas = accessEvent({ id: 'ev-jonas', memberName: 'Jonas Brandt' });
    let state = applyLive(EMPTY_STATE, { type: 'snapshot', doors: [], desks: [], events: [jonas], gateways: [] });
    state = applyLive(state, { type: 'snapshot', doors: [], desks: [], events: [], gateways: [] });
    expect(state.visits.map((e) => e.id)).toEqual(['ev-jonas']);
    const store = new Store();
    store.apply({ type: 'snapshot', doors: [], desks: [], events: [], gateways: [] });
    const before = store.state;
    store.addHistory([accessEvent({ id: 'ev-denied', decision: 'denied' })]);
    expect(store.state).toBe(before); // nothing to keep: no change
    store.addHistory([jonas, accessEvent({ id: 'ev-mette', ts: T0 - H, memberName: 'Mette Kjær' })]);
    expect(store.state.visits.map((e) => e.id)).toEqual(['ev-jonas', 'ev-mette']);
    expect(store.state.events).toEqual([]); // history is not the feed
  });
});

describe('visitors panel', () => {
  async function mount(member: boolean): Promise<VisitorsPanel> {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0 + 3 * H);
    const el = document.createElement('ss-visitors');
    el.member = member;
    el.visits = [accessEvent({ id: 'ev-1', ts: T0 + H, memberName: 'Jonas Brandt' }), accessEvent({ id: 'ev-2', ts: T0, memberName: 'Mette Kjær' })];
    document.body.append(el);
    await el.updateComplete;
    return el;
  }

  it('shows names and arrival times in site time, and tells members it is opt-in', async () => {
    const el = await mount(true);
    const root = el.shadowRoot!;
    expect([...root.querySelectorAll('[data-visitor]')].map((li) => text(li))).toEqual(['MK Mette Kjær in at 10:30', 'JB Jonas Brandt in at 11:30']);
    expect(text(root.querySelector('p'))).toBe('Only members who chose to be shown appear here.');
  });

  it('says so while loading and when nobody came, in Danish too', async () => {
    locale.set('da', false);
    const el = await mount(false);
    el.visits = [];
    el.history = 'loading';
    await el.updateComplete;
    expect(text(el.shadowRoot!.querySelector('section'))).toContain('Gennemgår dagens ankomster…');
    el.history = 'complete';
    await el.updateComplete;
    expect(text(el.shadowRoot!.querySelector('section'))).toContain('Ingen er kommet endnu i dag.');
  });
});
