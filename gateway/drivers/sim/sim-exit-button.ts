// Simulated request-to-exit button.
import type { ExitButton } from '../types.ts';
import { SimDevice } from './sim-device.ts';

export class SimExitButton extends SimDevice<{ press: [] }> implements ExitButton {
  #presses = 0;

  constructor(id: string, now?: () => number) {
    super(id, 'exit-button', now);
  }

  get presses(): number {
    return this.#presses;
  }

  press(): boolean {
    if (!this.started) return false;
    this.seen();
    this.#presses++;
    this.emit('press');
    return true;
  }
}
