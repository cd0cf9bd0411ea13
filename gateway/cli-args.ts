// Command line of the gateway process. Problems are ConfigErrors: main prints them and exits 2.
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/load.ts';
import { GPIO_MODES, type GpioMode } from './drivers/gpio/select-backend.ts';

export interface GatewayArgs {
  config: string;
  gateway: string | undefined;
  simControl: { host: string; port: number } | undefined;
  /**
   * `auto` (default): sysfs GPIO where /sys/class/gpio exists, else the character device;
   * `chardev`, `sysfs` (old name `onoff`); `fake`: pins in memory (sim control `/sim/gpio`).
   */
  gpio: GpioMode;
}

export const USAGE = 'usage: tsx gateway/main.ts --config <site.yaml> --gateway <id> [--sim-control 127.0.0.1:PORT] [--gpio auto|chardev|sysfs|fake]';

export function parseGatewayArgs(argv: string[]): GatewayArgs {
  let values: { config?: string; gateway?: string; 'sim-control'?: string; gpio?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, gateway: { type: 'string' }, 'sim-control': { type: 'string' }, gpio: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new ConfigError(`${(err as Error).message} (${USAGE})`, '(args)');
  }
  if (!values.config) throw new ConfigError(`--config is required (${USAGE})`, '--config');
  const sc = values['sim-control'];
  const gpio = values.gpio ?? 'auto';
  if (!isGpioMode(gpio)) throw new ConfigError(`--gpio: expected auto, chardev, sysfs or fake, got "${gpio}"`, '--gpio');
  return { config: values.config, gateway: values.gateway, simControl: sc === undefined ? undefined : parseLoopback(sc), gpio };
}

/** `127.0.0.1:PORT`, `localhost:PORT` or `PORT`; the sim control API never listens beyond loopback. */
export function parseLoopback(value: string): { host: string; port: number } {
  const m = /^(?:(127\.0\.0\.1|localhost):)?(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) {
    throw new ConfigError(`--sim-control: expected 127.0.0.1:PORT (loopback only), got "${value}"`, '--sim-control');
  }
  return { host: '127.0.0.1', port };
}

function isGpioMode(v: string): v is GpioMode {
  return (GPIO_MODES as readonly string[]).includes(v);
}
