// The network of spaces (issue 18; README, "Network of spaces"):
// - `smartspace network-keygen`: a site's Ed25519 key pair, the public half for `network.sites`,
//   the private half for secrets.yaml `network.signingKey`;
// - `smartspace network-broker <dir>`: the network broker's Mosquitto folder, for the machine the
//   coordinator runs it on (no site config there): networkBrokerFiles() (TLS listener, one login
//   per site, an ACL by which each site writes only its own subtree), the passwords hashed as
//   mosquitto_passwd does. Each site's password is kept in <dir>/site-passwords.yaml (0600):
//   a re-run for a new site keeps the others' and makes one for the new site only.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { newSecret } from '../../config/load.ts';
import { matches } from '../../contracts/patterns.ts';
import { newSigningKeyPair } from '../../contracts/signing.ts';
import { PRIVATE_FILE_MODE } from '../../runtime/private-files.ts';
import { networkBrokerFiles, networkSiteUser } from '../../scripts/lib/mosquitto-config.ts';
import { giveToMosquitto } from '../../scripts/mosquitto-config.ts';
import { EXIT, UsageError, type CliCommand } from '../command.ts';
import { parseFlags } from '../flags.ts';

const keygenUsage = `usage: smartspace network-keygen

Prints a new Ed25519 key pair for this site in a network of spaces (base64 DER):
  publicKey   goes in network.sites, beside this site's id, in every site's site.yaml
              (send it to the coordinator; it is not secret);
  signingKey  goes in this site's secrets.yaml as network.signingKey (keep it private).`;

export const networkKeygen: CliCommand = {
  name: 'network-keygen',
  summary: "a site's key pair for a network of spaces (signs its visas)",
  usage: keygenUsage,
  run(args, io) {
    parseFlags(args, {}, 0);
    const k = newSigningKeyPair();
    io.out(`publicKey: ${k.publicKey}`);
    io.out(`signingKey: ${k.privateKey}`);
    return Promise.resolve(EXIT.ok);
  },
};

const brokerUsage = `usage: smartspace network-broker <dir> --network <id> --sites <id,id,…> --certfile <pem> --keyfile <pem>
                                [--port 8883] [--bind 0.0.0.0] [--user mosquitto] [--data <dir>]

Writes the network broker's Mosquitto folder <dir>: mosquitto.conf (a TLS listener, persistence),
passwd (one login per site, site.<id>) and acl (each site writes only net/<network>/site/<id>/ and
reads every site's). Then: mosquitto -c <dir>/mosquitto.conf.
Each site's password is in <dir>/site-passwords.yaml (0600, never printed): copy it into that
site's secrets.yaml as network.mqttPassword. Run it again with a longer --sites for a new site:
the others keep their passwords; a site left out loses its login.
  --certfile/--keyfile  the broker's certificate and key (PEM), for the name or address the sites'
                        network.broker.url uses; the sites trust its CA (network.broker.ca)
  --data                persistence folder (default <dir>/data)`;

const PASSWORDS = 'site-passwords.yaml';

export const networkBroker: CliCommand = {
  name: 'network-broker',
  summary: "write the network broker's Mosquitto folder (TLS, a login per site, ACL)",
  usage: brokerUsage,
  run(args, io) {
    const { values: f, positionals } = parseFlags(
      args,
      {
        network: { type: 'string' },
        sites: { type: 'string' },
        certfile: { type: 'string' },
        keyfile: { type: 'string' },
        port: { type: 'string' },
        bind: { type: 'string' },
        user: { type: 'string' },
        data: { type: 'string' },
      },
      1,
    );
    const out = positionals[0];
    if (!out) throw new UsageError('the folder to write is required');
    for (const flag of ['network', 'sites', 'certfile', 'keyfile'] as const) if (!f[flag]) throw new UsageError(`--${flag} is required`);
    const network = f.network!;
    if (!matches('id', network)) throw new UsageError(`--network: "${network}" is not an id (letters, digits, _ . -)`);
    const sites = f.sites!.split(',').map((s) => s.trim());
    for (const s of sites) if (!matches('id', s)) throw new UsageError(`--sites: "${s}" is not an id (letters, digits, _ . -)`);
    if (new Set(sites).size !== sites.length) throw new UsageError('--sites: a site is named twice');
    const port = Number(f.port ?? 8883);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port: "${f.port}" is not a port`);
    const [certfile, keyfile] = [resolve(io.cwd, f.certfile!), resolve(io.cwd, f.keyfile!)];
    for (const [flag, path] of [
      ['certfile', certfile],
      ['keyfile', keyfile],
    ] as const) {
      if (!existsSync(path)) {
        io.err(`smartspace network-broker: --${flag}: cannot read ${path}`);
        return Promise.resolve(EXIT.failed);
      }
    }

    const dir = resolve(io.cwd, out);
    const dataDir = resolve(io.cwd, f.data ?? join(dir, 'data'));
    mkdirSync(dir, { recursive: true, mode: 0o750 });
    mkdirSync(dataDir, { recursive: true, mode: 0o750 });
    const pwPath = join(dir, PASSWORDS);
    const known = existsSync(pwPath) ? ((parse(readFileSync(pwPath, 'utf8')) ?? {}) as Record<string, unknown>) : {};
    const passwords = Object.fromEntries(sites.map((s) => [s, typeof known[s] === 'string' ? known[s] : newSecret()]));
    const made = sites.filter((s) => typeof known[s] !== 'string');
    const files = networkBrokerFiles({ id: network, sites: sites.map((id) => ({ id })) }, passwords, {
      dir,
      dataDir,
      port,
      bind: f.bind ?? '0.0.0.0',
      ...(f.user ? { user: f.user } : {}),
      tls: { certfile, keyfile },
    });
    const written = {
      ...files,
      [PASSWORDS]: `# network.mqttPassword of each site of network ${network} (login site.<id>); keep private\n${stringify(passwords)}`,
    };
    for (const [name, text] of Object.entries(written)) writeFileSync(join(dir, name), text, { mode: PRIVATE_FILE_MODE });
    giveToMosquitto([dir, dataDir, ...Object.keys(files).map((n) => join(dir, n))], f.user);

    io.out(`Wrote ${dir}/{mosquitto.conf,passwd,acl} for network ${network}: ${sites.map(networkSiteUser).join(', ')}.`);
    if (made.length > 0) io.out(`New passwords for ${made.join(', ')} in ${pwPath} (not shown here).`);
    io.out(`Next: give each site its password (secrets.yaml network.mqttPassword); run mosquitto -c ${join(dir, 'mosquitto.conf')}.`);
    return Promise.resolve(EXIT.ok);
  },
};
