// `npm run bench:webhooks` (part of `npm run bench`): outgoing webhooks (README "Webhooks"),
// printed, never asserted. Access events published by a gateway over MQTT go through the
// services (stored, queued in SQLite, signed) to a receiver on loopback:
//  1. event → POST latency, paced (one event at a time, nothing queued): published → the
//     receiver has the request;
//  2. deliveries/s in a burst (BENCH_WEBHOOK_BURST events queued at once for one subscription,
//     sent in order): first queued → last delivered.
// Baseline from the same run, to the same receiver: a bare loop of sequential fetch POSTs of the
// same body size (what a POST costs here without queue, store and signature).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { newWebhookSecret } from '../../config/load.ts';
import { accessEvent, publishJson, startApp } from '../services/helpers.ts';
import { makeTestSite } from '../helpers/site.ts';
import { line, summarise } from './stats.ts';

const PACED = Number(process.env.BENCH_WEBHOOK_PACED ?? 300);
const BURST = Number(process.env.BENCH_WEBHOOK_BURST ?? 2000);

const arrived = new Map<string, number>();
/** Who waits for which event id to arrive (no polling: it would load the event loop being measured). */
const waiters = new Map<string, (at: number) => void>();
let lastBody = '';
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = performance.now();
    lastBody = Buffer.concat(chunks).toString('utf8');
    const id = (/"event":"([^"]+)"/.exec(lastBody) ?? [])[1];
    if (id) {
      arrived.set(id, at);
      waiters.get(id)?.(at);
    }
    res.statusCode = 204;
    res.end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`;

const site = await makeTestSite(
  (raw) => {
    raw.services.http.port = 0;
    raw.services.mqtt.port = 0;
    raw.webhooks = { subscriptions: [{ id: 'bench', kinds: ['access.granted'] }] };
  },
  { secrets: (s) => (s.webhooks = { bench: { url, secret: newWebhookSecret() } }) },
);
const r = await startApp({ site });
try {
  const gw = await r.gateway();
  const send = async () => {
    const e = accessEvent();
    const at = performance.now();
    await publishJson(gw, r.t.doorEvent('front'), e);
    return { id: e.id, at };
  };
  const until = (id: string) =>
    new Promise<number>((resolve) => {
      const known = arrived.get(id);
      if (known !== undefined) return resolve(known);
      const timer = setTimeout(() => resolve(NaN), 60_000);
      waiters.set(id, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });

  // 1. Paced: each event alone in the queue.
  const latency: number[] = [];
  for (let i = 0; i < PACED + 20; i++) {
    const { id, at } = await send();
    const got = await until(id);
    if (i >= 20) latency.push(got - at);
  }

  // 2. Burst: BURST events queued at once (straight into the queue, so that the gateway's
  // publish and the ingest are not what is measured); sent one by one, in order.
  arrived.clear();
  const start = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < BURST; i++) {
    const e = accessEvent();
    ids.push(e.id);
    r.app.webhooks.enqueue(
      'access.granted',
      { event: e.id, door: 'front', doorName: 'Hoveddør', gateway: 'gw-main', reason: 'ok', via: 'card', offline: false },
      e.ts,
    );
  }
  const ends = await Promise.all(ids.map((id) => until(id)));
  const done = ends.filter((x) => !Number.isNaN(x));
  const seconds = (Math.max(...done) - start) / 1000;
  const inOrder = ends.every((x, i) => i === 0 || x >= ends[i - 1]!);

  // Baseline: the same receiver, a bare fetch loop with a body of the same size.
  const body = lastBody;
  const bare: number[] = [];
  const b0 = performance.now();
  for (let i = 0; i < BURST; i++) {
    const s = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    bare.push(performance.now() - s);
  }
  const bareSeconds = (performance.now() - b0) / 1000;

  console.log(line('webhook: access event (MQTT) → POST at receiver', summarise(latency)));
  console.log(line('  baseline: bare fetch POST → answer', summarise(bare)));
  console.log(
    `webhook deliveries/s, burst of ${BURST} in order             ${(BURST / seconds).toFixed(0)}/s (${done.length}/${BURST} delivered${inOrder ? ', in order' : ', OUT OF ORDER'})`,
  );
  console.log(`  baseline: bare fetch loop, sequential                   ${(BURST / bareSeconds).toFixed(0)}/s`);
} finally {
  await r.stop();
  receiver.close();
}
