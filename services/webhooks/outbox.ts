// The outgoing webhooks' queue (README "Webhooks"): each event for a subscription is a row in
// SQLite before anything is sent, so a restart or a receiver's outage loses nothing. Each
// subscription sends its rows one at a time in the order they came (a receiver that was down
// gets them in order when it is back); a failed attempt waits (runtime/backoff: doubling with
// jitter, or a 429's Retry-After) and blocks the ones behind it, until it gets through or is
// given up (attempts, age, or a 4xx): then it is a dead letter, which an operator may send again.
import { randomBytes } from 'node:crypto';
import type { SiteConfig, Secrets } from '../../config/schema.ts';
import type { DeadLetterView, WebhookSubscriptionView } from '../../contracts/api/index.ts';
import { WEBHOOK_PAYLOAD_VERSION, type WebhookEventKind, type WebhookPayload } from '../../contracts/webhooks.ts';
import { Backoff } from '../../runtime/backoff.ts';
import type { Logger } from '../../runtime/log.ts';
import type { Store } from '../db/store.ts';
import type { OutboxRow } from '../db/webhooks-repo.ts';
import { postWebhook, signedHeaders } from './send.ts';

export interface WebhookOutboxDeps {
  config: Pick<SiteConfig, 'site' | 'webhooks'>;
  secrets: Secrets['webhooks'];
  store: Store;
  log: Logger;
  now: () => number;
  /** The jitter's random source (tests pass their own). */
  random?: () => number;
}

interface Sub {
  id: string;
  kinds: ReadonlySet<string>;
  url: string;
  secret: string;
  backoff: Backoff;
  timer: ReturnType<typeof setTimeout> | null;
  running: Promise<void> | null;
  again: boolean;
}

/** The data of each kind of payload, by its type. */
export type WebhookData<K extends WebhookEventKind> = WebhookPayload extends infer P
  ? P extends { type: infer T; data: infer D }
    ? [K] extends [T]
      ? D
      : never
    : never
  : never;

export class WebhookOutbox {
  readonly #d: WebhookOutboxDeps;
  readonly #subs: Sub[];
  #stopped = true;

  constructor(deps: WebhookOutboxDeps) {
    this.#d = deps;
    const { firstMs, maxMs } = deps.config.webhooks.retry;
    this.#subs = deps.config.webhooks.subscriptions.map((s) => {
      const own = deps.secrets?.[s.id];
      // config/load.ts refuses a subscription without its secrets: this is a programming error.
      if (!own) throw new Error(`webhook subscription "${s.id}" has no URL and secret`);
      return {
        id: s.id,
        kinds: new Set(s.kinds),
        url: own.url,
        secret: own.secret,
        backoff: new Backoff(firstMs, maxMs, { jitter: 0.5, ...(deps.random ? { random: deps.random } : {}) }),
        timer: null,
        running: null,
        again: false,
      };
    });
  }

  /** Whether any subscription takes this kind (the event source skips the work otherwise). */
  wants(kind: WebhookEventKind): boolean {
    return this.#subs.some((s) => s.kinds.has(kind));
  }

  /** Queues the event for each subscription that takes its kind; returns how many. */
  enqueue<K extends WebhookEventKind>(type: K, data: WebhookData<K>, at: number): number {
    const subs = this.#subs.filter((s) => s.kinds.has(type));
    if (subs.length === 0) return 0;
    const payload = { v: WEBHOOK_PAYLOAD_VERSION, type, timestamp: new Date(at).toISOString(), site: this.#d.config.site.id, data };
    const body = JSON.stringify(payload);
    const ts = this.#d.now();
    for (const s of subs) this.#d.store.webhooks.add(s.id, `msg_${randomBytes(16).toString('base64url')}`, type, body, ts);
    for (const s of subs) this.#kick(s);
    return subs.length;
  }

  /** Sends what was queued before a restart, then follows new rows. */
  start(): void {
    this.#stopped = false;
    for (const s of this.#subs) this.#kick(s);
  }

  /** Waits for the attempts under way; the rest stays queued in the database for the next start. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const s of this.#subs) {
      if (s.timer) clearTimeout(s.timer);
      s.timer = null;
    }
    await this.#running();
  }

  /** Resolves when no subscription is sending (tests, the bench). */
  async idle(): Promise<void> {
    while (this.#subs.some((s) => s.running !== null)) await this.#running();
  }

  #running(): Promise<unknown> {
    return Promise.all(this.#subs.flatMap((s) => (s.running ? [s.running] : [])));
  }

  subscriptions(): WebhookSubscriptionView[] {
    const { store } = this.#d;
    const counts = store.webhooks.counts();
    const health = new Map(store.webhooks.health().map((h) => [h.sub, h]));
    return this.#d.config.webhooks.subscriptions.map((c) => {
      const h = health.get(c.id);
      const n = (state: 'pending' | 'dead') => counts.find((x) => x.sub === c.id && x.state === state)?.n ?? 0;
      const url = this.#subs.find((s) => s.id === c.id)!.url;
      return {
        id: c.id,
        kinds: [...c.kinds],
        host: new URL(url).host,
        pending: n('pending'),
        dead: n('dead'),
        delivered: h?.delivered ?? 0,
        lastOkAt: h?.lastOkAt ?? null,
        lastErrorAt: h?.lastErrorAt ?? null,
        lastError: h?.lastError ?? null,
        failures: h?.failures ?? 0,
      };
    });
  }

  deadLetters(limit: number): DeadLetterView[] {
    return this.#d.store.webhooks.dead(limit).map((r) => ({
      id: r.id,
      subscription: r.sub,
      type: r.type,
      messageId: r.msgId,
      createdAt: r.createdAt,
      attempts: r.attempts,
      lastError: r.error,
      deadAt: r.deadAt,
    }));
  }

  /** Sends a dead letter again (same webhook-id, from attempt 1); false when there is no such dead letter. */
  retry(id: number): boolean {
    const { store, now } = this.#d;
    const row = store.webhooks.byId(id);
    if (!row || !store.webhooks.revive(id, now())) return false;
    const s = this.#subs.find((x) => x.id === row.sub);
    if (s) this.#kick(s);
    return true;
  }

  retryAll(): number {
    const n = this.#d.store.webhooks.reviveAll(this.#d.now());
    for (const s of this.#subs) this.#kick(s);
    return n;
  }

  delete(id: number): boolean {
    return this.#d.store.webhooks.deleteDead(id);
  }

  #kick(s: Sub): void {
    if (this.#stopped) return;
    if (s.running) {
      s.again = true;
      return;
    }
    if (s.timer) clearTimeout(s.timer);
    s.timer = null;
    s.running = this.#pump(s)
      .catch((err: unknown) => this.#d.log.error({ err, webhook: s.id }, 'webhook queue failed'))
      .finally(() => {
        s.running = null;
        if (s.again) {
          s.again = false;
          this.#kick(s);
        }
      });
  }

  /** Sends the subscription's rows in order until none is due; plans a wake-up for the next. */
  async #pump(s: Sub): Promise<void> {
    const { store, now } = this.#d;
    for (;;) {
      if (this.#stopped) return;
      const row = store.webhooks.head(s.id);
      if (!row) return;
      const wait = row.nextAt - now();
      if (wait > 0) {
        // setTimeout takes at most ~24.8 days; a later one is planned again when it fires.
        s.timer = setTimeout(() => this.#kick(s), Math.min(wait, 2 ** 31 - 1));
        s.timer.unref?.();
        return;
      }
      await this.#attempt(s, row);
    }
  }

  async #attempt(s: Sub, row: OutboxRow): Promise<void> {
    const { store, now, log, config } = this.#d;
    const { retry, timeoutMs } = config.webhooks;
    const headers = signedHeaders(s.secret, row.msgId, Math.floor(now() / 1000), row.body);
    const out = await postWebhook(s.url, row.body, headers, timeoutMs, now);
    const at = now();
    if (out.ok) {
      store.webhooks.delivered(row, at);
      s.backoff.reset();
      return;
    }
    const attempts = row.attempts + 1;
    const dead = !out.retry || attempts >= retry.attempts || at - row.createdAt >= retry.maxAgeH * 3_600_000;
    const delay = out.retryAfterMs ?? s.backoff.next();
    store.webhooks.failed(row, { attempts, nextAt: at + delay, error: out.reason, dead }, at);
    if (dead) s.backoff.reset();
    log[dead ? 'error' : 'warn'](
      { webhook: s.id, type: row.type, id: row.msgId, attempts, error: out.reason, ...(dead ? {} : { retryInMs: delay }) },
      dead ? 'webhook given up: dead letter' : 'webhook failed, will retry',
    );
  }
}
