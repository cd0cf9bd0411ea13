// One door: lock, optional contact, the unlock timer and the door's state.
// locked → grant → unlocked for unlockMs → relocked. A grant while unlocked extends the time.
// With a contact: a door that was opened during the unlock relocks as soon as it closes again
// (no tailgating window), and a door opening while locked raises `forced-open`.
import { EventEmitter } from 'node:events';
import type { DoorState } from '../../contracts/payloads.ts';
import type { ContactState, DoorContact, Lock } from '../drivers/types.ts';

export type DoorMode = DoorState['mode'];
export type DoorActivityKind = 'forced-open';

export interface DoorControllerOptions {
  id: string;
  unlockMs: number;
  lock: Lock;
  contact?: DoorContact;
  now?: () => number;
}

interface DoorEvents {
  /** Every change of lock, contact, mode, alarms or relock time. */
  state: [DoorState];
  activity: [DoorActivityKind];
}

export class DoorController extends EventEmitter<DoorEvents> {
  readonly id: string;
  readonly #unlockMs: number;
  readonly #lock: Lock;
  readonly #contact: DoorContact | undefined;
  readonly #now: () => number;
  #mode: DoorMode = 'normal';
  #forcedOpen = false;
  #openedSinceUnlock = false;
  #relockAt: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #started = false;

  constructor(opts: DoorControllerOptions) {
    super();
    this.id = opts.id;
    this.#unlockMs = opts.unlockMs;
    this.#lock = opts.lock;
    this.#contact = opts.contact;
    this.#now = opts.now ?? Date.now;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#contact?.on('change', this.#onContact);
  }

  /** Relocks a door left unlocked: a graceful stop leaves every door locked. */
  stop(): void {
    if (!this.#started) return;
    this.#started = false;
    this.#contact?.off('change', this.#onContact);
    this.#clearTimer();
    this.#mode = 'normal';
    if (this.#lock.state === 'unlocked') this.#lock.lock();
  }

  /**
   * Access granted: drive the lock open now (the very first thing: this is the latency that
   * members feel), then (re)start the relock timer. Every grant drives the relay, even when it
   * is already open, so that a stuck relay gets a second chance.
   */
  grant(): void {
    this.#lock.unlock();
    if (this.#mode === 'held') return;
    this.#clearTimer();
    this.#relockAt = this.#now() + this.#unlockMs;
    this.#timer = setTimeout(this.#onRelockTimer, this.#unlockMs);
    this.#emitState();
  }

  /** Relock now (remote `lock`), leaving held mode too. */
  lockNow(): void {
    this.#clearTimer();
    this.#mode = 'normal';
    this.#relock();
  }

  /** Remote `hold`: unlocked until `release`. */
  hold(): void {
    this.#clearTimer();
    this.#lock.unlock();
    this.#mode = 'held';
    this.#emitState();
  }

  release(): void {
    if (this.#mode !== 'held') return;
    this.lockNow();
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
      alarms: this.#forcedOpen ? ['forced-open'] : [],
    };
    if (this.#relockAt !== undefined) s.relockAt = this.#relockAt;
    return s;
  }

  #onRelockTimer = (): void => {
    this.#timer = undefined;
    this.#relock();
  };

  #onContact = (c: ContactState): void => {
    const unlocked = this.#lock.state === 'unlocked';
    if (c === 'open') {
      if (unlocked) this.#openedSinceUnlock = true;
      else if (!this.#forcedOpen) {
        this.#forcedOpen = true;
        this.emit('activity', 'forced-open');
      }
      this.#emitState();
      return;
    }
    this.#forcedOpen = false;
    if (unlocked && this.#mode === 'normal' && this.#openedSinceUnlock) {
      this.#clearTimer();
      this.#relock();
      return;
    }
    this.#emitState();
  };

  #relock(): void {
    this.#lock.lock();
    this.#relockAt = undefined;
    this.#openedSinceUnlock = false;
    this.#emitState();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#relockAt = undefined;
  }

  #emitState(): void {
    if (this.listenerCount('state') > 0) this.emit('state', this.state());
  }
}
