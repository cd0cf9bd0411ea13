// The Pi example config (serial + GPIO) builds and starts from config alone, with the fake GPIO
// and its serial ports missing. Bad bindings fail at load time: test/config/bindings.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseSiteConfig } from '../../config/load.ts';
import type { Secrets } from '../../config/schema.ts';
import { buildGateway, type Gateway } from '../../gateway/gateway.ts';
import { waitFor } from './helpers/broker.ts';

const EXAMPLE = new URL('../../config/examples/pi-site.yaml', import.meta.url).pathname;
const exampleRaw = () => parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const secret = 'x'.repeat(24);
const secrets = (gw: string): Secrets => ({
  siteKey: secret,
  sessionSecret: secret,
  mqtt: { services: secret, automation: secret, bridge: secret },
  gateways: { [gw]: { key: secret, mqttPassword: secret } },
});

describe('the Pi example config', () => {
  let dir: string | undefined;
  let gw: Gateway | undefined;
  afterEach(async () => {
    await gw?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    gw = dir = undefined;
  });

  it('builds and starts from config alone: GPIO pins at their locked levels, missing ports reported and retried', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ss-pi-'));
    const raw = exampleRaw();
    raw.gateways[0].dataDir = join(dir, 'gw-pi');
    raw.broker.url = 'mqtt://127.0.0.1:1'; // nobody there: the gateway decides offline
    const config = parseSiteConfig(raw, dirname(EXAMPLE));
    gw = buildGateway(config, secrets('gw-pi'), 'gw-pi', { gpio: 'fake', serialBackoff: { minMs: 50, maxMs: 200 }, backoff: { minMs: 5000, maxMs: 5000 } });
    await gw.start();
    const gpio = gw.sim.gpio!;
    // front: fail-secure, activeLow → locked = relay released = pin high; meeting: fail-safe, activeLow → locked = energised = low.
    expect(gpio.pin(17)).toEqual({ direction: 'out', level: 1, writes: 0 });
    expect(gpio.pin(23)).toEqual({ direction: 'out', level: 0, writes: 0 });
    expect(gpio.pin(22)?.direction).toBe('in');
    expect([...gw.desks.keys()]).toEqual(['d1', 'd2', 'd3', 'd4']);
    const health = (id: string) => gw!.devices.find((d) => d.id === id)!.health();
    await waitFor(() => health('front-reader').state === 'fault', 2000, 'reader fault');
    expect(health('front-reader').error).toMatch(/^cannot open \/dev\/serial\/by-id\/usb-FTDI.*: No such file or directory$/);
    expect(health('d4-radar').state).toBe('fault');
    expect(health('front-lock')).toMatchObject({ state: 'ok' });
    // The exit button (active low, pulled up when idle) opens the front door, and leaves a trace:
    // one event naming nobody, kept in the outbox while the broker is away.
    gpio.set(22, 1);
    await new Promise((r) => setTimeout(r, 60));
    gpio.set(22, 0);
    await waitFor(() => gw!.doors.get('front')!.state().lock === 'unlocked', 2000, 'exit opens');
    expect(gpio.pin(17)).toMatchObject({ level: 0, writes: 1 });
    expect(gw.outbox.depth).toBe(1);
  });
});

function dirname(p: string): string {
  return p.slice(0, p.lastIndexOf('/'));
}
