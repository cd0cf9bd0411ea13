// `node --import tsx test/bench/node-red-rules.ts`: event → rule action through Node-RED, over
// real processes (services with the broker, a gateway, Node-RED with the shipped rules and its
// clock set after closing). Prints numbers, asserts nothing.
//  1. last one out: a desk's occupancy (with the gateway's credentials) reports the last desk free →
//     Node-RED: occupancy → hours → door node → services API → signed `lock` command published
//     on door/<door>/command; time to the first command and to both doors' commands.
//  2. baselines in the same run, Node-RED stopped: the same rule as a plain MQTT client calling
//     the services with the palette's client (the part of (1) that is not Node-RED's), and
//     one API `lock` → command published.
// Runs are paced under the services' command rate limit (60 a minute per caller): a run that
// hit it would measure the limiter, not the path.
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import mqtt from 'mqtt';
import { makeTestSite } from '../helpers/site.ts';
import { startStack, gatewayReady } from '../helpers/stack.ts';
import { topics } from '../../contracts/topics.ts';
import { startNodeRed } from '../node-red/process.ts';
import { summarise, line, rssMb } from './stats.ts';

const { createServicesClient } = createRequire(import.meta.url)('../../node-red/lib/services-client.js') as {
  createServicesClient: (o: { baseUrl: string; token: string }) => { doorCommand(door: string, action: string, reason?: string): Promise<unknown> };
};
const RUNS = Number(process.env.BENCH_NODE_RED_RUNS ?? 100);
const WARMUP = 5;
const COMMANDS_PER_MIN = Number(process.env.BENCH_COMMANDS_PER_MIN ?? 55);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const site = await makeTestSite();
// Services and gateway as compiled JavaScript, as `npm start` and a Pi run them (the npm script builds first).
const stack = await startStack(site, { compiled: process.env.BENCH_COMPILED !== '0' });
const nr = await startNodeRed(site, { clock: '2026-03-02T19:30:00+01:00' });
const t = topics(site.config.site.id);
const url = site.config.broker.url;
const spy = await mqtt.connectAsync(url, {
  username: 'services',
  password: site.secrets.mqtt.services,
  protocolVersion: 4,
  reconnectPeriod: 0,
  clientId: 'bench-spy',
});
const bridge = await mqtt.connectAsync(url, {
  username: 'gateway:gw-main',
  password: site.secrets.gateways['gw-main']!.mqttPassword,
  protocolVersion: 4,
  reconnectPeriod: 0,
  clientId: 'bench-bridge',
});

try {
  await gatewayReady(stack.baseUrl, 'gw-main');
  await nr.proc.waitForLog((l) => /^connected to mqtt:/.test(String(l.json?.msg)), 15_000);
  await sleep(1500); // the opening-hours rule's start-up lock goes by
  const idleRss = rssMb(nr.proc.child.pid!);

  let onCommand: ((door: string, at: number) => void) | null = null;
  await spy.subscribeAsync(`${t.root}/door/+/command`, { qos: 1 });
  spy.on('message', (topic) => onCommand?.(topic.split('/')[3]!, performance.now()));

  const desk = (occupied: boolean, id = 'd01') =>
    bridge.publishAsync(t.deskOccupancy(id), JSON.stringify({ v: 1, ts: Date.now(), desk: id, occupied, since: Date.now() }), { qos: 1, retain: true });

  const doors = site.config.doors.length;
  const pace = async (since: number, commands: number) => sleep(Math.max(0, since + (commands * 60_000) / COMMANDS_PER_MIN - performance.now()));
  const first: number[] = [];
  const both: number[] = [];
  for (let i = 0; i < RUNS + WARMUP; i++) {
    const started = performance.now();
    await desk(true);
    await sleep(5);
    const seen = new Map<string, number>();
    const done = new Promise<void>((resolve) => {
      onCommand = (door, at) => {
        if (!seen.has(door)) seen.set(door, at);
        if (seen.size === site.config.doors.length) resolve();
      };
    });
    const t0 = performance.now();
    await desk(false);
    const ok = await Promise.race([done.then(() => true), sleep(5000).then(() => false)]);
    onCommand = null;
    if (!ok)
      throw new Error(
        `run ${i}: ${seen.size} of ${site.config.doors.length} lock commands within 5 s; Node-RED:\n${nr.proc.lines
          .slice(-5)
          .map((l) => l.text)
          .join('\n')}`,
      );
    if (i >= WARMUP) {
      const times = [...seen.values()];
      first.push(Math.min(...times) - t0);
      both.push(Math.max(...times) - t0);
    }
    await pace(started, doors);
  }

  const rssAfter = rssMb(nr.proc.child.pid!);
  await nr.stop();

  // The same rule without Node-RED: a plain MQTT client with the automation credentials and
  // the palette's own services client, calling for both doors at once as the door node does.
  const auto = await mqtt.connectAsync(url, {
    username: 'automation',
    password: site.secrets.mqtt.automation,
    protocolVersion: 4,
    reconnectPeriod: 0,
    clientId: 'bench-plain-rule',
  });
  await auto.subscribeAsync(t.deskOccupancy('d01'), { qos: 1 });
  const client = createServicesClient({ baseUrl: stack.baseUrl, token: site.secrets.automationToken ?? '' });
  const ids = site.config.doors.map((d) => d.id);
  auto.on('message', (_topic, buf) => {
    if ((JSON.parse(buf.toString()) as { occupied: boolean }).occupied) return;
    void Promise.all(ids.map((d) => client.doorCommand(d, 'lock', 'benchmark: plain rule')));
  });
  const plainFirst: number[] = [];
  const plainBoth: number[] = [];
  for (let i = 0; i < RUNS + WARMUP; i++) {
    const started = performance.now();
    await desk(true);
    await sleep(5);
    const seen = new Map<string, number>();
    const done = new Promise<void>((resolve) => {
      onCommand = (door, at) => {
        if (!seen.has(door)) seen.set(door, at);
        if (seen.size === doors) resolve();
      };
    });
    const t0 = performance.now();
    await desk(false);
    await Promise.race([done, sleep(5000)]);
    onCommand = null;
    if (seen.size < doors) throw new Error(`plain rule run ${i}: ${seen.size} of ${doors} commands within 5 s`);
    if (i >= WARMUP) {
      plainFirst.push(Math.min(...seen.values()) - t0);
      plainBoth.push(Math.max(...seen.values()) - t0);
    }
    await pace(started, doors);
  }
  auto.end(true);

  const baseline: number[] = [];
  for (let i = 0; i < RUNS + WARMUP; i++) {
    const started = performance.now();
    const got = new Promise<number>((resolve) => (onCommand = (_door, at) => resolve(at)));
    const t0 = performance.now();
    const r = await fetch(`${stack.baseUrl}/api/doors/front/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${site.secrets.automationToken ?? ''}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'lock', reason: 'benchmark baseline' }),
    });
    if (r.status !== 202) throw new Error(`baseline ${i}: HTTP ${r.status} ${await r.text()}`);
    const at = await got;
    if (i >= WARMUP) baseline.push(at - t0);
    await pace(started, 1);
  }
  onCommand = null;

  console.log(
    `smartspace Node-RED benchmark — node ${process.version}, ${new Date().toISOString()}, ${RUNS} runs after ${WARMUP} warm-up, paced at ${COMMANDS_PER_MIN} commands/min`,
  );
  console.log(line('desk free → lock command, first door (Node-RED)', summarise(first), 'ms', { p99: 100 }));
  console.log(line('desk free → lock commands, every door', summarise(both), 'ms', { p99: 100 }));
  console.log(line('  baseline: same rule, plain MQTT client, first', summarise(plainFirst)));
  console.log(line('  baseline: same rule, plain MQTT client, every', summarise(plainBoth)));
  console.log(line('  baseline: one API lock → command published', summarise(baseline)));
  console.log(`RSS node-red: idle ${idleRss.toFixed(1)} MB, after the run ${rssAfter.toFixed(1)} MB`);
} finally {
  spy.end(true);
  bridge.end(true);
  await nr.stop(); // safe twice
  await stack.stop();
  site.cleanup();
}
process.exit(0);
