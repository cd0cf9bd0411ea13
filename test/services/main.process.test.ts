import { describe, it, expect, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify, parse } from 'yaml';
import { makeTestSite, type TestSite } from '../helpers/site.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs services/main.ts; `until` sees stdout and may send a signal to the child. */
function run(args: string[], until?: (stdout: string, kill: (sig: NodeJS.Signals) => void) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [join(ROOT, 'services', 'main.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, SMARTSPACE_LOG_LEVEL: 'info' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      until?.(stdout, (sig) => child.kill(sig));
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

let site: TestSite | undefined;
afterEach(() => site?.cleanup());

describe('services/main.ts', () => {
  it('exits 2 with a one-line config error, no stack trace', async () => {
    site = await makeTestSite();
    const raw = parse(readFileSync(site.configPath, 'utf8'));
    raw.doors[1].unlockMs = 10;
    const bad = join(site.dir, 'bad.yaml');
    writeFileSync(bad, stringify(raw));
    const res = await run(['--config', bad]);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('config error: doors[1].unlockMs: expected integer >= 500 <= 60000\n');
  });

  it('exits 2 with usage when --config is missing', async () => {
    const res = await run([]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/usage: tsx services\/main.ts --config/);
  });

  it('logs "services ready" with the http url and mqtt port, and exits 0 on SIGTERM', async () => {
    site = await makeTestSite();
    let signalled = false;
    const res = await run(['--config', site.configPath], (out, kill) => {
      if (!signalled && out.includes('"services ready"')) {
        signalled = true;
        kill('SIGTERM');
      }
    });
    expect(res.code).toBe(0);
    const ready = res.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'services ready');
    expect(ready).toMatchObject({ http: `http://127.0.0.1:${site.httpPort}`, mqtt: site.mqttPort });
    for (const pw of ['host-mette', 'member-jonas', site.secrets.mqtt.services]) expect(res.stdout).not.toContain(pw);
  }, 60_000);
});
