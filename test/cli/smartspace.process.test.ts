// `smartspace init` and `smartspace check` as a host runs them (bin/smartspace.js, no terminal),
// and the site init writes started for real: services and gateway come up, the operator logs in.
import { describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSecrets, loadSiteConfig } from '../../config/load.ts';
import { freePort, type TestSite } from '../helpers/site.ts';
import { startStack } from '../helpers/stack.ts';
import { login } from '../services/helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/smartspace.js', import.meta.url));

function smartspace(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    // stdin is not a terminal: init must take everything from flags.
    const child = execFile(process.execPath, [BIN, ...args], { env: { ...process.env, SMARTSPACE_CONFIG: '', ...env } }, (error, out, err) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
    child.stdin?.end();
  });
}

describe('smartspace init and check (bin/smartspace.js)', () => {
  it('init writes a site that checks clean, runs, and lets the operator in; check names a bad key', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smartspace-init-'));
    const configPath = join(dir, 'etc', 'site.yaml');
    const [httpPort, mqttPort] = [await freePort(), await freePort()];
    const flags = ['--config', configPath, '--data', join(dir, 'var'), '--site-name', 'Kystkontor Øst', '--time-zone', 'Europe/Copenhagen'];
    const ports = ['--http-host', '127.0.0.1', '--http-port', String(httpPort), '--mqtt-port', String(mqttPort)];
    try {
      const missing = await smartspace(['init', ...flags]);
      expect(missing.code).toBe(2);
      expect(missing.err).toContain('--operator-email is required');

      const init = await smartspace(['init', ...flags, ...ports, '--operator-email', 'ops@example.org', '--operator-name', 'Ops']);
      expect(init.err).toBe('');
      expect(init.code).toBe(0);
      const password = /password \(shown once\): (\S+)/.exec(init.out)?.[1];
      expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);

      const config = loadSiteConfig(configPath);
      expect(config.site).toEqual({ id: 'kystkontor-oest', name: 'Kystkontor Øst', timeZone: 'Europe/Copenhagen' });
      expect(config.doors).toEqual([]);
      expect(config.gateways.map((g) => [g.id, g.dataDir])).toEqual([['gw-1', join(dir, 'var', 'gateway-gw-1')]]);
      expect(config.services.dataDir).toBe(join(dir, 'var', 'services'));
      expect(config.services.seed).toBeUndefined();
      const secretsPath = join(dir, 'etc', 'secrets.yaml');
      expect(statSync(secretsPath).mode & 0o777).toBe(0o600);
      const secrets = loadSecrets(config, secretsPath, {});
      // Where the Node-RED login is, never the password itself.
      expect(init.out).toContain('Node-RED login: user operator, password nodeRed.adminPassword in the secrets file');
      expect(secrets.nodeRed?.adminPassword).toBeTruthy();
      expect(init.out).not.toContain(secrets.nodeRed!.adminPassword);

      const again = await smartspace(['init', ...flags, ...ports, '--operator-email', 'ops@example.org']);
      expect(again.code).toBe(1);
      expect(again.err).toContain('exists');

      const check = await smartspace(['check', '--config', configPath]);
      expect(check.out).toContain('All checks passed.');
      expect(check.code).toBe(0);

      const site: TestSite = { dir, configPath, secretsPath, config, secrets, httpPort, mqttPort, cleanup: () => undefined };
      const stack = await startStack(site);
      try {
        const running = await smartspace(['check', '--config', configPath]);
        expect(running.out).toMatch(/ok\s+http port\s+127\.0\.0\.1:\d+ answered by this site's services/);
        expect(running.out).toMatch(/ok\s+broker\s+mqtt:\/\/127\.0\.0\.1:\d+ accepts the services' login/);
        expect(running.code).toBe(0);
        expect(await login(stack.baseUrl, 'ops@example.org', password!)).toMatch(/=/);
        const me = await fetch(`${stack.baseUrl}/api/me`, { headers: { cookie: await login(stack.baseUrl, 'ops@example.org', password!) } });
        expect(await me.json()).toMatchObject({ role: 'operator', name: 'Ops' });
      } finally {
        await stack.stop();
      }

      writeFileSync(
        configPath,
        readFileSync(configPath, 'utf8').replace(
          'doors: []',
          'doors:\n  - { id: front, name: Front, gateway: gw-9, unlockMs: 5000, reader: { driver: sim, id: r }, lock: { driver: sim, id: l } }',
        ),
      );
      const bad = await smartspace(['check', '--config', configPath]);
      expect(bad.code).toBe(1);
      expect(bad.out).toContain('FAIL  config  doors[0].gateway: unknown gateway "gw-9"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('run as root: --owner gives the data dir and secrets to the services user, and later commands keep it so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smartspace-owner-'));
    chmodSync(dir, 0o755); // as /var/lib: the services user may pass through
    const configPath = join(dir, 'site.yaml');
    const nobody = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('nobody:'))!
      .split(':');
    const [uid, gid] = [Number(nobody[2]), Number(nobody[3])];
    try {
      const init = await smartspace([
        'init',
        '--config',
        configPath,
        '--data',
        join(dir, 'data'),
        '--site-name',
        'S',
        '--time-zone',
        'UTC',
        '--operator-email',
        'o@x.dk',
        '--owner',
        'nobody',
      ]);
      // Where this checkout lies in a directory the services user cannot enter (a clone in a 0700
      // temp dir), init must say so before it writes anything, not fail later in a require.
      const sqlite = dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
      const reachable = spawnSync('/bin/sh', ['-c', 'test -r "$1" && test -x "$1"', 'sh', sqlite], { uid, gid }).status === 0;
      if (!reachable) {
        expect(init.err).toContain(`the services user (uid ${uid}) cannot read the program at ${sqlite}`);
        expect(init.code).toBe(1);
        expect(existsSync(configPath)).toBe(false);
        return;
      }
      expect(init.err).toBe('');
      expect(init.code).toBe(0);
      const reset = await smartspace(['reset-password', 'o@x.dk', '--config', configPath]);
      expect(reset.err).toBe('');
      expect(reset.code).toBe(0);
      const owned = [
        join(dir, 'secrets.yaml'),
        join(dir, 'data'),
        ...readdirSync(join(dir, 'data'), { recursive: true }).map((e) => join(dir, 'data', String(e))),
      ];
      expect(owned.some((p) => p.endsWith('services.db'))).toBe(true);
      for (const p of owned) expect({ p, uid: statSync(p).uid, gid: statSync(p).gid }).toEqual({ p, uid, gid });
      expect(statSync(configPath).uid).toBe(0);
      const bad = await smartspace([
        'init',
        '--config',
        join(dir, 'b.yaml'),
        '--site-name',
        'S',
        '--time-zone',
        'UTC',
        '--operator-email',
        'o@x.dk',
        '--owner',
        'no-such-user',
      ]);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('--owner: no user "no-such-user"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
