// A lock relay on a GPIO output. The relay levels come from two facts of the site:
//  - failMode says what the lock does when the Pi dies. The pin then stops being driven and the
//    relay falls back to de-energised, so the de-energised relay IS the fail state:
//    fail-secure (a power-to-open strike): de-energised = locked, energised = unlocked;
//    fail-safe (a maglock, power-to-hold): de-energised = unlocked, energised = locked.
//  - activeLow says what energises the relay: most opto-isolated relay boards pull in on a low
//    input (activeLow: true), bare transistor drivers on a high one.
// The output is exported already at the locked level, so the door does not click open at boot.
// On sysfs it is left driven on stop, so a gateway restart does not drop a fail-safe maglock; on
// the character device the line goes with the process that holds it (gateway/README.md, "GPIO").
import { EventEmitter } from 'node:events';
import type { DeviceHealthState, Lock, LockState } from '../types.ts';
import { GpioUnavailableError, type GpioBackend, type GpioLine, type Level } from './gpio-port.ts';

export type FailMode = 'secure' | 'safe';

export function relayLevels(failMode: FailMode, activeLow: boolean): Record<LockState, Level> {
  const energised: Level = activeLow ? 0 : 1;
  const released: Level = activeLow ? 1 : 0;
  return failMode === 'secure' ? { locked: released, unlocked: energised } : { locked: energised, unlocked: released };
}

export interface GpioLockOptions {
  pin: number;
  failMode: FailMode;
  activeLow?: boolean;
  gpio: () => Promise<GpioBackend>;
  now?: () => number;
}

export class GpioLock extends EventEmitter<{ driven: [LockState]; health: [DeviceHealthState] }> implements Lock {
  readonly kind = 'lock' as const;
  readonly #o: GpioLockOptions;
  readonly #levels: Record<LockState, Level>;
  readonly #now: () => number;
  #line: GpioLine | undefined;
  #state: LockState = 'locked';
  #operations = 0;
  #error: string | undefined;
  #lastSeen: number | undefined;

  constructor(
    readonly id: string,
    opts: GpioLockOptions,
  ) {
    super();
    this.#o = opts;
    this.#levels = relayLevels(opts.failMode, opts.activeLow ?? false);
    this.#now = opts.now ?? Date.now;
  }

  get state(): LockState {
    return this.#state;
  }

  get operations(): number {
    return this.#operations;
  }

  async start(): Promise<void> {
    if (this.#line) return;
    const backend = await this.#o.gpio();
    try {
      this.#line = await backend.output(this.#o.pin, this.#levels.locked);
      this.#line.onFault?.((message) => this.#fault(message));
      this.#state = 'locked';
      this.#lastSeen = this.#now();
    } catch (err) {
      if (err instanceof GpioUnavailableError) throw err;
      this.#fault((err as Error).message);
    }
  }

  stop(): void {
    this.#line?.release();
    this.#line = undefined;
  }

  unlock(): void {
    this.#drive('unlocked');
  }

  lock(): void {
    this.#drive('locked');
  }

  health(): DeviceHealthState {
    const h: DeviceHealthState = { state: this.#error ? 'fault' : 'ok' };
    if (this.#error) h.error = this.#error;
    if (this.#lastSeen !== undefined) h.lastSeen = this.#lastSeen;
    return h;
  }

  #drive(state: LockState): void {
    this.#state = state;
    this.#operations++;
    if (this.#line) {
      try {
        this.#line.write(this.#levels[state]);
        this.#lastSeen = this.#now();
        if (this.#error) this.#fault(undefined);
      } catch (err) {
        this.#fault(`cannot drive GPIO ${this.#o.pin}: ${(err as Error).message}`);
      }
    }
    this.emit('driven', state);
  }

  #fault(error: string | undefined): void {
    this.#error = error;
    this.emit('health', this.health());
  }
}
