// Login throttling, per account and per client, that never locks one member out for another.
//
// - Per account (the e-mail as typed, trimmed and lower-cased; unknown e-mails alike, so the
//   answer does not tell whether an account exists): the first `freeFailures` wrong passwords
//   cost nothing; each one after starts a wait that doubles (1 s, 2 s, 4 s … up to `maxDelayMs`)
//   during which that account's logins are refused before the password is checked. A success
//   clears the account; so does an hour without failures.
// - Per client (address, or its /64; behind a trusted proxy the forwarded one): failures only,
//   a generous number per window. A client over it gets 429 instead of 401 for a wrong
//   password, but a right password still logs in: a wrong password for account A never delays
//   account B, whoever shares the address (one proxy, one office NAT).
//
// Both tables are LRU-bounded maps: an attacker inventing e-mails or addresses evicts the oldest
// entries, never grows memory.

export interface LoginLimits {
  /** Wrong passwords per account before the waits begin. */
  freeFailures: number;
  /** The first wait; each further failure doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** An account with no failure for this long starts over. */
  forgetMs: number;
  /** Failures per client and window before its failures answer 429. */
  clientFailures: number;
  clientWindowMs: number;
  /** Entries kept per table. */
  maxEntries: number;
}

export const LOGIN_LIMITS: LoginLimits = {
  freeFailures: 5,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  forgetMs: 3600_000,
  clientFailures: 100,
  clientWindowMs: 15 * 60_000,
  maxEntries: 10_000,
};

/** Why a login is refused before or after its check, and for how long (whole seconds, ≥ 1). */
export interface LoginRefusal {
  reason: 'account' | 'client';
  retryAfterS: number;
}

interface Account {
  failures: number;
  lastFailure: number;
  /** Until when logins for the account are refused unchecked. */
  until: number;
}

interface Client {
  failures: number;
  windowStart: number;
}

/** A Map that forgets its least recently used entry beyond `max`. */
class Lru<V> {
  readonly #map = new Map<string, V>();
  readonly #max: number;
  constructor(max: number) {
    this.#max = max;
  }
  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.#map.delete(key);
    this.#map.set(key, v);
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value!);
  }
  delete(key: string): void {
    this.#map.delete(key);
  }
  get size(): number {
    return this.#map.size;
  }
}

export const accountKey = (email: string): string => email.normalize('NFKC').trim().toLowerCase();

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export class LoginLimiter {
  readonly #limits: LoginLimits;
  readonly #accounts: Lru<Account>;
  readonly #clients: Lru<Client>;

  constructor(limits: Partial<LoginLimits> = {}) {
    this.#limits = { ...LOGIN_LIMITS, ...limits };
    this.#accounts = new Lru(this.#limits.maxEntries);
    this.#clients = new Lru(this.#limits.maxEntries);
  }

  /** Before the password is checked: a refusal when the account is waiting out a backoff. */
  before(email: string, now: number): LoginRefusal | null {
    const a = this.#account(accountKey(email), now);
    return a && a.until > now ? { reason: 'account', retryAfterS: seconds(a.until - now) } : null;
  }

  /** A wrong password (or unknown e-mail): counted; a refusal when the client is over its limit. */
  failed(email: string, client: string, now: number): LoginRefusal | null {
    const key = accountKey(email);
    const l = this.#limits;
    const a = this.#account(key, now) ?? { failures: 0, lastFailure: now, until: 0 };
    a.failures++;
    a.lastFailure = now;
    if (a.failures >= l.freeFailures) a.until = now + Math.min(l.maxDelayMs, l.baseDelayMs * 2 ** Math.min(a.failures - l.freeFailures, 30));
    this.#accounts.set(key, a);

    let c = this.#clients.get(client);
    if (!c || now - c.windowStart >= l.clientWindowMs) c = { failures: 0, windowStart: now };
    c.failures++;
    this.#clients.set(client, c);
    return c.failures > l.clientFailures ? { reason: 'client', retryAfterS: seconds(c.windowStart + l.clientWindowMs - now) } : null;
  }

  /** A right password: the account starts over (the client's count stays: it counts failures). */
  succeeded(email: string): void {
    this.#accounts.delete(accountKey(email));
  }

  /** How many accounts and clients are remembered (bounded by maxEntries each). */
  get size(): { accounts: number; clients: number } {
    return { accounts: this.#accounts.size, clients: this.#clients.size };
  }

  #account(key: string, now: number): Account | undefined {
    const a = this.#accounts.get(key);
    if (a && now - a.lastFailure >= this.#limits.forgetMs && a.until <= now) {
      this.#accounts.delete(key);
      return undefined;
    }
    return a;
  }
}
