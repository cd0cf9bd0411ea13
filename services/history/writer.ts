// The history writer: ingest hands it points; it writes them to the store in batches (full, or
// after flushMs). Zero loss: a batch the store cannot take goes to the disk spool, and so does
// everything after it until the spool has been written back, in order, once the store answers
// again (probed with backoff). A batch the store refuses as malformed is split in halves until
// the bad point is alone; that point is logged with its content and dropped, the rest is
// written — one bad point never blocks the batch behind it. Writes are idempotent per point
// identity (point.ts), so a batch written twice (a crash between write and ack) is stored once.
import type { Logger } from '../../runtime/log.ts';
import type { HistoryHealth } from '../../contracts/api/index.ts';
import type { Point } from './point.ts';
import type { Spool } from './spool.ts';
import { HistoryError, type HistoryStore } from './store.ts';

export interface WriterOptions {
  store: HistoryStore;
  spool: Spool;
  log: Logger;
  batchSize: number;
  flushMs: number;
  /** Points held in memory before they spill to the spool while a write is slow. */
  maxBufferPoints?: number;
  /** First and longest wait between probes of a store that is down. */
  probeMs?: { min: number; max: number };
  /** Batches written at once (default 4). */
  maxInFlight?: number;
  /** Applied to every point just before it is written (erasure: member ids in flight). */
  transform?: (p: Point) => Point;
}

type Outcome = { ok: true } | { ok: false; unwritten: Point[]; err: HistoryError };

export class HistoryWriter {
  readonly #o: WriterOptions;
  readonly #maxBuffer: number;
  readonly #maxInFlight: number;
  #buffer: Point[] = [];
  #flushTimer: NodeJS.Timeout | null = null;
  #probeTimer: NodeJS.Timeout | null = null;
  #probeDelay: number;
  #pumping: Promise<void> | null = null;
  #due = false;
  #down = false;
  #stopped = false;
  #written = 0;
  #rejected = 0;
  #idle: (() => void)[] = [];

  constructor(opts: WriterOptions) {
    this.#o = opts;
    this.#maxBuffer = opts.maxBufferPoints ?? opts.batchSize * 20;
    this.#maxInFlight = Math.max(1, opts.maxInFlight ?? 4);
    this.#probeDelay = opts.probeMs?.min ?? 500;
  }

  /** Writes back whatever a previous run left in the spool. */
  start(): void {
    this.#stopped = false;
    if (this.#o.spool.depth > 0) {
      this.#o.log.info({ spooled: this.#o.spool.depth }, 'history backfill from spool');
      this.#kick();
    }
  }

  /** Takes a point. Never throws, never waits. */
  enqueue(p: Point): void {
    this.#buffer.push(p);
    if (this.#buffer.length >= this.#o.batchSize) {
      this.#due = true;
      // A store slower than ingest: spill to disk rather than grow without bound.
      if (this.#buffer.length >= this.#maxBuffer && this.#pumping) {
        if (this.#o.spool.depth === 0)
          this.#o.log.warn({ points: this.#buffer.length, store: this.#o.store.kind }, 'history store slower than ingest: spilling to disk');
        this.#spill();
      }
      this.#kick();
    } else {
      this.#flushTimer ??= setTimeout(() => {
        this.#flushTimer = null;
        this.#due = true;
        this.#kick();
      }, this.#o.flushMs);
    }
  }

  health(): HistoryHealth {
    return { store: this.#o.store.kind, up: !this.#down, written: this.#written, spooled: this.#o.spool.depth, rejected: this.#rejected };
  }

  /** Resolves when nothing waits in memory or in the spool (tests, shutdown, benchmarks). */
  drained(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    this.#due = true;
    this.#kick();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Writes the buffer now, or spools it when the store is down. */
  async flush(): Promise<void> {
    this.#due = true;
    this.#kick();
    await this.#pumping;
  }

  /** Stops the timers; what is still in memory goes to the store, or to the spool. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    if (this.#probeTimer) clearTimeout(this.#probeTimer);
    this.#flushTimer = this.#probeTimer = null;
    await this.#pumping;
    if (this.#buffer.length === 0) return;
    if (this.#down || this.#o.spool.depth > 0) {
      this.#spill();
      return;
    }
    const r = await this.#write(this.#buffer.splice(0));
    if (!r.ok) this.#o.spool.append(r.unwritten);
  }

  #isIdle(): boolean {
    return this.#buffer.length === 0 && this.#o.spool.depth === 0 && this.#pumping === null;
  }

  #spill(): void {
    const batch = this.#buffer.splice(0);
    try {
      this.#o.spool.append(batch);
    } catch (err) {
      // The disk failed too: keep the points in memory and try again later.
      this.#buffer.unshift(...batch);
      this.#o.log.error({ err, points: batch.length }, 'history spool write failed');
    }
  }

  #kick(): void {
    if (this.#pumping || this.#stopped) return;
    this.#pumping = this.#pump()
      .catch((err: unknown) => this.#o.log.error({ err }, 'history writer failed'))
      .finally(() => {
        this.#pumping = null;
        if (this.#isIdle()) for (const resolve of this.#idle.splice(0)) resolve();
        else if (!this.#down && (this.#due || this.#o.spool.depth > 0) && !this.#stopped) this.#kick();
      });
  }

  async #pump(): Promise<void> {
    const { spool, batchSize } = this.#o;
    // Fresh batches go out up to maxInFlight at a time: the next one is encoded and sent while
    // the store still parses the last. The spool is written back one batch at a time, in order.
    const inFlight = new Set<Promise<void>>();
    const launch = (batch: Point[]) => {
      const p: Promise<void> = this.#write(batch).then((r) => {
        inFlight.delete(p);
        if (r.ok) return;
        spool.append(r.unwritten);
        this.#wentDown(r.err);
      });
      inFlight.add(p);
    };
    try {
      while (!this.#stopped) {
        if (spool.depth > 0 || this.#down) {
          await Promise.all(inFlight);
          if (this.#down) {
            if (this.#buffer.length > 0) this.#spill();
            return;
          }
          const chunk = spool.peek();
          if (!chunk) return;
          const r = await this.#write(chunk.points);
          if (!r.ok) return this.#wentDown(r.err);
          chunk.ack();
          if (spool.depth === 0) this.#o.log.info({ written: this.#written }, 'history backfill done');
          continue;
        }
        if (this.#buffer.length === 0 || (!this.#due && this.#buffer.length < batchSize)) {
          if (inFlight.size === 0) {
            this.#due = false;
            return;
          }
          await Promise.race(inFlight);
          continue;
        }
        const batch = this.#buffer.splice(0, batchSize);
        if (this.#buffer.length < batchSize) this.#due = this.#due && this.#buffer.length > 0;
        launch(batch);
        if (inFlight.size >= this.#maxInFlight) await Promise.race(inFlight);
      }
    } finally {
      await Promise.all(inFlight);
    }
  }

  /** Writes `points`; splits a refused batch to drop only the malformed point(s). */
  async #write(given: Point[]): Promise<Outcome> {
    const points = this.#o.transform ? given.map(this.#o.transform) : given;
    try {
      await this.#o.store.write(points);
      this.#written += points.length;
      return { ok: true };
    } catch (err) {
      const e = err instanceof HistoryError ? err : new HistoryError('unavailable', String(err), { cause: err });
      if (e.kind === 'unavailable') return { ok: false, unwritten: points, err: e };
      if (points.length === 1) {
        this.#rejected++;
        this.#o.log.warn({ point: points[0], reason: e.message }, 'history point rejected by the store');
        return { ok: true };
      }
      const mid = Math.ceil(points.length / 2);
      const halves = [points.slice(0, mid), points.slice(mid)];
      for (let i = 0; i < halves.length; i++) {
        const r = await this.#write(halves[i]!);
        if (!r.ok) return { ok: false, unwritten: [...r.unwritten, ...halves.slice(i + 1).flat()], err: r.err };
      }
      return { ok: true };
    }
  }

  #wentDown(err: HistoryError): void {
    if (!this.#down) this.#o.log.warn({ err: err.message, store: this.#o.store.kind }, 'history store down: spooling to disk');
    this.#down = true;
    this.#scheduleProbe();
  }

  #scheduleProbe(): void {
    if (this.#probeTimer || this.#stopped) return;
    const { min, max } = this.#o.probeMs ?? { min: 500, max: 10_000 };
    this.#probeTimer = setTimeout(() => {
      this.#probeTimer = null;
      void this.#o.store.ping().then((up) => {
        if (this.#stopped) return;
        if (!up) {
          this.#probeDelay = Math.min(max, this.#probeDelay * 2);
          return this.#scheduleProbe();
        }
        this.#o.log.info({ store: this.#o.store.kind, spooled: this.#o.spool.depth }, 'history store back: backfilling');
        this.#down = false;
        this.#probeDelay = min;
        this.#kick();
      });
    }, this.#probeDelay);
  }
}
