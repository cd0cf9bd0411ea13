// The tiny port the GPIO drivers need, so that their logic runs the same on a Pi (sysfs through
// onoff, or the character device through Debian's gpiod tools) and against the fake beside them
// (fake-gpio.ts: tests, and `--gpio fake` for a trial run of a Pi config on any machine). Pins
// are BCM numbers here; the backend maps them to its chip (sysfs base, or chardev line offset).

export type Level = 0 | 1;

export interface GpioLine {
  read(): Level;
  write(level: Level): void;
  /** Calls back on every edge (both directions) with the level read after it. */
  watch(onEdge: (level: Level) => void): void;
  /**
   * Stops watching and lets the pin go. sysfs: an output keeps driving its last level (a lock
   * stays locked across a gateway restart). chardev: the line is released with its process and
   * its level is no longer guaranteed (gateway/README.md, "GPIO"). An input is released.
   */
  release(): void;
  /** Called when the line is lost after it was opened (its holding process died, …). */
  onFault?(cb: (message: string) => void): void;
}

export interface GpioBackend {
  readonly name: string;
  /** An input; a backend that must ask another process first answers with a promise. */
  input(bcm: number): GpioLine | Promise<GpioLine>;
  /** Exported as an output already at `initial`: no glitch on the relay at boot. */
  output(bcm: number, initial: Level): GpioLine | Promise<GpioLine>;
}

/** GPIO cannot be used at all on this machine (no GPIO chip, no permission, no gpiod tools). */
export class GpioUnavailableError extends Error {
  readonly code = 'SS_ERR_GPIO_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GpioUnavailableError';
  }
}

/** Finds a GpioUnavailableError in an error's cause chain (Lifecycle wraps start failures). */
export function findGpioUnavailable(err: unknown): GpioUnavailableError | undefined {
  for (let e = err, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof GpioUnavailableError) return e;
  }
  return undefined;
}
