// `npm run bench:bridge` (part of `npm run bench`): issue 14's bridge target, printed, never
// asserted: 1,000 zigbee2mqtt messages/s mapped to desk occupancy with 0 lost.
//  1. Baseline, same run: the raw rate of the source Mosquitto, one publisher → one subscriber,
//     QoS 0, as fast as it takes them (what zigbee2mqtt's broker can carry here).
//  2. The bridge (bridge/run.ts, as the process builds it) reading that Mosquitto and publishing
//     to the services' broker (in-process aedes, the `bridge` role): 16 desks, each message
//     toggling its desk's presence (enter 0, hold 0: every message is an occupancy change),
//     paced at BENCH_BRIDGE_RATE messages/s for BENCH_BRIDGE_S seconds. Lost: sent and not
//     mapped, and occupancy published by the bridge and not seen by a services subscriber.
import { performance } from 'node:perf_hooks';
import { connectAsync } from 'mqtt';
import { buildBridge } from '../../bridge/run.ts';
import { startApp, silent, type Running } from '../services/helpers.ts';
import { startSourceBroker } from '../bridge/source-broker.ts';

const RATE = Number(process.env.BENCH_BRIDGE_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_BRIDGE_S ?? 5);
const RAW = Number(process.env.BENCH_BRIDGE_RAW ?? 50_000);
const DESKS = 16;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const source = await startSourceBroker();
const auth = { username: source.username, password: source.password, protocolVersion: 4 as const, reconnectPeriod: 0 };
let r: Running | undefined;
try {
  // 1. Raw broker rate.
  const rawSub = await connectAsync(source.url, { ...auth, clientId: 'bench-raw-sub' });
  const rawPub = await connectAsync(source.url, { ...auth, clientId: 'bench-raw-pub' });
  await rawSub.subscribeAsync('raw/#', { qos: 0 });
  let rawGot = 0;
  rawSub.on('message', () => rawGot++);
  const payload = '{"presence":true,"linkquality":120}';
  const r0 = performance.now();
  for (let i = 0; i < RAW; i++) {
    rawPub.publish(`raw/desk-${i % DESKS}`, payload, { qos: 0 });
    if (i % 1000 === 999) await sleep(0);
  }
  while (rawGot < RAW && performance.now() - r0 < 30_000) await sleep(5);
  const rawS = (performance.now() - r0) / 1000;
  console.log(`\nbridge benchmark: mosquitto (source) → bridge → services' broker, ${DESKS} zigbee2mqtt desks`);
  console.log(`  baseline: raw source broker, 1 → 1, QoS 0      ${Math.round(rawGot / rawS).toLocaleString('en-US')} msg/s (${rawGot}/${RAW} received)`);
  rawSub.end(true);
  rawPub.end(true);

  // 2. Through the bridge.
  r = await startApp({
    edit: (raw) => {
      raw.bridge = { source: { url: source.url, username: source.username } };
      raw.desks.forEach((d: Record<string, unknown>, i: number) => {
        d.sensor = { driver: 'zigbee2mqtt', id: `z-${String(d.id)}`, friendlyName: `desk-${i}` };
        delete d.extraSensors;
      });
    },
  });
  const site = r.site;
  const secrets = { ...site.secrets, bridgeSource: { password: source.password } };
  const proc = buildBridge({ ...site.config, broker: { ...site.config.broker, url: `mqtt://127.0.0.1:${r.mqttPort}` } }, secrets, silent(), {
    enterMs: 0,
    holdMs: 0,
  });
  const subscribed = new Promise<void>((resolve) => proc.source.once('subscribed', () => resolve()));
  proc.start();
  await subscribed;
  while (!proc.site.connected) await sleep(5);
  const spy = await r.connect('services', site.secrets.mqtt.services);
  let seen = 0;
  spy.on('message', () => seen++);
  await spy.subscribeAsync(r.t.wildcard.deskOccupancy, { qos: 1 });
  await sleep(200);
  const seenBefore = seen;
  const occBefore = proc.bridge.stats.occupancy;
  const z2m = await connectAsync(source.url, { ...auth, clientId: 'bench-z2m' });
  const total = RATE * SECONDS;
  const t0 = performance.now();
  let sent = 0;
  while (sent < total) {
    // Paced in 10 ms slices: the messages due by now.
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * RATE));
    for (; sent < due; sent++) {
      const desk = sent % DESKS;
      const present = Math.floor(sent / DESKS) % 2 === 0;
      z2m.publish(`zigbee2mqtt/desk-${desk}`, `{"presence":${present},"linkquality":${100 + (sent % 50)}}`, { qos: 0 });
    }
    await sleep(10);
  }
  const sendS = (performance.now() - t0) / 1000;
  const start = performance.now();
  while (proc.bridge.stats.received < total && performance.now() - start < 10_000) await sleep(10);
  await sleep(500); // hold 0 timers, and the last publishes to the services' broker
  const st = proc.bridge.stats;
  const published = st.occupancy - occBefore;
  const arrived = seen - seenBefore;
  const lost = total - st.received + (published - arrived);
  console.log(
    `  zigbee2mqtt messages sent, paced               ${total.toLocaleString('en-US')} in ${sendS.toFixed(2)} s = ${Math.round(total / sendS).toLocaleString('en-US')} msg/s`,
  );
  console.log(`  mapped by the bridge                           ${st.received.toLocaleString('en-US')} (rejected ${st.rejected}, unrouted ${st.unrouted})`);
  console.log(`  occupancy changes published / at the services  ${published.toLocaleString('en-US')} / ${arrived.toLocaleString('en-US')}`);
  console.log(
    `  lost                                           ${lost}  target 0 at ${RATE} msg/s: ${lost === 0 && total / sendS >= RATE * 0.95 ? 'met' : 'MISSED'}`,
  );
  z2m.end(true);
  await proc.stop();
} finally {
  await r?.stop();
  await source.stop();
}
