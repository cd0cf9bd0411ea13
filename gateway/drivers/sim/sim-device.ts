// Shared plumbing of the simulated devices: started flag, lastSeen, health. A simulated device
// is driven by the sim control API (gateway/sim/control-server.ts), never by a timer of its own.
import { EventEmitter } from 'node:events';
import type { DeviceHealthState, DeviceKind } from '../types.ts';

export abstract class SimDevice<E extends Record<keyof E, unknown[]>> extends EventEmitter<E & { health: [DeviceHealthState] }> {
  #started = false;
  #lastSeen: number | undefined;

  constructor(
    readonly id: string,
    readonly kind: DeviceKind,
    protected readonly now: () => number = Date.now,
  ) {
    super();
  }

  get started(): boolean {
    return this.#started;
  }

  start(): void {
    this.#started = true;
    this.#lastSeen = this.now();
  }

  stop(): void {
    this.#started = false;
  }

  health(): DeviceHealthState {
    return this.#lastSeen === undefined ? { state: 'ok' } : { state: 'ok', lastSeen: this.#lastSeen };
  }

  protected seen(): void {
    this.#lastSeen = this.now();
  }
}
