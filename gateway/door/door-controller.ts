// One door: lock, optional contact, the unlock timer, the mode and the alarms.
// Modes: normal (locked; a grant unlocks for unlockMs); held (unlocked until release: by command
// or schedule); lockdown (locked; cards and remote unlocks refused until release; the exit
// button still opens, because egress is never blocked).
// With a contact:
//  - a door opened during an unlock relocks as soon as it closes again (no tailgating window);
//  - forced-open: the door opens while locked with no grant or exit request, and stays open
//    for `forcedConfirmMs` (a bouncing contact, or a push just as it relocks, is not a break-in);
//  - held-open: the door stays open longer than `heldOpenMs` (not in held mode, where open is
//    the point). Both alarms clear when the door closes; each raises one `activity` event.
import { EventEmitter } from 'node:events';
import type { DoorState } from '../../contracts/payloads.ts';
import type { ContactState, DoorContact, Lock } from '../drivers/types.ts';

export type DoorMode = DoorState['mode'];
export type DoorAlarm = DoorState['alarms'][number];
export type DoorActivityKind = DoorAlarm;

export const FORCED_CONFIRM_MS = 500;

export interface DoorControllerOptions {
  id: string;
  unlockMs: number;
  lock: Lock;
  contact?: DoorContact;
  /** Open longer than this raises held-open; 0 or absent: never. */
  heldOpenMs?: number;
  forcedConfirmMs?: number;
  now?: () => number;
}

interface DoorEvents {
  /** Every change of lock, contact, mode, alarms or relock time. */
  state: [DoorState];
  activity: [DoorActivityKind];
}

export class DoorController extends EventEmitter<DoorEvents> {
  readonly id: string;
  readonly #o: DoorControllerOptions;
  readonly #lock: Lock;
  readonly #contact: DoorContact | undefined;
  readonly #now: () => number;
  #mode: DoorMode = 'normal';
  readonly #alarms = new Set<DoorAlarm>();
  #openedSinceUnlock = false;
  #relockAt: number | undefined;
  #lockedAt = 0;
  #relockTimer: NodeJS.Timeout | undefined;
  #forcedTimer: NodeJS.Timeout | undefined;
  #heldTimer: NodeJS.Timeout | undefined;
  #started = false;

  constructor(opts: DoorControllerOptions) {
    super();
    this.id = opts.id;
    this.#o = opts;
    this.#lock = opts.lock;
    this.#contact = opts.contact;
    this.#now = opts.now ?? Date.now;
  }

  get mode(): DoorMode {
    return this.#mode;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#contact?.on('change', this.#onContact);
    if (this.#contact?.state === 'open') this.#startHeldTimer();
  }

  /** Relocks a door left unlocked: a graceful stop leaves every door locked. */
  stop(): void {
    if (!this.#started) return;
    this.#started = false;
    this.#contact?.off('change', this.#onContact);
    this.#clearRelock();
    this.#clearAlarmTimers();
    this.#mode = 'normal';
    if (this.#lock.state === 'unlocked') this.#lock.lock();
  }

  /**
   * Access granted (card or remote): drive the lock open now (the very first thing: this is the
   * latency that members feel), then (re)start the relock timer. Every grant drives the relay,
   * even when it is already open, so that a stuck relay gets a second chance. False in lockdown,
   * unless for a host's own card (door-access.ts): the door opens once and stays in lockdown.
   */
  grant(by: { host?: boolean } = {}): boolean {
    if (this.#mode === 'lockdown' && !by.host) return false;
    this.#lock.unlock();
    this.#authorised();
    if (this.#mode === 'held') return true;
    this.#armRelock();
    return true;
  }

  /** Request to exit: opens in every mode, lockdown included. No access event (nobody is identified). */
  exitRequest(): void {
    this.#lock.unlock();
    this.#authorised();
    if (this.#mode !== 'held') this.#armRelock();
  }

  /** Relock now (remote `lock`), leaving held mode (lockdown stays). */
  lockNow(): void {
    this.#clearRelock();
    if (this.#mode === 'held') this.#mode = 'normal';
    this.#relock();
  }

  /** Remote `hold`: unlocked until `release`. False in lockdown. */
  hold(): boolean {
    if (this.#mode === 'lockdown') return false;
    this.#clearRelock();
    this.#lock.unlock();
    this.#authorised();
    this.#mode = 'held';
    this.#clearHeldTimer();
    this.#removeAlarm('held-open');
    this.#emitState();
    return true;
  }

  /** Remote `lockdown`: locked now, cards refused until `release`. */
  lockdown(): void {
    this.#clearRelock();
    this.#mode = 'lockdown';
    this.#relock();
  }

  /** Back to normal from held or lockdown, locked. */
  release(): void {
    if (this.#mode === 'normal') return;
    this.#mode = 'normal';
    this.#clearRelock();
    if (this.#contact?.state === 'open') this.#startHeldTimer();
    this.#relock();
  }

  state(): DoorState {
    const c = this.#contact?.state;
    const s: DoorState = {
      v: 1,
      ts: this.#now(),
      door: this.id,
      lock: this.#lock.state,
      contact: c ?? 'unknown',
      mode: this.#mode,
      alarms: [...this.#alarms],
    };
    if (this.#relockAt !== undefined) s.relockAt = this.#relockAt;
    return s;
  }

  #onContact = (c: ContactState): void => {
    if (c === 'open') {
      if (this.#lock.state === 'unlocked') this.#openedSinceUnlock = true;
      else if (this.#now() - this.#lockedAt >= this.#confirmMs()) this.#startForcedTimer();
      if (this.#mode !== 'held') this.#startHeldTimer();
      this.#emitState();
      return;
    }
    this.#clearAlarmTimers();
    this.#alarms.clear();
    if (this.#lock.state === 'unlocked' && this.#mode !== 'held' && this.#openedSinceUnlock) {
      this.#clearRelock();
      this.#relock();
      return;
    }
    this.#emitState();
  };

  /** A grant or exit request: an opening that is under way is not forced. */
  #authorised(): void {
    if (this.#forcedTimer) clearTimeout(this.#forcedTimer);
    this.#forcedTimer = undefined;
    if (this.#contact?.state === 'open') this.#openedSinceUnlock = true;
  }

  #armRelock(): void {
    this.#clearRelock();
    this.#relockAt = this.#now() + this.#o.unlockMs;
    this.#relockTimer = setTimeout(this.#onRelockTimer, this.#o.unlockMs);
    this.#emitState();
  }

  #onRelockTimer = (): void => {
    this.#relockTimer = undefined;
    this.#relock();
  };

  #relock(): void {
    this.#lock.lock();
    this.#lockedAt = this.#now();
    this.#relockAt = undefined;
    this.#openedSinceUnlock = false;
    this.#emitState();
  }

  #startForcedTimer(): void {
    if (this.#forcedTimer || this.#alarms.has('forced-open')) return;
    this.#forcedTimer = setTimeout(() => {
      this.#forcedTimer = undefined;
      if (this.#contact?.state === 'open' && this.#lock.state === 'locked') this.#raise('forced-open');
    }, this.#confirmMs());
  }

  #startHeldTimer(): void {
    const ms = this.#o.heldOpenMs ?? 0;
    if (ms <= 0 || this.#heldTimer || this.#alarms.has('held-open')) return;
    this.#heldTimer = setTimeout(() => {
      this.#heldTimer = undefined;
      if (this.#contact?.state === 'open' && this.#mode !== 'held') this.#raise('held-open');
    }, ms);
  }

  #raise(alarm: DoorAlarm): void {
    this.#alarms.add(alarm);
    this.emit('activity', alarm);
    this.#emitState();
  }

  #removeAlarm(alarm: DoorAlarm): void {
    this.#alarms.delete(alarm);
  }

  #confirmMs(): number {
    return this.#o.forcedConfirmMs ?? FORCED_CONFIRM_MS;
  }

  #clearRelock(): void {
    if (this.#relockTimer) clearTimeout(this.#relockTimer);
    this.#relockTimer = undefined;
    this.#relockAt = undefined;
  }

  #clearHeldTimer(): void {
    if (this.#heldTimer) clearTimeout(this.#heldTimer);
    this.#heldTimer = undefined;
  }

  #clearAlarmTimers(): void {
    this.#clearHeldTimer();
    if (this.#forcedTimer) clearTimeout(this.#forcedTimer);
    this.#forcedTimer = undefined;
  }

  #emitState(): void {
    if (this.listenerCount('state') > 0) this.emit('state', this.state());
  }
}
