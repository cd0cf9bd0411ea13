// A desk whose sensor is in fault is unknown, not "occupied" (issue 13, finding 7): a gateway with
// simulated hardware (in process) against the real services. A desk is taken, its PIR is put into
// fault through the sim control API: the desk list, the live stream, the zone counts and the
// history say unknown; the fault cleared, the desk reports again. Its gateway offline: unknown too.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { DeskView, LiveMessage, ZoneOccupancy } from '../../contracts/api/index.ts';
import { buildGateway, type Gateway } from '../../gateway/gateway.ts';
import { SimClient } from '../../gateway/sim/sim-client.ts';
import { FAR_FUTURE, occupancyOf } from '../../services/history/point.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startApp, loginAs, getJson, waitFor, type Running } from './helpers.ts';
import { openLive } from './sse.ts';

describe('a desk whose sensor is in fault', () => {
  let site: TestSite;
  let r: Running;
  let gw: Gateway | undefined;
  let host: string;
  let sim: SimClient;
  const d01 = async () => (await getJson<DeskView[]>(r, '/api/desks', host)).body.find((d) => d.id === 'd01')!;
  const openSpace = async () => (await getJson<ZoneOccupancy[]>(r, '/api/zones/occupancy', host)).body.find((z) => z.zone === 'open-space')!;

  beforeAll(async () => {
    site = await makeTestSite((raw) => {
      raw.gateways[0].occupancy = { enterS: 0, holdS: 600 };
      raw.history.flushMs = 50;
    });
    r = await startApp({ site });
    host = await loginAs(r, 'mette');
    gw = buildGateway(site.config, site.secrets, 'gw-main', { simControl: { host: '127.0.0.1', port: 0 }, backoff: { minMs: 100, maxMs: 400 } });
    await gw.start();
    sim = new SimClient(`http://${gw.simControlAddress()}`);
    await waitFor(async () => (await d01()).occupied === false, 8000);
  }, 30_000);
  afterAll(async () => {
    await gw?.stop();
    await r.stop();
    site.cleanup();
  });

  it('shows unknown in the desk list, on the live stream and in the zone counts; back when cleared', async () => {
    await sim.presence('d01-pir', true);
    await waitFor(async () => (await d01()).occupied === true);
    expect(await openSpace()).toMatchObject({ occupied: 1, unknown: 0, desks: 10 });

    const live = openLive(r.base, host);
    await waitFor(() => live.messages[0]);
    await sim.fault('d01-pir', 'GPIO line lost');
    const msg = await waitFor(() =>
      live.messages.find((m): m is Extract<LiveMessage, { type: 'desk' }> => m.type === 'desk' && m.desk.id === 'd01' && m.desk.occupied === null),
    );
    expect(msg.desk).toMatchObject({ id: 'd01', occupied: null, since: null });
    expect(await d01()).toMatchObject({ occupied: null });
    expect(await openSpace()).toMatchObject({ occupied: 0, unknown: 1, desks: 10 });
    live.close();

    // History: occupied, then unknown (no data for analytics), as integer and state fields.
    const points = await waitFor(async () => {
      const ps = await r.app.history.store.query({ measurement: 'occupancy', from: 0, to: FAR_FUTURE, tags: { desk: 'd01' } });
      return ps.some((p) => p.fields.state === 'unknown') ? ps : undefined;
    });
    expect(points.map((p) => [p.fields.state, occupancyOf(p.fields)])).toEqual([
      ['free', 0],
      ['occupied', 1],
      ['unknown', null],
    ]);

    await sim.fault('d01-pir', null);
    await waitFor(async () => (await d01()).occupied === true);
    expect(await openSpace()).toMatchObject({ occupied: 1, unknown: 0 });
  });

  it('its gateway offline: every desk of it is unknown, not its last state', async () => {
    await gw!.stop();
    gw = undefined;
    await waitFor(async () => (await d01()).occupied === null, 8000);
    expect(await openSpace()).toMatchObject({ occupied: 0, unknown: 10, desks: 10 });
  });
});
