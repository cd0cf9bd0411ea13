// Occupancy of one desk from its presence sensor (ARCHITECTURE.md, flow 3): presence makes
// the desk occupied at once; it becomes free only after `holdMs` without presence, because a
// PIR sees nobody who sits still. Emits `change` only when occupied/free actually changes.
import { EventEmitter } from 'node:events';
import type { DeskOccupancy } from '../../contracts/payloads.ts';
import type { PresenceSensor } from '../drivers/types.ts';

export const DEFAULT_HOLD_MS = 60_000;

export interface DeskEstimatorOptions {
  desk: string;
  sensor: PresenceSensor;
  holdMs?: number;
  now?: () => number;
}

export class DeskEstimator extends EventEmitter<{ change: [DeskOccupancy] }> {
  readonly desk: string;
  readonly #sensor: PresenceSensor;
  readonly #holdMs: number;
  readonly #now: () => number;
  #current: DeskOccupancy | undefined;
  #timer: NodeJS.Timeout | undefined;
  #started = false;

  constructor(opts: DeskEstimatorOptions) {
    super();
    this.desk = opts.desk;
    this.#sensor = opts.sensor;
    this.#holdMs = opts.holdMs ?? DEFAULT_HOLD_MS;
    this.#now = opts.now ?? Date.now;
  }

  /** Current estimate; undefined until the sensor has said anything. */
  current(): DeskOccupancy | undefined {
    return this.#current;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#sensor.on('presence', this.#onPresence);
    // A sensor that knows its state at boot gives the first estimate (an empty desk: free).
    if (this.#sensor.present !== null) this.#set(this.#sensor.present);
  }

  stop(): void {
    if (!this.#started) return;
    this.#started = false;
    this.#sensor.off('presence', this.#onPresence);
    this.#clearTimer();
  }

  #onPresence = (present: boolean): void => {
    if (present) {
      this.#clearTimer();
      this.#set(true);
    } else if (this.#current?.occupied !== false && !this.#timer) {
      if (this.#current === undefined) this.#set(false);
      else this.#timer = setTimeout(this.#onHoldOver, this.#holdMs);
    }
  };

  #onHoldOver = (): void => {
    this.#timer = undefined;
    this.#set(false);
  };

  #set(occupied: boolean): void {
    if (this.#current?.occupied === occupied) return;
    const now = this.#now();
    this.#current = { v: 1, ts: now, desk: this.desk, occupied, since: now };
    this.emit('change', this.#current);
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
