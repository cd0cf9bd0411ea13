// MQTT login throttling (issue 12, finding 14): failed CONNECTs are counted per client address
// and per username. After `freeFailures` failures a key is refused for a delay that doubles with
// each further failure, up to `maxDelayMs`; a refused attempt is answered at once, without
// checking the password. One address that guesses cannot slow another address down; guesses at
// one username from many addresses block that username. A username logging in from an address it
// has logged in from before is exempt from both blocks and has a counter of its own: the real
// gateway keeps connecting while someone guesses its password elsewhere, and the services on
// 127.0.0.1 while a misconfigured Node-RED on the same host fails there.
// Memory is bounded: each table keeps at most `maxEntries` keys (least recently touched go first)
// and a key is forgotten `forgetMs` after its last failure.

export interface ConnectThrottleOptions {
  /** Failures per key before the first delay. Default 5. */
  freeFailures?: number;
  /** First delay; doubles with each further failure. Default 1 s. */
  baseDelayMs?: number;
  /** Longest delay. Default 5 min. */
  maxDelayMs?: number;
  /** A key with no failure for this long starts again from zero. Default 15 min. */
  forgetMs?: number;
  /** Keys per table (addresses, usernames, failing and known username+address pairs). Default 10 000. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  lastAt: number;
  blockedUntil: number;
}

/** Why an attempt is refused unchecked: its address or its username is blocked. */
export type Blocked = { by: 'address' | 'username' | 'pair'; retryInMs: number };

export class ConnectThrottle {
  readonly #free: number;
  readonly #base: number;
  readonly #max: number;
  readonly #forget: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #addresses = new Map<string, Entry>();
  readonly #users = new Map<string, Entry>();
  readonly #pairs = new Map<string, Entry>();
  /** `username\0address` pairs that logged in, value: when (most recent last). */
  readonly #known = new Map<string, number>();

  constructor(o: ConnectThrottleOptions = {}) {
    this.#free = o.freeFailures ?? 5;
    this.#base = o.baseDelayMs ?? 1000;
    this.#max = o.maxDelayMs ?? 5 * 60_000;
    this.#forget = o.forgetMs ?? 15 * 60_000;
    this.#maxEntries = o.maxEntries ?? 10_000;
    this.#now = o.now ?? Date.now;
  }

  /** null: check the password; otherwise refuse without checking. */
  blocked(username: string, address: string): Blocked | null {
    const now = this.#now();
    const k = pair(username, address);
    const known = this.#known.has(k);
    const a = known ? undefined : this.#live(this.#addresses, address, now);
    if (a && a.blockedUntil > now) return { by: 'address', retryInMs: a.blockedUntil - now };
    const u = known ? undefined : this.#live(this.#users, username, now);
    if (u && u.blockedUntil > now) return { by: 'username', retryInMs: u.blockedUntil - now };
    const p = this.#live(this.#pairs, k, now);
    if (p && p.blockedUntil > now) return { by: 'pair', retryInMs: p.blockedUntil - now };
    return null;
  }

  /** A checked attempt failed. Returns the keys that became blocked by it (to log once per block). */
  failed(username: string, address: string): Array<Blocked['by']> {
    const now = this.#now();
    const started: Array<Blocked['by']> = [];
    if (this.#fail(this.#addresses, address, now)) started.push('address');
    if (this.#fail(this.#users, username, now)) started.push('username');
    if (this.#fail(this.#pairs, pair(username, address), now)) started.push('pair');
    return started;
  }

  /** A checked attempt succeeded: the address starts again from zero and is known for this username. */
  succeeded(username: string, address: string): void {
    this.#addresses.delete(address);
    const k = pair(username, address);
    this.#pairs.delete(k);
    this.#known.delete(k);
    this.#known.set(k, this.#now());
    trim(this.#known, this.#maxEntries);
  }

  /** Keys held, for tests of the memory bound. */
  get size(): number {
    return this.#addresses.size + this.#users.size + this.#pairs.size + this.#known.size;
  }

  #live(table: Map<string, Entry>, key: string, now: number): Entry | undefined {
    const e = table.get(key);
    if (e && now - e.lastAt > this.#forget) {
      table.delete(key);
      return undefined;
    }
    return e;
  }

  /** Counts one failure; true when this failure started a block. */
  #fail(table: Map<string, Entry>, key: string, now: number): boolean {
    const e = this.#live(table, key, now) ?? { failures: 0, lastAt: now, blockedUntil: 0 };
    e.failures++;
    e.lastAt = now;
    table.delete(key);
    table.set(key, e);
    trim(table, this.#maxEntries);
    if (e.failures < this.#free) return false;
    const wasBlocked = e.blockedUntil > now;
    e.blockedUntil = now + Math.min(this.#max, this.#base * 2 ** Math.min(30, e.failures - this.#free));
    return !wasBlocked;
  }
}

const pair = (username: string, address: string) => `${username}\u0000${address}`;

function trim<V>(table: Map<string, V>, max: number): void {
  while (table.size > max) table.delete(table.keys().next().value!);
}
