// The chardev backend against fake gpiod tools (gpio-fake-tools.ts) in both dialects: the
// arguments it gives them, locks and debounced inputs through the real drivers, the errors a
// host sees (no tools, no permission, no chip, a busy line, a dying gpiomon), and `--gpio auto`
// choosing chardev where the sysfs root is missing.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { ChardevBackend } from '../../gateway/drivers/gpio/chardev-backend.ts';
import { GpioLock } from '../../gateway/drivers/gpio/gpio-lock.ts';
import { GpioDoorContact } from '../../gateway/drivers/gpio/gpio-inputs.ts';
import { GpioUnavailableError } from '../../gateway/drivers/gpio/gpio-port.ts';
import { DriverFactory } from '../../gateway/drivers/factory.ts';
import { fakeGpiodTools, type FakeGpiodTools } from './gpio-fake-tools.ts';

let tools: FakeGpiodTools | undefined;
let backend: ChardevBackend | undefined;
afterEach(() => {
  backend?.close();
  backend = undefined;
  tools?.cleanup();
  tools = undefined;
});

function setup(version: 1 | 2, chips?: string): FakeGpiodTools {
  tools = fakeGpiodTools(version, chips);
  return tools;
}

describe.each([1, 2] as const)('chardev backend, gpiod v%i', (v) => {
  it('finds the header chip and holds a lock at its locked level; unlock re-drives the line', async () => {
    const t = setup(v);
    backend = await ChardevBackend.create({ env: t.env });
    expect(backend.version).toBe(v);
    expect(backend.chip).toEqual({ name: 'gpiochip0', label: 'pinctrl-bcm2711', lines: 58 });
    const lock = new GpioLock('front-lock', { pin: 17, failMode: 'safe', activeLow: true, gpio: () => Promise.resolve(backend!) });
    await lock.start();
    // v2 answers once gpioset's banner says the line is held; v1 prints nothing, so a little later
    await vi.waitFor(() => expect(t.read('out-17')?.trim()).toBe('0'));
    const head = v === 1 ? ['--mode=wait', 'gpiochip0'] : ['--banner', '-C', 'smartspace', '-c', 'gpiochip0'];
    expect(t.calls().filter((c) => /^gpioset .*17=/.test(c))).toEqual([['gpioset', ...head, '17=0'].join(' ')]);
    lock.unlock();
    await vi.waitFor(() => expect(t.read('out-17')?.trim()).toBe('1'));
    lock.lock();
    await vi.waitFor(() => expect(t.read('out-17')?.trim()).toBe('0'));
    expect(t.calls().filter((c) => /^gpioset .*17=/.test(c))).toEqual(['0', '1', '0'].map((l) => ['gpioset', ...head, `17=${l}`].join(' ')));
    expect(lock.health().state).toBe('ok');
    lock.stop();
  });

  it('a contact reads its level first, then follows gpiomon edges, debounced', async () => {
    const t = setup(v);
    t.write('level-27', '1\n');
    backend = await ChardevBackend.create({ env: t.env });
    const contact = new GpioDoorContact('front-contact', { pin: 27, debounceMs: 10, gpio: () => Promise.resolve(backend!) });
    const changes: string[] = [];
    contact.on('change', (s) => changes.push(s));
    await contact.start();
    expect(contact.state).toBe('open');
    expect(t.calls()).toContain(v === 1 ? 'gpioget gpiochip0 27' : 'gpioget -c gpiochip0 27');
    await vi.waitFor(() =>
      expect(t.calls()).toContain(v === 1 ? 'gpiomon -b -F %o %e gpiochip0 27' : 'gpiomon --banner -C smartspace -F %o %e -c gpiochip0 27'),
    );
    t.edge(27, 'falling');
    await vi.waitFor(() => expect(changes).toEqual(['closed']));
    // bounce: falling-rising-falling ends closed, so only the settled level counts
    t.edge(27, 'rising');
    t.edge(27, 'falling');
    t.edge(27, 'rising');
    await vi.waitFor(() => expect(changes).toEqual(['closed', 'open']));
    expect(contact.state).toBe('open');
    contact.stop();
  });

  it('a gpiomon that dies turns into a device fault', async () => {
    const t = setup(v);
    backend = await ChardevBackend.create({ env: t.env });
    const contact = new GpioDoorContact('front-contact', { pin: 22, gpio: () => Promise.resolve(backend!) });
    const health: string[] = [];
    contact.on('health', (h) => health.push(h.state));
    await contact.start();
    t.write('die-22', '');
    await vi.waitFor(() => expect(health).toEqual(['fault']));
    expect(contact.health().error).toMatch(/^GPIO 22 lost: gpiomon exited \(1\): gpiomon: error waiting for events: No such device$/);
    contact.stop();
  });

  it('a line another process holds is a fault of that device, with what to look at', async () => {
    const t = setup(v);
    t.write('busy-17', '');
    backend = await ChardevBackend.create({ env: t.env });
    const lock = new GpioLock('front-lock', { pin: 17, failMode: 'secure', gpio: () => Promise.resolve(backend!) });
    await lock.start();
    // v2: start finds it out (no banner); v1: gpioset dies a moment after it was started
    await vi.waitFor(() => expect(lock.health()).toMatchObject({ state: 'fault', error: expect.stringMatching(/GPIO 17.*Device or resource busy/) }));
    if (v === 2) expect(lock.health().error).toMatch(/another process holds it .*gpioinfo gpiochip0/);
  });

  it('no permission on the chip says which group to join', async () => {
    const t = setup(v);
    t.write('deny', '');
    const err = await ChardevBackend.create({ env: t.env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GpioUnavailableError);
    expect((err as Error).message).toMatch(/no permission on \/dev\/gpiochip\*.*Permission denied.*gpio group \(sudo usermod -aG gpio <user>\)/);
  });
});

describe('chardev backend: what is missing', () => {
  it('no gpiod tools: says which package to install', async () => {
    const t = setup(2);
    const err = await ChardevBackend.create({ env: { ...t.env, PATH: join(t.dir, 'nothing-here') } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GpioUnavailableError);
    expect((err as Error).message).toBe('GPIO is not accessible: the gpiod tools are not installed (sudo apt install gpiod)');
  });

  it('no chip, or no Pi header chip', async () => {
    const none = setup(2, '');
    await expect(ChardevBackend.create({ env: none.env })).rejects.toThrow(/no GPIO chip \(\/dev\/gpiochip\*\) on this machine/);
    none.cleanup();
    const other = setup(1, 'gpiochip0 [gpio-mockup-A] (8 lines)\n');
    await expect(ChardevBackend.create({ env: other.env })).rejects.toThrow(
      /no Raspberry Pi header chip .* among gpiochip0 \[gpio-mockup-A\]; set gateways\[\]\.gpio\.chip/,
    );
    backend = await ChardevBackend.create({ env: other.env, chip: 'gpiochip0' });
    expect(backend.chip.label).toBe('gpio-mockup-A');
    await expect(Promise.resolve().then(() => backend!.output(8, 0))).rejects.toThrow(/GPIO 8 is beyond gpiochip0 \(8 lines\)/);
  });

  it('the Pi 5 header chip is the rp1 one, whatever its number', async () => {
    const t = setup(2, 'gpiochip0 [gpio-brcmstb@107d508500] (32 lines)\ngpiochip4 [pinctrl-rp1] (54 lines)\n');
    backend = await ChardevBackend.create({ env: t.env });
    const line = await backend.output(18, 1);
    expect(t.calls()).toContain('gpioset --banner -C smartspace -c gpiochip4 18=1');
    line.release();
  });
});

describe('--gpio auto', () => {
  it('uses the character device when the sysfs root is missing', async () => {
    const t = setup(2);
    const drivers = new DriverFactory({ gpio: 'auto', gpioConfig: { sysfsRoot: join(t.dir, 'no-sysfs') }, gpioEnv: t.env });
    const lock = drivers.lock({ id: 'front-lock', driver: 'gpio', pin: 17, failMode: 'secure' });
    await lock.start();
    expect(t.calls()).toContain('gpioset --banner -C smartspace -c gpiochip0 17=0');
    await lock.stop();
    await vi.waitFor(() => expect(t.calls().filter((c) => c.startsWith('gpioset --banner'))).toHaveLength(1));
  });
});
