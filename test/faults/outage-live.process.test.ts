// Issue 13, finding 15: events queued at the gateway while the services were down reach the
// host's live feed and the audit soon after the services return. Real processes: the services
// are stopped, cards are tapped (decided by the gateway, queued in its outbox), the services are
// started again. A host's live stream that reconnects as the dashboard does (every second after
// the stream ends; the browser's own reconnect is about as quick) receives every queued event,
// once, in the order they happened, and the audit lists them. How long it took is measured and
// printed (not asserted: 2 shared cores); test/bench/outage-recovery.ts measures it in bulk.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { request as httpRequest, type ClientRequest } from 'node:http';
import type { LiveMessage } from '../../contracts/api/index.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, gatewayReady, type Stack } from '../helpers/stack.ts';
import { outage } from '../helpers/outage.ts';
import { login, DEMO } from '../services/helpers.ts';

/** A live stream that reconnects `retryMs` after it ends or fails; when each event id was first seen. */
function reconnectingLive(base: string, cookie: string, retryMs = 1000) {
  const seen = new Map<string, number>();
  let req: ClientRequest | null = null;
  let stopped = false;
  const note = (id: string) => {
    if (!seen.has(id)) seen.set(id, Date.now());
  };
  const connect = () => {
    if (stopped) return;
    let retried = false;
    const retry = () => {
      if (retried || stopped) return;
      retried = true;
      setTimeout(connect, retryMs);
    };
    req = httpRequest(`${base}/api/live`, { headers: { cookie, accept: 'text/event-stream' } });
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return retry();
      }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (!block.startsWith('data: ')) continue;
          const msg = JSON.parse(block.slice(6)) as LiveMessage;
          if (msg.type === 'snapshot') for (const e of [...msg.events].reverse()) note(e.id);
          else if (msg.type === 'event') note(msg.event.id);
        }
      });
      res.on('close', retry);
      res.on('error', retry);
    });
    req.on('error', retry);
    req.end();
  };
  connect();
  return {
    seen,
    close: () => {
      stopped = true;
      req?.destroy();
    },
  };
}

describe('events queued while the services were down', () => {
  let site: TestSite;
  let stack: Stack;
  let cookie: string;

  beforeAll(async () => {
    site = await makeTestSite();
    stack = await startStack(site);
    await gatewayReady(stack.baseUrl, 'gw-main');
    cookie = await login(stack.baseUrl, DEMO.mette.email, DEMO.mette.password);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    site?.cleanup();
  });

  it('reach the host’s live feed and the audit after the services return, all, once, in order', { timeout: 180_000 }, async () => {
    const live = reconnectingLive(stack.baseUrl, cookie);
    try {
      const rounds: string[] = [];
      for (let round = 0; round < 2; round++) {
        const taps = 3 + round;
        const r = await outage(stack, site, { taps, downMs: 10_000, waitMs: 60_000 });
        expect(r.events, `round ${round}`).toHaveLength(taps);
        const ids = r.events.map((e) => e.id);
        const until = Date.now() + 60_000;
        while (ids.some((id) => !live.seen.has(id)) && Date.now() < until) await new Promise((res) => setTimeout(res, 20));
        expect(
          ids.filter((id) => !live.seen.has(id)),
          `round ${round}: not on the live feed`,
        ).toEqual([]);
        // On the feed in the order they happened.
        const onFeed = ids.map((id) => live.seen.get(id)!);
        expect(onFeed).toEqual([...onFeed].sort((a, b) => a - b));
        // In the audit, as access decisions with their event ids.
        const audit = await fetch(`${stack.baseUrl}/api/audit?limit=100`, { headers: { cookie } });
        expect(audit.status).toBe(200);
        const body = (await audit.json()) as { items: { action: string; detail: Record<string, unknown> | null }[] };
        const audited = new Set(body.items.map((a) => a.detail?.eventId));
        expect(
          ids.filter((id) => !audited.has(id)),
          `round ${round}: not in the audit`,
        ).toEqual([]);
        rounds.push(
          `round ${round}: ${taps} queued, broker back → last stored ${Math.max(...r.events.map((e) => e.receivedAt)) - r.brokerBackAt} ms, → last on the live feed ${Math.max(...onFeed) - r.brokerBackAt} ms`,
        );
        await gatewayReady(stack.baseUrl, 'gw-main', 60_000);
      }
      console.log(`outage → live feed (issue 13, finding 15):\n  ${rounds.join('\n  ')}`);
    } finally {
      live.close();
    }
  });
});
