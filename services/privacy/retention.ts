// Retention: how long each kind of data is kept (site config history.retentionDays). Hourly:
// history points older than their measurement's days are deleted; door events in SQLite go
// after doorEvents days; audit entries of access decisions forget the member then (the audit
// itself is append-only) and refused requests (api.refused) go after refusedRequests days;
// postponed erasures are retried.
import type { Logger } from '../../runtime/log.ts';
import type { RetentionConfig } from '../../config/schema.ts';
import type { Store } from '../db/store.ts';
import type { HistoryStore } from '../history/store.ts';
import { MEASUREMENTS, RETENTION_KEY } from '../history/point.ts';
import { finishPendingErasures, finishPendingRenames } from './erasure.ts';

const DAY_MS = 86_400_000;

export interface RetentionOptions {
  retention: RetentionConfig;
  store: Store;
  history: HistoryStore;
  log: Logger;
  now: () => number;
  everyMs?: number;
}

export class RetentionJob {
  readonly #o: RetentionOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(opts: RetentionOptions) {
    this.#o = opts;
  }

  start(): void {
    this.#timer = setInterval(() => void this.run(), this.#o.everyMs ?? 3600_000);
    this.#timer.unref();
    void this.run();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** One pass; never throws (a store that is down is tried again next time). */
  run(): Promise<void> {
    this.#running ??= this.#run().finally(() => (this.#running = null));
    return this.#running;
  }

  async #run(): Promise<void> {
    const { retention, store, history, log } = this.#o;
    const now = this.#o.now();
    const cutoff = (days: number) => now - days * DAY_MS;
    try {
      const events = store.events.deleteBefore(cutoff(retention.doorEvents));
      const audit = store.audit.anonymiseAccessBefore(cutoff(retention.doorEvents));
      const refused = store.audit.deleteRefusedBefore(cutoff(retention.refusedRequests));
      if (events > 0 || audit > 0 || refused > 0) log.info({ events, audit, refused }, 'retention applied');
    } catch (err) {
      log.error({ err }, 'retention failed in the database');
    }
    for (const m of MEASUREMENTS) {
      try {
        await history.deleteBefore(m, cutoff(retention[RETENTION_KEY[m]]));
      } catch (err) {
        log.warn({ err: (err as Error).message, measurement: m }, 'history retention postponed');
      }
    }
    await finishPendingErasures({ store, history, log, now: this.#o.now });
    await finishPendingRenames({ store, history, log });
  }
}
