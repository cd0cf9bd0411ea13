// Durable outbox: every event is a row in SQLite before anything is published (mqtt.js keeps
// its offline queue and QoS 1 store in memory only). A pump publishes rows in order while a
// sender is attached, at most `window` in flight, and deletes a row only on PUBACK (QoS 1).
// After a restart unsent rows go out again; the services dedupe by event id.
// Raw readings made while the link is down wait here too (kind 1, sent with QoS 0). The outbox
// is bounded on disk (`maxBytes`, payload + topic bytes): when full, readings are thinned
// oldest-first and counted (`dropped`, durable); an event is never dropped, even past the bound.
import type { Statement } from 'better-sqlite3';
import { readKv, writeKv, type Db } from './gateway-db.ts';

/** Publishes; `done` is called once, without error on PUBACK (QoS 1) or once written (QoS 0). */
/** Sends one stored message; its QoS and retain flag come from its topic's row in contracts/topics.ts. */
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
  /** Disk budget in bytes (topic + payload). Default 64 MiB. */
  maxBytes?: number;
  now?: () => number;
}

const KIND_EVENT = 0;
const KIND_READING = 1;
const DROPPED_KEY = 'outboxDropped';
const SIZE = 'length(CAST(topic AS BLOB)) + length(CAST(payload AS BLOB))';

interface Row {
  seq: number;
  topic: string;
  payload: string;
  kind: number;
}

export class Outbox {
  readonly #getDb: () => Db;
  readonly #window: number;
  readonly #now: () => number;
  #insert: Statement<[string, string, number, number]> | undefined;
  #delete: Statement<[number], { size: number }> | undefined;
  #next: Statement<[number, number], Row> | undefined;
  #depth = 0;
  #bytes = 0;
  #dropped = 0;
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
  readonly #maxBytes: number;

  constructor(getDb: () => Db, opts: OutboxOptions = {}) {
    this.#getDb = getDb;
    this.#window = opts.window ?? 32;
    this.#retryMs = opts.retryMs ?? 1000;
    this.#ackTimeoutMs = opts.ackTimeoutMs ?? 120_000;
    this.#maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    this.#now = opts.now ?? Date.now;
  }

  get depth(): number {
    return this.#depth;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Bytes on disk (topic + payload of every row). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Readings dropped because the outbox was full, ever (kept in the db). */
  get dropped(): number {
    return this.#dropped;
  }

  start(): void {
    const db = this.#getDb();
    this.#insert = db.prepare('INSERT INTO outbox (topic, payload, created_at, kind) VALUES (?, ?, ?, ?)');
    this.#delete = db.prepare(`DELETE FROM outbox WHERE seq = ? RETURNING ${SIZE} AS size`);
    this.#next = db.prepare('SELECT seq, topic, payload, kind FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?');
    const row = db.prepare(`SELECT COUNT(*) AS n, COALESCE(SUM(${SIZE}), 0) AS b FROM outbox`).get() as { n: number; b: number };
    this.#depth = row.n;
    this.#bytes = row.b;
    this.#dropped = Number(readKv(db, DROPPED_KEY) ?? 0);
    this.#reset();
  }

  stop(): void {
    this.detach();
    this.#reset();
    this.#insert = this.#delete = this.#next = undefined;
  }

  /** An event: written synchronously (durable when this returns), never dropped. */
  enqueue(topic: string, payload: object): void {
    this.#write(topic, JSON.stringify(payload), KIND_EVENT);
  }

  /** A raw reading: false when it was dropped (the outbox is full of events). */
  enqueueReading(topic: string, payload: object): boolean {
    return this.#write(topic, JSON.stringify(payload), KIND_READING);
  }

  #write(topic: string, text: string, kind: number): boolean {
    if (!this.#insert) throw new Error('outbox is not started');
    const size = Buffer.byteLength(topic) + Buffer.byteLength(text);
    if (this.#bytes + size > this.#maxBytes) {
      // Thin to 90 % so that the next inserts do not each thin again.
      this.#thin(this.#bytes + size - Math.floor(this.#maxBytes * 0.9));
      if (this.#bytes + size > this.#maxBytes && kind === KIND_READING) {
        this.#countDropped(1);
        return false;
      }
    }
    this.#insert.run(topic, text, this.#now(), kind);
    this.#depth++;
    this.#bytes += size;
    this.#schedule();
    return true;
  }

  /** Deletes the oldest readings until `need` bytes are free (or none are left). */
  #thin(need: number): void {
    const db = this.#getDb();
    const oldest = db.prepare(`SELECT seq, ${SIZE} AS size FROM outbox WHERE kind = ${KIND_READING} ORDER BY seq LIMIT 1000`);
    const del = db.prepare(`DELETE FROM outbox WHERE kind = ${KIND_READING} AND seq <= ?`);
    let freed = 0;
    db.transaction(() => {
      for (;;) {
        const rows = oldest.all() as Array<{ seq: number; size: number }>;
        let last = -1;
        let n = 0;
        for (const r of rows) {
          if (freed >= need) break;
          freed += r.size;
          last = r.seq;
          n++;
        }
        if (n === 0) break;
        del.run(last);
        this.#depth -= n;
        this.#bytes -= rows.slice(0, n).reduce((a, r) => a + r.size, 0);
        this.#dropped += n;
        if (freed >= need || rows.length < 1000) break;
      }
      writeKv(db, DROPPED_KEY, String(this.#dropped));
    })();
  }

  #countDropped(n: number): void {
    this.#dropped += n;
    writeKv(this.#getDb(), DROPPED_KEY, String(this.#dropped));
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
    const gone = this.#delete?.get(seq);
    if (gone) {
      this.#depth--;
      this.#bytes -= gone.size;
    }
    this.#schedule();
  }
}
