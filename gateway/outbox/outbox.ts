// Durable outbox: every event is a row in SQLite before anything is published (mqtt.js keeps
// its offline queue and QoS 1 store in memory only). A pump publishes rows in order with QoS 1
// while a sender is attached, at most `window` in flight, and deletes a row only on PUBACK.
// After a restart unsent rows go out again; the services dedupe by event id.
import type { Statement } from 'better-sqlite3';
import type { Db } from './gateway-db.ts';

/** Publishes with QoS 1; `done` is called once, without error on PUBACK. */
export type OutboxSender = (topic: string, payload: string, done: (err?: Error) => void) => void;

export interface OutboxOptions {
  /** Rows in flight at once (unacknowledged). */
  window?: number;
  /** Pause before sending again after a publish failed. */
  retryMs?: number;
  /**
   * A row unacknowledged this long is sent again: a safety net in case a PUBACK callback is
   * never called, which would otherwise hold a slot of the window forever.
   */
  ackTimeoutMs?: number;
  now?: () => number;
}

interface Row {
  seq: number;
  topic: string;
  payload: string;
}

export class Outbox {
  readonly #getDb: () => Db;
  readonly #window: number;
  readonly #now: () => number;
  #insert: Statement<[string, string, number]> | undefined;
  #delete: Statement<[number]> | undefined;
  #next: Statement<[number, number], Row> | undefined;
  #depth = 0;
  #sender: OutboxSender | undefined;
  /** Highest seq handed to the sender; rows above it have not been dispatched. */
  #cursor = 0;
  /** seq → when it was handed to the sender. */
  readonly #inFlight = new Map<number, number>();
  #scheduled: NodeJS.Immediate | undefined;
  #retry: NodeJS.Timeout | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #generation = 0;

  readonly #retryMs: number;
  readonly #ackTimeoutMs: number;

  constructor(getDb: () => Db, opts: OutboxOptions = {}) {
    this.#getDb = getDb;
    this.#window = opts.window ?? 32;
    this.#retryMs = opts.retryMs ?? 1000;
    this.#ackTimeoutMs = opts.ackTimeoutMs ?? 120_000;
    this.#now = opts.now ?? Date.now;
  }

  get depth(): number {
    return this.#depth;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  start(): void {
    const db = this.#getDb();
    this.#insert = db.prepare('INSERT INTO outbox (topic, payload, created_at) VALUES (?, ?, ?)');
    this.#delete = db.prepare('DELETE FROM outbox WHERE seq = ?');
    this.#next = db.prepare('SELECT seq, topic, payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?');
    this.#depth = (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
    this.#reset();
  }

  stop(): void {
    this.detach();
    this.#reset();
    this.#insert = this.#delete = this.#next = undefined;
  }

  /** Writes the row synchronously (durable when this returns), then schedules the pump. */
  enqueue(topic: string, payload: object): void {
    if (!this.#insert) throw new Error('outbox is not started');
    this.#insert.run(topic, JSON.stringify(payload), this.#now());
    this.#depth++;
    this.#schedule();
  }

  /** The link is up: publish through `sender`. */
  attach(sender: OutboxSender): void {
    this.#sender = sender;
    // Rows still in flight from before are being resent by the client now: their clock restarts.
    const now = this.#now();
    for (const seq of this.#inFlight.keys()) this.#inFlight.set(seq, now);
    this.#watchdog ??= setInterval(this.#checkAcks, Math.min(this.#ackTimeoutMs, 10_000));
    this.#schedule();
  }

  /**
   * The link is down. Rows already handed over stay in flight: the same MQTT client resends
   * them on reconnect and calls back on their PUBACK.
   */
  detach(): void {
    this.#sender = undefined;
    if (this.#scheduled) clearImmediate(this.#scheduled);
    if (this.#retry) clearTimeout(this.#retry);
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.#scheduled = this.#retry = this.#watchdog = undefined;
  }

  /** A new MQTT client (nothing of the old one's in-flight state survives): start over. */
  reset(): void {
    this.#reset();
    this.#schedule();
  }

  #reset(): void {
    this.#generation++;
    this.#inFlight.clear();
    this.#cursor = 0;
  }

  #schedule(): void {
    if (this.#scheduled || this.#retry || !this.#sender) return;
    this.#scheduled = setImmediate(this.#pump);
  }

  #pump = (): void => {
    this.#scheduled = undefined;
    const sender = this.#sender;
    const next = this.#next;
    if (!sender || !next) return;
    const room = this.#window - this.#inFlight.size;
    if (room <= 0) return;
    const gen = this.#generation;
    for (const row of next.all(this.#cursor, room)) {
      this.#cursor = row.seq;
      this.#inFlight.set(row.seq, this.#now());
      sender(row.topic, row.payload, (err) => this.#done(gen, row.seq, err));
    }
  };

  #checkAcks = (): void => {
    const limit = this.#now() - this.#ackTimeoutMs;
    let oldest: number | undefined;
    for (const [seq, at] of this.#inFlight) if (at < limit && (oldest === undefined || seq < oldest)) oldest = seq;
    if (oldest !== undefined) this.#done(this.#generation, oldest, new Error('no PUBACK in time'));
  };

  #done(gen: number, seq: number, err: Error | undefined): void {
    if (gen !== this.#generation || !this.#inFlight.delete(seq)) return;
    if (err) {
      // Not acknowledged: send it again from here on (order kept; duplicates are deduped).
      this.#cursor = Math.min(this.#cursor, seq - 1);
      for (const s of this.#inFlight.keys()) if (s > seq) this.#inFlight.delete(s);
      if (!this.#retry && this.#sender) {
        this.#retry = setTimeout(() => {
          this.#retry = undefined;
          this.#schedule();
        }, this.#retryMs);
      }
      return;
    }
    if (this.#delete && this.#delete.run(seq).changes > 0) this.#depth--;
    this.#schedule();
  }
}
