// The single place that maps a config binding to a driver: `sim` (the demo and the tests),
// `serial` (card readers, LD2410 radars) and `gpio` (lock relay, contact, exit button, PIR).
// The schema's per-driver bindings (config/schema.ts) say which fields each driver has.
import type { DeskConfig, DoorConfig, GatewayConfig } from '../../config/schema.ts';
import type { CardReader, DoorContact, ExitButton, Lock, PresenceSensor } from './types.ts';
import { SimHardware } from './sim/sim-hardware.ts';
import { SimCardReader } from './sim/sim-card-reader.ts';
import { SimLock } from './sim/sim-lock.ts';
import { SimDoorContact } from './sim/sim-door-contact.ts';
import { SimExitButton } from './sim/sim-exit-button.ts';
import { SimPresenceSensor } from './sim/sim-presence-sensor.ts';
import { SerialCardReader } from './serial/serial-card-reader.ts';
import { Ld2410Sensor } from './serial/ld2410-sensor.ts';
import { OsdpCardReader, OsdpLine, newOsdpKey } from './serial/osdp-reader.ts';
import { ConfigError } from '../../config/load.ts';
import { osdpWeakKeyReason } from '../../firmware-bridge/index.ts';
import type { PortFactory } from './serial/serial-link.ts';
import type { GpioBackend } from './gpio/gpio-port.ts';
import { createGpioBackend, type GpioMode } from './gpio/select-backend.ts';
import { FakeGpio } from './gpio/fake-gpio.ts';
import { GpioLock } from './gpio/gpio-lock.ts';
import { GpioDoorContact, GpioExitButton, GpioPir } from './gpio/gpio-inputs.ts';

export interface DoorDrivers {
  reader: CardReader;
  lock: Lock;
  contact?: DoorContact;
  exitButton?: ExitButton;
}

export interface DriverFactoryOptions {
  now?: () => number;
  /**
   * `auto` (default): sysfs where /sys/class/gpio exists, else the character device; `chardev`,
   * `sysfs` (`onoff`); `fake`: pins in memory (sim control `/sim/gpio`); or a backend.
   */
  gpio?: GpioMode | GpioBackend;
  /** Environment of the chardev backend's gpiod tools (tests: fake tools first on PATH). */
  gpioEnv?: NodeJS.ProcessEnv;
  gpioConfig?: GatewayConfig['gpio'];
  /** Reconnect delays of serial devices. */
  serialBackoff?: { minMs?: number; maxMs?: number };
  portFactory?: PortFactory;
  /** OSDP Secure Channel keys by reader id (the gateway's secrets), and where they live, for errors. */
  osdpKeys?: {
    keys: Readonly<Record<string, string>>;
    secretsKey: string;
    /** Stores a key made in install mode (the secrets file); absent: install mode cannot enrol. */
    save?: (readerId: string, hex: string | undefined) => void;
  };
}

export class DriverFactory {
  /** Every simulated device built so far, for the sim control API. */
  readonly sim = new SimHardware();
  readonly #o: DriverFactoryOptions;
  readonly #now: () => number;
  #gpio: Promise<GpioBackend> | undefined;
  /** One line (port + OSDP bus) per path, shared by the readers on it. */
  readonly #osdpLines = new Map<string, OsdpLine>();

  constructor(opts: DriverFactoryOptions = {}) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
    if (opts.gpio === 'fake') this.sim.gpio = new FakeGpio();
    else if (opts.gpio && typeof opts.gpio === 'object') this.#gpio = Promise.resolve(opts.gpio);
  }

  reader(b: DoorConfig['reader']): CardReader {
    switch (b.driver) {
      case 'sim':
        return register(this.sim.readers, new SimCardReader(b.id, this.#now));
      case 'serial':
        return new SerialCardReader(b.id, { ...this.#serial(b.path, b.baudRate), protocol: b.protocol, format: b.format, holdMs: b.holdMs });
      case 'osdp':
        return this.#osdpReader(b);
    }
  }

  lock(b: DoorConfig['lock']): Lock {
    switch (b.driver) {
      case 'sim':
        return register(this.sim.locks, new SimLock(b.id, this.#now));
      case 'gpio':
        return new GpioLock(b.id, { pin: b.pin, failMode: b.failMode, activeLow: b.activeLow, gpio: this.#backend, now: this.#now });
    }
  }

  contact(b: NonNullable<DoorConfig['contact']>): DoorContact {
    switch (b.driver) {
      case 'sim':
        return register(this.sim.contacts, new SimDoorContact(b.id, this.#now));
      case 'gpio':
        return new GpioDoorContact(b.id, this.#input(b));
    }
  }

  exitButton(b: NonNullable<DoorConfig['exitButton']>): ExitButton {
    switch (b.driver) {
      case 'sim':
        return register(this.sim.buttons, new SimExitButton(b.id, this.#now));
      case 'gpio':
        return new GpioExitButton(b.id, this.#input(b));
    }
  }

  presence(b: DeskConfig['sensor']): PresenceSensor {
    switch (b.driver) {
      case 'sim':
        return register(this.sim.sensors, new SimPresenceSensor(b.id, this.#now));
      case 'gpio':
        return new GpioPir(b.id, this.#input(b));
      case 'serial':
        return new Ld2410Sensor(b.id, { ...this.#serial(b.path, b.baudRate), maxGate: b.maxGate, noOneS: b.noOneS });
      case 'zigbee2mqtt':
      case 'esphome':
        // gatewaySlice leaves bridged desks out: the bridge process reads them.
        throw new Error(`desk sensor ${b.id}: driver ${b.driver} is read by the bridge process, not a gateway`);
    }
  }

  door(d: DoorConfig): DoorDrivers {
    return {
      reader: this.reader(d.reader),
      lock: this.lock(d.lock),
      ...(d.contact && { contact: this.contact(d.contact) }),
      ...(d.exitButton && { exitButton: this.exitButton(d.exitButton) }),
    };
  }

  /** Every presence source of a desk: `sensor`, then `extraSensors`. */
  deskSensors(d: DeskConfig): PresenceSensor[] {
    return [d.sensor, ...(d.extraSensors ?? [])].map((b) => this.presence(b));
  }

  #osdpReader(b: Extract<DoorConfig['reader'], { driver: 'osdp' }>): CardReader {
    const where = `${this.#o.osdpKeys?.secretsKey ?? 'secrets.gateways.<id>.osdp'}.${b.id}`;
    let hex = this.#o.osdpKeys?.keys[b.id];
    let enrol = false;
    if (b.installMode && hex === undefined) {
      const save = this.#o.osdpKeys?.save;
      if (!save) throw new ConfigError(`${where}: missing, and this gateway cannot write its secrets file to enrol the reader`, where);
      hex = newOsdpKey();
      save(b.id, hex); // first on disk, then on the reader
      enrol = true;
    }
    const secure = b.secure ?? hex !== undefined;
    let scbk: Uint8Array | null = null;
    if (secure) {
      if (hex === undefined) throw new ConfigError(`${where}: missing, required for an OSDP reader with secure: true`, where);
      scbk = Uint8Array.from(Buffer.from(hex, 'hex'));
      const weak = osdpWeakKeyReason(scbk);
      if (weak) throw new ConfigError(`${where}: weak key (${weak}); generate one with: openssl rand -hex 16`, where);
    }
    let line = this.#osdpLines.get(b.path);
    if (!line) this.#osdpLines.set(b.path, (line = new OsdpLine(b.path, { ...this.#serial(b.path, b.baudRate), baudRate: b.baudRate ?? 9600 })));
    const save = this.#o.osdpKeys?.save;
    return new OsdpCardReader(b.id, {
      line,
      address: b.address,
      scbk,
      enrol,
      installMode: b.installMode ?? false,
      ...(save && { saveKey: (key: string | undefined) => save(b.id, key) }),
      format: b.format,
      now: this.#now,
    });
  }

  #serial(path: string, baudRate: number | undefined) {
    return { path, baudRate, now: this.#now, backoff: this.#o.serialBackoff, portFactory: this.#o.portFactory };
  }

  #input(b: { pin: number; activeLow?: boolean; debounceMs?: number }) {
    return { pin: b.pin, activeLow: b.activeLow, debounceMs: b.debounceMs, gpio: this.#backend, now: this.#now };
  }

  /** The GPIO backend, created once, on first use (a site without GPIO never loads one). */
  #backend = (): Promise<GpioBackend> => {
    if (this.sim.gpio) return Promise.resolve(this.sim.gpio);
    const mode = typeof this.#o.gpio === 'string' && this.#o.gpio !== 'fake' ? this.#o.gpio : 'auto';
    this.#gpio ??= createGpioBackend(mode, this.#o.gpioConfig, this.#o.gpioEnv);
    return this.#gpio;
  };
}

function register<T extends { id: string }>(map: Map<string, T>, device: T): T {
  map.set(device.id, device);
  return device;
}
