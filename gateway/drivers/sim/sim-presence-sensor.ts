// Simulated presence sensor (PIR or radar). Starts absent: an empty desk at boot.
import type { PresenceSensor } from '../types.ts';
import { SimDevice } from './sim-device.ts';

export class SimPresenceSensor extends SimDevice<{ presence: [boolean] }> implements PresenceSensor {
  #present = false;

  constructor(id: string, now?: () => number) {
    super(id, 'presence-sensor', now);
  }

  get present(): boolean {
    return this.#present;
  }

  /** Every reading is emitted (a PIR re-triggers), change or not. False when not started. */
  set(present: boolean): boolean {
    if (!this.started) return false;
    this.seen();
    this.#present = present;
    this.emit('presence', present);
    return true;
  }
}
