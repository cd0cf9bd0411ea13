// `npm run mosquitto:config -- --config <site.yaml> [--out DIR] [--data DIR] [--bind ADDR] [--user NAME] [--username-as-clientid] [--certfile PEM --keyfile PEM [--cafile PEM]]`
// Writes a Mosquitto config folder for a site with `broker.external: true`: mosquitto.conf
// (listener at broker.url, no anonymous clients, persistence), passwd (PBKDF2-SHA512 hashes of
// the per-role and per-gateway MQTT passwords from the secrets) and acl (services/broker/acl.ts
// as Mosquitto ACL lines). Then: `mosquitto -c DIR/mosquitto.conf`.
// Exit codes: 0 written, 2 bad config or usage.
import { parseArgs } from 'node:util';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, defaultSecretsPath, loadSecrets, loadSiteConfig } from '../config/load.ts';
import { generateMosquittoConfig, MosquittoConfigError, type ConfOptions } from './lib/mosquitto-config.ts';

const USAGE =
  'usage: npm run mosquitto:config -- --config <site.yaml> [--out DIR] [--data DIR] [--bind ADDR] [--user NAME] [--username-as-clientid] [--certfile PEM --keyfile PEM [--cafile PEM]]';

/** uid and gid of a local account, from /etc/passwd; null when there is none. */
function account(name: string): { uid: number; gid: number } | null {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === name && f.length >= 4) return { uid: Number(f[2]), gid: Number(f[3]) };
    }
  } catch {
    /* no /etc/passwd */
  }
  return null;
}

/**
 * Started as root, mosquitto drops to `user` (default mosquitto) before it reads passwd and acl
 * and writes its persistence file: give that account the folder's paths (the first is the folder).
 */
export function giveToMosquitto(paths: readonly string[], user = 'mosquitto'): void {
  if (process.getuid?.() !== 0 || user === 'root') return;
  const acc = account(user);
  if (acc) for (const p of paths) chownSync(p, acc.uid, acc.gid);
  else process.stderr.write(`note: no local account "${user}": chown ${paths[0]} to the account mosquitto runs as\n`);
}

export interface WriteResult {
  dir: string;
  conf: string;
  users: number;
}

/** Generates and writes the folder; files that hold secrets (passwd) are 0600. */
export function writeMosquittoConfig(configPath: string, o: Partial<ConfOptions> = {}, env: NodeJS.ProcessEnv = process.env): WriteResult {
  const config = loadSiteConfig(configPath);
  const secrets = loadSecrets(config, defaultSecretsPath(configPath), env);
  const dir = resolve(o.dir ?? join(dirname(resolve(configPath)), 'mosquitto'));
  const dataDir = resolve(o.dataDir ?? join(dir, 'data'));
  const files = generateMosquittoConfig(config, secrets, { ...o, dir, dataDir });
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  mkdirSync(dataDir, { recursive: true, mode: 0o750 });
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    chmodSync(path, 0o600);
  }
  giveToMosquitto([dir, dataDir, ...Object.keys(files).map((n) => join(dir, n))], o.user);
  return { dir, conf: join(dir, 'mosquitto.conf'), users: files.passwd.split('\n').filter(Boolean).length };
}

function main(): void {
  let values: {
    config?: string;
    out?: string;
    data?: string;
    bind?: string;
    user?: string;
    'username-as-clientid'?: boolean;
    certfile?: string;
    keyfile?: string;
    cafile?: string;
  };
  try {
    ({ values } = parseArgs({
      options: {
        config: { type: 'string', short: 'c' },
        out: { type: 'string' },
        data: { type: 'string' },
        bind: { type: 'string' },
        user: { type: 'string' },
        'username-as-clientid': { type: 'boolean' },
        certfile: { type: 'string' },
        keyfile: { type: 'string' },
        cafile: { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (!values.config) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  if (!existsSync(values.config)) {
    process.stderr.write(`config error: cannot read ${values.config}\n`);
    process.exit(2);
  }
  if ((values.certfile === undefined) !== (values.keyfile === undefined) || (values.cafile && !values.certfile)) {
    process.stderr.write(`--certfile and --keyfile go together (--cafile only with them)\n${USAGE}\n`);
    process.exit(2);
  }
  try {
    const r = writeMosquittoConfig(values.config, {
      ...(values.certfile && values.keyfile
        ? { tls: { certfile: values.certfile, keyfile: values.keyfile, ...(values.cafile ? { cafile: values.cafile } : {}) } }
        : {}),
      dir: values.out,
      dataDir: values.data,
      bind: values.bind,
      user: values.user,
      usernameAsClientId: values['username-as-clientid'],
    });
    process.stdout.write(`wrote ${r.dir}/{mosquitto.conf,passwd,acl} (${r.users} MQTT users)\nrun: mosquitto -c ${r.conf}\n`);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof MosquittoConfigError) {
      process.stderr.write(`config error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
