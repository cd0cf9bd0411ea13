// Debounced GPIO inputs: door contact, exit button, PIR. An edge (re)starts a `debounceMs`
// timer; when it runs out the pin is read once and only a changed level counts, so contact
// bounce and relay noise never reach the door controller. Decide from the level read after
// the quiet time, never from the edge (protocols.md §3.1 note: by the time user space wakes up
// the line may already have changed again).
// `activeLow: true`: the input is active (door open, button pressed, motion) when it reads 0.
import { EventEmitter } from 'node:events';
import type { ContactState, DeviceHealthState, DeviceKind, DoorContact, ExitButton, PresenceSensor, SensorSample } from '../types.ts';
import { GpioUnavailableError, type GpioBackend, type GpioLine, type Level } from './gpio-port.ts';

export interface GpioInputOptions {
  pin: number;
  activeLow?: boolean;
  debounceMs?: number;
  gpio: () => Promise<GpioBackend>;
  now?: () => number;
}

type Events<E> = E & { health: [DeviceHealthState] };

abstract class GpioInput<E extends Record<keyof E, unknown[]>> extends EventEmitter<Events<E>> {
  readonly #o: GpioInputOptions;
  protected readonly now: () => number;
  #line: GpioLine | undefined;
  #timer: NodeJS.Timeout | undefined;
  #active: boolean | null = null;
  #error: string | undefined;
  #lastSeen: number | undefined;

  constructor(
    readonly id: string,
    readonly kind: DeviceKind,
    opts: GpioInputOptions,
    readonly defaultDebounceMs: number,
  ) {
    super();
    this.#o = opts;
    this.now = opts.now ?? Date.now;
  }

  /** Debounced level: true = active; null before start. */
  protected get active(): boolean | null {
    return this.#active;
  }

  protected abstract changed(active: boolean): void;

  async start(): Promise<void> {
    if (this.#line) return;
    const backend = await this.#o.gpio();
    try {
      const line = await backend.input(this.#o.pin);
      this.#line = line;
      line.onFault?.((message) => this.#fault(message));
      this.#active = this.#toActive(line.read());
      this.#lastSeen = this.now();
      line.watch(this.#onEdge);
    } catch (err) {
      if (err instanceof GpioUnavailableError) throw err;
      this.#fault((err as Error).message);
    }
  }

  #fault(message: string): void {
    this.#error = message;
    (this as EventEmitter<{ health: [DeviceHealthState] }>).emit('health', this.health());
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#line?.release();
    this.#line = undefined;
  }

  health(): DeviceHealthState {
    const h: DeviceHealthState = { state: this.#error ? 'fault' : 'ok' };
    if (this.#error) h.error = this.#error;
    if (this.#lastSeen !== undefined) h.lastSeen = this.#lastSeen;
    return h;
  }

  #toActive(level: Level): boolean {
    return this.#o.activeLow ? level === 0 : level === 1;
  }

  #onEdge = (): void => {
    const ms = this.#o.debounceMs ?? this.defaultDebounceMs;
    if (ms <= 0) return this.#settle();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(this.#settle, ms);
  };

  #settle = (): void => {
    this.#timer = undefined;
    const line = this.#line;
    if (!line) return;
    const active = this.#toActive(line.read());
    if (active === this.#active) return;
    this.#active = active;
    this.#lastSeen = this.now();
    this.changed(active);
  };
}

/** Reed contact: active = door open. */
export class GpioDoorContact extends GpioInput<{ change: [ContactState] }> implements DoorContact {
  constructor(id: string, opts: GpioInputOptions) {
    super(id, 'door-contact', opts, 50);
  }

  get state(): ContactState | null {
    const a = this.active;
    return a === null ? null : a ? 'open' : 'closed';
  }

  protected changed(active: boolean): void {
    this.emit('change', active ? 'open' : 'closed');
  }
}

/** Request-to-exit button: a press is the debounced change to active. */
export class GpioExitButton extends GpioInput<{ press: [] }> implements ExitButton {
  constructor(id: string, opts: GpioInputOptions) {
    super(id, 'exit-button', opts, 30);
  }

  protected changed(active: boolean): void {
    if (active) this.emit('press');
  }
}

/** PIR motion output (e.g. HC-SR501: high while it sees motion); the desk adds the hold time. */
export class GpioPir extends GpioInput<{ presence: [boolean] }> implements PresenceSensor {
  constructor(id: string, opts: GpioInputOptions) {
    super(id, 'presence-sensor', opts, 100);
  }

  get present(): boolean | null {
    return this.active;
  }

  readings(): SensorSample[] {
    return this.active === null ? [] : [{ kind: 'motion', value: this.active ? 1 : 0 }];
  }

  protected changed(active: boolean): void {
    this.emit('presence', active);
  }
}
