// Zero loss: the services process writes history to a real influxd (Debian's InfluxDB 1.6.7);
// while door events and readings pour in over MQTT, influxd is stopped (SIGTERM), started, then
// killed (SIGKILL, a crash mid-write) and started again. Afterwards every event and every
// reading is in InfluxDB exactly once: spooled while it was down, backfilled when it returned,
// and a batch that was written but not acknowledged before the crash is not stored twice.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, eventually, health, type Stack } from '../helpers/stack.ts';
import { startInfluxd, type Influxd } from '../helpers/influxd.ts';
import { InfluxDb1Store } from '../../services/history/influxdb1-store.ts';
import { topics } from '../../contracts/topics.ts';
import type { AccessEvent, SensorReading } from '../../contracts/payloads.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('history in InfluxDB survives influxd restarts under load', () => {
  let influxd: Influxd;
  let site: TestSite;
  let stack: Stack;
  let gw: MqttClient;

  beforeAll(async () => {
    influxd = await startInfluxd();
    site = await makeTestSite((raw) => {
      raw.history = { store: 'influxdb1', influxdb1: { url: influxd.url, database: 'smartspace' }, batchSize: 1000, flushMs: 100 };
    });
    stack = await startStack(site, { gateway: false });
    gw = await connectAsync(`mqtt://127.0.0.1:${site.mqttPort}`, {
      username: 'gateway:gw-main',
      password: site.secrets.gateways['gw-main']!.mqttPassword,
      protocolVersion: 4,
      reconnectPeriod: 0,
      clientId: 'fault-gw',
    });
  });

  afterAll(async () => {
    gw?.end(true);
    await stack?.stop();
    await influxd?.cleanup();
    site?.cleanup();
  });

  it('stores every event and reading exactly once', async () => {
    const t = topics(site.config.site.id);
    const ids: string[] = [];
    let readings = 0;
    const base = Date.now() - 3600_000;
    let stop = false;
    const load = (async () => {
      let i = 0;
      while (!stop) {
        // A burst: 20 door events (QoS 1, as the gateway's outbox sends them) and 100 readings.
        const pending: Promise<unknown>[] = [];
        for (let k = 0; k < 20; k++) {
          const e: AccessEvent = {
            v: 1,
            ts: Date.now(),
            id: randomUUID(),
            type: 'access',
            door: k % 2 ? 'front' : 'meeting',
            gateway: 'gw-main',
            decision: 'granted',
            reason: 'ok',
            via: 'card',
            member: 'jonas',
            offline: false,
          };
          ids.push(e.id);
          pending.push(gw.publishAsync(t.doorEvent(e.door), JSON.stringify(e), { qos: 1 }));
        }
        for (let k = 0; k < 100; k++, i++) {
          const r: SensorReading = { v: 1, ts: base + i, sensor: `d0${(i % 8) + 1}-pir`, kind: 'co2', value: 400 + (i % 50), unit: 'ppm' };
          readings++;
          pending.push(gw.publishAsync(t.sensorReading(r.sensor), JSON.stringify(r), { qos: 1 }));
        }
        await Promise.all(pending);
        await sleep(10);
      }
    })();

    await sleep(1500);
    await influxd.stop(); // a clean stop
    await eventually(async () => (await health(stack.baseUrl)).history?.up === false, 15_000, 'services see the store down');
    await sleep(1500);
    await influxd.start();
    await sleep(1500);
    await influxd.kill9(); // a crash, likely in the middle of a write
    await sleep(1500);
    await influxd.start();
    await sleep(1000);
    stop = true;
    await load;

    const h = await eventually(
      async () => {
        const x = (await health(stack.baseUrl)).history;
        return x?.up && x.spooled === 0 && x.written >= ids.length + readings ? x : null;
      },
      60_000,
      'backfill done',
    );
    expect(h.rejected).toBe(0);

    const store = new InfluxDb1Store({ url: influxd.url, database: 'smartspace' });
    const all = { from: 0, to: Date.now() + 60_000 };
    const events = await store.query({ measurement: 'door_event', ...all });
    const got = new Set(events.map((p) => p.fields.id));
    expect(
      ids.filter((id) => !got.has(id)),
      'events missing from InfluxDB',
    ).toEqual([]);
    expect(events.length).toBe(ids.length);
    expect(new Set(events.map((p) => p.fields.id))).toEqual(new Set(ids));
    expect(await store.count({ measurement: 'reading', ...all })).toBe(readings);
    console.log(`history fault test: ${ids.length} events and ${readings} readings stored once; writer wrote ${h.written} points (re-writes included)`);
  }, 120_000);
});
