// `smartspace osdp enrol <gateway> <reader>`: key an OSDP reader in install mode, through the
// running services (POST /api/devices/:id/enrol with the automation token) to its gateway, which
// makes the key, keeps it in its secrets file and moves the reader to it. The key is never shown.
import type { DeviceCommandFailure } from '../../contracts/payloads.ts';
import type { DeviceEnrolReply } from '../../contracts/api/index.ts';
import { ROUTES, routePath } from '../../contracts/routes.ts';
import { EXIT, UsageError, siteConfigPath, type CliCommand } from '../command.ts';
import { parseFlags } from '../flags.ts';
import { requestJson, servicesUrl } from '../services-http.ts';
import { loadSite } from '../site.ts';

const usage = `usage: smartspace osdp enrol <gateway> <reader> [--config <site.yaml>] [--timeout-ms 40000]

Enrols an OSDP reader's Secure Channel key. Put the reader in install mode first (its manual says
how; a factory-new reader is). The services (running) send a signed command to the gateway; the
gateway makes a fresh random key, writes it to its secrets file (gateways.<gateway>.osdp.<reader>),
moves the reader to it (KEYSET) and opens a Secure Channel with it. Prints ok, or why not. The key
is never printed, logged or sent over the network.`;

/** What each failure means for the person at the terminal. */
const FAILURES: Record<DeviceCommandFailure, string> = {
  'bad-signature': "the gateway refused the command's signature (its key differs from the services': see rotate-gateway-key)",
  expired: "the command arrived expired (check the gateway's clock)",
  'expiry-too-far': "the command's expiry is too far ahead for the gateway (check the clocks)",
  replay: 'the gateway saw this command before',
  'unknown-device': 'the gateway has no such reader (is its site config the same as the services?)',
  'not-supported': 'this device is not an OSDP reader',
  busy: 'an enrolment of this reader is already running',
  'cannot-save-key': 'the gateway cannot write its secrets file (it must be started with one it may write)',
  offline: 'the reader does not answer (wiring, address, speed?)',
  'not-install-mode': 'the reader refused the install key: put it in install mode first (it may have a key already)',
  'no-secure-channel': 'the reader offers no Secure Channel',
  'line-error': 'the reader answers with errors (noise or tampering on the line); check the wiring',
  timeout: 'no answer from the gateway in time',
};

export const osdpCommand: CliCommand = {
  name: 'osdp',
  summary: "OSDP readers: enrol a reader's Secure Channel key",
  usage,
  async run(args, io) {
    const { values: f, positionals } = parseFlags(args, { config: { type: 'string' }, 'timeout-ms': { type: 'string' } }, 3);
    const [sub, gateway, reader] = positionals;
    if (sub !== 'enrol') throw new UsageError(sub ? `unknown osdp command "${sub}" (known: enrol)` : 'what to do is required: enrol');
    if (!gateway || !reader) throw new UsageError('the gateway and the reader are required');
    const timeoutMs = f['timeout-ms'] === undefined ? 40_000 : Number(f['timeout-ms']);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1000) throw new UsageError(`--timeout-ms: ${f['timeout-ms']} is not a number of milliseconds ≥ 1000`);
    const site = loadSite(siteConfigPath(f.config, io), io);
    const gateways = site.config.gateways.map((g) => g.id);
    if (!gateways.includes(gateway)) throw new UsageError(`unknown gateway "${gateway}" (the site has ${gateways.join(', ')})`);
    const readers = site.config.doors.filter((d) => d.gateway === gateway && d.reader.driver === 'osdp').map((d) => d.reader.id);
    if (!readers.includes(reader)) {
      throw new UsageError(`"${reader}" is not an OSDP reader of gateway ${gateway} (${readers.length ? `it has ${readers.join(', ')}` : 'it has none'})`);
    }
    const token = site.secrets.automationToken;
    if (!token) {
      io.err('smartspace osdp: secrets.yaml has no automationToken, which this command uses to ask the services');
      return EXIT.failed;
    }
    const url = `${servicesUrl(site.config)}${routePath(ROUTES.enrolDevice, { id: reader })}`;
    io.out(`${reader}: enrolling through the services and gateway ${gateway}…`);
    let reply;
    try {
      reply = await requestJson('POST', url, { authorization: `Bearer ${token}` }, timeoutMs);
    } catch (err) {
      io.err(`smartspace osdp: the services at ${servicesUrl(site.config)} do not answer (${(err as Error).message}): start them first`);
      return EXIT.failed;
    }
    if (reply.status !== 200) {
      const body = reply.body as { code?: string; message?: string };
      io.err(`smartspace osdp: ${reader}: not enrolled: ${body.message ?? `HTTP ${reply.status}`}${body.code ? ` (${body.code})` : ''}`);
      return EXIT.failed;
    }
    const r = reply.body as DeviceEnrolReply;
    if (r.ok) {
      io.out(`${reader}: enrolled. The gateway keeps its new key in its secrets file (gateways.${gateway}.osdp.${reader}); the reader now talks only`);
      io.out("in a Secure Channel with it. Back it up with the gateway's secrets; remove installMode from its binding if it is set.");
      return EXIT.ok;
    }
    io.err(`smartspace osdp: ${reader}: not enrolled: ${FAILURES[r.reason ?? 'timeout']} (${r.reason ?? 'timeout'})`);
    return EXIT.failed;
  },
};
