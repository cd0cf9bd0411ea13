import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSiteConfig } from '../../config/load.ts';
import { isTimeZone, siteYaml } from '../../cli/commands/init.ts';
import { runCli } from '../../cli/main.ts';
import type { CliIO } from '../../cli/command.ts';

const answers = {
  siteId: 'kyst',
  siteName: 'Kyst: "the" office',
  timeZone: 'Europe/Copenhagen',
  dataDir: '/var/lib/smartspace',
  httpHost: '0.0.0.0',
  httpPort: 8080,
  mqttHost: '127.0.0.1',
  mqttPort: 1883,
  brokerUrl: 'mqtt://127.0.0.1:1883',
};

describe('smartspace init', () => {
  it('takes IANA zone names only', () => {
    for (const tz of ['Europe/Copenhagen', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/GMT+1']) expect(isTimeZone(tz), tz).toBe(true);
    for (const tz of ['CET', 'Europe/Atlantis', '+01:00', 'copenhagen', '']) expect(isTimeZone(tz), tz).toBe(false);
  });

  it('writes a site.yaml that loads: no doors, one gateway, absolute data dirs, a quoted name', () => {
    const config = parseSiteConfig(parse(siteYaml(answers)), '/etc/smartspace');
    expect(config.site.name).toBe('Kyst: "the" office');
    expect(config.doors).toEqual([]);
    expect(config.services.seed).toBeUndefined();
    expect(config.services.dataDir).toBe('/var/lib/smartspace/services');
    expect(config.gateways.map((g) => g.dataDir)).toEqual(['/var/lib/smartspace/gateway-gw-1']);
    expect(config.services.http).toMatchObject({ host: '0.0.0.0', port: 8080 });
    expect(config.services.http.tls).toBeUndefined();
  });

  it('the commented example door loads once uncommented', () => {
    const text = siteYaml(answers).replace(/doors: \[\]\n((?:#.*\n)+)/, (_, block: string) => `doors:\n${block.replace(/^# /gm, '')}`);
    const config = parseSiteConfig(parse(text), '/etc/smartspace');
    expect(config.doors.map((d) => [d.id, d.reader.driver, d.lock.driver])).toEqual([['front', 'serial', 'gpio']]);
  });

  it('answers bad flags with exit 2 naming the flag, before writing anything', async () => {
    const errLines: string[] = [];
    const io: CliIO = { out: () => undefined, err: (l) => errLines.push(l), env: {}, cwd: '/nonexistent' };
    const base = ['init', '--config', '/nonexistent/site.yaml', '--site-name', 'X', '--operator-email', 'a@b.dk'];
    expect(await runCli([...base, '--time-zone', 'CET'], io)).toBe(2);
    expect(await runCli([...base, '--time-zone', 'UTC', '--http-port', '80000'], io)).toBe(2);
    expect(await runCli([...base, '--time-zone', 'UTC', '--operator-password', 'short'], io)).toBe(2);
    expect(await runCli([...base, '--time-zone', 'UTC', '--colour', 'blue'], io)).toBe(2);
    expect(errLines.map((l) => l.split('\n')[0])).toEqual([
      'smartspace init: --time-zone: "CET" is not an IANA time zone (e.g. Europe/Copenhagen, UTC)',
      'smartspace init: --http-port: expected a port 1-65535, got "80000"',
      'smartspace init: --operator-password: at least 8 characters',
      "smartspace init: Unknown option '--colour'",
    ]);
  });
});
