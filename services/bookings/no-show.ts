// No-show release (issue 16): a room booking whose room's desk sensors have seen nobody by
// `noShowMin` minutes after its start is released: the room shows free, its door and PIN leave
// the access lists, and the booker gets a notice (e-mail through the alert centre's channels).
// A room without a zone, a zone without desks, or desks whose sensors have said nothing yet
// (no state: unknown) never release a booking: no sensor is no evidence.
import type { Logger } from '../../runtime/log.ts';
import type { SiteConfig } from '../../config/schema.ts';
import { localDateTime } from '../../contracts/local-time.ts';
import type { Store } from '../db/store.ts';
import type { Booking } from '../db/bookings-repo.ts';
import { bookingsConfig, MAX_BOOKING_MS } from './rules.ts';

/** How often due bookings are looked for. */
const CHECK_MS = 30_000;

const WORDS = {
  da: {
    subject: (room: string) => `Din booking af ${room} er frigivet`,
    body: (room: string, from: string, min: number) =>
      `Ingen var i ${room} ${min} minutter efter starttidspunktet (${from}), så bookingen er frigivet, og lokalet er ledigt igen. Døren og en eventuel pinkode til gæster åbner ikke længere. Book igen, hvis du stadig har brug for det.`,
  },
  en: {
    subject: (room: string) => `Your booking of ${room} was released`,
    body: (room: string, from: string, min: number) =>
      `Nobody was in ${room} ${min} minutes after the start (${from}), so the booking was released and the room is free again. Its door and any guest PIN no longer open. Book again if you still need it.`,
  },
} as const;

export interface NoShowDeps {
  config: Pick<SiteConfig, 'bookings' | 'desks' | 'site' | 'alerts'>;
  store: Store;
  log: Logger;
  now: () => number;
  /** Recompiles the access lists (the released booking's door and PIN go). */
  recompile: () => Promise<unknown>;
  /** Sends the booker a notice; absent or null: none is sent (e-mail not configured). */
  notice?: ((to: { name: string; email: string }, subject: string, text: string) => Promise<void>) | null;
}

export class NoShowRelease {
  readonly #d: NoShowDeps;
  /** Bookings someone was seen in: not looked at again. */
  readonly #shown = new Set<number>();
  #timer: NodeJS.Timeout | null = null;

  constructor(deps: NoShowDeps) {
    this.#d = deps;
  }

  start(): void {
    this.#timer = setInterval(() => void this.check().catch((err: unknown) => this.#d.log.error({ err }, 'no-show check failed')), CHECK_MS);
    this.#timer.unref();
  }

  /** Safe to call twice. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Releases the bookings due now; returns them. */
  async check(): Promise<Booking[]> {
    const { config, store, now: clock } = this.#d;
    const cfg = bookingsConfig(config);
    if (cfg.noShowMin === 0) return [];
    const now = clock();
    const afterMs = cfg.noShowMin * 60_000;
    const zoneOf = new Map(cfg.rooms.flatMap((r) => (r.zone ? [[r.id, r.zone] as const] : [])));
    const states = store.state.deskStates();
    const released: Booking[] = [];
    for (const b of store.bookings.between(now - MAX_BOOKING_MS, now + 1)) {
      if (b.kind !== 'room' || this.#shown.has(b.id) || b.start + afterMs > now || b.end <= now) continue;
      const zone = zoneOf.get(b.resource);
      if (zone === undefined) continue;
      const known = config.desks.filter((d) => d.zone === zone).flatMap((d) => states.get(d.id) ?? []);
      if (known.length === 0) continue;
      // Seen: a desk occupied now, or one whose state changed since the start (someone came and went).
      if (known.some((s) => s.occupied || s.since > b.start)) {
        this.#shown.add(b.id);
        continue;
      }
      if (store.bookings.end(b.id, 'released', now)) {
        released.push(b);
        store.audit.write({ ts: now, actor: null, action: 'booking.release', target: b.member, detail: { booking: b.id, resource: b.resource }, source: null });
      }
    }
    if (released.length === 0) return released;
    this.#d.log.info({ bookings: released.map((b) => b.id) }, 'no-show bookings released');
    await this.#d.recompile();
    for (const b of released) this.#notify(b, cfg.noShowMin);
    return released;
  }

  #notify(b: Booking, min: number): void {
    const { notice, store, config } = this.#d;
    const m = store.members.byId(b.member);
    // A one-off guest has no e-mail: nobody to tell.
    if (!notice || !m?.email) return;
    const w = WORDS[config.alerts.language];
    const room = bookingsConfig(config).rooms.find((r) => r.id === b.resource)?.name ?? b.resource;
    const from = localDateTime(b.start, config.site.timeZone).replace('T', ' ');
    notice({ name: m.name, email: m.email }, w.subject(room), w.body(room, from, min)).catch((err: unknown) =>
      this.#d.log.warn({ err, booking: b.id }, 'no-show notice not sent'),
    );
  }
}
