// The occupancy node against the services' real broker: counts per zone and for the whole
// space, first in and last out, and states read at start-up that are not news.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import type { MqttClient } from 'mqtt';
import { helper, palette, coreNodes, startBroker, siteSettings, nextInput, collect, statusOf, until, onTab, type BrokerFixture } from './helper.ts';

const flow = (zone: string) =>
  onTab(
    { id: 'site', type: 'smartspace-site', name: 'test site' },
    { id: 'occ', type: 'smartspace-occupancy', site: 'site', zone, wires: [['count'], ['first'], ['last']] },
    { id: 'count', type: 'helper' },
    { id: 'first', type: 'helper' },
    { id: 'last', type: 'helper' },
    { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  );

describe('smartspace-occupancy', () => {
  let fx: BrokerFixture;
  let gw: MqttClient;
  const desk = (id: string, occupied: boolean | null, retain = false) =>
    gw.publishAsync(
      `smartspace/${fx.site.config.site.id}/desk/${id}/occupancy`,
      JSON.stringify({ v: 1, ts: Date.now(), desk: id, occupied, since: Date.now() }),
      { qos: 1, retain },
    );

  beforeAll(async () => {
    fx = await startBroker();
    gw = await fx.gateway();
  });
  afterAll(() => fx.stop());
  afterEach(async () => {
    await helper.unload();
  });

  const load = async (zone: string) => {
    helper.settings(siteSettings(fx));
    await helper.load([palette.site, palette.occupancy, coreNodes.catch], flow(zone));
    const n = (id: string) => helper.getNode(id);
    return { occ: n('occ'), count: n('count'), first: n('first'), last: n('last'), caught: n('caught') };
  };

  it('counts a zone, and says first in and last out', async () => {
    const { occ, count, first, last } = await load('open-space');
    await statusOf(occ, (s) => s.fill === 'green');
    const counts = collect(count);
    const firsts = collect(first);
    const lasts = collect(last);
    await desk('d01', true);
    await desk('d11', true); // quiet room: another zone
    await desk('d02', true);
    await desk('d01', false);
    await desk('d02', false);
    await until(() => lasts.length === 1, 5000, 'last out');
    expect(counts.map((m) => m.payload.occupied)).toEqual([1, 2, 1, 0]);
    expect(firsts).toHaveLength(1);
    expect(firsts[0]!.payload).toMatchObject({ zone: 'open-space', name: 'Åbent kontor', occupied: 1, capacity: 10, event: 'first-in' });
    expect(lasts[0]!.payload).toMatchObject({ zone: 'open-space', occupied: 0, free: 10, event: 'last-out' });
    expect(lasts[0]!.topic).toBe('occupancy/open-space');
    await statusOf(occ, (s) => s.text === '0 / 10 in Åbent kontor');
    await desk('d11', false);
  });

  it('a desk whose sensor is in fault is unknown: not occupied, not free, and no last out', async () => {
    const { occ, count, last } = await load('open-space');
    await statusOf(occ, (s) => s.fill === 'green');
    const counts = collect(count);
    const lasts = collect(last);
    await desk('d05', true);
    await desk('d05', null);
    await desk('d05', false);
    await until(() => counts.length === 3, 5000, 'three counts');
    expect(counts.map((m) => [m.payload.occupied, m.payload.unknown, m.payload.free])).toEqual([
      [1, 0, 9],
      [0, 1, 9],
      [0, 0, 10],
    ]);
    expect(lasts).toHaveLength(0);
  });

  it('counts the whole space when no zone is set', async () => {
    const { occ, last } = await load('');
    await statusOf(occ, (s) => s.fill === 'green');
    const lasts = collect(last);
    await desk('d03', true);
    await desk('d12', true);
    await desk('d03', false);
    await new Promise((r) => setTimeout(r, 100));
    expect(lasts).toHaveLength(0);
    await desk('d12', false);
    await until(() => lasts.length === 1, 5000, 'last out of the whole space');
    expect(lasts[0]!.payload).toMatchObject({ zone: null, name: 'whole space', occupied: 0, capacity: 16, desks: 16 });
  });

  it('takes states read at start-up into the count without firing first in', async () => {
    await desk('d04', true, true);
    const { occ, count, first } = await load('open-space');
    const firsts = collect(first);
    const c = await nextInput(count);
    expect(c).toMatchObject({ retained: true, payload: { occupied: 1 } });
    await statusOf(occ, (s) => s.text === '1 / 10 in Åbent kontor');
    expect(firsts).toHaveLength(0);
    await desk('d04', false, true);
    await desk('d04', false, false);
  });

  it('answers an input with the count; an unknown zone goes to Catch and the flow keeps running', async () => {
    const { occ, count, caught } = await load('quiet-room');
    await statusOf(occ, (s) => s.fill === 'green');
    const err = nextInput(caught);
    occ.receive({ zone: 'attic' });
    expect((await err).error.message).toMatch(/unknown zone "attic"/);
    const answer = nextInput(count);
    occ.receive({ zone: 'open-space' });
    expect(await answer).toMatchObject({ topic: 'occupancy/open-space', payload: { zone: 'open-space', occupied: 0, capacity: 10 } });
  });

  it('shows a red status for a zone the site does not have', async () => {
    const { occ } = await load('attic');
    expect((await statusOf(occ, (s) => s.fill === 'red')).text).toBe('unknown zone attic');
  });
});
