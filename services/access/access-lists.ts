// Signed, versioned access lists, one per gateway, published retained (QoS 1) to acl/<gw>.
// recompile() runs at start and after every change to members, plans, closures, credentials or
// bookings.
// Two timers keep the lists true without a change: one fires when a validity date or closure
// boundary passes (the gateway cannot know those), one re-signs the lists well within the
// gateways' offlineAfterH so that a quiet site never looks stale.
import { PAYLOAD_VERSION, type AccessList, type AclEntry } from '../../contracts/payloads.ts';
import type { ContractPublish } from '../../contracts/topics.ts';
import type { Logger } from '../../runtime/log.ts';
import type { SiteConfig, Secrets } from '../../config/schema.ts';
import type { Store } from '../db/store.ts';
import { compileEntries } from './compile.ts';
import { signList, fastCanonicalJson } from './sign-list.ts';
import { bookingsConfig } from '../bookings/rules.ts';

/** The contract's typed publish (topic, QoS and retain from the topic table). */
export type Publish = ContractPublish<Promise<void>>;

export interface AccessListsOptions {
  config: SiteConfig;
  secrets: Secrets;
  store: Store;
  log: Logger;
  now: () => number;
  /** Re-sign period; default a quarter of the smallest offlineAfterH, at most 12 h. */
  refreshMs?: number;
  /**
   * A network of spaces (services/network): `sync()` issues and revokes this site's visas before
   * each compile; `entries()` adds the visiting network members of other sites to a gateway's list.
   */
  network?: {
    sync(): Promise<void>;
    entries(gatewayDoors: ReadonlySet<string>, now: number): { entries: AclEntry[]; nextChangeAt: number | null };
  };
}

/** setTimeout's limit (~24.8 days): longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Fire a little after a boundary, so that `now` is past it when we compile. */
const BOUNDARY_SLACK_MS = 50;

export class AccessLists {
  readonly #o: AccessListsOptions;
  readonly #latest = new Map<string, AccessList>();
  readonly #refreshMs: number;
  #publish: Publish | null = null;
  #chain: Promise<unknown> = Promise.resolve();
  #boundaryTimer: NodeJS.Timeout | null = null;
  #refreshTimer: NodeJS.Timeout | null = null;
  #nextChangeAt: number | null = null;
  #running = false;

  constructor(opts: AccessListsOptions) {
    this.#o = opts;
    const minOfflineH = Math.min(...opts.config.gateways.map((g) => g.offlineAfterH));
    // A quarter of the shortest offlineAfterH, at most 12 h (and never past setInterval's limit).
    this.#refreshMs = Math.min(MAX_TIMER_MS, opts.refreshMs ?? Math.max(10_000, Math.min(12 * 3600_000, Math.floor((minOfflineH * 3600_000) / 4))));
  }

  /** Where lists go; until set, recompile() only compiles and records versions. */
  setPublisher(publish: Publish | null): void {
    this.#publish = publish;
  }

  /** Starts the boundary and refresh timers. */
  start(): void {
    this.#running = true;
    this.#armBoundary();
    this.#refreshTimer = setInterval(() => void this.refresh().catch(() => undefined), this.#refreshMs);
    this.#refreshTimer.unref();
  }

  /** Safe to call twice. */
  stop(): void {
    this.#running = false;
    if (this.#boundaryTimer) clearTimeout(this.#boundaryTimer);
    if (this.#refreshTimer) clearInterval(this.#refreshTimer);
    this.#boundaryTimer = this.#refreshTimer = null;
  }

  latest(gateway: string): AccessList | undefined {
    return this.#latest.get(gateway);
  }

  /** When the lists next change by themselves (a validity or closure boundary), or null. */
  get nextChangeAt(): number | null {
    return this.#nextChangeAt;
  }

  /** Compiles, signs and publishes every gateway's list with a new version. Serialised. */
  recompile(): Promise<AccessList[]> {
    return this.#serial(() => this.#compile(true));
  }

  /**
   * Compiles again; a gateway whose entries did not change gets its current version re-signed
   * with a fresh `ts` (a refresh, which the gateway accepts), others a new version.
   */
  refresh(): Promise<AccessList[]> {
    return this.#serial(() => this.#compile(false));
  }

  /** Publishes the latest lists again (after a broker reconnect). Logs, never throws. */
  async republish(): Promise<void> {
    const publish = this.#publish;
    if (!publish) return;
    await Promise.all(
      [...this.#latest.values()].map((list) =>
        publish('acl', list.gateway, list).catch((err: unknown) =>
          this.#o.log.warn({ err, gateway: list.gateway, version: list.version }, 'access list not published'),
        ),
      ),
    );
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn, fn);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #compile(always: boolean): Promise<AccessList[]> {
    const { config, secrets, store, now } = this.#o;
    const ts = now();
    const network = this.#o.network;
    if (network) await network.sync().catch((err: unknown) => this.#o.log.error({ err }, 'network visas not synced'));
    const plans = new Map(store.plans.all().map((p) => [p.id, p]));
    const grants = store.credentials.grants();
    const closures = store.plans.closures();
    const ctx = { now: ts, timeZone: config.site.timeZone, closures };
    const bc = bookingsConfig(config);
    const graceMs = bc.graceMin * 60_000;
    const bookings = {
      ...store.bookings.forAcl(ts - graceMs),
      roomDoors: new Map(bc.rooms.map((r) => [r.id, r.doors])),
      graceMs,
      horizonMs: bc.listDays * 86_400_000,
    };
    const lists: AccessList[] = [];
    let nextChangeAt: number | null = null;
    for (const gw of config.gateways) {
      const key = secrets.gateways[gw.id]?.key;
      if (!key) {
        this.#o.log.error({ gateway: gw.id }, 'no signing key for gateway: access list not published');
        continue;
      }
      const doors = new Set(config.doors.filter((d) => d.gateway === gw.id).map((d) => d.id));
      const compiled = compileEntries(grants, plans, doors, ctx, bookings);
      if (network) {
        // Network fingerprints (visitors) never equal site ones: one sorted list of both.
        const visiting = network.entries(doors, ts);
        if (visiting.entries.length > 0) compiled.entries = [...compiled.entries, ...visiting.entries].sort((a, b) => (a.fp < b.fp ? -1 : a.fp > b.fp ? 1 : 0));
        const n = visiting.nextChangeAt;
        if (n !== null && (compiled.nextChangeAt === null || n < compiled.nextChangeAt)) compiled.nextChangeAt = n;
      }
      if (compiled.nextChangeAt !== null && (nextChangeAt === null || compiled.nextChangeAt < nextChangeAt)) nextChangeAt = compiled.nextChangeAt;
      const prev = this.#latest.get(gw.id);
      const same = !always && prev !== undefined && sameEntries(prev.entries, compiled.entries);
      const version = same ? prev.version : store.acl.next(gw.id, ts, compiled.entries.length);
      // Keys in sorted order, as the entries' (sign-list.ts).
      const unsigned: Omit<AccessList, 'sig'> = {
        entries: compiled.entries,
        gateway: gw.id,
        timeZone: config.site.timeZone,
        ts,
        v: PAYLOAD_VERSION,
        version,
      };
      const list = signList(unsigned, key);
      this.#latest.set(gw.id, list);
      lists.push(list);
      this.#o.log.info({ gateway: gw.id, version, entries: compiled.entries.length, refresh: same }, same ? 'access list re-signed' : 'access list compiled');
    }
    this.#nextChangeAt = nextChangeAt;
    this.#armBoundary();
    await this.republish();
    return lists;
  }

  #armBoundary(): void {
    if (this.#boundaryTimer) clearTimeout(this.#boundaryTimer);
    this.#boundaryTimer = null;
    if (!this.#running || this.#nextChangeAt === null) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, this.#nextChangeAt - this.#o.now()) + BOUNDARY_SLACK_MS);
    this.#boundaryTimer = setTimeout(() => {
      this.#boundaryTimer = null;
      void this.refresh().catch((err: unknown) => this.#o.log.error({ err }, 'access list boundary recompile failed'));
    }, wait);
    this.#boundaryTimer.unref();
  }
}

function sameEntries(a: readonly AclEntry[], b: readonly AclEntry[]): boolean {
  return a.length === b.length && fastCanonicalJson(a) === fastCanonicalJson(b);
}
