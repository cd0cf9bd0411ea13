// `smartspace rotate-gateway-key <gateway>`: a new signing key and MQTT password for one gateway,
// for when a gateway's Pi is lost, stolen, sold or its SD card copied. The two secrets are
// replaced in secrets.yaml (comments and every other value kept; written 0600 and atomically, so a
// crash leaves the old file or the new one, never half of each). The values are never printed:
// the host copies the gateway's lines from the file to the gateway's machine.
import { chownSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { gatewayEnv, newSecret } from '../../config/load.ts';
import { PRIVATE_FILE_MODE } from '../../runtime/private-files.ts';
import { EXIT, UsageError, siteConfigPath, type CliCommand } from '../command.ts';
import { parseFlags } from '../flags.ts';
import { cliActor, loadSite, openSiteStore } from '../site.ts';

const usage = `usage: smartspace rotate-gateway-key <gateway> [--config <site.yaml>]

Replaces the gateway's signing key and MQTT password in secrets.yaml with new random ones. The old
ones stop working when the services restart: the gateway is then refused by the broker, and door
commands and access lists signed with the old key are refused by it. Then:
  1. restart the services (and, with Mosquitto, regenerate its config and reload it);
  2. copy the gateway's two lines (gateways.<gateway>.key and .mqttPassword) of secrets.yaml into
     the secrets file on the gateway's machine, and restart the gateway there.
The doors keep deciding from the gateway's stored access list while it is cut off; do step 2 while
the gateway can reach the broker, so it fetches a list signed with its new key at once.`;

export const rotateGatewayKey: CliCommand = {
  name: 'rotate-gateway-key',
  summary: "replace one gateway's signing key and MQTT password (a lost or stolen Pi)",
  usage,
  run(args, io) {
    const { values: f, positionals } = parseFlags(args, { config: { type: 'string' } }, 1);
    const id = positionals[0];
    if (!id) throw new UsageError('the id of the gateway is required');
    const site = loadSite(siteConfigPath(f.config, io), io);
    const known = site.config.gateways.map((g) => g.id);
    if (!known.includes(id)) throw new UsageError(`unknown gateway "${id}" (the site has ${known.join(', ')})`);
    // The environment wins over the file (config/load.ts): a new value in the file would change nothing.
    const fromEnv = (['KEY', 'MQTT_PASSWORD'] as const).map((w) => gatewayEnv(id, w)).filter((name) => io.env[name] !== undefined);
    if (fromEnv.length > 0) {
      io.err(`smartspace rotate-gateway-key: ${fromEnv.join(' and ')} set in the environment override secrets.yaml; replace them there instead`);
      return Promise.resolve(EXIT.failed);
    }

    const doc = parseDocument(readFileSync(site.secretsPath, 'utf8'));
    doc.setIn(['gateways', id, 'key'], newSecret());
    doc.setIn(['gateways', id, 'mqttPassword'], newSecret());
    const before = statSync(site.secretsPath);
    const tmp = `${site.secretsPath}.${process.pid}.tmp`;
    writeFileSync(tmp, doc.toString(), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    // Run as root for a site whose secrets belong to the services' user: the new file keeps that owner.
    if (process.getuid?.() === 0) chownSync(tmp, before.uid, before.gid);
    renameSync(tmp, site.secretsPath);

    const store = openSiteStore(site.config);
    try {
      store.audit.write({ ts: Date.now(), ...cliActor(io.env), action: 'gateway.key-rotated', target: id, detail: null });
    } finally {
      store.close();
    }
    io.out(`${id}: a new key and MQTT password are in ${site.secretsPath} (not shown here).`);
    io.out(`Next: restart the services${site.config.broker.external ? ' and regenerate and reload the Mosquitto config' : ''}; then copy`);
    io.out(`gateways.${id}.key and gateways.${id}.mqttPassword to the secrets file on the gateway's machine and restart the gateway.`);
    return Promise.resolve(EXIT.ok);
  },
};
