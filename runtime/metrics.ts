// Prometheus metrics (prom-client) for the services and the gateway. Everything is read at
// scrape time from counters the processes already keep (ingest tallies, outbox depth, codec
// drops): nothing is added to the path of a card tap or a reading. The process metrics (memory,
// CPU, event loop delay, handles) are prom-client's defaults, collected once per process
// whatever the number of apps in it (tests build many).
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export type Labels = Record<string, string>;
/** A value, or one value per label set. */
export type Reading = number | Iterable<readonly [Labels, number]>;

let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

function fill(m: { reset(): void; set?: (l: Labels, v: number) => void; inc?: (l: Labels, v: number) => void }, read: () => Reading): void {
  m.reset();
  const value = read();
  const put = (labels: Labels, v: number) => (m.set ? m.set(labels, v) : m.inc!(labels, Math.max(0, v)));
  if (typeof value === 'number') put({}, value);
  else for (const [labels, v] of value) put(labels, v);
}

/** One process's metrics: counters and gauges that read their values when scraped. */
export class Metrics {
  readonly #registry = new Registry();
  readonly #prefix: string;

  constructor(prefix = 'smartspace_') {
    this.#prefix = prefix;
  }

  /** A monotonic count kept elsewhere (`…_total`): Prometheus computes rates from it. */
  counter(name: string, help: string, read: () => Reading, labelNames: readonly string[] = []): this {
    new Counter({
      name: this.#prefix + name,
      help,
      labelNames,
      registers: [this.#registry],
      collect() {
        fill({ reset: () => this.reset(), inc: (l, v) => this.inc(l, v) }, read);
      },
    });
    return this;
  }

  /** A value that goes up and down (a queue's depth, 1/0 for up/down). */
  gauge(name: string, help: string, read: () => Reading, labelNames: readonly string[] = []): this {
    new Gauge({
      name: this.#prefix + name,
      help,
      labelNames,
      registers: [this.#registry],
      collect() {
        fill({ reset: () => this.reset(), set: (l, v) => this.set(l, v) }, read);
      },
    });
    return this;
  }

  /** The text exposition format, this process's metrics first. */
  async text(): Promise<string> {
    const [own, proc] = await Promise.all([this.#registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${proc}`;
  }

  readonly contentType = this.#registry.contentType;
}

/** Entries of a `{key: count}` record as samples under one label. */
export function byLabel(label: string, counts: Readonly<Record<string, number>>): Array<readonly [Labels, number]> {
  return Object.entries(counts).map(([k, v]) => [{ [label]: k }, v] as const);
}
