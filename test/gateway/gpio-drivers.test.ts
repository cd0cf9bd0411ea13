// GPIO drivers against the fake that lives beside them (no GPIO sysfs here), the chip-base
// detection against a temporary sysfs tree (protocols.md §7.3), and what onoff says here.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGpio } from '../../gateway/drivers/gpio/fake-gpio.ts';
import { GpioLock, relayLevels } from '../../gateway/drivers/gpio/gpio-lock.ts';
import { GpioDoorContact, GpioExitButton, GpioPir } from '../../gateway/drivers/gpio/gpio-inputs.ts';
import { detectPiHeaderChip } from '../../gateway/drivers/gpio/chip-base.ts';
import { OnoffBackend } from '../../gateway/drivers/gpio/onoff-backend.ts';
import { GpioUnavailableError } from '../../gateway/drivers/gpio/gpio-port.ts';

describe('lock relay levels', () => {
  it('the de-energised relay is the fail state; activeLow inverts the pin', () => {
    // fail-secure strike: energise to open. fail-safe maglock: energise to hold.
    expect(relayLevels('secure', false)).toEqual({ locked: 0, unlocked: 1 });
    expect(relayLevels('secure', true)).toEqual({ locked: 1, unlocked: 0 });
    expect(relayLevels('safe', false)).toEqual({ locked: 1, unlocked: 0 });
    expect(relayLevels('safe', true)).toEqual({ locked: 0, unlocked: 1 });
  });
});

describe('GPIO drivers on the fake', () => {
  let gpio: FakeGpio;
  const backend = () => Promise.resolve(gpio);
  beforeEach(() => {
    gpio = new FakeGpio();
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('a lock is exported at its locked level (no click at boot) and driven on unlock / lock', async () => {
    const lock = new GpioLock('front-lock', { pin: 17, failMode: 'safe', activeLow: true, gpio: backend });
    const driven: string[] = [];
    lock.on('driven', (s) => driven.push(s));
    await lock.start();
    expect(gpio.pin(17)).toEqual({ direction: 'out', level: 0, writes: 0 });
    lock.unlock();
    expect(gpio.pin(17)).toMatchObject({ level: 1, writes: 1 });
    lock.lock();
    expect(gpio.pin(17)).toMatchObject({ level: 0, writes: 2 });
    expect(driven).toEqual(['unlocked', 'locked']);
    expect(lock.operations).toBe(2);
    lock.stop();
    lock.stop();
  });

  it('a pin already in use is a device fault, not a crash', async () => {
    gpio.output(17, 0);
    const lock = new GpioLock('front-lock', { pin: 17, failMode: 'secure', gpio: backend });
    await lock.start();
    expect(lock.health()).toMatchObject({ state: 'fault', error: expect.stringContaining('GPIO 17') });
  });

  it('a door contact is debounced: bounces never reach the door, the settled level does', async () => {
    gpio.set(27, 0);
    const contact = new GpioDoorContact('front-contact', { pin: 27, debounceMs: 50, gpio: backend });
    const changes: string[] = [];
    contact.on('change', (c) => changes.push(c));
    await contact.start();
    expect(contact.state).toBe('closed');
    for (const level of [1, 0, 1, 0, 1] as const) {
      gpio.set(27, level);
      vi.advanceTimersByTime(10);
    }
    expect(changes).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(changes).toEqual(['open']);
    gpio.set(27, 0);
    gpio.set(27, 1); // a blip shorter than the debounce: nothing
    vi.advanceTimersByTime(100);
    expect(changes).toEqual(['open']);
    contact.stop();
  });

  it('an active-low exit button presses on the falling edge; the PIR reports motion as presence', async () => {
    gpio.set(22, 1);
    const button = new GpioExitButton('front-exit', { pin: 22, activeLow: true, gpio: backend });
    const pir = new GpioPir('d01-pir', { pin: 23, debounceMs: 0, gpio: backend });
    let presses = 0;
    const motion: boolean[] = [];
    button.on('press', () => presses++);
    pir.on('presence', (p) => motion.push(p));
    await button.start();
    await pir.start();
    gpio.set(22, 0);
    vi.advanceTimersByTime(30);
    gpio.set(22, 1);
    vi.advanceTimersByTime(30);
    expect(presses).toBe(1);
    gpio.set(23, 1);
    gpio.set(23, 0);
    expect(motion).toEqual([true, false]);
    expect(pir.readings()).toEqual([{ kind: 'motion', value: 0 }]);
    button.stop();
    pir.stop();
  });
});

describe('sysfs chip base (§7.3)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ss-sysfs-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const chip = (base: number, label: string, ngpio: number) => {
    const d = join(root, `gpiochip${base}`);
    mkdirSync(d);
    writeFileSync(join(d, 'base'), `${base}\n`);
    writeFileSync(join(d, 'label'), `${label}\n`);
    writeFileSync(join(d, 'ngpio'), `${ngpio}\n`);
  };

  it('Pi 4 on kernel 6.6: the bcm2711 chip at 512', () => {
    chip(512, 'pinctrl-bcm2711', 58);
    chip(570, 'raspberrypi-exp-gpio', 8);
    expect(detectPiHeaderChip(root)).toEqual({ label: 'pinctrl-bcm2711', base: 512, ngpio: 58 });
  });

  it('Pi 5: the rp1 chip at 571, not the first (gpio-brcmstb) chip', () => {
    chip(512, 'gpio-brcmstb@107d508500', 32);
    chip(544, 'gpio-brcmstb@107d508520', 4);
    chip(571, 'pinctrl-rp1', 54);
    expect(detectPiHeaderChip(root)?.base).toBe(571);
  });

  it('an old kernel with base 0, and no Pi at all', () => {
    chip(0, 'pinctrl-bcm2835', 54);
    expect(detectPiHeaderChip(root)?.base).toBe(0);
    expect(detectPiHeaderChip(join(root, 'nope'))).toBeNull();
  });

  it('onoff here: GPIO is not accessible, said in one sentence', async () => {
    const err = await OnoffBackend.create({ sysfsRoot: root }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GpioUnavailableError);
    expect((err as Error).message).toMatch(/^GPIO is not accessible: [^\n]+$/);
  });
});
