// The gateway's retained status: online with its vital numbers on every connect and every
// `everyMs`; the last will (and a clean stop) says offline.
import type { GatewayStatus } from '../../contracts/payloads.ts';

export interface StatusSource {
  aclVersion(): number;
  /** Only offline-capable credentials open doors (long without the services). */
  offlineOnly(): boolean;
  lastContact(): number | undefined;
  outboxDepth(): number;
  outboxBytes(): number;
  outboxDropped(): number;
  rejected(): Record<string, number>;
}

export interface StatusReporterOptions {
  gatewayId: string;
  source: StatusSource;
  publish: (status: GatewayStatus) => void;
  everyMs?: number;
  version?: string;
  now?: () => number;
  /** The process's resident set size, bytes (default: this process's). */
  rss?: () => number;
}

export class StatusReporter {
  readonly #o: StatusReporterOptions;
  readonly #now: () => number;
  #startedAt = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: StatusReporterOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
    this.#startedAt = this.#now();
  }

  start(): void {
    if (this.#timer) return;
    this.#startedAt = this.#now();
    this.#timer = setInterval(() => this.publishOnline(), this.#o.everyMs ?? 30_000);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  online(): GatewayStatus {
    const { source: s, gatewayId } = this.#o;
    const now = this.#now();
    const offlineOnly = s.offlineOnly();
    const status: GatewayStatus = {
      v: 1,
      ts: now,
      gateway: gatewayId,
      state: 'online',
      aclVersion: s.aclVersion(),
      // Kept for older readers: the access list is "stale" exactly when decisions are restricted.
      aclStale: offlineOnly,
      offlineOnly,
      outboxDepth: s.outboxDepth(),
      outboxBytes: s.outboxBytes(),
      outboxDropped: s.outboxDropped(),
      uptimeS: Math.max(0, Math.round((now - this.#startedAt) / 1000)),
      rejected: s.rejected(),
      rssBytes: (this.#o.rss ?? process.memoryUsage.rss)(),
    };
    const last = s.lastContact();
    if (last !== undefined) status.lastContact = last;
    if (this.#o.version) status.version = this.#o.version;
    return status;
  }

  offline(): GatewayStatus {
    return { v: 1, ts: this.#now(), gateway: this.#o.gatewayId, state: 'offline' };
  }

  publishOnline(): void {
    this.#o.publish(this.online());
  }
}
