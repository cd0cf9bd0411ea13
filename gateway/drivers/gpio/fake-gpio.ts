// GPIO without a Pi: pins in memory. The GPIO drivers' tests use it, and `--gpio fake` runs a
// Pi config on any machine with the pins driven through the sim control API (`POST /sim/gpio`).
import type { GpioBackend, GpioLine, Level } from './gpio-port.ts';

export interface FakePinState {
  direction: 'in' | 'out';
  level: Level;
  /** Writes to an output since it was exported. */
  writes: number;
}

interface FakePin extends FakePinState {
  watchers: Array<(level: Level) => void>;
}

export class FakeGpio implements GpioBackend {
  readonly name = 'fake';
  readonly #pins = new Map<number, FakePin>();
  /** Level of an input before it is exported (pull resistors of a real board). */
  readonly #idle = new Map<number, Level>();

  input(bcm: number): GpioLine {
    const pin = this.#export(bcm, 'in', this.#idle.get(bcm) ?? 0);
    return this.#line(bcm, pin);
  }

  output(bcm: number, initial: Level): GpioLine {
    const pin = this.#export(bcm, 'out', initial);
    return this.#line(bcm, pin);
  }

  /** Drives an input as the outside world would; edges reach watchers synchronously. */
  set(bcm: number, level: Level): boolean {
    const pin = this.#pins.get(bcm);
    if (!pin) {
      this.#idle.set(bcm, level);
      return false;
    }
    if (pin.direction !== 'in' || pin.level === level) return pin.direction === 'in';
    pin.level = level;
    for (const w of [...pin.watchers]) w(level);
    return true;
  }

  pin(bcm: number): FakePinState | undefined {
    const p = this.#pins.get(bcm);
    return p && { direction: p.direction, level: p.level, writes: p.writes };
  }

  snapshot(): Record<string, FakePinState> {
    return Object.fromEntries([...this.#pins.keys()].sort((a, b) => a - b).map((k) => [String(k), this.pin(k)!]));
  }

  #export(bcm: number, direction: 'in' | 'out', level: Level): FakePin {
    if (this.#pins.has(bcm)) throw new Error(`cannot use GPIO ${bcm}: already exported (Device or resource busy)`);
    const pin: FakePin = { direction, level, writes: 0, watchers: [] };
    this.#pins.set(bcm, pin);
    return pin;
  }

  #line(bcm: number, pin: FakePin): GpioLine {
    return {
      read: () => pin.level,
      write: (level) => {
        pin.level = level;
        pin.writes++;
      },
      watch: (onEdge) => void pin.watchers.push(onEdge),
      release: () => {
        pin.watchers.length = 0;
        if (this.#pins.get(bcm) === pin) this.#pins.delete(bcm);
      },
    };
  }
}
