// Which GPIO backend a gateway uses (`--gpio auto|chardev|sysfs|fake`, default `auto`). `auto`
// takes sysfs (onoff) where /sys/class/gpio still exists (Pi OS on Debian 12) and the character
// device (gpiod tools) where it is gone (Pi OS on Debian 13), so one config runs on both.
import { existsSync } from 'node:fs';
import { DEFAULT_SYSFS_GPIO } from './chip-base.ts';
import type { GpioBackend } from './gpio-port.ts';

/** What `--gpio` says; `onoff` is the older name of `sysfs`. */
export type GpioMode = 'auto' | 'chardev' | 'sysfs' | 'onoff' | 'fake';
export const GPIO_MODES: readonly GpioMode[] = ['auto', 'chardev', 'sysfs', 'onoff', 'fake'];

/** The `gateways[].gpio` block of the config. */
export interface GpioSiteConfig {
  sysfsRoot?: string;
  base?: number;
  chip?: string;
}

/** The real backend `mode` stands for on this machine (`exists` is the file system's, for tests). */
export function resolveGpioMode(
  mode: Exclude<GpioMode, 'fake'>,
  sysfsRoot: string = DEFAULT_SYSFS_GPIO,
  exists: (path: string) => boolean = existsSync,
): 'chardev' | 'sysfs' {
  if (mode === 'chardev') return 'chardev';
  if (mode === 'sysfs' || mode === 'onoff') return 'sysfs';
  return exists(sysfsRoot) ? 'sysfs' : 'chardev';
}

/** Loads only the backend it needs (a chardev gateway never loads onoff's native module). */
export async function createGpioBackend(mode: Exclude<GpioMode, 'fake'>, config: GpioSiteConfig = {}, env?: NodeJS.ProcessEnv): Promise<GpioBackend> {
  if (resolveGpioMode(mode, config.sysfsRoot) === 'sysfs') {
    const { OnoffBackend } = await import('./onoff-backend.ts');
    return OnoffBackend.create({ sysfsRoot: config.sysfsRoot, base: config.base });
  }
  const { ChardevBackend } = await import('./chardev-backend.ts');
  return ChardevBackend.create({ chip: config.chip, env });
}
