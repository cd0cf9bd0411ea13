// Simulated presence sensor (PIR or radar). Starts absent: an empty desk at boot.
import type { PresenceSensor, SensorSample } from '../types.ts';
import { SimDevice } from './sim-device.ts';

export class SimPresenceSensor extends SimDevice<{ presence: [boolean] }> implements PresenceSensor {
  #present = false;

  constructor(id: string, now?: () => number) {
    super(id, 'presence-sensor', now);
  }

  get present(): boolean {
    return this.#present;
  }

  /** Its motion level, as a PIR on GPIO reports it: the demo's sensors write readings history too. */
  readings(): SensorSample[] {
    return this.started ? [{ kind: 'motion', value: this.#present ? 1 : 0 }] : [];
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
