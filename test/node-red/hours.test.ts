// The hours node: operators' opening hours in the site's time zone, as a timer (open / closed
// when the hours begin and end, and at start-up) and as a gate for messages. Time is set by the
// test: msg.now, or the site clock shifted through the settings (clockOffsetMs).
import { describe, it, expect, afterEach } from 'vitest';
import { helper, palette, coreNodes, nextInput, collect, statusOf, until, onTab } from './helper.ts';
import { hoursLib } from './palette-lib.ts';

const { parseHours } = hoursLib;

// Monday 2 March 2026 in Copenhagen (CET, UTC+1).
const MON_1000 = Date.parse('2026-03-02T10:00:00+01:00');
const MON_1930 = Date.parse('2026-03-02T19:30:00+01:00');
const SAT_1000 = Date.parse('2026-03-07T10:00:00+01:00');

const flow = (extra: Record<string, unknown> = {}) =>
  onTab(
    { id: 'site', type: 'smartspace-site', name: 'test site' },
    { id: 'hours', type: 'smartspace-hours', site: 'site', hours: 'Mon-Fri 08:00-17:00', startup: true, wires: [['open'], ['closed']], ...extra },
    { id: 'open', type: 'helper' },
    { id: 'closed', type: 'helper' },
    { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  );

async function load(extra: Record<string, unknown> = {}, clockAt?: number) {
  helper.settings({
    smartspace: {
      siteId: 'klitmoller',
      brokerUrl: 'mqtt://127.0.0.1:9',
      timeZone: 'Europe/Copenhagen',
      clockOffsetMs: clockAt === undefined ? 0 : clockAt - Date.now(),
    },
  });
  await helper.load([palette.site, palette.hours, coreNodes.catch], flow(extra));
  const n = (id: string) => helper.getNode(id);
  return { hours: n('hours'), open: n('open'), closed: n('closed'), caught: n('caught') };
}

describe('parseHours', () => {
  it('reads days, day ranges and several windows', () => {
    expect(parseHours('Mon-Fri 08:00-17:00; Sat,Sun 10:00-14:00\nFri-Mon 22:00-24:00')).toEqual([
      { days: [1, 2, 3, 4, 5], from: '08:00', to: '17:00' },
      { days: [6, 7], from: '10:00', to: '14:00' },
      { days: [1, 5, 6, 7], from: '22:00', to: '24:00' },
    ]);
  });

  it('names the window at fault', () => {
    expect(() => parseHours('Mon-Fri 08:00-17:00; Sunday 9-12')).toThrow('"Sunday 9-12": "9" is not a time (HH:MM, 00:00 … 24:00)');
    expect(() => parseHours('Moon 08:00-17:00')).toThrow('"Moon 08:00-17:00": unknown day "Moon" (use Mon … Sun)');
    expect(() => parseHours('Mon 17:00-08:00')).toThrow('the end must be after the start');
    expect(() => parseHours('')).toThrow('no opening hours given');
  });
});

describe('smartspace-hours', () => {
  afterEach(async () => {
    await helper.unload();
  });

  it('routes a message by msg.now: open on Monday 10:00, closed at 19:30 and on Saturday', async () => {
    const { hours, open, closed } = await load({ startup: false });
    const o = nextInput(open);
    hours.receive({ payload: 'x', now: MON_1000 });
    expect((await o).hours).toEqual({ open: true, at: MON_1000, local: 'Mon 10:00', timeZone: 'Europe/Copenhagen' });
    const got = collect(closed);
    hours.receive({ payload: 'y', now: MON_1930 });
    hours.receive({ payload: 'z', now: SAT_1000 });
    await until(() => got.length === 2, 2000, 'two closed');
    expect(got.map((m) => [m.payload, m.hours.local])).toEqual([
      ['y', 'Mon 19:30'],
      ['z', 'Sat 10:00'],
    ]);
  });

  it('sends the state at start-up from the site clock', async () => {
    const first = await load({}, MON_1000);
    expect(await nextInput(first.open)).toMatchObject({ topic: 'hours', payload: 'open', hours: { open: true, local: 'Mon 10:00' } });
    await statusOf(first.hours, (s) => s.fill === 'green' && s.text === 'open (Mon 10:00)');
    await helper.unload();
    const second = await load({}, MON_1930);
    expect(await nextInput(second.closed)).toMatchObject({ payload: 'closed', hours: { open: false, local: 'Mon 19:30' } });
    await statusOf(second.hours, (s) => s.fill === 'blue' && s.text === 'closed (Mon 19:30)');
  });

  it('says closed when the hours end', async () => {
    const { open, closed } = await load({}, Date.parse('2026-03-02T16:59:58.000+01:00'));
    expect((await nextInput(open)).payload).toBe('open');
    const c = await nextInput(closed, 6000);
    expect(c).toMatchObject({ payload: 'closed', hours: { open: false, local: 'Mon 17:00' } });
  });

  it('ends a message with a bad msg.now with an error for Catch, and goes on', async () => {
    const { hours, open, caught } = await load({ startup: false });
    const err = nextInput(caught);
    hours.receive({ now: 'tomorrow' });
    expect((await err).error.message).toBe('TypeError: msg.now: expected epoch milliseconds, got "tomorrow"');
    const o = nextInput(open);
    hours.receive({ now: MON_1000 });
    await o;
  });

  it('shows hours it cannot read in red', async () => {
    const { hours, caught } = await load({ hours: 'weekdays 8 to 5' });
    expect((await statusOf(hours, (s) => s.fill === 'red')).text).toMatch(/expected days and a time range/);
    const err = nextInput(caught);
    hours.receive({});
    expect((await err).error.message).toMatch(/not configured/);
  });
});
