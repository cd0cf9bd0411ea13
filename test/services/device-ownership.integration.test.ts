// Issue 12, finding 6, end to end in the services: gw-main marked gw-annex's lock faulty (site
// "degraded") and "ok" again. The broker now refuses a gateway's health for a device its config
// does not give it, so the services' view of the lock stays what its own gateway reported.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { DeviceList } from '../../contracts/api/index.ts';
import type { DeviceHealth } from '../../contracts/payloads.ts';
import { startApp, bringOnline, publishJson, waitFor, loginAs, getJson, type Running } from './helpers.ts';

const report = (device: string, gateway: string, state: 'ok' | 'fault', kind: DeviceHealth['kind'] = 'lock'): DeviceHealth => ({
  v: 1,
  ts: Date.now(),
  device,
  gateway,
  kind,
  state,
});

describe("a gateway cannot speak for another gateway's devices", () => {
  let r: Running;
  let host: string;
  const device = async (id: string) => (await getJson<DeviceList>(r, '/api/devices', host)).body.items.find((d) => d.id === id);

  beforeAll(async () => {
    r = await startApp({
      edit: (raw) => {
        raw.gateways.push({ id: 'gw-annex', name: 'Annex Pi', dataDir: 'gw-annex' });
        raw.doors.push({
          id: 'annex',
          name: 'Annex door',
          gateway: 'gw-annex',
          reader: { driver: 'sim', id: 'annex-reader' },
          lock: { driver: 'sim', id: 'annex-lock', failMode: 'secure' },
        });
      },
    });
    host = await loginAs(r, 'mette');
  });
  afterAll(async () => {
    await r?.stop();
  });

  it("gw-main's fault report for gw-annex's lock is dropped; the lock stays ok", async () => {
    const annex = await bringOnline(r, 'gw-annex');
    await publishJson(annex, r.t.deviceHealth('annex-lock'), report('annex-lock', 'gw-annex', 'ok'), true);
    await waitFor(async () => (await device('annex-lock'))?.state === 'ok');

    const main = await bringOnline(r, 'gw-main');
    const gone = new Promise<void>((resolve) => main.once('close', () => resolve()));
    main.publish(r.t.deviceHealth('annex-lock'), JSON.stringify(report('annex-lock', 'gw-main', 'fault')), { qos: 1, retain: true });
    await gone;
    // A marker from the lock's own gateway, sent after the refused report: once it is in, the
    // refused one would have been too.
    await publishJson(annex, r.t.deviceHealth('annex-reader'), report('annex-reader', 'gw-annex', 'ok', 'card-reader'), true);
    await waitFor(async () => (await device('annex-reader'))?.state === 'ok');
    expect(await device('annex-lock')).toMatchObject({ gateway: 'gw-annex', state: 'ok' });
  });
});
