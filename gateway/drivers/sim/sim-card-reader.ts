// Simulated card reader: `tap(uid)` is a card held to the reader.
import type { CardRead, CardReader } from '../types.ts';
import { SimDevice } from './sim-device.ts';

export class SimCardReader extends SimDevice<{ card: [CardRead] }> implements CardReader {
  constructor(id: string, now?: () => number) {
    super(id, 'card-reader', now);
  }

  /** Emits the read synchronously; false when the reader is not started. */
  tap(uid: string): boolean {
    if (!this.started) return false;
    this.seen();
    this.emit('card', { readerId: this.id, uid });
    return true;
  }
}
