// The access list in memory: a Map by credential fingerprint, swapped atomically when a newer
// signed list arrives. A fingerprint may carry several entries (its plan's, and one per room
// booking with a `from`–`until` window): any entry that grants opens the door, and a `refused`
// entry (a suspended member) refuses them all. `decide()` is on the card-tap hot path: no I/O, no awaits, no big
// allocations (denials are shared constant objects).
import type { AccessDecision, AccessList as AccessListPayload, AccessReason, AclEntry } from '../../contracts/payloads.ts';
import { verify } from '../../contracts/signing.ts';
import { withinWindows } from '../../contracts/schedule.ts';

export type { AccessReason };

export interface Decision {
  readonly decision: AccessDecision;
  readonly reason: AccessReason;
  readonly member?: string;
  /** A grant to a host's own card (AclEntry.host): it opens in a lockdown too. */
  readonly host?: true;
}

const denied = (reason: AccessReason, member?: string): Decision =>
  Object.freeze(member === undefined ? { decision: 'denied', reason } : { decision: 'denied', reason, member });
const NO_LIST = denied('no-access-list');
const UNKNOWN = denied('unknown-credential');

export type OfferOutcome =
  { outcome: 'accepted' | 'refreshed'; version: number } | { outcome: 'refused'; reason: 'bad-signature' | 'wrong-gateway' | 'old-version'; version: number };

interface Current {
  list: AccessListPayload;
  /** Usually one entry per fingerprint; bookings add more. */
  byFp: Map<string, readonly AclEntry[]>;
}

export interface AccessListOptions {
  gatewayId: string;
  /** This gateway's signing key. */
  key: string;
  /**
   * True while only entries with `offline: true` open doors: the gateway has been without the
   * services for too long (ContactClock). Called on the hot path only for non-offline entries.
   */
  offlineOnly: (now: number) => boolean;
}

export class AccessList {
  readonly #opts: AccessListOptions;
  #current: Current | undefined;

  constructor(opts: AccessListOptions) {
    this.#opts = opts;
  }

  get version(): number {
    return this.#current?.list.version ?? 0;
  }

  get list(): AccessListPayload | undefined {
    return this.#current?.list;
  }

  /**
   * Verifies and, if newer, swaps in a list. A list with the same version and a newer `ts` is a
   * refresh (the services re-sign an unchanged list so that it does not go stale).
   */
  offer(list: AccessListPayload): OfferOutcome {
    const version = list.version;
    if (list.gateway !== this.#opts.gatewayId) return { outcome: 'refused', reason: 'wrong-gateway', version };
    if (!verify(list, this.#opts.key)) return { outcome: 'refused', reason: 'bad-signature', version };
    const cur = this.#current?.list;
    const refresh = cur !== undefined && version === cur.version && list.ts > cur.ts;
    if (cur && version <= cur.version && !refresh) return { outcome: 'refused', reason: 'old-version', version };
    const byFp = new Map<string, AclEntry[]>();
    for (const e of list.entries) {
      const known = byFp.get(e.fp);
      if (known) known.push(e);
      else byFp.set(e.fp, [e]);
    }
    // One assignment: a decision sees either the old list or the new one, never a mix.
    this.#current = { list, byFp };
    return { outcome: refresh ? 'refreshed' : 'accepted', version };
  }

  decide(door: string, fp: string, now: number): Decision {
    const cur = this.#current;
    if (!cur) return NO_LIST;
    const entries = cur.byFp.get(fp);
    if (!entries) return UNKNOWN;
    if (entries.length === 1) return this.#decideOne(entries[0]!, door, now, cur.list.timeZone);
    // Known, opens nothing: a refused entry (a suspended member) outweighs any booking.
    for (const e of entries) if (e.refused !== undefined) return denied(e.refused, e.member);
    let refusal: Decision | undefined;
    for (const e of entries) {
      const d = this.#decideOne(e, door, now, cur.list.timeZone);
      if (d.decision === 'granted') return d;
      // Say why with an entry for this door (a booking outside its window) over one that does not name it.
      if (refusal === undefined || (refusal.reason === 'door-not-in-plan' && d.reason !== 'door-not-in-plan')) refusal = d;
    }
    return refusal!;
  }

  #decideOne(e: AclEntry, door: string, now: number, timeZone: string): Decision {
    // Known, opens nothing: the member is named and the reason said, not "unknown card".
    if (e.refused !== undefined) return denied(e.refused, e.member);
    if (!e.doors.includes(door)) return denied('door-not-in-plan', e.member);
    // `until`: the pass or plan ended (the services recompile then; this covers a gateway offline at that moment).
    if (e.until !== undefined && now >= e.until) return denied('expired', e.member);
    // `from`: a booking's window has not started.
    if (e.from !== undefined && now < e.from) return denied('outside-schedule', e.member);
    if (e.windows && e.windows.length > 0 && !withinWindows(e.windows, timeZone, now)) {
      return denied('outside-schedule', e.member);
    }
    if (!e.offline && this.#opts.offlineOnly(now)) return denied('offline-not-allowed', e.member);
    return e.host ? { decision: 'granted', reason: 'ok', member: e.member, host: true } : { decision: 'granted', reason: 'ok', member: e.member };
  }
}
