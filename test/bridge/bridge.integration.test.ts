// The bridge against real brokers: a Mosquitto plays the broker zigbee2mqtt and ESPHome publish
// to (payloads as they document them), the services run with their own broker, and the bridge
// (as bridge/main.ts builds it) connects to both as the `bridge` role. What a host sees is the
// services' desk view (/api/desks) and device list (/api/devices).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { buildBridge, type BridgeProcess } from '../../bridge/run.ts';
import { startApp, silent, loginAs, getJson, waitFor, type Running } from '../services/helpers.ts';
import { bridgeDesks } from './helpers.ts';
import { startSourceBroker, type SourceBroker } from './source-broker.ts';

interface Desk {
  id: string;
  occupied: boolean | null;
}
interface Device {
  id: string;
  state: string;
  error: string | null;
}

describe('bridge: zigbee2mqtt and ESPHome through a real Mosquitto to the services', () => {
  let source: SourceBroker;
  let r: Running;
  let proc: BridgeProcess;
  let z2m: MqttClient;
  let cookie: string;
  let hostCookie: string;

  const desk = async (id: string) => (await getJson<Desk[]>(r, '/api/desks', cookie)).body.find((d) => d.id === id)?.occupied;
  const device = async (id: string) => {
    const { body } = await getJson<{ items: Device[] }>(r, '/api/devices', hostCookie);
    return body.items.find((d) => d.id === id);
  };

  beforeAll(async () => {
    source = await startSourceBroker();
    r = await startApp({
      edit: (raw) => {
        bridgeDesks(raw, source.url);
        raw.bridge.source.username = source.username;
        raw.desks[0].sensor.reportIntervalS = 2;
      },
    });
    const secrets = { ...r.site.secrets, bridgeSource: { password: source.password } };
    proc = buildBridge({ ...r.site.config, broker: { ...r.site.config.broker, url: `mqtt://127.0.0.1:${r.mqttPort}` } }, secrets, silent(), {
      enterMs: 0,
      holdMs: 1000,
    });
    const subscribed = new Promise<void>((resolve) => proc.source.once('subscribed', () => resolve()));
    proc.start();
    await subscribed;
    await waitFor(() => proc.site.connected);
    z2m = await connectAsync(source.url, { username: source.username, password: source.password, protocolVersion: 4, reconnectPeriod: 0 });
    cookie = await loginAs(r, 'jonas');
    hostCookie = await loginAs(r, 'mette');
  });
  afterAll(async () => {
    z2m?.end(true);
    await proc?.stop();
    await r?.stop();
    await source?.stop();
  });

  it('an Aqara FP1 (zigbee2mqtt `presence`) takes its desk', async () => {
    await z2m.publishAsync('zigbee2mqtt/Desk 1 FP1', '{"presence":true,"presence_event":"enter","linkquality":156}');
    await waitFor(async () => (await desk('d01')) === true);
  });

  it('a Hue motion sensor with a low battery is a device fault with words', async () => {
    await z2m.publishAsync('zigbee2mqtt/hue/desk2', '{"battery":6,"illuminance":14,"linkquality":102,"occupancy":true,"temperature":21.4}');
    await waitFor(async () => (await desk('d02')) === true);
    await waitFor(async () => (await device('hue-d02'))?.state === 'fault');
    expect((await device('hue-d02'))?.error).toBe('battery low (6 %)');
  });

  it('an ESPHome node: ON takes the desk, offline makes it unknown at once', async () => {
    await z2m.publishAsync('desk-node-3/status', 'online');
    await z2m.publishAsync('desk-node-3/binary_sensor/desk_presence/state', 'ON');
    await waitFor(async () => (await desk('d03')) === true);
    await z2m.publishAsync('desk-node-3/status', 'offline');
    await waitFor(async () => (await desk('d03')) === null);
    expect((await device('esp-d03'))?.state).toBe('fault');
  });

  it('malformed payloads are rejected and counted; the bridge goes on', async () => {
    await z2m.publishAsync('zigbee2mqtt/hue/desk2', '{"occupancy":');
    await z2m.publishAsync('desk-node-3/binary_sensor/desk_presence/state', 'maybe');
    await waitFor(() => proc.bridge.stats.rejected === 2);
    await z2m.publishAsync('desk-node-3/status', 'online');
    await waitFor(async () => (await desk('d03')) === true);
  });

  it('a sensor silent past its interval: its desk is unknown (not occupied, not free) and the device is in fault', async () => {
    // d01 (reportIntervalS 2) was occupied by the first test and has not been heard since.
    await waitFor(async () => (await desk('d01')) === null, 8000);
    expect((await device('fp1-d01'))?.error).toBe('silent for more than 2 s');
  });
});
