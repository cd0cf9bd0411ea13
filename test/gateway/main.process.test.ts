// gateway/main.ts as a real process: exit codes, the ready line, clean stop on SIGTERM.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startBroker, type TestBroker } from './helpers/broker.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

function run(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'gateway/main.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

describe('gateway process', { timeout: 30_000 }, () => {
  let site: TestSite | undefined;
  let broker: TestBroker | undefined;
  afterEach(async () => {
    await broker?.close();
    site?.cleanup();
    site = broker = undefined;
  });

  it('a bad config prints one line and exits 2', async () => {
    site = await makeTestSite();
    writeFileSync(site.configPath, readFileSync(site.configPath, 'utf8').replace('unlockMs: 5000', 'unlockMs: 10'));
    const p = run(['--config', site.configPath, '--gateway', 'gw-main']);
    expect(await p.exit).toBe(2);
    expect(p.err()).toMatch(/^config error: doors\[0\]\.unlockMs: expected integer >= 500.*\n$/);
    expect(p.err().split('\n')).toHaveLength(2);
  });

  it('a bad binding names the key, exit 2', async () => {
    site = await makeTestSite();
    const raw = parse(readFileSync(site.configPath, 'utf8'));
    raw.doors[0].reader = { driver: 'serial', id: 'front-reader', protocol: 'rdm6300' };
    writeFileSync(site.configPath, stringify(raw));
    const p = run(['--config', site.configPath, '--gateway', 'gw-main']);
    expect(await p.exit).toBe(2);
    expect(p.err()).toBe('config error: doors[0].reader.path: missing, required for driver serial\n');
  });

  it('GPIO bindings on a machine without GPIO: one line saying so, no stack trace, exit 1', async () => {
    site = await makeTestSite((raw) => (raw.doors[0].lock = { driver: 'gpio', id: 'front-lock', pin: 17, failMode: 'secure' }));
    const p = run(['--config', site.configPath, '--gateway', 'gw-main']);
    expect(await p.exit).toBe(1);
    expect(p.err()).toMatch(/^gateway failed: GPIO is not accessible: [^\n]+; on a machine without GPIO try --gpio fake\n$/);
    expect(p.out()).not.toMatch(/"stack"/);
  });

  it('an unknown gateway id is a config error', async () => {
    site = await makeTestSite();
    const p = run(['--config', site.configPath, '--gateway', 'gw-nope']);
    expect(await p.exit).toBe(2);
    expect(p.err()).toMatch(/^config error: --gateway: unknown gateway "gw-nope"/);
    expect(p.err()).not.toMatch(/\n\s+at /);
  });

  it('logs gateway ready with its doors, desks and sim control address; SIGTERM stops it with 0', async () => {
    site = await makeTestSite();
    broker = await startBroker(site.mqttPort);
    const p = run(['--config', site.configPath, '--gateway', 'gw-main', '--sim-control', '127.0.0.1:0']);
    const deadline = Date.now() + 20_000;
    while (!p.out().includes('"gateway ready"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const ready = JSON.parse(
      p
        .out()
        .split('\n')
        .find((l) => l.includes('"gateway ready"'))!,
    );
    expect(ready).toMatchObject({ gateway: 'gw-main', doors: ['front', 'meeting'], proc: 'gateway' });
    expect(ready.desks).toHaveLength(16);
    expect(ready.simControl).toMatch(/^127\.0\.0\.1:\d+$/);
    const res = await fetch(`http://${ready.simControl}/sim/state`);
    expect(res.status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
    expect(p.out()).toContain('"gateway stopped"');
  });
});
