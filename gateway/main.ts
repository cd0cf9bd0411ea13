// The gateway process: `tsx gateway/main.ts --config <site.yaml> --gateway <id> [--sim-control 127.0.0.1:PORT] [--gpio auto|chardev|sysfs|fake]`.
// Composition root: load config and secrets, build, start in order, stop in reverse on
// SIGINT/SIGTERM. Exit codes: 0 clean stop, 1 failure at run time (one line when GPIO is not
// accessible), 2 bad config or arguments.
import { loadSiteConfig, loadSecrets, defaultSecretsPath, ConfigError } from '../config/load.ts';
import { createLogger } from '../runtime/log.ts';
import { stopOnSignals } from '../runtime/signals.ts';
import { parseGatewayArgs } from './cli-args.ts';
import { buildGateway, type Gateway } from './gateway.ts';
import { findGpioUnavailable } from './drivers/gpio/gpio-port.ts';

const STOP_TIMEOUT_MS = 10_000;

function configFail(err: ConfigError): never {
  process.stderr.write(`config error: ${err.message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let gateway: Gateway;
  try {
    const args = parseGatewayArgs(process.argv.slice(2));
    const config = loadSiteConfig(args.config);
    const secretsPath = defaultSecretsPath(args.config);
    const secrets = loadSecrets(config, secretsPath);
    const gwId = args.gateway ?? (config.gateways.length === 1 ? config.gateways[0]!.id : undefined);
    if (!gwId) throw new ConfigError(`--gateway is required: this config has ${config.gateways.map((g) => g.id).join(', ')}`, '--gateway');
    const log = createLogger('gateway');
    gateway = buildGateway(config, secrets, gwId, { log, simControl: args.simControl, gpio: args.gpio, secretsPath });
  } catch (err) {
    if (err instanceof ConfigError) configFail(err);
    throw err;
  }
  const { log } = gateway;

  stopOnSignals({ name: 'gateway', log, stop: () => gateway.stop(), timeoutMs: STOP_TIMEOUT_MS });

  try {
    await gateway.start();
  } catch (err) {
    const gpio = findGpioUnavailable(err);
    if (gpio) {
      // A machine fact, not a bug: one line that says what to do, no stack trace.
      process.stderr.write(`gateway failed: ${gpio.message}; on a machine without GPIO try --gpio fake\n`);
      process.exit(1);
    }
    log.fatal({ err }, 'gateway failed to start');
    process.exit(1);
  }
  // Every device has started: each serial port is open, or its fault is known and said here.
  const faults = gateway.devices.flatMap((d) => {
    const h = d.health();
    return h.state === 'fault' ? [{ device: d.id, error: h.error }] : [];
  });
  log.info(
    { gateway: gateway.id, doors: [...gateway.doors.keys()], desks: [...gateway.desks.keys()], faults, simControl: gateway.simControlAddress() },
    'gateway ready',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway failed: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
