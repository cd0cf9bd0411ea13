// Simulated lock relay. Counts every drive (unlock or lock call), so tests and the benchmark
// can tell whether a decision reached the hardware.
import type { Lock, LockState } from '../types.ts';
import { SimDevice } from './sim-device.ts';

export class SimLock extends SimDevice<{ driven: [LockState] }> implements Lock {
  #state: LockState = 'locked';
  #operations = 0;

  constructor(id: string, now?: () => number) {
    super(id, 'lock', now);
  }

  get state(): LockState {
    return this.#state;
  }

  /** How many times the relay was driven since the process started. */
  get operations(): number {
    return this.#operations;
  }

  unlock(): void {
    this.#drive('unlocked');
  }

  lock(): void {
    this.#drive('locked');
  }

  #drive(state: LockState): void {
    this.#state = state;
    this.#operations++;
    this.emit('driven', state);
  }
}
