// Benchmark (prints, asserts nothing): sensor readings MQTT → services → InfluxDB 1.x, end to
// end, over real processes (the services as compiled JavaScript, Debian's influxd), beside
// two baselines measured in the same run:
//   - the raw broker: the same embedded broker carrying the same messages publisher → one plain
//     subscriber, no ingest;
//   - Node-RED (its own process, a generated flow: mqtt in → function → node-red-contrib-influxdb
//     out), the flow a user would otherwise build for the same job.
// Throughput is readings stored (counted in InfluxDB) per second from the first publish to the
// last point stored; "zero loss" compares stored with published.
// Run: npm run build:node && node --import tsx test/bench/services-ingest.ts  (BENCH_READINGS=…)
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, health, eventually } from '../helpers/stack.ts';
import { startInfluxd, type Influxd } from '../helpers/influxd.ts';
import { startProcess, ROOT, type LogLine } from '../../scripts/lib/proc.ts';
import { InfluxDb1Store } from '../../services/history/influxdb1-store.ts';
import { topics } from '../../contracts/topics.ts';
import { rssMb } from './stats.ts';
import { openFirehose, openCounter, publishPacket, type Firehose } from './mqtt-firehose.ts';

const READINGS = Number(process.env.BENCH_READINGS ?? 1_000_000);
const RAW_MESSAGES = Number(process.env.BENCH_RAW_MESSAGES ?? 500_000);
const NODE_RED_READINGS = Number(process.env.BENCH_NODE_RED_READINGS ?? 30_000);
const SENSORS = 50;
const COMPILED = process.env.BENCH_SOURCE !== '1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;

/** A reading as a PUBLISH packet. One reading per sensor per millisecond: every reading is its
 * own point (series + ms). */
function reading(site: string, i: number, base: number): Buffer {
  const sensor = `s${i % SENSORS}`;
  const ts = base + Math.floor(i / SENSORS);
  return publishPacket(topics(site).sensorReading(sensor), `{"v":1,"ts":${ts},"sensor":"${sensor}","kind":"co2","value":${400 + (i % 200)},"unit":"ppm"}`);
}

/** Publishes QoS 0 as fast as the broker takes them (TCP backpressure); returns the ms it took. */
async function publishAll(f: Firehose, n: number, make: (i: number) => Buffer): Promise<number> {
  const t0 = performance.now();
  await f.send(n, make);
  return performance.now() - t0;
}

/** Waits until `count()` reaches `target` or stops growing for `idleMs`; returns the count and when it last grew. */
async function waitStored(count: () => Promise<number>, target: number, idleMs: number, maxMs: number): Promise<{ stored: number; lastGrowthAt: number }> {
  let stored = 0;
  let lastGrowthAt = performance.now();
  const until = performance.now() + maxMs;
  while (stored < target && performance.now() - lastGrowthAt < idleMs && performance.now() < until) {
    await sleep(200);
    const n = await count().catch(() => stored);
    if (n > stored) {
      stored = n;
      lastGrowthAt = performance.now();
    }
  }
  return { stored, lastGrowthAt };
}

async function rawBroker(site: TestSite): Promise<void> {
  const pw = site.secrets.mqtt.services;
  const topic = `${topics(site.config.site.id).root}/bench/raw`;
  const sub = await openCounter(site.mqttPort, 'bench-raw-sub', 'services', pw, topic);
  const pub = await openFirehose(site.mqttPort, 'bench-raw-pub', 'services', pw);
  const packet = publishPacket(topic, `{"v":1,"ts":${Date.now()},"sensor":"s1","kind":"co2","value":400,"unit":"ppm"}`);
  const t0 = performance.now();
  await publishAll(pub, RAW_MESSAGES, () => packet);
  await eventually(() => sub.count >= RAW_MESSAGES || performance.now() - sub.lastAt > 3000, 120_000, 'raw messages');
  console.log(
    `raw broker (same broker, pub → sub, no ingest):   ${sub.count.toLocaleString('en-US')}/${RAW_MESSAGES.toLocaleString('en-US')} delivered, ${rate(sub.count, sub.lastAt - t0)}`,
  );
  sub.close();
  await pub.close();
}

async function servicesIngest(site: TestSite, influxd: Influxd, servicesPid: number, baseUrl: string, log: () => LogLine[]): Promise<void> {
  const store = new InfluxDb1Store({ url: influxd.url, database: 'bench' });
  const pub = await openFirehose(site.mqttPort, 'bench-ingest-pub', 'bridge', site.secrets.mqtt.bridge);
  const base = Date.now() - 3600_000;
  const t0 = performance.now();
  const publishMs = await publishAll(pub, READINGS, (i) => reading(site.config.site.id, i, base));
  const all = { measurement: 'reading' as const, from: base - 1000, to: base + READINGS + 1000 };
  const { stored, lastGrowthAt } = await waitStored(() => store.count(all), READINGS, 15_000, 600_000);
  const h = (await health(baseUrl)).history;
  console.log(
    `services ingest → InfluxDB 1.x (end to end):     ${stored.toLocaleString('en-US')}/${READINGS.toLocaleString('en-US')} stored, ${rate(stored, lastGrowthAt - t0)} sustained` +
      `  (published in ${(publishMs / 1000).toFixed(1)} s = ${rate(READINGS, publishMs)}; lost: ${READINGS - stored}; rejected: ${h?.rejected ?? '?'}; target >= 50,000/s: ${(stored / (lastGrowthAt - t0)) * 1000 >= 50_000 && stored === READINGS ? 'met' : 'MISSED'})`,
  );
  console.log(`  services RSS after the run: ${rssMb(servicesPid).toFixed(1)} MB`);
  for (const l of log().filter((x) => /history (store|backfill)/.test(String(x.json?.msg)))) {
    const n = l.json!.points ?? l.json!.spooled;
    console.log(`  services said: ${String(l.json!.msg)} ${typeof n === 'number' ? n : ''}`);
  }
  await pub.close();
}

function nodeRedFiles(dir: string, site: TestSite, influxd: Influxd): string {
  const userDir = join(dir, 'node-red');
  mkdirSync(userDir, { recursive: true });
  const flows = [
    { id: 'tab', type: 'tab', label: 'bench' },
    {
      id: 'broker',
      type: 'mqtt-broker',
      name: 'smartspace',
      broker: '127.0.0.1',
      port: String(site.mqttPort),
      clientid: 'bench-node-red',
      protocolVersion: '4',
      keepalive: '60',
      cleansession: true,
    },
    {
      id: 'influx',
      type: 'influxdb',
      hostname: '127.0.0.1',
      port: String(influxd.port),
      protocol: 'http',
      database: 'nodered',
      name: 'influxd',
      usetls: false,
      influxdbVersion: '1.x',
    },
    {
      id: 'in',
      type: 'mqtt in',
      z: 'tab',
      name: 'readings',
      topic: `${topics(site.config.site.id).root}/sensor/+/reading`,
      qos: '0',
      datatype: 'json',
      broker: 'broker',
      nl: false,
      rap: false,
      inputs: 0,
      wires: [['fn']],
    },
    {
      id: 'fn',
      type: 'function',
      z: 'tab',
      name: 'to point',
      func: 'const r = msg.payload;\nmsg.payload = [{ value: r.value, time: r.ts }, { sensor: r.sensor, kind: r.kind, unit: r.unit }];\nreturn msg;',
      outputs: 1,
      wires: [['out']],
    },
    { id: 'out', type: 'influxdb out', z: 'tab', influxdb: 'influx', name: 'history', measurement: 'reading', precision: 'ms', retentionPolicy: '', wires: [] },
  ];
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify(flows, null, 1));
  writeFileSync(join(userDir, 'flows_cred.json'), JSON.stringify({ broker: { user: 'automation', password: site.secrets.mqtt.automation }, influx: {} }));
  const settings = join(dir, 'node-red-settings.cjs');
  writeFileSync(
    settings,
    `module.exports = { userDir: ${JSON.stringify(userDir)}, flowFile: 'flows.json', credentialSecret: false, uiHost: '127.0.0.1', uiPort: 0, httpAdminRoot: false, httpNodeRoot: false,
  nodesDir: [${JSON.stringify(join(ROOT, 'node_modules', 'node-red-contrib-influxdb'))}], logging: { console: { level: 'info' } }, editorTheme: { tours: false } };\n`,
  );
  return settings;
}

async function nodeRed(site: TestSite, influxd: Influxd, dir: string): Promise<void> {
  const settings = nodeRedFiles(dir, site, influxd);
  const store = new InfluxDb1Store({ url: influxd.url, database: 'nodered' });
  await store.write([{ measurement: 'reading', tags: { sensor: 'warmup', kind: 'x' }, fields: { value: 0 }, ts: 1, ns: 0 }]); // creates the database
  const red = startProcess('node-red', 'node_modules/node-red/red.js', ['--settings', settings]);
  try {
    await red.waitForLog((l) => /Started flows/.test(l.text), 60_000);
    await red.waitForLog((l) => /Connected to broker/.test(l.text), 30_000);
    const pub = await openFirehose(site.mqttPort, 'bench-nr-pub', 'bridge', site.secrets.mqtt.bridge);
    const base = Date.now() - 7200_000;
    const t0 = performance.now();
    const publishMs = await publishAll(pub, NODE_RED_READINGS, (i) => reading(site.config.site.id, i, base));
    const all = { measurement: 'reading' as const, from: base - 1000, to: base + NODE_RED_READINGS + 1000 };
    const { stored, lastGrowthAt } = await waitStored(() => store.count(all), NODE_RED_READINGS, 10_000, 300_000);
    console.log(
      `Node-RED baseline (mqtt in → influxdb out):       ${stored.toLocaleString('en-US')}/${NODE_RED_READINGS.toLocaleString('en-US')} stored, ${rate(stored, lastGrowthAt - t0)}` +
        `  (published in ${(publishMs / 1000).toFixed(1)} s; lost: ${NODE_RED_READINGS - stored}); Node-RED RSS ${rssMb(red.child.pid!).toFixed(1)} MB`,
    );
    const trouble = red.lines.filter(
      (l) => /\[(warn|error)\]/.test(l.text) && !/Projects disabled|unencrypted credentials|Flows file|Communication server/.test(l.text),
    );
    const kinds = new Map<string, number>();
    for (const l of trouble) {
      const k = l.text
        .replace(/^.*?\[(warn|error)\]\s*/, '$1: ')
        .replace(/\d+/g, 'N')
        .slice(0, 100);
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
    for (const [k, n] of [...kinds].slice(0, 4)) console.log(`  Node-RED said ${n}×: ${k}`);
    await pub.close();
  } finally {
    await red.stop();
  }
}

export async function benchIngest(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'smartspace-bench-'));
  const influxd = await startInfluxd();
  const site = await makeTestSite((raw) => {
    raw.history = { store: 'influxdb1', influxdb1: { url: influxd.url, database: 'bench' }, batchSize: 5000, flushMs: 200 };
    // The readings come in as the bridge's (zigbee2mqtt sensors s0…s49 on desks d01…d10): the
    // bridge role publishes only sensors bridged in the config.
    raw.bridge = { source: { url: 'mqtt://127.0.0.1:1884' } };
    const z = (n: number) => ({ driver: 'zigbee2mqtt', id: `s${n}`, friendlyName: `s${n}` });
    for (let d = 0; d < SENSORS / 5; d++) {
      raw.desks[d].sensor = z(d * 5);
      raw.desks[d].extraSensors = [1, 2, 3, 4].map((k) => z(d * 5 + k));
    }
  });
  const stack = await startStack(site, { gateway: false, compiled: COMPILED });
  try {
    console.log(
      `\ningest benchmark: ${READINGS.toLocaleString('en-US')} readings from ${SENSORS} sensors, QoS 0, services ${COMPILED ? 'compiled' : 'from source'}, influxd 1.6.7; load average ${loadavg()[0]!.toFixed(2)}`,
    );
    await rawBroker(site);
    await servicesIngest(site, influxd, stack.services!.child.pid!, stack.baseUrl, () => stack.services!.lines);
    await nodeRed(site, influxd, dir);
  } finally {
    await stack.stop();
    await influxd.cleanup();
    site.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchIngest().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
