// Outgoing webhooks end to end on loopback: events from the gateway (MQTT) and the alert centre
// (API) are POSTed to a real HTTP receiver that checks the Standard Webhooks signature the way
// its libraries do (written here from the spec, not with our signing code); failures are tried
// again with the same webhook-id, a receiver that is down gets everything in order when it is
// back, a restart of the services in between loses and repeats nothing; a 4xx and running out
// of attempts make dead letters, which an operator sends again from the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Value } from '@sinclair/typebox/value';
import type { AlertView, DeadLetterView, WebhookSubscriptionView } from '../../contracts/api/index.ts';
import { WebhookPayload } from '../../contracts/webhooks.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { accessEvent, api, bringOnline, loginAs, publishJson, startApp, waitFor, type Running } from './helpers.ts';

interface Delivery {
  id: string;
  status: number;
  payload: WebhookPayload;
}

/**
 * A receiver as a booking tool would run it: verifies webhook-signature over
 * `${webhook-id}.${webhook-timestamp}.${body}` with the base64 key after `whsec_`, refuses a
 * timestamp more than 5 minutes off, answers what `answer` says (default 204) and records it.
 */
class Receiver {
  readonly seen: Delivery[] = [];
  readonly badSignatures: string[] = [];
  answer: (n: number) => { status: number; headers?: Record<string, string> } = () => ({ status: 204 });
  #server: Server | null = null;
  port = 0;

  constructor(readonly secret: string) {}

  /** Accepted deliveries (2xx), in the order they came. */
  get accepted(): Delivery[] {
    return this.seen.filter((d) => d.status < 300);
  }

  verify(headers: Record<string, string | string[] | undefined>, body: string): boolean {
    const id = String(headers['webhook-id'] ?? '');
    const ts = String(headers['webhook-timestamp'] ?? '');
    if (!id || !/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
    const key = Buffer.from(this.secret.slice('whsec_'.length), 'base64');
    const want = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
    return String(headers['webhook-signature'] ?? '')
      .split(' ')
      .some((part) => {
        const [version, sig] = part.split(',');
        const got = Buffer.from(sig ?? '', 'base64');
        return version === 'v1' && got.length === want.length && timingSafeEqual(got, want);
      });
  }

  async up(): Promise<void> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (!this.verify(req.headers, body)) {
          this.badSignatures.push(body);
          res.statusCode = 401;
          return res.end();
        }
        const { status, headers } = this.answer(this.seen.length);
        this.seen.push({ id: String(req.headers['webhook-id']), status, payload: JSON.parse(body) as WebhookPayload });
        res.writeHead(status, headers ?? {});
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
  }

  async down(): Promise<void> {
    const s = this.#server;
    this.#server = null;
    s?.closeAllConnections();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/space`;
  }
}

const SECRET_A = `whsec_${Buffer.from('booking-tool-secret-0123456789ab').toString('base64')}`;
const SECRET_B = `whsec_${Buffer.from('chat-secret-0123456789abcdefghij').toString('base64')}`;
const booking = new Receiver(SECRET_A);
const strict = new Receiver(SECRET_B);
let site: TestSite;
let r: Running;

const token = (x: Running) => x.site.secrets.automationToken!;
const raise = (x: Running, body: object) => api<AlertView | null>(x, 'POST', '/api/alerts', { token: token(x), body });
const alertTypes = (d: Delivery[]) => d.map((x) => (x.payload.type === 'alert' ? `${x.payload.data.status}:${x.payload.data.id}` : x.payload.type));
const subs = async (x: Running) => (await api<WebhookSubscriptionView[]>(x, 'GET', '/api/webhooks', { cookie: await loginAs(x, 'mette') })).body;
const sub = async (x: Running, id: string) => (await subs(x)).find((s) => s.id === id)!;

beforeAll(async () => {
  await booking.up();
  await strict.up();
  site = await makeTestSite(
    (raw) => {
      raw.services.http.port = 0;
      raw.services.mqtt.port = 0;
      raw.webhooks = {
        subscriptions: [
          { id: 'booking', kinds: ['access.granted', 'access.denied', 'alert'] },
          { id: 'strict', kinds: ['alert'] },
        ],
        retry: { firstMs: 20, maxMs: 100, attempts: 4, maxAgeH: 1 },
        timeoutMs: 2000,
      };
    },
    {
      secrets: (s) =>
        (s.webhooks = {
          booking: { url: booking.url, secret: SECRET_A },
          strict: { url: strict.url, secret: SECRET_B },
        }),
    },
  );
  r = await startApp({ site });
}, 60_000);

afterAll(async () => {
  await r.stop();
  site.cleanup();
  await booking.down();
  await strict.down();
});

describe('outgoing webhooks', () => {
  it('POSTs a signed, versioned access event without card or member id, in the contract’s shape', async () => {
    const gw = await bringOnline(r);
    const e = accessEvent({ door: 'front', decision: 'granted', member: 'jonas', fingerprint: 'a'.repeat(64) });
    await publishJson(gw, r.t.doorEvent('front'), e);
    const got = await waitFor(() => booking.accepted.find((d) => d.payload.type === 'access.granted'));
    expect(Value.Check(WebhookPayload, got.payload)).toBe(true);
    expect(got.payload).toMatchObject({ v: 1, site: site.config.site.id, data: { event: e.id, door: 'front', reason: 'ok', via: 'card', offline: false } });
    expect(got.id).toMatch(/^msg_/);
    // No names unless the site says so (webhooks.names), no ids or fingerprints ever.
    const body = JSON.stringify(got.payload);
    expect(body).not.toContain('jonas');
    expect(body).not.toContain('Jonas');
    expect(body).not.toContain('a'.repeat(64));
    expect(booking.badSignatures).toEqual([]);
    // Only the kinds a subscription takes.
    expect(strict.seen.some((d) => d.payload.type.startsWith('access'))).toBe(false);
  });

  it('tries again after 500s with the same webhook-id, and counts the health', async () => {
    const before = booking.seen.length;
    booking.answer = (n) => ({ status: n - before < 2 ? 500 : 204 });
    const a = (await raise(r, { kind: 'capacity', zone: 'open-space', detail: { occupied: 9, capacity: 10 } })).body!;
    const tries = await waitFor(() => {
      const mine = booking.seen.slice(before).filter((d) => d.payload.type === 'alert' && d.payload.data.id === a.id);
      return mine.some((d) => d.status === 204) ? mine : null;
    });
    expect(tries.map((d) => d.status)).toEqual([500, 500, 204]);
    expect(new Set(tries.map((d) => d.id)).size).toBe(1);
    const health = await sub(r, 'booking');
    expect(health).toMatchObject({ failures: 0, lastError: 'HTTP 500', pending: 0, host: `127.0.0.1:${booking.port}` });
    expect(health.lastOkAt).toBeGreaterThanOrEqual(health.lastErrorAt!);
    booking.answer = () => ({ status: 204 });
  });

  it('a 4xx is not tried again: a dead letter, sent again (same id) from the API by an operator', async () => {
    const before = strict.seen.length;
    strict.answer = () => ({ status: 410 });
    const a = (await raise(r, { kind: 'device-fault', gateway: 'gw-main' })).body!;
    const dead = await waitFor(async () => {
      const list = (await api<DeadLetterView[]>(r, 'GET', '/api/webhooks/dead', { cookie: await loginAs(r, 'mette') })).body;
      return list.find((d) => d.subscription === 'strict');
    });
    expect(dead).toMatchObject({ type: 'alert', attempts: 1, lastError: 'HTTP 410' });
    expect(strict.seen.length - before).toBe(1);
    expect((await sub(r, 'strict')).dead).toBe(1);

    // A host may look, not send: that is an operator's.
    const host = await api(r, 'POST', `/api/webhooks/dead/${dead.id}/retry`, { cookie: await loginAs(r, 'mette') });
    expect(host.status).toBe(403);
    strict.answer = () => ({ status: 200 });
    const ida = await loginAs(r, 'ida');
    const retried = await api<{ retried: number }>(r, 'POST', `/api/webhooks/dead/${dead.id}/retry`, { cookie: ida });
    expect(retried).toMatchObject({ status: 200, body: { retried: 1 } });
    const ok = await waitFor(() => strict.accepted.find((d) => d.id === dead.messageId));
    expect(ok.payload).toMatchObject({ type: 'alert', data: { id: a.id, status: 'raised' } });
    expect((await api<DeadLetterView[]>(r, 'GET', '/api/webhooks/dead', { cookie: ida })).body).toEqual([]);
    expect((await api(r, 'POST', `/api/webhooks/dead/${dead.id}/retry`, { cookie: ida })).status).toBe(404);
  });

  it('gives up after the attempts: a dead letter; retry all sends it; delete removes another', async () => {
    strict.answer = () => ({ status: 503 });
    const before = strict.seen.length;
    const a = (await raise(r, { kind: 'rule-failed', text: 'rule one failed' })).body!;
    const ida = await loginAs(r, 'ida');
    const list = async () => (await api<DeadLetterView[]>(r, 'GET', '/api/webhooks/dead', { cookie: ida })).body;
    const dead = await waitFor(async () => (await list()).find((d) => d.subscription === 'strict'));
    expect(dead).toMatchObject({ attempts: 4, lastError: 'HTTP 503' });
    expect(strict.seen.length - before).toBe(4);
    expect(new Set(strict.seen.slice(before).map((d) => d.id))).toEqual(new Set([dead.messageId]));

    // The next one goes dead too (the receiver refuses it): deleted, it is gone for good.
    strict.answer = () => ({ status: 400 });
    await raise(r, { kind: 'rule-failed', text: 'rule one failed', clear: true });
    const second = await waitFor(async () => (await list()).find((d) => d.id !== dead.id));
    expect((await api(r, 'DELETE', `/api/webhooks/dead/${second.id}`, { cookie: ida })).status).toBe(204);

    strict.answer = () => ({ status: 200 });
    const all = await api<{ retried: number }>(r, 'POST', '/api/webhooks/dead/retry', { cookie: ida });
    expect(all.body).toEqual({ retried: 1 });
    const ok = await waitFor(() => strict.accepted.find((d) => d.id === dead.messageId));
    expect(ok.payload).toMatchObject({ data: { id: a.id, status: 'raised' } });
    expect(strict.accepted.some((d) => d.id === second.messageId)).toBe(false);
    expect(await list()).toEqual([]);
  });

  it('429 waits its Retry-After before the next try', async () => {
    const before = strict.seen.length;
    strict.answer = () => ({ status: 429, headers: { 'retry-after': '120' } });
    const a = (await raise(r, { kind: 'capacity', zone: 'quiet-room', detail: { occupied: 3, capacity: 3 } })).body!;
    await waitFor(() => strict.seen.length > before);
    const row = await waitFor(() => {
      const head = r.app.store.webhooks.head('strict');
      return head?.attempts === 1 ? head : null;
    });
    // Planned at least 120 s after the refusal (the outbox's clock), not after the backoff's 20 ms.
    expect(row.nextAt - (r.app.store.webhooks.health().find((h) => h.sub === 'strict')!.lastErrorAt ?? 0)).toBe(120_000);
    expect(strict.seen.length - before).toBe(1);
    expect(row.body).toContain(`"id":${a.id}`);
    // Out of the way for the next test: given up by hand.
    strict.answer = () => ({ status: 200 });
    const ida = await loginAs(r, 'ida');
    expect((await api(r, 'POST', `/api/webhooks/dead/retry`, { cookie: ida })).body).toEqual({ retried: 0 });
    r.app.store.db.prepare("DELETE FROM webhook_outbox WHERE sub = 'strict'").run();
  });
});

describe('outgoing webhooks over a restart', () => {
  it('keeps events while the receiver is down, over a restart of the services, and delivers each once, in order', async () => {
    // Attempts enough never to give up here: only order, restart and ids are under test.
    const mine = await makeTestSite(
      (raw) => {
        raw.services.http.port = 0;
        raw.services.mqtt.port = 0;
        raw.webhooks = { subscriptions: [{ id: 'booking', kinds: ['alert'] }], retry: { firstMs: 20, maxMs: 100, attempts: 1000 } };
      },
      { secrets: (x) => (x.webhooks = { booking: { url: booking.url, secret: SECRET_A } }) },
    );
    let r = await startApp({ site: mine });
    // The receiver answers 503 first (it sees the ids), then goes away entirely.
    booking.answer = () => ({ status: 503 });
    const before = booking.seen.length;
    const raised: number[] = [];
    for (const door of ['front', 'meeting']) {
      const a = (await raise(r, { kind: 'held-open', door, detail: { openS: 120 } })).body!;
      raised.push(a.id);
    }
    await raise(r, { kind: 'held-open', door: 'front', clear: true });
    await waitFor(() => booking.seen.length > before);
    const triedIds = new Set(booking.seen.slice(before).map((d) => d.id));
    await booking.down();
    await waitFor(async () => (await sub(r, 'booking')).pending === 3);

    // A restart: the queue is in SQLite, so the new process has it.
    await r.stop();
    r = await startApp({ site: mine });
    await raise(r, { kind: 'held-open', door: 'meeting', clear: true });
    await waitFor(async () => (await sub(r, 'booking')).pending === 4);
    expect((await sub(r, 'booking')).failures).toBeGreaterThan(0);

    booking.answer = () => ({ status: 204 });
    await booking.up();
    await waitFor(async () => (await sub(r, 'booking')).pending === 0, 10_000);
    const got = booking.seen.slice(before).filter((d) => d.status < 300 && d.payload.type === 'alert' && d.payload.site === mine.config.site.id);
    expect(alertTypes(got)).toEqual([`raised:${raised[0]}`, `raised:${raised[1]}`, 'cleared:' + raised[0], 'cleared:' + raised[1]]);
    // Nothing twice, and the first one kept the id it had before the restart.
    expect(new Set(got.map((d) => d.id)).size).toBe(got.length);
    expect(triedIds.has(got[0]!.id)).toBe(true);
    expect(booking.badSignatures).toEqual([]);
    await r.stop();
    mine.cleanup();
  }, 60_000);
});
