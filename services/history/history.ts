// The history component: the configured store, its writer and spool. Ingest records points;
// analytics and privacy read and rewrite through `store`.
import { join } from 'node:path';
import type { Logger } from '../../runtime/log.ts';
import type { HistoryHealth } from '../../contracts/api/index.ts';
import type { SiteConfig, Secrets } from '../../config/schema.ts';
import type { Point } from './point.ts';
import type { HistoryStore } from './store.ts';
import { SqliteHistoryStore, HISTORY_DB_FILE } from './sqlite-store.ts';
import { Spool } from './spool.ts';
import { HistoryWriter } from './writer.ts';

/**
 * The store the site config asks for (config/load.ts has checked that its section and secret are
 * there). The
 * InfluxDB clients load only when configured (they cost start-up time on a Pi).
 */
export async function createHistoryStore(config: SiteConfig, secrets: Secrets, log?: Logger): Promise<HistoryStore> {
  const h = config.history;
  switch (h.store) {
    case 'sqlite':
      return new SqliteHistoryStore(join(config.services.dataDir, HISTORY_DB_FILE));
    case 'influxdb1': {
      const { InfluxDb1Store } = await import('./influxdb1-store.ts');
      return new InfluxDb1Store({ ...h.influxdb1!, password: secrets.history?.password });
    }
    case 'influxdb2': {
      const { InfluxDb2Store } = await import('./influxdb2-store.ts');
      return new InfluxDb2Store({ ...h.influxdb2!, token: secrets.history!.token!, log });
    }
  }
}

export interface HistoryOptions {
  config: SiteConfig;
  store: HistoryStore;
  log: Logger;
  transform?: (p: Point) => Point;
}

export class History {
  readonly store: HistoryStore;
  readonly writer: HistoryWriter;
  readonly spool: Spool;

  constructor({ config, store, log, transform }: HistoryOptions) {
    this.store = store;
    const h = config.history;
    this.spool = new Spool({ dir: join(config.services.dataDir, 'history-spool'), maxBytes: h.spoolMaxMb * 1024 * 1024 });
    this.writer = new HistoryWriter({ store, spool: this.spool, log, batchSize: h.batchSize, flushMs: h.flushMs, transform });
  }

  start(): void {
    this.writer.start();
  }

  record(p: Point): void {
    this.writer.enqueue(p);
  }

  health(): HistoryHealth {
    return this.writer.health();
  }

  /** Flushes (or spools) what is in memory, then closes the store. Safe to call twice. */
  async stop(): Promise<void> {
    await this.writer.stop();
    await this.store.close();
  }
}
