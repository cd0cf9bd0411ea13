// The demo's day at the space, as its own process:
//   tsx gateway/sim/demo-day.ts --control http://127.0.0.1:PORT --config <site.yaml> --cards <members.yaml>
//     [--gateway <id>] [--speed <factor>]
// Loops forever until SIGINT/SIGTERM (exit 0). Bad arguments or files: `config error: …`, exit 2.
// When the gateway's sim control API is not reachable it waits and tries again.
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadSiteConfig, ConfigError } from '../../config/load.ts';
import { SimClient, SimControlError } from './sim-client.ts';
import { loadDemoCast } from './demo-members.ts';
import { DemoDay } from './demo-script.ts';

const USAGE =
  'usage: tsx gateway/sim/demo-day.ts --control http://127.0.0.1:PORT --config <site.yaml> --cards <members.yaml> [--gateway <id>] [--speed <factor>]';

function setup(argv: string[]) {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { control: { type: 'string' }, config: { type: 'string' }, cards: { type: 'string' }, gateway: { type: 'string' }, speed: { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    throw new ConfigError(`${(err as Error).message} (${USAGE})`, '(args)');
  }
  for (const k of ['control', 'config', 'cards']) if (!values[k]) throw new ConfigError(`--${k} is required (${USAGE})`, `--${k}`);
  if (!/^https?:\/\/[^/]+\/?$/.test(values.control!)) throw new ConfigError(`--control: expected http://HOST:PORT, got "${values.control}"`, '--control');
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0 && speed <= 1000)) throw new ConfigError(`--speed: expected a number > 0, got "${values.speed}"`, '--speed');
  const config = loadSiteConfig(values.config!);
  const gw = values.gateway;
  if (gw && !config.gateways.some((g) => g.id === gw)) throw new ConfigError(`--gateway: unknown gateway "${gw}"`, '--gateway');
  const mine = <T extends { gateway: string }>(xs: readonly T[]) => xs.filter((x) => !gw || x.gateway === gw);
  const doors = mine(config.doors).map((d) => ({
    id: d.id,
    reader: d.reader.id,
    lock: d.lock.id,
    ...(d.contact && { contact: d.contact.id }),
    ...(d.exitButton && { exitButton: d.exitButton.id }),
  }));
  if (doors.length === 0) throw new ConfigError('no doors to play with in this config', 'doors');
  const desks = mine(config.desks).map((d) => ({ id: d.id, sensor: d.sensor.id }));
  return { control: values.control!, speed, doors, desks, cast: loadDemoCast(values.cards!) };
}

async function main(): Promise<void> {
  let s: ReturnType<typeof setup>;
  try {
    s = setup(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`config error: ${err.message}\n`);
    process.exit(2);
  }
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const day = new DemoDay({ sim: new SimClient(s.control), doors: s.doors, desks: s.desks, cast: s.cast, log, signal: ac.signal, speed: s.speed });
  log(`demo day: ${s.cast.members.length} members, ${s.doors.length} doors, ${s.desks.length} desks, control ${s.control}`);
  let waiting = false;
  while (!ac.signal.aborted) {
    try {
      await day.runForever();
    } catch (err) {
      if (ac.signal.aborted) break;
      if (err instanceof SimControlError) log(`sim control refused: ${err.code} (${err.message})`);
      else if (!waiting) log(`waiting for the gateway's sim control at ${s.control}`);
      waiting = !(err instanceof SimControlError);
      await sleep(2000, undefined, { signal: ac.signal }).catch(() => undefined);
    }
  }
  log('demo day stopped');
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`demo day failed: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
