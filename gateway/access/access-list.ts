// The access list in memory: a Map by credential fingerprint, swapped atomically when a newer
// signed list arrives. `decide()` is on the card-tap hot path: no I/O, no awaits, no big
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
  byFp: Map<string, AclEntry>;
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
    const byFp = new Map<string, AclEntry>();
    for (const e of list.entries) byFp.set(e.fp, e);
    // One assignment: a decision sees either the old list or the new one, never a mix.
    this.#current = { list, byFp };
    return { outcome: refresh ? 'refreshed' : 'accepted', version };
  }

  decide(door: string, fp: string, now: number): Decision {
    const cur = this.#current;
    if (!cur) return NO_LIST;
    const e = cur.byFp.get(fp);
    if (!e) return UNKNOWN;
    // Known, opens nothing: the member is named and the reason said, not "unknown card".
    if (e.refused !== undefined) return denied(e.refused, e.member);
    if (!e.doors.includes(door)) return denied('door-not-in-plan', e.member);
    // `until`: the pass or plan ended (the services recompile then; this covers a gateway offline at that moment).
    if (e.until !== undefined && now >= e.until) return denied('expired', e.member);
    if (e.windows && e.windows.length > 0 && !withinWindows(e.windows, cur.list.timeZone, now)) {
      return denied('outside-schedule', e.member);
    }
    if (!e.offline && this.#opts.offlineOnly(now)) return denied('offline-not-allowed', e.member);
    return e.host ? { decision: 'granted', reason: 'ok', member: e.member, host: true } : { decision: 'granted', reason: 'ok', member: e.member };
  }
}
