// `npm run bench` (alone: `npm run build:node && node --import tsx test/bench/outage-recovery.ts`):
// issue 12's number "events queued during an outage reach the services ≤ 5 s after the broker is
// back". Real processes, compiled as a Pi runs them: the services (with the embedded broker) are
// stopped, cards are tapped at the gateway (decided locally, queued in its outbox), and after
// BENCH_OUTAGE_S seconds the services start again. Measured per outage, on one clock:
//   broker back = the first TCP connection this process gets to the MQTT port (tried every 5 ms),
//   stored      = the services' own received_at of the last queued event.
// Baseline in the same run: tap → stored with the broker up (the same path without an outage).
// The gateway's reconnect backoff is capped at 3 s with jitter (runtime/mqtt-link.ts
// LINK_BACKOFF): an outage longer than a few seconds ends with the backoff at its cap.
import { makeTestSite } from '../helpers/site.ts';
import { startStack, gatewayReady, sim } from '../helpers/stack.ts';
import { outage, storedSince, OUTAGE_CARDS } from '../helpers/outage.ts';
import { summarise, line } from './stats.ts';

const OUTAGES = Number(process.env.BENCH_OUTAGES ?? 6);
const OUTAGE_S = Number(process.env.BENCH_OUTAGE_S ?? 15);
const TAPS = Number(process.env.BENCH_OUTAGE_TAPS ?? 5);
const BASELINE_TAPS = 30;

const site = await makeTestSite();
const stack = await startStack(site, { compiled: true });
try {
  await gatewayReady(stack.baseUrl, 'gw-main');
  const baseline: number[] = [];
  for (let i = 0; i < BASELINE_TAPS; i++) {
    const t0 = Date.now();
    await sim(stack.simUrl, '/sim/tap', { reader: 'front-reader', uid: OUTAGE_CARDS[i % OUTAGE_CARDS.length] });
    let got = storedSince(site, t0);
    while (got.length === 0) {
      await new Promise((r) => setTimeout(r, 2));
      got = storedSince(site, t0);
    }
    baseline.push(got[0]!.receivedAt - t0);
    await new Promise((r) => setTimeout(r, 200));
  }
  const last: number[] = [];
  const first: number[] = [];
  let lost = 0;
  for (let i = 0; i < OUTAGES; i++) {
    const r = await outage(stack, site, { taps: TAPS, downMs: OUTAGE_S * 1000, waitMs: 60_000 });
    lost += TAPS - r.events.length;
    if (r.events.length === 0) continue;
    const received = r.events.map((e) => e.receivedAt);
    first.push(Math.min(...received) - r.brokerBackAt);
    last.push(Math.max(...received) - r.brokerBackAt);
    await gatewayReady(stack.baseUrl, 'gw-main', 60_000);
  }
  console.log(`outage recovery: ${OUTAGES} outages of ${OUTAGE_S} s, ${TAPS} taps queued in each (issue 12, finding 15)`);
  console.log(line('broker back → last queued event stored', summarise(last), 'ms', { p99: 5000 }));
  console.log(line('broker back → first queued event stored', summarise(first)));
  console.log(line('  baseline: tap → stored, broker up', summarise(baseline)));
  if (lost !== 0 || last.length !== OUTAGES) console.log(`  LOST: ${lost} queued events not stored within 60 s`);
} finally {
  await stack.stop();
  site.cleanup();
}
