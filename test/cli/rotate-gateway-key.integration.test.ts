// `smartspace rotate-gateway-key`: after a lost Pi, the gateway's old MQTT password is refused and
// the access lists are signed with the new key once the services restart; secrets.yaml keeps its
// comments, its mode and every other value, and no secret is printed.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { runCli } from '../../cli/main.ts';
import type { CliIO } from '../../cli/command.ts';
import { loadSecrets } from '../../config/load.ts';
import { verify } from '../../contracts/signing.ts';
import type { AccessList } from '../../contracts/payloads.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startApp, waitFor, type Running } from '../services/helpers.ts';

function captureIO(env: NodeJS.ProcessEnv = {}): CliIO & { text: () => string } {
  const lines: string[] = [];
  return { out: (l) => lines.push(l), err: (l) => lines.push(l), env, cwd: '/', text: () => lines.join('\n') };
}

let running: Running | undefined;
let site: TestSite | undefined;
afterEach(async () => {
  await running?.stop();
  site?.cleanup();
  running = site = undefined;
});

async function firstList(r: Running, password: string): Promise<AccessList> {
  const c = await r.connect('gateway:gw-main', password);
  const got: AccessList[] = [];
  c.on('message', (_t, p) => got.push(JSON.parse(p.toString()) as AccessList));
  await c.subscribeAsync(r.t.acl('gw-main'), { qos: 1 });
  return waitFor(() => got[0]);
}

describe('smartspace rotate-gateway-key', () => {
  it('replaces only that gateway’s two secrets; the old ones stop working after a restart', async () => {
    site = await makeTestSite((raw) => {
      raw.services.http.port = 0;
      raw.services.mqtt.port = 0;
    });
    writeFileSync(site.secretsPath, `# kept: a host's own note\n${readFileSync(site.secretsPath, 'utf8')}`, { mode: 0o600 });
    const old = site.secrets;
    running = await startApp({ site });
    expect(verify(await firstList(running, old.gateways['gw-main']!.mqttPassword), old.gateways['gw-main']!.key)).toBe(true);

    const io = captureIO();
    expect(await runCli(['rotate-gateway-key', 'gw-main', '--config', site.configPath], io)).toBe(0);
    const fresh = loadSecrets(site.config, site.secretsPath, {});
    const [newKey, newPassword] = [fresh.gateways['gw-main']!.key, fresh.gateways['gw-main']!.mqttPassword];
    expect(newKey).not.toBe(old.gateways['gw-main']!.key);
    expect(newPassword).not.toBe(old.gateways['gw-main']!.mqttPassword);
    // Nothing else changed, the host's comment stays, the file is still 0600, nothing secret printed.
    const strip = (s: typeof fresh) => ({ ...s, gateways: { ...s.gateways, 'gw-main': null } });
    expect(strip(fresh)).toEqual(strip(old));
    expect(readFileSync(site.secretsPath, 'utf8')).toMatch(/^# kept: a host's own note\n/);
    expect(statSync(site.secretsPath).mode & 0o777).toBe(0o600);
    expect(io.text()).not.toContain(newKey);
    expect(io.text()).not.toContain(newPassword);
    expect(io.text()).toContain('restart the services');

    // The services restart with the new secrets, as systemd or compose would.
    await running.stop();
    running = await startApp({ site: { ...site, secrets: fresh } });
    await expect(running.connect('gateway:gw-main', old.gateways['gw-main']!.mqttPassword)).rejects.toThrow(/Not authorized|Bad username or password/i);
    const list = await firstList(running, newPassword);
    expect(verify(list, newKey)).toBe(true);
    expect(verify(list, old.gateways['gw-main']!.key)).toBe(false);
    // The host can see when it was done.
    const audit = running.app.store.audit.recent(5).find((a) => a.action === 'gateway.key-rotated');
    expect(audit).toMatchObject({ target: 'gw-main', actor: 'cli' });
  });

  it('refuses an unknown gateway (exit 2) and a key the environment overrides (exit 1), changing nothing', async () => {
    site = await makeTestSite();
    const before = readFileSync(site.secretsPath, 'utf8');
    const unknown = captureIO();
    expect(await runCli(['rotate-gateway-key', 'gw-9', '--config', site.configPath], unknown)).toBe(2);
    expect(unknown.text()).toContain('unknown gateway "gw-9" (the site has gw-main');
    const env = captureIO({ SMARTSPACE_GATEWAY_GW_MAIN_KEY: 'from-the-environment-000000' });
    expect(await runCli(['rotate-gateway-key', 'gw-main', '--config', site.configPath], env)).toBe(1);
    expect(env.text()).toContain('SMARTSPACE_GATEWAY_GW_MAIN_KEY set in the environment');
    expect(readFileSync(site.secretsPath, 'utf8')).toBe(before);
    expect(parse(before)).toBeTruthy();
  });
});
