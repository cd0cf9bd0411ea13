// GPIO on a Raspberry Pi through onoff (sysfs). onoff writes the number it is given to
// /sys/class/gpio/export without a chip-base offset (protocols.md §7.4), so this backend adds
// the detected base (§7.3) to every BCM number. The only file that imports onoff; it is
// imported lazily, so sites without GPIO bindings never load it (nor its native epoll module).
import type { Gpio as OnoffGpio } from 'onoff';
import { DEFAULT_SYSFS_GPIO, detectPiHeaderChip, PI_HEADER_CHIP_LABELS } from './chip-base.ts';
import { GpioUnavailableError, type GpioBackend, type GpioLine, type Level } from './gpio-port.ts';

export interface OnoffBackendOptions {
  /** Where to look for gpiochip* (default /sys/class/gpio). */
  sysfsRoot?: string;
  /** sysfs number of BCM 0, when detection cannot work (not a Pi header chip). */
  base?: number;
}

export class OnoffBackend implements GpioBackend {
  readonly name = 'onoff';

  private constructor(
    private readonly Gpio: typeof OnoffGpio,
    readonly base: number,
    private readonly ngpio: number,
  ) {}

  /** Throws GpioUnavailableError, with one sentence saying why, when GPIO cannot be used here. */
  static async create(opts: OnoffBackendOptions = {}): Promise<OnoffBackend> {
    let Gpio: typeof OnoffGpio;
    try {
      ({ Gpio } = await import('onoff'));
    } catch (err) {
      throw new GpioUnavailableError(`GPIO is not accessible: the onoff module cannot load here (${(err as Error).message})`, { cause: err });
    }
    if (!Gpio.accessible) {
      throw new GpioUnavailableError(
        'GPIO is not accessible: /sys/class/gpio/export cannot be opened for writing (not a Raspberry Pi, or this user is not in the gpio group)',
      );
    }
    if (opts.base !== undefined) return new OnoffBackend(Gpio, opts.base, 64);
    const root = opts.sysfsRoot ?? DEFAULT_SYSFS_GPIO;
    const chip = detectPiHeaderChip(root);
    if (!chip) {
      throw new GpioUnavailableError(
        `GPIO is not accessible: no Raspberry Pi header chip (${PI_HEADER_CHIP_LABELS.join(', ')}) under ${root}; set gateways[].gpio.base for other boards`,
      );
    }
    return new OnoffBackend(Gpio, chip.base, chip.ngpio);
  }

  input(bcm: number): GpioLine {
    const g = this.#open(bcm, () => new this.Gpio(this.#sysfs(bcm), 'in', 'both'));
    return {
      read: () => g.readSync(),
      write: (level) => g.writeSync(level),
      watch: (onEdge) => g.watch((err, value) => !err && onEdge(value)),
      release: () => g.unexport(),
    };
  }

  output(bcm: number, initial: Level): GpioLine {
    // 'high' / 'low' sets the direction and the level in one write: the relay never glitches.
    const g = this.#open(bcm, () => new this.Gpio(this.#sysfs(bcm), initial === 1 ? 'high' : 'low'));
    return {
      read: () => g.readSync(),
      write: (level) => g.writeSync(level),
      watch: () => undefined,
      // Not unexported: the pin keeps its level until the next start (or the Pi dies).
      release: () => undefined,
    };
  }

  #sysfs(bcm: number): number {
    // §7.3: sanity-check BCM < ngpio.
    if (bcm >= this.ngpio) throw new RangeError(`GPIO ${bcm} is beyond this chip (${this.ngpio} lines)`);
    return this.base + bcm;
  }

  #open(bcm: number, make: () => OnoffGpio): OnoffGpio {
    try {
      return make();
    } catch (err) {
      throw new Error(`cannot use GPIO ${bcm} (sysfs ${this.base + bcm}): ${(err as Error).message}`, { cause: err });
    }
  }
}
