// `smartspace network-broker <dir>` (issue 18): the folder it writes runs Debian's real mosquitto
// as the network broker; over TLS a site's login (site.<id>, the password the command kept in
// site-passwords.yaml) writes its own subtree and reaches the other sites, and cannot write
// another site's subtree (its visas would be forged in that site's name). `network-keygen`
// prints a key pair that signs and verifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { parse } from 'yaml';
import { runCli } from '../../cli/main.ts';
import type { CliIO } from '../../cli/command.ts';
import { signEd25519, verifyEd25519 } from '../../contracts/signing.ts';
import { MOSQUITTO } from '../helpers/mosquitto.ts';
import { serverProcess, type ServerProcess } from '../helpers/server-process.ts';
import { freePort } from '../helpers/site.ts';
import { makeTestCerts, type TestCerts } from '../helpers/tls-certs.ts';
import { eventually } from '../helpers/stack.ts';

function captureIO(cwd: string): CliIO & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l), env: {}, cwd };
}

describe('smartspace network-broker: the network broker from its folder', () => {
  let dir = '';
  let certs: TestCerts;
  let port = 0;
  let broker: ServerProcess | undefined;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smartspace-netbroker-'));
    mkdirSync(join(dir, 'certs'));
    certs = makeTestCerts(join(dir, 'certs'));
    port = await freePort();
  });

  afterAll(async () => {
    for (const c of clients) await c.endAsync(true);
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (args: string[]) => {
    const io = captureIO(dir);
    const code = await runCli(args, io);
    return { code, text: io.lines.join('\n') };
  };
  const passwords = () => parse(readFileSync(join(dir, 'broker', 'site-passwords.yaml'), 'utf8')) as Record<string, string>;
  const login = async (site: string) => {
    const c = await connectAsync(`mqtts://127.0.0.1:${port}`, {
      username: `site.${site}`,
      password: passwords()[site],
      clientId: `site.${site}`,
      ca: readFileSync(certs.ca),
      reconnectPeriod: 0,
    });
    clients.push(c);
    return c;
  };

  it('writes the folder; a re-run for a new site keeps the others’ passwords; bad flags name the flag', async () => {
    const base = [
      'network-broker',
      'broker',
      '--network',
      'vest',
      '--certfile',
      certs.cert,
      '--keyfile',
      certs.key,
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
    ];
    const user = process.getuid?.() === 0 ? ['--user', 'root'] : [];
    const first = await run([...base, ...user, '--sites', 'a,b']);
    expect(first.code).toBe(0);
    const before = passwords();
    expect(Object.keys(before)).toEqual(['a', 'b']);
    const again = await run([...base, ...user, '--sites', 'a,b,c']);
    expect(again.code).toBe(0);
    expect(again.text).toContain('New passwords for c');
    expect(passwords()).toMatchObject(before);
    // No password is printed; the files that hold them are the owner's only.
    for (const pw of Object.values(passwords())) expect(first.text + again.text).not.toContain(pw);
    for (const f of ['passwd', 'acl', 'site-passwords.yaml', 'mosquitto.conf']) expect(statSync(join(dir, 'broker', f)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'broker', 'passwd'), 'utf8')).toMatch(/^site\.a:\$7\$101\$/);

    expect(await run([...base, '--sites', 'a,b c'])).toMatchObject({ code: 2, text: expect.stringContaining('--sites: "b c" is not an id') });
    expect(await run(['network-broker', 'broker', '--network', 'vest', '--sites', 'a'])).toMatchObject({
      code: 2,
      text: expect.stringContaining('--certfile is required'),
    });
  });

  it('runs in mosquitto over TLS: a site writes its own subtree, reaches the others, and cannot write another site’s', async () => {
    broker = serverProcess({
      name: 'network broker',
      command: MOSQUITTO,
      args: ['-c', join(dir, 'broker', 'mosquitto.conf')],
      ready: (line) => line !== null && /mosquitto version \S+ running/.test(line),
      readyTimeoutMs: 15_000,
      stopGraceMs: 5000,
      pollMs: 20,
    });
    await broker.start();
    const [a, b] = [await login('a'), await login('b')];
    const got: string[] = [];
    b.on('message', (topic) => got.push(topic));
    await b.subscribeAsync('net/vest/site/+/#', { qos: 1 });
    // a forges under b's subtree first, then publishes under its own: only the second arrives.
    await a.publishAsync('net/vest/site/b/visa/v.b.forged', '{}', { qos: 1 });
    await a.publishAsync('net/vest/site/a/visa/v.a.1', '{}', { qos: 1 });
    await eventually(() => got.includes('net/vest/site/a/visa/v.a.1'), 10_000, 'a’s own visa at b');
    expect(got).toEqual(['net/vest/site/a/visa/v.a.1']);
    // A wrong password is refused.
    await expect(
      connectAsync(`mqtts://127.0.0.1:${port}`, { username: 'site.a', password: 'wrong', clientId: 'site.a', ca: readFileSync(certs.ca), reconnectPeriod: 0 }),
    ).rejects.toThrow();
  });
});

describe('smartspace network-keygen', () => {
  it('prints a public key for network.sites and a signing key for secrets.yaml that belong together', async () => {
    const io = captureIO('/');
    expect(await runCli(['network-keygen'], io)).toBe(0);
    const [pub, priv] = io.lines.map((l) => l.split(': ')[1]!);
    expect(io.lines[0]).toMatch(/^publicKey: MCowBQYDK2VwAyEA/);
    expect(io.lines[1]).toMatch(/^signingKey: MC4CAQAwBQYDK2Vw/);
    expect(verifyEd25519(signEd25519({ grant: 'x' }, priv!), pub!)).toBe(true);
  });
});
