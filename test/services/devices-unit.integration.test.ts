// The Devices component on its own: device → door/desk from the config (extra desk sensors too),
// the config's gateway over the report's, since moving only on a change of state, and the cap
// on how many devices are kept.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../services/db/store.ts';
import { Devices, deviceOwners, MAX_DEVICES } from '../../services/ingest/devices.ts';
import { GatewayPresence } from '../../services/ingest/gateway-presence.ts';
import type { DeviceHealth } from '../../contracts/payloads.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';

const report = (device: string, extra: Partial<DeviceHealth> = {}): DeviceHealth => ({ v: 1, ts: 1, device, kind: 'presence-sensor', state: 'ok', ...extra });

describe('Devices', () => {
  let site: TestSite;
  let dir: string;
  let store: Store;

  beforeAll(async () => {
    site = await makeTestSite((raw) => {
      raw.gateways.push({ id: 'gw-annex', name: 'Annex Pi', dataDir: 'x', offlineAfterH: 36 });
      raw.desks[0].extraSensors = [{ driver: 'sim', id: 'd01-radar' }];
      raw.desks[1].gateway = 'gw-annex';
    });
    dir = mkdtempSync(join(tmpdir(), 'ss-devices-'));
    store = openStore(dir);
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
    site.cleanup();
  });

  it('maps device ids to doors and desks as the gateway names its drivers', () => {
    const owners = deviceOwners(site.config);
    expect(owners.get('front-reader')).toEqual({ gateway: 'gw-main', door: 'front', desk: null });
    expect(owners.get('front-contact')).toEqual({ gateway: 'gw-main', door: 'front', desk: null });
    expect(owners.get('meeting-lock')).toEqual({ gateway: 'gw-main', door: 'meeting', desk: null });
    expect(owners.get('meeting-exit')).toBeUndefined(); // the meeting room has no exit button
    expect(owners.get('d01-pir')).toEqual({ gateway: 'gw-main', door: null, desk: 'd01' });
    expect(owners.get('d01-radar')).toEqual({ gateway: 'gw-main', door: null, desk: 'd01' });
    expect(owners.get('d02-pir')).toEqual({ gateway: 'gw-annex', door: null, desk: 'd02' });
  });

  it('states follow the gateway; since moves only when the state does; the config names the gateway', () => {
    const presence = new GatewayPresence(site.config.gateways);
    const devices = new Devices(site.config, presence, store.devices);
    presence.update({ v: 1, ts: 1, gateway: 'gw-main', state: 'online' }, 100);
    devices.report(report('d01-radar', { gateway: 'gw-main' }), 200);
    // A report that claims another gateway for a device the config places: the config wins.
    devices.report(report('d02-pir', { gateway: 'gw-main' }), 210);
    expect(devices.view('d01-radar')).toMatchObject({ state: 'ok', since: 200, desk: 'd01', gateway: 'gw-main' });
    expect(devices.view('d02-pir')).toMatchObject({ state: 'unknown', since: 210, gateway: 'gw-annex' });
    devices.report(report('d01-radar', { dropped: 3 }), 300);
    expect(devices.view('d01-radar')).toMatchObject({ state: 'ok', since: 200, reportedAt: 300, dropped: 3 });
    devices.report(report('d01-radar', { state: 'fault', error: 'silent' }), 400);
    expect(devices.view('d01-radar')).toMatchObject({ state: 'fault', since: 400, error: 'silent' });
    expect(devices.gatewayChanged('gw-annex', 450)).toEqual(['d02-pir']);
    expect(devices.view('d02-pir')!.since).toBe(210); // still unknown: nothing changed

    presence.update({ v: 1, ts: 2, gateway: 'gw-main', state: 'offline' }, 500);
    expect(devices.gatewayChanged('gw-main', 500)).toEqual(['d01-radar']);
    expect(devices.view('d01-radar')).toMatchObject({ state: 'unknown', since: 500 });
    expect(devices.views('gw-annex').map((d) => d.id)).toEqual(['d02-pir']);
    expect(devices.counts()).toEqual({ total: 2, fault: 0, unknown: 2, warning: 0 });

    // A device no config names and no report places: as reported once heard, unknown after a restart.
    devices.report(report('loose-sensor'), 600);
    expect(devices.view('loose-sensor')).toMatchObject({ gateway: null, state: 'ok', door: null, desk: null });
    const restarted = new Devices(site.config, new GatewayPresence(site.config.gateways), store.devices);
    restarted.load(700);
    expect(restarted.views().map((d) => [d.id, d.state, d.since])).toEqual([
      ['d01-radar', 'unknown', 700],
      ['d02-pir', 'unknown', 700],
      ['loose-sensor', 'unknown', 700],
    ]);
    expect(restarted.view('d01-radar')).toMatchObject({ error: 'silent', reportedAt: 400 });
  });

  it(`keeps at most ${MAX_DEVICES} devices; known ones still update`, () => {
    const devices = new Devices(site.config, new GatewayPresence(site.config.gateways), store.devices);
    devices.load(0);
    const start = devices.counts().total;
    for (let i = start; i < MAX_DEVICES; i++) expect(devices.report(report(`flood-${i}`), 1)).toBe(true);
    expect(devices.report(report('one-too-many'), 2)).toBe(false);
    expect(devices.view('one-too-many')).toBeNull();
    expect(devices.report(report('d01-radar', { state: 'ok' }), 3)).toBe(true);
    expect(devices.counts().total).toBe(MAX_DEVICES);
  });
});
