// The single place that maps a config binding to a driver. `driver: sim` is the only driver
// today; serial and GPIO drivers plug in here as new cases of the binding's `driver` field.
import type { DeskConfig, DoorConfig } from '../../config/schema.ts';
import type { CardReader, DoorContact, ExitButton, Lock, PresenceSensor } from './types.ts';
import { SimHardware } from './sim/sim-hardware.ts';
import { SimCardReader } from './sim/sim-card-reader.ts';
import { SimLock } from './sim/sim-lock.ts';
import { SimDoorContact } from './sim/sim-door-contact.ts';
import { SimExitButton } from './sim/sim-exit-button.ts';
import { SimPresenceSensor } from './sim/sim-presence-sensor.ts';

export interface DoorDrivers {
  reader: CardReader;
  lock: Lock;
  contact?: DoorContact;
  exitButton?: ExitButton;
}

export class DriverFactory {
  /** Every simulated device built so far, for the sim control API. */
  readonly sim = new SimHardware();

  constructor(private readonly now: () => number = Date.now) {}

  reader(b: DoorConfig['reader']): CardReader {
    switch (b.driver) {
      case 'sim':
        return register(this.sim.readers, new SimCardReader(b.id, this.now));
    }
  }

  lock(b: DoorConfig['lock']): Lock {
    switch (b.driver) {
      case 'sim':
        return register(this.sim.locks, new SimLock(b.id, this.now));
    }
  }

  contact(b: NonNullable<DoorConfig['contact']>): DoorContact {
    switch (b.driver) {
      case 'sim':
        return register(this.sim.contacts, new SimDoorContact(b.id, this.now));
    }
  }

  exitButton(b: NonNullable<DoorConfig['exitButton']>): ExitButton {
    switch (b.driver) {
      case 'sim':
        return register(this.sim.buttons, new SimExitButton(b.id, this.now));
    }
  }

  presence(b: DeskConfig['sensor']): PresenceSensor {
    switch (b.driver) {
      case 'sim':
        return register(this.sim.sensors, new SimPresenceSensor(b.id, this.now));
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
}

function register<T extends { id: string }>(map: Map<string, T>, device: T): T {
  map.set(device.id, device);
  return device;
}
