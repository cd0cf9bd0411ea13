// Card enrolment without a terminal, confirmed by the host. The host starts "enrol a card for
// member X at the reader of door Y"; unknown cards tapped at THAT reader within the window become
// candidates (the gateway reports a denied tap with reason unknown-credential and the card's
// fingerprint; taps at other readers stay plain denies). Nothing is bound yet: the host sees each
// candidate (the fingerprint's last 6 hex digits and the time of the tap) on the live stream and
// confirms one; only then is the card bound, audited, and the access list recompiled. Cancel or
// timeout binds nothing; a bound card can be undone (revoked again) by the host. One enrolment per
// door at a time.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../runtime/log.ts';
import type { AccessEvent } from '../../contracts/payloads.ts';
import type { EnrolmentView } from '../../contracts/api/index.ts';
import type { Store } from '../db/store.ts';
import type { LiveHub } from '../live/hub.ts';
import { credentialView } from '../admin/credential-view.ts';

export const ENROL_WINDOW_MS = 60_000;
/** Different cards a single enrolment shows at most; one more fails it ("start again"). */
export const MAX_CANDIDATES = 3;

export interface EnrolmentRequest {
  member: string;
  door: string;
  label?: string;
  plan?: string | null;
  validFrom?: string | null;
  validTo?: string | null;
  replaces?: number;
  /** Audit: who started it, from where. */
  actor: string;
  source: string;
}

/** Who confirms or undoes: the member id, where from, and whether an operator (may act on anyone's). */
export interface EnrolmentCaller {
  actor: string;
  source: string;
  operator: boolean;
}

export type EnrolmentRefusal = 'not-found' | 'forbidden' | 'not-waiting' | 'unknown-candidate' | 'card-taken' | 'unknown-member' | 'not-bound';
export type EnrolmentOutcome = { ok: true; view: EnrolmentView } | { ok: false; refusal: EnrolmentRefusal };

interface Entry {
  view: EnrolmentView;
  req: EnrolmentRequest;
  /** Candidate id (the tap's event id) → the card's fingerprint; never leaves this class. */
  fingerprints: Map<string, string>;
  /** Candidate id → the tail of the card's number the gateway sent, if any. */
  tails: Map<string, string>;
  /** Candidate id → the card's network fingerprint (a site in a network of spaces), if sent. */
  netFps: Map<string, string>;
  timer: NodeJS.Timeout | null;
}

export interface EnrolmentsOptions {
  store: Store;
  hub: LiveHub;
  log: Logger;
  now: () => number;
  timeZone: string;
  /** Recompiles and publishes the access lists (after a card is bound or undone). */
  recompile: () => Promise<unknown>;
  /** How long the reader takes cards; the host has at least this long after the first tap to confirm. */
  windowMs?: number;
}

const isOpen = (v: EnrolmentView) => v.status === 'waiting' || v.status === 'tapped';

export class Enrolments {
  readonly #o: EnrolmentsOptions;
  readonly #byId = new Map<string, Entry>();
  readonly #openAt = new Map<string, Entry>(); // by door

  constructor(opts: EnrolmentsOptions) {
    this.#o = opts;
  }

  get #windowMs(): number {
    return this.#o.windowMs ?? ENROL_WINDOW_MS;
  }

  /** The open enrolment at a door, if any. */
  openAt(door: string): EnrolmentView | undefined {
    return this.#openAt.get(door)?.view;
  }

  get(id: string): EnrolmentView | undefined {
    return this.#byId.get(id)?.view;
  }

  /** Starts waiting for a card at the door's reader; the caller has checked member, door, plan and credential. */
  start(req: EnrolmentRequest): EnrolmentView {
    const now = this.#o.now();
    const member = this.#o.store.members.byId(req.member);
    const view: EnrolmentView = {
      id: randomUUID(),
      member: req.member,
      memberName: member?.name ?? req.member,
      door: req.door,
      status: 'waiting',
      startedAt: now,
      expiresAt: now + this.#windowMs,
      candidates: [],
      credential: null,
    };
    const entry: Entry = { view, req, fingerprints: new Map(), tails: new Map(), netFps: new Map(), timer: null };
    this.#arm(entry);
    this.#openAt.set(req.door, entry);
    this.#remember(entry);
    this.#audit(req.actor, req.source, req, 'enrolment.start', { enrolment: view.id, door: req.door, ...(req.replaces ? { replaces: req.replaces } : {}) });
    this.#publish(entry);
    return view;
  }

  /** Cancels an open enrolment; returns its final view, or undefined when not open. */
  cancel(id: string, actor: string, source: string): EnrolmentView | undefined {
    const entry = this.#byId.get(id);
    if (!entry || !isOpen(entry.view)) return undefined;
    this.#audit(actor, source, entry.req, 'enrolment.cancel', { enrolment: id, candidates: entry.view.candidates.length });
    return this.#finish(entry, 'cancelled', 'Cancelled.');
  }

  /**
   * An access event from ingest: a denied unknown card at the reader of a door with an open
   * enrolment becomes a candidate (not bound). Returns true when it is one.
   */
  offer(e: AccessEvent): boolean {
    if (e.decision !== 'denied' || e.reason !== 'unknown-credential' || !e.fingerprint || e.via !== 'card') return false;
    const entry = this.#openAt.get(e.door);
    const now = this.#o.now();
    if (!entry || now > entry.view.expiresAt) return false;
    if ([...entry.fingerprints.values()].includes(e.fingerprint)) return true; // the same card again
    if (this.#o.store.credentials.liveByFingerprint(e.fingerprint)) {
      this.#finish(entry, 'failed', 'That card already belongs to someone. Revoke it there first.');
      return false;
    }
    if (entry.fingerprints.size >= MAX_CANDIDATES) {
      this.#finish(entry, 'failed', `More than ${MAX_CANDIDATES} different cards were tapped. Start again.`);
      return false;
    }
    entry.fingerprints.set(e.id, e.fingerprint);
    if (e.cardTail !== undefined) entry.tails.set(e.id, e.cardTail);
    if (e.netFingerprint !== undefined) entry.netFps.set(e.id, e.netFingerprint);
    const first = entry.view.candidates.length === 0;
    entry.view = {
      ...entry.view,
      status: 'tapped',
      // The host gets at least a full window after the first tap to look and confirm.
      expiresAt: first ? Math.max(entry.view.expiresAt, now + this.#windowMs) : entry.view.expiresAt,
      candidates: [
        ...entry.view.candidates,
        { id: e.id, tail: e.fingerprint.slice(-6), at: e.ts, ...(e.cardTail !== undefined && { numberTail: e.cardTail }) },
      ],
    };
    if (first) this.#arm(entry);
    this.#remember(entry);
    this.#publish(entry);
    return true;
  }

  /**
   * Binds the chosen candidate card to the member: the only way an enrolment binds a card.
   * `label`: the host's name for the card, given on confirming (else the one given at the start).
   */
  confirm(id: string, candidate: string, by: EnrolmentCaller, label?: string): EnrolmentOutcome {
    const entry = this.#byId.get(id);
    if (!entry) return { ok: false, refusal: 'not-found' };
    if (!by.operator && by.actor !== entry.req.actor) return { ok: false, refusal: 'forbidden' };
    const now = this.#o.now();
    if (!isOpen(entry.view) || now > entry.view.expiresAt) return { ok: false, refusal: 'not-waiting' };
    const fp = entry.fingerprints.get(candidate);
    if (fp === undefined) return { ok: false, refusal: 'unknown-candidate' };
    const { store } = this.#o;
    const { req } = entry;
    if (store.credentials.liveByFingerprint(fp)) return { ok: false, refusal: 'card-taken' };
    if (!store.members.byId(req.member)) {
      this.#finish(entry, 'failed', 'The member no longer exists.');
      return { ok: false, refusal: 'unknown-member' };
    }
    const cred = store.db.transaction(() => {
      if (req.replaces) store.credentials.revoke(req.replaces, now);
      const c = store.credentials.insert(
        {
          member: req.member,
          fingerprint: fp,
          label: label ?? req.label,
          numberTail: entry.tails.get(candidate) ?? null,
          plan: req.plan,
          validFrom: req.validFrom,
          validTo: req.validTo,
        },
        now,
      );
      const netFp = entry.netFps.get(candidate);
      if (netFp !== undefined) store.network.setNetFingerprint(fp, netFp);
      return c;
    })();
    const tap = entry.view.candidates.find((c) => c.id === candidate)!;
    this.#audit(by.actor, by.source, req, 'credential.enrol', {
      enrolment: id,
      credential: cred.id,
      door: req.door,
      eventId: candidate,
      tappedAt: tap.at,
      ...(req.replaces ? { replaces: req.replaces } : {}),
    });
    entry.view = { ...entry.view, credential: credentialView(cred, this.#o.timeZone, now) };
    const view = this.#finish(entry, 'bound');
    this.#o.log.info({ member: req.member, door: req.door, credential: cred.id }, 'card enrolled');
    this.#recompile('enrolment');
    return { ok: true, view };
  }

  /** Revokes the card an enrolment bound (an old card it replaced stays revoked). */
  undo(id: string, by: EnrolmentCaller): EnrolmentOutcome {
    const entry = this.#byId.get(id);
    if (!entry) return { ok: false, refusal: 'not-found' };
    if (!by.operator && by.actor !== entry.req.actor) return { ok: false, refusal: 'forbidden' };
    const bound = entry.view.credential;
    const now = this.#o.now();
    if (entry.view.status !== 'bound' || !bound || !this.#o.store.credentials.revoke(bound.id, now)) return { ok: false, refusal: 'not-bound' };
    this.#audit(by.actor, by.source, entry.req, 'enrolment.undo', { enrolment: id, credential: bound.id });
    const cred = this.#o.store.credentials.byId(bound.id);
    entry.view = { ...entry.view, status: 'undone', credential: cred ? credentialView(cred, this.#o.timeZone, now) : bound };
    this.#remember(entry);
    this.#publish(entry);
    this.#o.log.info({ member: entry.req.member, credential: bound.id }, 'card enrolment undone');
    this.#recompile('undo');
    return { ok: true, view: entry.view };
  }

  /** Ends every open enrolment (app close). Safe to call twice. */
  stop(): void {
    for (const e of this.#openAt.values()) if (e.timer) clearTimeout(e.timer);
    this.#openAt.clear();
  }

  /** (Re)starts the timer that ends the enrolment at its expiresAt, binding nothing. */
  #arm(entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer);
    const reason = entry.view.candidates.length ? 'No card was confirmed in time.' : 'No card was tapped in time.';
    entry.timer = setTimeout(() => this.#finish(entry, 'expired', reason), Math.max(0, entry.view.expiresAt - this.#o.now()));
    entry.timer.unref();
  }

  #finish(entry: Entry, status: EnrolmentView['status'], reason?: string): EnrolmentView {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    if (this.#openAt.get(entry.view.door) === entry) this.#openAt.delete(entry.view.door);
    entry.fingerprints.clear();
    entry.netFps.clear();
    entry.tails.clear();
    entry.view = { ...entry.view, status, ...(reason ? { reason } : {}) };
    this.#remember(entry);
    if (status === 'expired' || status === 'failed') {
      this.#audit(entry.req.actor, entry.req.source, entry.req, `enrolment.${status}`, {
        enrolment: entry.view.id,
        door: entry.view.door,
        candidates: entry.view.candidates.length,
      });
    }
    this.#publish(entry);
    return entry.view;
  }

  #remember(entry: Entry): void {
    this.#byId.delete(entry.view.id);
    this.#byId.set(entry.view.id, entry);
    // Finished enrolments are kept for a while for GET and undo; the least recently changed go first.
    if (this.#byId.size > 500) {
      const oldest = this.#byId.keys().next().value!;
      if (!isOpen(this.#byId.get(oldest)!.view)) this.#byId.delete(oldest);
    }
  }

  #publish(entry: Entry): void {
    this.#o.hub.publish({ type: 'enrolment', enrolment: entry.view });
  }

  #recompile(why: string): void {
    void this.#o.recompile().catch((err: unknown) => this.#o.log.error({ err, why }, 'recompile after enrolment failed'));
  }

  #audit(actor: string, source: string, req: EnrolmentRequest, action: string, detail: Record<string, unknown>): void {
    this.#o.store.audit.write({ ts: this.#o.now(), actor, action, target: req.member, detail, source });
  }
}
