// A plain Mosquitto playing the broker zigbee2mqtt and ESPHome publish to (not the site's): one
// loopback listener, one user, as a volunteer's Home Assistant / zigbee2mqtt box has it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOSQUITTO } from '../helpers/mosquitto.ts';
import { serverProcess } from '../helpers/server-process.ts';
import { freePort } from '../helpers/site.ts';
import { mosquittoHash } from '../../scripts/lib/mosquitto-config.ts';

export interface SourceBroker {
  url: string;
  username: string;
  password: string;
  stop(): Promise<void>;
}

export async function startSourceBroker(): Promise<SourceBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'smartspace-z2m-'));
  const port = await freePort();
  const username = 'z2m';
  const password = 'z2m-source-password-0123';
  writeFileSync(join(dir, 'passwd'), `${username}:${mosquittoHash(password)}\n`);
  const conf = join(dir, 'mosquitto.conf');
  const user = process.getuid?.() === 0 ? 'user root\n' : '';
  writeFileSync(conf, `${user}listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${join(dir, 'passwd')}\npersistence false\n`);
  const server = serverProcess({
    name: 'mosquitto-source',
    command: MOSQUITTO,
    args: ['-c', conf],
    ready: (line) => line !== null && /mosquitto version \S+ running/.test(line),
    readyTimeoutMs: 15_000,
    stopGraceMs: 5000,
    pollMs: 20,
  });
  await server.start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    username,
    password,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
