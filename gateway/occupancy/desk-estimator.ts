// Occupancy of one desk from its presence sources (ARCHITECTURE.md, flow 3): PIRs (motion),
// LD2410 radars (moving or stationary target, protocols.md §4.2) and simulated sensors, all seen
// as levels and combined with OR. Hysteresis on both edges:
//  - free → occupied once presence has lasted `enterMs`, gaps shorter than `enterMs` bridged
//    (a PIR pulses while someone settles in). A passer-by is seen for a second or two and
//    does not take the desk. 0 = at once.
//  - occupied → free only after `holdMs` without any presence. A PIR sees nobody who sits
//    still; a radar's stationary target keeps the level up for as long as they sit.
// A sensor in fault (or that has not read yet) says nothing; when every sensor of the desk is in
// fault the desk is unknown (`occupied: null`), not the last state it had: a dead PIR must not
// keep a desk "occupied" on the floor plan and in the counts (issue 13, finding 7).
// Emits `change` only when occupied/free/unknown actually changes (it is published retained).
import { EventEmitter } from 'node:events';
import type { DeskOccupancy } from '../../contracts/payloads.ts';
import type { PresenceSensor } from '../drivers/types.ts';

export const DEFAULT_HOLD_MS = 120_000;
export const DEFAULT_ENTER_MS = 10_000;

export interface DeskEstimatorOptions {
  desk: string;
  sensors: readonly PresenceSensor[];
  holdMs?: number;
  enterMs?: number;
  now?: () => number;
}

export class DeskEstimator extends EventEmitter<{ change: [DeskOccupancy] }> {
  readonly desk: string;
  readonly #sensors: readonly PresenceSensor[];
  readonly #holdMs: number;
  readonly #enterMs: number;
  readonly #now: () => number;
  #current: DeskOccupancy | undefined;
  /** Free: start of the presence episode under way, if any. */
  #episodeAt: number | undefined;
  /** Free: when presence last ended during the episode (undefined while present). */
  #quietAt: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #started = false;

  constructor(opts: DeskEstimatorOptions) {
    super();
    this.desk = opts.desk;
    this.#sensors = opts.sensors;
    this.#holdMs = opts.holdMs ?? DEFAULT_HOLD_MS;
    this.#enterMs = opts.enterMs ?? DEFAULT_ENTER_MS;
    this.#now = opts.now ?? Date.now;
  }

  /** Current estimate; undefined until a sensor has said anything. */
  current(): DeskOccupancy | undefined {
    return this.#current;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const s of this.#sensors) {
      s.on('presence', this.#onPresence);
      s.on('health', this.#onPresence);
    }
    // Sensors that know their state at boot give the first estimate (an empty desk: free).
    if (this.#sensors.some((s) => s.present !== null || s.health().state === 'fault')) this.#evaluate();
  }

  stop(): void {
    if (!this.#started) return;
    this.#started = false;
    for (const s of this.#sensors) {
      s.off('presence', this.#onPresence);
      s.off('health', this.#onPresence);
    }
    this.#clearTimer();
  }

  #onPresence = (): void => {
    this.#evaluate();
  };

  /** Sensors that can say something now: not in fault, and read at least once. */
  #usable(): PresenceSensor[] {
    return this.#sensors.filter((s) => s.present !== null && s.health().state !== 'fault');
  }

  #present(): boolean {
    return this.#usable().some((s) => s.present === true);
  }

  /** Called on every reading, health change and timer; a repeated reading changes nothing. */
  #evaluate(): void {
    const now = this.#now();
    if (this.#usable().length === 0) {
      if (this.#sensors.some((s) => s.health().state === 'fault')) this.#setUnknown();
      return;
    }
    // Back from unknown: a fresh estimate, as at boot.
    if (this.#current?.occupied === null) this.#current = undefined;
    const present = this.#present();
    if (this.#current?.occupied) {
      if (present) this.#clearTimer();
      else if (!this.#timer) this.#timer = setTimeout(this.#onTimer, this.#holdMs);
      return;
    }
    if (!present) {
      if (this.#current === undefined) this.#set(false);
      if (this.#episodeAt === undefined) return;
      this.#quietAt ??= now;
      if (now - this.#quietAt >= this.#enterMs) this.#endEpisode();
      else this.#arm(this.#quietAt + this.#enterMs - now);
      return;
    }
    this.#quietAt = undefined;
    this.#episodeAt ??= now;
    if (now - this.#episodeAt >= this.#enterMs) {
      this.#endEpisode();
      this.#set(true);
      return;
    }
    if (this.#current === undefined) this.#set(false);
    this.#arm(this.#episodeAt + this.#enterMs - now);
  }

  #onTimer = (): void => {
    this.#timer = undefined;
    if (this.#current?.occupied) {
      if (!this.#present()) this.#set(false);
      return;
    }
    this.#evaluate();
  };

  #arm(ms: number): void {
    this.#clearTimer();
    this.#timer = setTimeout(this.#onTimer, Math.max(0, ms));
  }

  #endEpisode(): void {
    this.#episodeAt = this.#quietAt = undefined;
    this.#clearTimer();
  }

  #setUnknown(): void {
    this.#endEpisode();
    if (this.#current?.occupied === null) return;
    const now = this.#now();
    this.#current = { v: 1, ts: now, desk: this.desk, occupied: null, since: now };
    this.emit('change', this.#current);
  }

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
