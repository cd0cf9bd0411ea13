// Finds the sysfs number of BCM GPIO 0 (protocols.md §7.3). Kernels since 6.6 give the Pi's
// header chip a dynamic base (512 on Pi 0–4, 571 on a Pi 5), so BCM 17 is sysfs 529 or 588, not
// 17 (§7.1, §7.2). Read from `<sysfsRoot>/gpiochip*/{label,base,ngpio}`; the root is
// configurable so that tests can point it at a temporary tree.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** §7.3: exact labels of the 40-pin header chip (a Pi 5's first chip is a gpio-brcmstb one). */
export const PI_HEADER_CHIP_LABELS = ['pinctrl-rp1', 'pinctrl-bcm2711', 'pinctrl-bcm2835'] as const;

export interface GpioChip {
  label: string;
  base: number;
  ngpio: number;
}

export const DEFAULT_SYSFS_GPIO = '/sys/class/gpio';

export function listGpioChips(sysfsRoot: string = DEFAULT_SYSFS_GPIO): GpioChip[] {
  let names: string[];
  try {
    names = readdirSync(sysfsRoot).filter((n) => /^gpiochip\d+$/.test(n));
  } catch {
    return [];
  }
  const chips: GpioChip[] = [];
  for (const n of names) {
    try {
      const read = (f: string) => readFileSync(join(sysfsRoot, n, f), 'utf8').trim();
      const chip = { label: read('label'), base: Number(read('base')), ngpio: Number(read('ngpio')) };
      if (Number.isInteger(chip.base) && Number.isInteger(chip.ngpio)) chips.push(chip);
    } catch {
      /* a chip we cannot read is not ours */
    }
  }
  return chips;
}

/** The header chip of a Raspberry Pi, or null when there is none under `sysfsRoot`. */
export function detectPiHeaderChip(sysfsRoot: string = DEFAULT_SYSFS_GPIO): GpioChip | null {
  const chips = listGpioChips(sysfsRoot);
  for (const label of PI_HEADER_CHIP_LABELS) {
    const c = chips.find((x) => x.label === label);
    if (c) return c;
  }
  return null;
}
