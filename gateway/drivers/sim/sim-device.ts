// Shared plumbing of the simulated devices: started flag, lastSeen, health, firmware and an
// injected fault. A simulated device is driven by the sim control API
// (gateway/sim/control-server.ts), never by a timer of its own.
import { EventEmitter } from 'node:events';
import type { DeviceHealthState, DeviceKind } from '../types.ts';

/** What every simulated device reports as its firmware. */
export const SIM_FIRMWARE = 'sim 1.0';

export abstract class SimDevice<E extends Record<keyof E, unknown[]>> extends EventEmitter<E & { health: [DeviceHealthState] }> {
  #started = false;
  #lastSeen: number | undefined;
  #fault: string | null = null;

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

  /** The injected fault (`POST /sim/fault`), null when none. */
  get fault(): string | null {
    return this.#fault;
  }

  start(): void {
    this.#started = true;
    this.#lastSeen = this.now();
  }

  stop(): void {
    this.#started = false;
  }

  health(): DeviceHealthState {
    const h: DeviceHealthState = { state: this.#fault === null ? 'ok' : 'fault', firmware: SIM_FIRMWARE };
    if (this.#fault !== null) h.error = this.#fault;
    if (this.#lastSeen !== undefined) h.lastSeen = this.#lastSeen;
    return h;
  }

  /**
   * Puts the device into fault with `error` (null clears it), as a real driver does when its
   * hardware stops answering; emits `health` when that changes anything. Only the reported
   * health changes: the simulated device keeps working, so a test can watch the report alone.
   */
  setFault(error: string | null): void {
    if (error === this.#fault) return;
    this.#fault = error;
    (this as EventEmitter<{ health: [DeviceHealthState] }>).emit('health', this.health());
  }

  protected seen(): void {
    this.#lastSeen = this.now();
  }
}
