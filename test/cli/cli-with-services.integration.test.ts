// The admin CLI beside running services: imported cards reach the gateways without a restart,
// a reset password ends the sessions at once, and check knows our services from a stranger.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { runCli } from '../../cli/main.ts';
import type { CliIO } from '../../cli/command.ts';
import { runChecks } from '../../cli/commands/check.ts';
import { fingerprint } from '../../contracts/signing.ts';
import { makeTestSite } from '../helpers/site.ts';
import { DEMO, getJson, login, loginAs, startApp, watchAcl, type Running } from '../services/helpers.ts';

function captureIO(env: NodeJS.ProcessEnv = {}): CliIO & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l), env, cwd: '/' };
}

let running: Running | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('admin CLI with the services running', () => {
  it('import --apply: the gateway gets a new access list with the imported cards', async () => {
    const r = (running = await startApp());
    const acl = await watchAcl(r);
    const before = await acl.until(() => true);
    const csv = join(r.site.dir, 'members.csv');
    writeFileSync(csv, '\uFEFFname;email;plan;cards\r\nNora Holm;nora@example.org;resident;"CAFE000001 CAFE000002"\r\n');
    const io = captureIO();
    expect(await runCli(['import', csv, '--apply', '--config', r.site.configPath], io)).toBe(0);
    expect(io.outLines).toContain('Added 1 members and 2 cards.');
    const fps = ['CAFE000001', 'CAFE000002'].map((c) => fingerprint(r.site.secrets.siteKey, c));
    const nora = r.app.store.members.withHashByEmail('nora@example.org')!.member.id;
    const list = await acl.until((l) => fps.every((fp) => l.entries.some((e) => e.fp === fp && e.member === nora)));
    expect(list.version).toBeGreaterThan(before.version);
  });

  it('reset-password: the old session ends at once and only the new password logs in', async () => {
    const r = (running = await startApp());
    const cookie = await loginAs(r, 'ida');
    expect((await getJson(r, '/api/me', cookie)).status).toBe(200);
    const io = captureIO();
    expect(await runCli(['reset-password', DEMO.ida.email, '--password', 'a-new-password-1', '--config', r.site.configPath], io)).toBe(0);
    expect(io.outLines[0]).toContain('1 session ended');
    expect((await getJson(r, '/api/me', cookie)).status).toBe(401);
    await expect(login(r.base, DEMO.ida.email, DEMO.ida.password)).rejects.toThrow('login failed: 401');
    expect(await login(r.base, DEMO.ida.email, 'a-new-password-1')).toMatch(/=/);
  });

  it('check: the ports are answered by our services and the broker takes their login; a wrong password fails', async () => {
    const site = await makeTestSite();
    const r = (running = await startApp({ site }));
    try {
      const lines = await runChecks(site.configPath, { env: {} }, { timeoutMs: 3000 });
      const line = (what: string) => lines.find((l) => l.what === what);
      expect(line('http port')).toMatchObject({ level: 'ok', detail: expect.stringContaining("answered by this site's services") });
      expect(line('mqtt port')).toMatchObject({ level: 'ok', detail: expect.stringContaining("answered by this site's services") });
      expect(line('broker')).toMatchObject({ level: 'ok', detail: expect.stringContaining("accepts the services' login") });
      const wrong = await runChecks(site.configPath, { env: { SMARTSPACE_MQTT_SERVICES_PASSWORD: 'not-the-right-password' } }, { timeoutMs: 3000 });
      expect(wrong.find((l) => l.what === 'broker')).toMatchObject({ level: 'FAIL', detail: expect.stringContaining("refused the services' credentials") });
    } finally {
      await r.stop();
      running = undefined;
      site.cleanup();
    }
  });

  it('check: a stranger on the HTTP port FAILs', async () => {
    const site = await makeTestSite();
    const stranger = createServer((_req, res) => res.end('{"site":"somewhere-else"}'));
    await new Promise<void>((resolve) => stranger.listen(site.httpPort, site.config.services.http.host, resolve));
    try {
      const lines = await runChecks(site.configPath, { env: {} }, { timeoutMs: 3000 });
      expect(lines.find((l) => l.what === 'http port')).toMatchObject({ level: 'FAIL', detail: expect.stringContaining('in use by another program') });
      expect(lines.find((l) => l.what === 'mqtt port')?.level).toBe('ok');
    } finally {
      await new Promise<void>((resolve) => stranger.close(() => resolve()));
      site.cleanup();
    }
  });
});
