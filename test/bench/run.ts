// `npm run bench`: prints numbers against the foundation's targets; asserts nothing.
//  1. tap → lock driver called, inside the gateway (in-process gateway, services in their own
//     process), ≥ 10,000 taps; baseline in the same run: the HMAC fingerprint alone.
//  2. tap → event on the dashboard live stream, over real processes; baseline in the same run:
//     an MQTT QoS 1 publish → delivery round trip through the same broker.
//  3. RSS of the gateway and the services processes at idle and after the run (compiled
//     JavaScript, as a Pi runs them: `npm run bench` builds first).
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { makeTestSite } from '../helpers/site.ts';
import { startStack, gatewayReady, login, openLive, sim } from '../helpers/stack.ts';
import { buildGateway } from '../../gateway/gateway.ts';
import { fingerprint } from '../../contracts/signing.ts';
import { topics } from '../../contracts/topics.ts';
import type { LiveMessage } from '../../contracts/api/index.ts';
import { summarise, line, rssMb } from './stats.ts';

const TAPS_IN_PROCESS = Number(process.env.BENCH_TAPS ?? 10_000);
const TAPS_LIVE = Number(process.env.BENCH_LIVE_TAPS ?? 500);
const CARDS = ['0400A1B2C3', '0400D4E5F6', '0400445566', '0400778899'];
const tick = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function tapToUnlockInProcess(): Promise<void> {
  const site = await makeTestSite();
  const stack = await startStack(site, { gateway: false });
  const gw = buildGateway(site.config, site.secrets, 'gw-main');
  try {
    await gw.start();
    await gatewayReady(stack.baseUrl, 'gw-main');
    const reader = gw.sim.readers.get('front-reader')!;
    const lock = gw.sim.locks.get('front-lock')!;
    let drivenAt = 0;
    lock.on('driven', (state) => {
      if (state === 'unlocked' && drivenAt === 0) drivenAt = performance.now();
    });
    const samples: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < 500; i++) reader.tap(CARDS[i % CARDS.length]!); // warm-up
    await sleep(500);
    for (let i = 0; i < TAPS_IN_PROCESS; i++) {
      const uid = CARDS[i % CARDS.length]!;
      drivenAt = 0;
      const t0 = performance.now();
      reader.tap(uid);
      if (drivenAt === 0) throw new Error(`tap ${i}: lock not driven`);
      samples.push(drivenAt - t0);
      const b0 = performance.now();
      fingerprint(site.secrets.siteKey, uid);
      baseline.push(performance.now() - b0);
      // Let the outbox and MQTT do their part between taps, as between real taps.
      if (i % 10 === 9) await tick();
    }
    console.log(line('tap → lock driver (gateway, in process)', summarise(samples), 'ms', { p99: 2 }));
    console.log(line('  baseline: HMAC fingerprint alone', summarise(baseline)));
    await waitOutboxEmpty(gw.outbox);
  } finally {
    await gw.stop();
    await stack.stop();
    site.cleanup();
  }
}

async function waitOutboxEmpty(outbox: { depth: number }): Promise<void> {
  const until = Date.now() + 60_000;
  while (outbox.depth > 0 && Date.now() < until) await sleep(100);
  console.log(`  outbox drained after the run: ${outbox.depth === 0 ? 'yes' : `no (${outbox.depth} left)`}`);
}

async function tapToLiveStream(): Promise<void> {
  const site = await makeTestSite();
  const stack = await startStack(site, { compiled: true });
  try {
    await gatewayReady(stack.baseUrl, 'gw-main');
    await sleep(2000);
    const pids = { services: stack.services!.child.pid!, gateway: stack.gateway!.child.pid! };
    const idle = { services: rssMb(pids.services), gateway: rssMb(pids.gateway) };

    let waiting: ((at: number) => void) | null = null;
    const live = await openLive(stack.baseUrl, await login(stack.baseUrl, 'mette@kystkontor.dk', 'host-mette'), (m: LiveMessage, at) => {
      if (m.type === 'event' && m.event.via === 'card' && waiting) {
        const w = waiting;
        waiting = null;
        w(at);
      }
    });
    await live.waitFor((m) => m.type === 'snapshot');
    const samples: number[] = [];
    for (let i = 0; i < TAPS_LIVE + 20; i++) {
      const arrived = new Promise<number>((resolve) => (waiting = resolve));
      const t0 = performance.now();
      await sim(stack.simUrl, '/sim/tap', { reader: i % 2 ? 'front-reader' : 'meeting-reader', uid: CARDS[i % CARDS.length] });
      const at = await Promise.race([arrived, sleep(5000).then(() => NaN)]);
      if (Number.isNaN(at)) throw new Error(`tap ${i}: no live event within 5 s`);
      if (i >= 20) samples.push(at - t0); // the first 20 warm up the JIT and connections
    }
    live.close();
    console.log(line('tap → dashboard live stream (real processes)', summarise(samples), 'ms', { p99: 50 }));
    console.log(
      line('  baseline: MQTT QoS 1 round trip, same broker', await mqttRoundTrip(site.config.site.id, stack.site.mqttPort, site.secrets.mqtt.services)),
    );
    const after = { services: rssMb(pids.services), gateway: rssMb(pids.gateway) };
    console.log(`RSS services: idle ${idle.services.toFixed(1)} MB, after the run ${after.services.toFixed(1)} MB`);
    console.log(`RSS gateway:  idle ${idle.gateway.toFixed(1)} MB, after the run ${after.gateway.toFixed(1)} MB`);
  } finally {
    await stack.stop();
    site.cleanup();
  }
}

async function mqttRoundTrip(site: string, port: number, password: string) {
  const url = `mqtt://127.0.0.1:${port}`;
  const opts = { username: 'services', password, reconnectPeriod: 0 };
  const sub = await mqtt.connectAsync(url, { ...opts, clientId: 'bench-sub' });
  const pub = await mqtt.connectAsync(url, { ...opts, clientId: 'bench-pub' });
  const topic = topics(site).sensorReading('bench');
  await sub.subscribeAsync(topic, { qos: 1 });
  const samples: number[] = [];
  let resolve: (() => void) | null = null;
  sub.on('message', () => resolve?.());
  for (let i = 0; i < 520; i++) {
    const got = new Promise<void>((r) => (resolve = r));
    const t0 = performance.now();
    pub.publish(topic, JSON.stringify({ v: 1, ts: Date.now(), sensor: 'bench', kind: 'bench', value: i }), { qos: 1 });
    await got;
    if (i >= 20) samples.push(performance.now() - t0);
  }
  sub.end(true);
  pub.end(true);
  return summarise(samples);
}

console.log(`smartspace benchmark — node ${process.version}, ${new Date().toISOString()}`);
await tapToUnlockInProcess();
await tapToLiveStream();
process.exit(0);
