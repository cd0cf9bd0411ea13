// Card enrolment without a terminal: a host starts "enrol a card for member X at door Y"; the
// next unknown card tapped at that door within 60 s is bound to X (its fingerprint only: the
// gateway already reports denied taps with reason unknown-credential and the fingerprint). The
// host watches it happen on the live stream. One enrolment per door at a time.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../runtime/log.ts';
import type { AccessEvent } from '../../contracts/payloads.ts';
import type { EnrolmentView } from '../../contracts/api/index.ts';
import type { Store } from '../db/store.ts';
import type { LiveHub } from '../live/hub.ts';
import { credentialView } from '../admin/credential-view.ts';

export const ENROL_WINDOW_MS = 60_000;

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

interface Open {
  view: EnrolmentView;
  req: EnrolmentRequest;
  timer: NodeJS.Timeout;
}

export interface EnrolmentsOptions {
  store: Store;
  hub: LiveHub;
  log: Logger;
  now: () => number;
  timeZone: string;
  /** Recompiles and publishes the access lists (after a card is bound). */
  recompile: () => Promise<unknown>;
  windowMs?: number;
}

export class Enrolments {
  readonly #o: EnrolmentsOptions;
  readonly #byId = new Map<string, EnrolmentView>();
  readonly #open = new Map<string, Open>(); // by door

  constructor(opts: EnrolmentsOptions) {
    this.#o = opts;
  }

  /** The open enrolment at a door, if any. */
  openAt(door: string): EnrolmentView | undefined {
    return this.#open.get(door)?.view;
  }

  get(id: string): EnrolmentView | undefined {
    return this.#byId.get(id);
  }

  /** Starts waiting for a card; the caller has checked member, door, plan and credential. */
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
      expiresAt: now + (this.#o.windowMs ?? ENROL_WINDOW_MS),
      credential: null,
    };
    const timer = setTimeout(() => this.#finish(req.door, 'expired', 'No card was tapped in time.'), view.expiresAt - now);
    timer.unref();
    this.#open.set(req.door, { view, req, timer });
    this.#remember(view);
    this.#audit(req, 'enrolment.start', { enrolment: view.id, door: req.door, ...(req.replaces ? { replaces: req.replaces } : {}) });
    this.#o.hub.publish({ type: 'enrolment', enrolment: view });
    return view;
  }

  /** Cancels a waiting enrolment; returns its final view, or undefined when not waiting. */
  cancel(id: string, actor: string, source: string): EnrolmentView | undefined {
    const open = [...this.#open.values()].find((o) => o.view.id === id);
    if (!open) return undefined;
    this.#o.store.audit.write({ ts: this.#o.now(), actor, action: 'enrolment.cancel', target: open.req.member, detail: { enrolment: id }, source });
    return this.#finish(open.req.door, 'cancelled', 'Cancelled.');
  }

  /**
   * An access event from ingest: a denied unknown card at a door with an open enrolment is
   * bound. Returns true when it was.
   */
  offer(e: AccessEvent): boolean {
    if (e.decision !== 'denied' || e.reason !== 'unknown-credential' || !e.fingerprint || e.via !== 'card') return false;
    const open = this.#open.get(e.door);
    if (!open || this.#o.now() > open.view.expiresAt) return false;
    const { store } = this.#o;
    const { req } = open;
    const holder = store.credentials.liveByFingerprint(e.fingerprint);
    if (holder) {
      this.#finish(e.door, 'failed', 'That card already belongs to someone. Revoke it there first.');
      return false;
    }
    if (!store.members.byId(req.member)) {
      this.#finish(e.door, 'failed', 'The member no longer exists.');
      return false;
    }
    const now = this.#o.now();
    const cred = store.db.transaction(() => {
      if (req.replaces) store.credentials.revoke(req.replaces, now);
      return store.credentials.insert(
        { member: req.member, fingerprint: e.fingerprint!, label: req.label, plan: req.plan, validFrom: req.validFrom, validTo: req.validTo },
        now,
      );
    })();
    this.#audit(req, 'credential.enrol', { credential: cred.id, door: e.door, eventId: e.id, ...(req.replaces ? { replaces: req.replaces } : {}) });
    open.view = { ...open.view, credential: credentialView(cred, this.#o.timeZone, now) };
    this.#finish(e.door, 'bound');
    this.#o.log.info({ member: req.member, door: e.door, credential: cred.id }, 'card enrolled');
    void this.#o.recompile().catch((err: unknown) => this.#o.log.error({ err }, 'recompile after enrolment failed'));
    return true;
  }

  /** Ends every waiting enrolment (app close). Safe to call twice. */
  stop(): void {
    for (const o of this.#open.values()) clearTimeout(o.timer);
    this.#open.clear();
  }

  #finish(door: string, status: EnrolmentView['status'], reason?: string): EnrolmentView | undefined {
    const open = this.#open.get(door);
    if (!open) return undefined;
    clearTimeout(open.timer);
    this.#open.delete(door);
    const view: EnrolmentView = { ...open.view, status };
    if (reason) view.reason = reason;
    this.#remember(view);
    if (status === 'expired' || status === 'failed') this.#audit(open.req, `enrolment.${status}`, { enrolment: view.id, door });
    this.#o.hub.publish({ type: 'enrolment', enrolment: view });
    return view;
  }

  #remember(view: EnrolmentView): void {
    this.#byId.set(view.id, view);
    // Finished enrolments are kept for a while for GET; the oldest go first.
    if (this.#byId.size > 500) this.#byId.delete(this.#byId.keys().next().value!);
  }

  #audit(req: EnrolmentRequest, action: string, detail: Record<string, unknown>): void {
    this.#o.store.audit.write({ ts: this.#o.now(), actor: req.actor, action, target: req.member, detail, source: req.source });
  }
}
