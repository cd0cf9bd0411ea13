// The simulated devices of one gateway, by device id: what the sim control API drives.
import type { SimCardReader } from './sim-card-reader.ts';
import type { SimLock } from './sim-lock.ts';
import type { SimDoorContact } from './sim-door-contact.ts';
import type { SimExitButton } from './sim-exit-button.ts';
import type { SimPresenceSensor } from './sim-presence-sensor.ts';
import type { FakeGpio } from '../gpio/fake-gpio.ts';

export class SimHardware {
  readonly readers = new Map<string, SimCardReader>();
  readonly locks = new Map<string, SimLock>();
  readonly contacts = new Map<string, SimDoorContact>();
  readonly buttons = new Map<string, SimExitButton>();
  readonly sensors = new Map<string, SimPresenceSensor>();
  /** The fake GPIO pins, when the gateway runs with `--gpio fake`. */
  gpio: FakeGpio | undefined;

  /** Any simulated device by id (for `POST /sim/fault`). */
  device(id: string): SimCardReader | SimLock | SimDoorContact | SimExitButton | SimPresenceSensor | undefined {
    return this.readers.get(id) ?? this.locks.get(id) ?? this.contacts.get(id) ?? this.buttons.get(id) ?? this.sensors.get(id);
  }

  /** Snapshot for `GET /sim/state`. */
  snapshot() {
    const map = <T, R>(m: Map<string, T>, f: (d: T) => R): Record<string, R> => Object.fromEntries([...m].map(([id, d]) => [id, f(d)]));
    return {
      locks: map(this.locks, (l) => ({ unlocked: l.state === 'unlocked', operations: l.operations })),
      contacts: map(this.contacts, (c) => ({ open: c.state === 'open' })),
      sensors: map(this.sensors, (s) => ({ present: s.present })),
      buttons: map(this.buttons, (b) => ({ presses: b.presses })),
      readers: map(this.readers, () => ({})),
      /** Devices with an injected fault, and its error. */
      faults: Object.fromEntries(
        [this.readers, this.locks, this.contacts, this.buttons, this.sensors].flatMap((m) =>
          [...(m as Map<string, { fault: string | null }>)].filter(([, d]) => d.fault !== null).map(([id, d]) => [id, d.fault!]),
        ),
      ),
      ...(this.gpio && { gpio: this.gpio.snapshot() }),
    };
  }
}
