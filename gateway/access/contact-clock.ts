// When the gateway last had contact with the services: connected to the broker and a service
// saying it is online (or a signed access list just arrived). After `offlineAfterMs` without
// contact only credentials whose plan allows offline use open doors (ARCHITECTURE.md, failure
// model). The time is kept in the gateway db, so a reboot during an outage does not start the
// count again: written when contact begins and ends, and every `persistEveryMs` while it lasts
// (a reboot loses at most that much, against a limit of hours; and the SD card is spared).

export interface ContactStore {
  read(): number | undefined;
  write(at: number): void;
}

export interface ContactClockOptions {
  offlineAfterMs: number;
  store: ContactStore;
  /** Used when the store has nothing yet: the issue time of the stored access list. */
  fallback?: () => number | undefined;
  persistEveryMs?: number;
  now?: () => number;
}

export class ContactClock {
  readonly #o: ContactClockOptions;
  readonly #now: () => number;
  #last: number | undefined;
  #inContact = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: ContactClockOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
  }

  start(): void {
    if (this.#timer) return;
    this.#last = this.#o.store.read();
    this.#timer = setInterval(() => this.#inContact && this.#persist(this.#now()), this.#o.persistEveryMs ?? 5 * 60_000);
  }

  stop(): void {
    if (!this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#inContact) this.#persist(this.#now());
  }

  get inContact(): boolean {
    return this.#inContact;
  }

  /** Last contact (epoch ms), or the fallback; undefined when the gateway never had any. */
  lastContact(): number | undefined {
    if (this.#inContact) return this.#now();
    const fb = this.#o.fallback?.();
    if (this.#last === undefined) return fb;
    return fb === undefined ? this.#last : Math.max(this.#last, fb);
  }

  /** The services are reachable (true) or not (false). */
  setInContact(inContact: boolean): void {
    if (inContact === this.#inContact) return;
    this.#inContact = inContact;
    this.#persist(this.#now());
  }

  /** A sign of life from the services (a newly signed access list). */
  touch(): void {
    if (!this.#inContact) this.#persist(this.#now());
  }

  /** True when decisions are restricted to offline-capable credentials. On the tap hot path. */
  offlineOnly(now: number): boolean {
    if (this.#inContact) return false;
    const last = this.lastContact();
    return last !== undefined && now - last > this.#o.offlineAfterMs;
  }

  #persist(at: number): void {
    this.#last = at;
    this.#o.store.write(at);
  }
}
