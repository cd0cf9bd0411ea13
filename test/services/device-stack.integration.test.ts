// Device health end to end: a gateway with simulated hardware (in process) against the real
// services; a reader is made faulty through the sim control API and the host sees it in
// /api/devices, /api/health and on the live stream; the gateway stops and its devices turn unknown.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { DeviceList, LiveMessage } from '../../contracts/api/index.ts';
import { buildGateway, type Gateway } from '../../gateway/gateway.ts';
import { SimClient } from '../../gateway/sim/sim-client.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startApp, loginAs, getJson, waitFor, fullHealth, type Running } from './helpers.ts';
import { openLive } from './sse.ts';

describe('device health with a simulated gateway', () => {
  let site: TestSite;
  let r: Running;
  let gw: Gateway | undefined;
  let host: string;
  const devices = async () => (await getJson<DeviceList>(r, '/api/devices', host)).body.items;
  const health = async () => fullHealth(r);

  beforeAll(async () => {
    site = await makeTestSite();
    r = await startApp({ site });
    host = await loginAs(r, 'mette');
    gw = buildGateway(site.config, site.secrets, 'gw-main', { simControl: { host: '127.0.0.1', port: 0 }, backoff: { minMs: 100, maxMs: 400 } });
    await gw.start();
  });
  afterAll(async () => {
    await gw?.stop();
    await r.stop();
    site.cleanup();
  });

  it('every configured device reports, with its door or desk and the sim firmware', async () => {
    const all = await waitFor(async () => {
      const ds = await devices();
      return ds.length === 23 && ds.every((d) => d.state === 'ok') ? ds : undefined;
    }, 8000);
    const byId = new Map(all.map((d) => [d.id, d]));
    expect(byId.get('front-reader')).toMatchObject({ gateway: 'gw-main', kind: 'card-reader', firmware: 'sim 1.0', door: 'front', desk: null, error: null });
    expect(byId.get('front-exit')).toMatchObject({ kind: 'exit-button', door: 'front' });
    expect(byId.get('meeting-lock')).toMatchObject({ kind: 'lock', door: 'meeting' });
    expect(byId.get('d16-pir')).toMatchObject({ kind: 'presence-sensor', door: null, desk: 'd16' });
    expect(await health()).toMatchObject({ status: 'ok', devices: { total: 23, fault: 0, unknown: 0 } });
  });

  it('a reader made faulty through /sim/fault shows as fault, live, and health is degraded; cleared, ok again', async () => {
    const live = openLive(r.base, host);
    await waitFor(() => live.messages[0]);
    const sim = new SimClient(`http://${gw!.simControlAddress()}`);
    await sim.fault('meeting-reader', 'antenna cable cut');
    const msg = await waitFor(() =>
      live.messages.find(
        (m): m is Extract<LiveMessage, { type: 'device' }> => m.type === 'device' && m.device.id === 'meeting-reader' && m.device.state === 'fault',
      ),
    );
    expect(msg.device).toMatchObject({ error: 'antenna cable cut', door: 'meeting', firmware: 'sim 1.0' });
    expect(await health()).toMatchObject({ status: 'degraded', devices: { total: 23, fault: 1, unknown: 0 } });
    expect((await sim.state()).faults).toEqual({ 'meeting-reader': 'antenna cable cut' });

    await sim.fault('meeting-reader', null);
    await waitFor(async () => (await health()).status === 'ok');
    expect((await devices()).find((d) => d.id === 'meeting-reader')).toMatchObject({ state: 'ok', error: null });
    await expect(sim.fault('nowhere', 'x')).rejects.toMatchObject({ status: 404, code: 'unknown-device' });
    live.close();
  });

  it('the gateway stops: its devices are unknown', async () => {
    await gw!.stop();
    gw = undefined;
    await waitFor(async () => (await devices()).every((d) => d.state === 'unknown'), 8000);
    expect(await health()).toMatchObject({ status: 'degraded', devices: { total: 23, fault: 0, unknown: 23 } });
  });
});
