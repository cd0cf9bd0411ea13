// The chardev backend's pure parts: the gpiod tools' two dialects (argument lists, output
// parsing, version and error text) and the `--gpio auto` choice. Samples are the tools' real
// output shapes (gpiod 1.6.3 of Debian 12, run here; 2.x from its man pages and source).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  classifyGpiodError,
  gpiogetArgs,
  gpiomonArgs,
  gpiosetArgs,
  isGpiosetBanner,
  parseGpiodetect,
  parseGpiodVersion,
  parseGpiogetOutput,
  parseGpiomonLine,
} from '../../gateway/drivers/gpio/gpiod-tools.ts';
import { pickChip } from '../../gateway/drivers/gpio/chardev-backend.ts';
import { resolveGpioMode } from '../../gateway/drivers/gpio/select-backend.ts';

describe('gpiod tools: versions', () => {
  it('tells v1 from v2 by --version', () => {
    expect(parseGpiodVersion('gpioset (libgpiod) v1.6.3\nCopyright (C) 2017-2018 Bartosz Golaszewski\n')).toBe(1);
    expect(parseGpiodVersion('gpioset (libgpiod) v2.1.3\nCopyright (C) 2017-2023 Bartosz Golaszewski\n')).toBe(2);
    expect(parseGpiodVersion('gpioset v2.3.2 (libgpiod v2.2.1)\n')).toBe(2);
    expect(parseGpiodVersion('gpioset v3.0.0 (libgpiod v3.0.0)\n')).toBeNull();
    expect(parseGpiodVersion('sh: gpioset: not found')).toBeNull();
  });
});

describe('gpiod tools: chips', () => {
  const pi4 = 'gpiochip0 [pinctrl-bcm2711] (58 lines)\ngpiochip1 [raspberrypi-exp-gpio] (8 lines)\n';
  const pi5 = 'gpiochip0 [gpio-brcmstb@107d508500] (32 lines)\ngpiochip1 [gpio-brcmstb@107d517c00] (15 lines)\ngpiochip4 [pinctrl-rp1] (54 lines)\n';

  it('reads gpiodetect and picks the header chip by its exact label', () => {
    expect(parseGpiodetect(pi4)).toEqual([
      { name: 'gpiochip0', label: 'pinctrl-bcm2711', lines: 58 },
      { name: 'gpiochip1', label: 'raspberrypi-exp-gpio', lines: 8 },
    ]);
    expect(pickChip(parseGpiodetect(pi4))?.name).toBe('gpiochip0');
    expect(pickChip(parseGpiodetect(pi5))?.name).toBe('gpiochip4');
    expect(pickChip(parseGpiodetect('gpiochip0 [gpio-mockup-A] (8 lines)\n'))).toBeNull();
  });

  it('takes a named chip as gpiochipN, N or /dev/gpiochipN', () => {
    const chips = parseGpiodetect(pi5);
    expect(pickChip(chips, 'gpiochip1')?.label).toBe('gpio-brcmstb@107d517c00');
    expect(pickChip(chips, '4')?.name).toBe('gpiochip4');
    expect(pickChip(chips, '/dev/gpiochip0')?.name).toBe('gpiochip0');
    expect(pickChip(chips, 'gpiochip9')).toBeNull();
  });
});

describe('gpiod tools: arguments', () => {
  it('v1 takes the chip first; v2 takes -c and names the consumer', () => {
    expect(gpiogetArgs(1, 'gpiochip0', 17)).toEqual(['gpiochip0', '17']);
    expect(gpiogetArgs(2, 'gpiochip0', 17)).toEqual(['-c', 'gpiochip0', '17']);
    expect(gpiomonArgs(1, 'gpiochip0', 17)).toEqual(['-b', '-F', '%o %e', 'gpiochip0', '17']);
    expect(gpiomonArgs(2, 'gpiochip4', 5)).toEqual(['--banner', '-C', 'smartspace', '-F', '%o %e', '-c', 'gpiochip4', '5']);
    expect(gpiosetArgs(1, 'gpiochip0', 17, 1)).toEqual(['--mode=wait', 'gpiochip0', '17=1']);
    expect(gpiosetArgs(2, 'gpiochip0', 17, 0)).toEqual(['--banner', '-C', 'smartspace', '-c', 'gpiochip0', '17=0']);
  });
});

describe('gpiod tools: output', () => {
  it('reads gpioget in both forms', () => {
    expect(parseGpiogetOutput('1\n')).toBe(1);
    expect(parseGpiogetOutput('0\n')).toBe(0);
    expect(parseGpiogetOutput('"17"=active\n')).toBe(1);
    expect(parseGpiogetOutput('17=inactive\n')).toBe(0);
    expect(() => parseGpiogetOutput('')).toThrow(/unexpected gpioget output/);
  });

  it('reads gpiomon edges: v1 falling is 0, v2 falling is 2', () => {
    expect(parseGpiomonLine(1, '17 1')).toEqual({ kind: 'edge', offset: 17, level: 1 });
    expect(parseGpiomonLine(1, '17 0')).toEqual({ kind: 'edge', offset: 17, level: 0 });
    expect(parseGpiomonLine(2, '17 2')).toEqual({ kind: 'edge', offset: 17, level: 0 });
    expect(parseGpiomonLine(2, '17 1')).toEqual({ kind: 'edge', offset: 17, level: 1 });
    expect(parseGpiomonLine(2, '17 0').kind).toBe('other');
    expect(parseGpiomonLine(1, '17 2').kind).toBe('other');
    expect(parseGpiomonLine(2, "Monitoring line '17'...")).toEqual({ kind: 'banner' });
    expect(isGpiosetBanner("Setting line '17'...")).toBe(true);
    expect(isGpiosetBanner('17 1')).toBe(false);
  });

  it('tells permission, busy and missing chip apart in the errno text', () => {
    expect(classifyGpiodError("gpiodetect: unable to open chip '/dev/gpiochip0': Permission denied")).toBe('permission');
    expect(classifyGpiodError('gpioget: error reading GPIO values: Device or resource busy')).toBe('busy');
    expect(classifyGpiodError('gpioget: error reading GPIO values: No such file or directory')).toBe('no-chip');
    expect(classifyGpiodError('gpioset: invalid offset')).toBe('other');
  });
});

describe('--gpio auto', () => {
  it('takes sysfs where the sysfs root exists and the character device where it is gone', () => {
    const root = mkdtempSync(join(tmpdir(), 'ss-sysfs-'));
    try {
      expect(resolveGpioMode('auto', root)).toBe('sysfs');
      expect(resolveGpioMode('auto', join(root, 'gone'))).toBe('chardev');
      expect(resolveGpioMode('sysfs', join(root, 'gone'))).toBe('sysfs');
      expect(resolveGpioMode('onoff', join(root, 'gone'))).toBe('sysfs');
      expect(resolveGpioMode('chardev', root)).toBe('chardev');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
