// `npm run bench:home-assistant` (part of `npm run bench`): Home Assistant's side of the targets
// of issue 14, printed, never asserted.
//  1. Discovery: services process started → every discovery config of the demo site received by
//     a client logged in as `homeassistant` (target ≤ 1 s after the services are ready); beside it
//     the services' own start (spawn → "services ready") from the same run.
//  2. HA lock → relay: LOCK/UNLOCK published by Home Assistant → the lock driver in the gateway,
//     through the services' signed command path (target p99 ≤ 100 ms on loopback); baseline in the
//     same run, interleaved: an unlock through the HTTP API (POST /api/doors/:id/commands with the
//     automation token), the same signing and publish after an HTTP request instead of an MQTT
//     message. That route allows 60 a minute, so the baseline has fewer samples (BENCH_HA_API).
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { makeTestSite } from '../helpers/site.ts';
import { startStack, gatewayReady } from '../helpers/stack.ts';
import { buildGateway } from '../../gateway/gateway.ts';
import { discoveryMessages, haTopics } from '../../contracts/home-assistant.ts';
import { summarise, line } from './stats.ts';

const ROUNDS = Number(process.env.BENCH_HA_ROUNDS ?? 200);
const API_ROUNDS = Math.min(Number(process.env.BENCH_HA_API ?? 40), 55);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const site = await makeTestSite((raw) => {
  raw.homeAssistant = { unlockDoors: ['front'] };
  raw.doors[0].unlockMs = 500;
});
const expected = new Set(discoveryMessages(site.config, site.config.homeAssistant!, '0').map((m) => m.topic));
const password = site.secrets.mqtt.homeassistant!;
const url = `mqtt://127.0.0.1:${site.mqttPort}`;

// 1. Discovery after start.
const t0 = performance.now();
let readyAt = 0;
const starting = startStack(site, { gateway: false, compiled: true }).then((s) => {
  readyAt = performance.now();
  return s;
});
const seen = new Set<string>();
let allAt = 0;
let ha: mqtt.MqttClient | undefined;
for (;;) {
  try {
    ha = await mqtt.connectAsync(url, { username: 'homeassistant', password, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 2000 });
    break;
  } catch {
    await sleep(20);
  }
}
ha.on('message', (topic, payload) => {
  if (expected.has(topic) && payload.length > 0) seen.add(topic);
  if (allAt === 0 && seen.size === expected.size) allAt = performance.now();
});
await ha.subscribeAsync('homeassistant/#', { qos: 1 });
const stack = await starting;
while (allAt === 0 && performance.now() - t0 < 30_000) await sleep(5);
console.log(`services start (spawn → "services ready")            ${(readyAt - t0).toFixed(0)} ms`);
console.log(
  `discovery: all ${expected.size} configs at Home Assistant      ${allAt ? `${(allAt - t0).toFixed(0)} ms after spawn, ${(allAt - readyAt).toFixed(0)} ms after ready` : 'NOT ALL RECEIVED'}  target <= 1000 ms after start: ${allAt && allAt - readyAt <= 1000 ? 'met' : 'MISSED'}`,
);

// 2. HA lock → relay, beside the API unlock.
const gw = buildGateway(site.config, site.secrets, 'gw-main');
try {
  await gw.start();
  await gatewayReady(stack.baseUrl, 'gw-main');
  const lock = gw.sim.locks.get('front-lock')!;
  let waiting: { state: string; done: (at: number) => void } | null = null;
  lock.on('driven', (state) => {
    if (waiting && state === waiting.state) {
      const w = waiting;
      waiting = null;
      w.done(performance.now());
    }
  });
  const driven = (state: string) => new Promise<number>((resolve) => (waiting = { state, done: resolve }));
  const token = site.secrets.automationToken!;
  const apiEvery = Math.max(1, Math.floor((ROUNDS + 10) / (API_ROUNDS + 2)));
  const set = haTopics(site.config.site.id).doorSet('front');
  const viaHa: number[] = [];
  const viaApi: number[] = [];
  for (let i = 0; i < ROUNDS + 10; i++) {
    // Home Assistant: UNLOCK, then LOCK so the next round starts from locked.
    let at = driven('unlocked');
    let s = performance.now();
    ha.publish(set, 'UNLOCK', { qos: 1 });
    const haUnlock = (await at) - s;
    at = driven('locked');
    ha.publish(set, 'LOCK', { qos: 1 });
    await at;
    // The API, every few rounds (its limit is 60 a minute).
    let apiUnlock = -1;
    if (i % apiEvery === 0) {
      at = driven('unlocked');
      s = performance.now();
      const res = await fetch(`${stack.baseUrl}/api/doors/front/commands`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'unlock' }),
      });
      if (res.status !== 202) throw new Error(`API unlock: HTTP ${res.status} ${await res.text()}`);
      apiUnlock = (await at) - s;
      at = driven('locked');
      ha.publish(set, 'LOCK', { qos: 1 });
      await at;
    }
    if (i >= 10) viaHa.push(haUnlock);
    if (i >= 10 && apiUnlock >= 0) viaApi.push(apiUnlock);
  }
  console.log(line('HA UNLOCK → lock driver (services, signed)', summarise(viaHa), 'ms', { p99: 100 }));
  console.log(line('  baseline: API unlock → lock driver', summarise(viaApi)));
} finally {
  ha.end(true);
  await gw.stop();
  await stack.stop();
  site.cleanup();
}
