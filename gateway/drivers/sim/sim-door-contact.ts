// Simulated door contact (reed switch). Starts closed, as a door at rest.
import type { ContactState, DoorContact } from '../types.ts';
import { SimDevice } from './sim-device.ts';

export class SimDoorContact extends SimDevice<{ change: [ContactState] }> implements DoorContact {
  #state: ContactState = 'closed';

  constructor(id: string, now?: () => number) {
    super(id, 'door-contact', now);
  }

  get state(): ContactState {
    return this.#state;
  }

  /** Opens or closes the door; emits only on a change. False when not started. */
  set(open: boolean): boolean {
    if (!this.started) return false;
    this.seen();
    const next: ContactState = open ? 'open' : 'closed';
    if (next !== this.#state) {
      this.#state = next;
      this.emit('change', next);
    }
    return true;
  }
}
