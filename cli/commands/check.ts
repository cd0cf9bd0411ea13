// `smartspace check`: is this site ready to run (or running right)? One line per check, ok /
// warn / FAIL with the reason; exit 1 when anything FAILs. Read-only: it opens no database and
// writes nothing but a probe file in each data dir.
import { accessSync, constants, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { connect, type IClientOptions } from 'mqtt';
import { readCa, readServerTls, describeCert } from '../../config/tls.ts';
import { ConfigError, loadSecrets, loadSiteConfig } from '../../config/load.ts';
import { isExternalBroker } from '../../config/broker.ts';
import type { Secrets, SiteConfig } from '../../config/schema.ts';
import { EXIT, UsageError, siteConfigPath, type CliCommand, type CliIO } from '../command.ts';
import { parseFlags } from '../flags.ts';
import { secretsPathFor } from '../site.ts';
import { loopback, requestJson, servicesUrl } from '../services-http.ts';

const usage = `usage: smartspace check [--config <site.yaml>] [--gateway <id>] [--timeout-ms 3000]

Checks the site config and secrets (errors name the key), that the data dirs are writable, that
the HTTP and MQTT ports are free or answered by this site's services, the broker (with the
services' credentials), the history store (InfluxDB ping), and that the serial devices of each
gateway exist (--gateway <id>: only that gateway's, on the machine it runs on).
One line per check; exit 1 when any check FAILs.`;

export type Level = 'ok' | 'warn' | 'FAIL';
export interface CheckLine {
  level: Level;
  what: string;
  detail: string;
}

/** A writable dir: present and writable (a probe file), or missing with a writable ancestor. */
export function checkDir(what: string, dir: string): CheckLine {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) return { level: 'FAIL', what, detail: `${dir} is not a directory` };
    const probe = join(dir, `.smartspace-check-${process.pid}`);
    try {
      writeFileSync(probe, '');
      rmSync(probe);
      return { level: 'ok', what, detail: `${dir} writable` };
    } catch (err) {
      return { level: 'FAIL', what, detail: `${dir} not writable by this user (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }
  let parent = dirname(dir);
  while (!existsSync(parent) && parent !== dirname(parent)) parent = dirname(parent);
  try {
    accessSync(parent, constants.W_OK);
    return { level: 'warn', what, detail: `${dir} missing (created at first start)` };
  } catch {
    return { level: 'FAIL', what, detail: `${dir} missing, and ${parent} is not writable by this user` };
  }
}

/** Can we listen on host:port? 'free', or the error code (EADDRINUSE, EACCES, EADDRNOTAVAIL…). */
export function tryListen(host: string, port: number): Promise<string> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? 'error'));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => done('free')));
  });
}

interface OurServices {
  status: string;
}

/**
 * This site's services at the HTTP port, via GET /api/health with the automation token (without
 * it the health names no site); undefined when not ours or none.
 */
async function ourServices(config: SiteConfig, token: string | undefined, timeoutMs: number): Promise<OurServices | undefined> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  try {
    const { body } = (await requestJson('GET', `${servicesUrl(config)}/api/health`, headers, timeoutMs)) as {
      body: { site?: unknown; status?: unknown };
    };
    return body.site === config.site.id ? { status: String(body.status) } : undefined;
  } catch {
    return undefined;
  }
}

const EXPIRY_WARN_DAYS = 14;

/** The certificate files of the config: readable, PEM, key matching, and not about to expire. */
export function checkCertificates(config: SiteConfig, now = Date.now()): CheckLine[] {
  const lines: CheckLine[] = [];
  const expiry = (what: string, leaf: { validTo: string; subject: string }) => {
    const left = (new Date(leaf.validTo).getTime() - now) / 86_400_000;
    const d = describeCert(leaf as Parameters<typeof describeCert>[0]);
    if (left < 0) return { level: 'FAIL' as const, what, detail: `certificate for ${d.subject} expired ${d.validTo}` };
    if (left < EXPIRY_WARN_DAYS)
      return { level: 'warn' as const, what, detail: `certificate for ${d.subject} expires ${d.validTo} (in ${Math.floor(left)} days)` };
    return { level: 'ok' as const, what, detail: `certificate for ${d.subject}${d.altNames ? ` (${d.altNames})` : ''}, valid until ${d.validTo}` };
  };
  const servers: Array<[string, { cert: string; key: string } | undefined]> = [
    ['services.http.tls', config.services.http.tls],
    ['services.mqtt.tls', config.services.mqtt.tls],
  ];
  for (const [key, files] of servers) {
    if (!files) continue;
    try {
      lines.push(expiry(`tls: ${key}`, readServerTls(files, key).leaf));
    } catch (err) {
      lines.push({ level: 'FAIL', what: `tls: ${key}`, detail: (err as Error).message });
    }
  }
  if (config.broker.ca) {
    try {
      readCa(config.broker.ca);
      lines.push({ level: 'ok', what: 'tls: broker.ca', detail: config.broker.ca });
    } catch (err) {
      lines.push({ level: 'FAIL', what: 'tls: broker.ca', detail: (err as Error).message });
    }
  }
  return lines;
}

async function checkPort(what: string, host: string, port: number, ours: boolean): Promise<CheckLine> {
  const r = await tryListen(host, port);
  if (r === 'free') return { level: 'ok', what, detail: `${host}:${port} free` };
  if (r === 'EADDRINUSE') {
    return ours
      ? { level: 'ok', what, detail: `${host}:${port} answered by this site's services` }
      : { level: 'FAIL', what, detail: `${host}:${port} in use by another program (not this site's services)` };
  }
  if (r === 'EACCES') return { level: 'FAIL', what, detail: `${host}:${port} needs privileges this user lacks (choose a port >= 1024)` };
  return { level: 'FAIL', what, detail: `cannot listen on ${host}:${port} (${r})` };
}

/** Connects with the services' MQTT credentials and disconnects: ok, or why not. */
export function probeBroker(url: string, password: string, timeoutMs: number, ca?: Buffer): Promise<{ ok: true } | { ok: false; reason: string }> {
  return new Promise((done) => {
    const opts: IClientOptions = {
      username: 'services',
      password,
      clientId: `smartspace-check-${process.pid}-${Date.now().toString(36)}`,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: timeoutMs,
      ...(ca ? { ca } : {}),
    };
    const client = connect(url, opts);
    const finish = (r: { ok: true } | { ok: false; reason: string }) => {
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end(true, () => done(r));
    };
    client.once('connect', () => finish({ ok: true }));
    client.once('error', (err: Error & { code?: string | number }) => {
      const code = err.code;
      if (code === 4 || code === 5 || code === 134 || code === 135) finish({ ok: false, reason: "refused the services' credentials (secrets.mqtt.services)" });
      else finish({ ok: false, reason: typeof code === 'string' ? code : err.message });
    });
    client.once('close', () => finish({ ok: false, reason: 'no answer' }));
  });
}

async function probeHistory(config: SiteConfig, secrets: Secrets, timeoutMs: number): Promise<CheckLine> {
  const what = 'history';
  const h = config.history;
  if (h.store === 'sqlite') return { level: 'ok', what, detail: 'SQLite in the services data dir' };
  const url = (h.store === 'influxdb1' ? h.influxdb1!.url : h.influxdb2!.url).replace(/\/$/, '');
  try {
    // InfluxDB 1.x and 2.x both answer GET /ping with 204, without credentials.
    const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 204 && !res.ok) return { level: 'FAIL', what, detail: `${h.store} at ${url}: /ping answered ${res.status}` };
    if (h.store === 'influxdb2' && !secrets.history?.token) return { level: 'FAIL', what, detail: 'secrets.history.token missing' };
    return { level: 'ok', what, detail: `${h.store} at ${url} answers (version ${res.headers.get('x-influxdb-version') ?? 'unknown'})` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    return { level: 'FAIL', what, detail: `${h.store} at ${url} unreachable (${cause})` };
  }
}

/** Every serial path a gateway's doors and desks bind, with its config key. */
export function serialPaths(config: SiteConfig, gateway: string): { key: string; path: string }[] {
  const out: { key: string; path: string }[] = [];
  config.doors.forEach((d, i) => {
    if (d.gateway === gateway && (d.reader.driver === 'serial' || d.reader.driver === 'osdp'))
      out.push({ key: `doors[${i}].reader.path`, path: d.reader.path });
  });
  config.desks.forEach((d, i) => {
    if (d.gateway !== gateway) return;
    [d.sensor, ...(d.extraSensors ?? [])].forEach((s, j) => {
      if (s.driver === 'serial') out.push({ key: j === 0 ? `desks[${i}].sensor.path` : `desks[${i}].extraSensors[${j - 1}].path`, path: s.path });
    });
  });
  return out;
}

export async function runChecks(configPath: string, io: Pick<CliIO, 'env'>, opts: { gateway?: string; timeoutMs: number }): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  let config: SiteConfig;
  try {
    config = loadSiteConfig(configPath);
    lines.push({
      level: 'ok',
      what: 'config',
      detail: `${configPath}: site ${config.site.id}, ${config.gateways.length} gateway(s), ${config.doors.length} door(s)`,
    });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return [{ level: 'FAIL', what: 'config', detail: err.message }];
  }
  const secretsPath = secretsPathFor(configPath, io.env);
  let secrets: Secrets | undefined;
  try {
    secrets = loadSecrets(config, secretsPath, io.env);
    const mode = existsSync(secretsPath) ? statSync(secretsPath).mode & 0o077 : 0;
    lines.push(
      mode
        ? { level: 'warn', what: 'secrets', detail: `${secretsPath} is readable by others: chmod 600 ${secretsPath}` }
        : { level: 'ok', what: 'secrets', detail: existsSync(secretsPath) ? secretsPath : 'from the environment' },
    );
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    lines.push({ level: 'FAIL', what: 'secrets', detail: err.message });
  }

  lines.push(checkDir('data: services', config.services.dataDir));
  for (const g of config.gateways) if (!opts.gateway || g.id === opts.gateway) lines.push(checkDir(`data: gateway ${g.id}`, g.dataDir));
  lines.push(checkDir('data: node-red', resolve(io.env.SMARTSPACE_NODE_RED_DIR ?? resolve(config.services.dataDir, '..', 'node-red'))));

  lines.push(...checkCertificates(config));
  const ours = await ourServices(config, secrets?.automationToken, opts.timeoutMs);
  const { http, mqtt } = config.services;
  lines.push(await checkPort('http port', http.host, http.port, ours !== undefined));
  const external = isExternalBroker(config);
  if (!external) lines.push(await checkPort('mqtt port', mqtt.host, mqtt.port, ours !== undefined));
  if (ours && ours.status !== 'ok') lines.push({ level: 'warn', what: 'services', detail: `running, health status ${ours.status} (see /api/health)` });

  if (secrets) {
    if (external || ours) {
      const url = external ? config.broker.url : `mqtt://${loopback(mqtt.host)}:${mqtt.port}`;
      let ca: Buffer | undefined;
      try {
        ca = config.broker.ca && external ? readCa(config.broker.ca) : undefined;
      } catch {
        ca = undefined; // reported by the tls line above
      }
      const r = await probeBroker(url, secrets.mqtt.services, opts.timeoutMs, ca);
      lines.push(
        r.ok ? { level: 'ok', what: 'broker', detail: `${url} accepts the services' login` } : { level: 'FAIL', what: 'broker', detail: `${url}: ${r.reason}` },
      );
    } else {
      lines.push({ level: 'ok', what: 'broker', detail: 'embedded: starts with the services (not running now)' });
    }
    lines.push(await probeHistory(config, secrets, opts.timeoutMs));
  }

  for (const g of config.gateways) {
    if (opts.gateway && g.id !== opts.gateway) continue;
    const paths = serialPaths(config, g.id);
    if (paths.length === 0) lines.push({ level: 'ok', what: `serial: ${g.id}`, detail: 'no serial devices' });
    for (const p of paths) {
      lines.push(
        existsSync(p.path)
          ? { level: 'ok', what: `serial: ${g.id}`, detail: `${p.path}` }
          : { level: 'FAIL', what: `serial: ${g.id}`, detail: `${p.key}: ${p.path} missing (plugged in? on this machine?)` },
      );
    }
  }
  return lines;
}

export const check: CliCommand = {
  name: 'check',
  summary: 'config, secrets, data dirs, ports, broker, history store, serial devices',
  usage,
  async run(args, io) {
    const { values: f } = parseFlags(args, { config: { type: 'string' }, gateway: { type: 'string' }, 'timeout-ms': { type: 'string' } });
    const timeoutMs = f['timeout-ms'] === undefined ? 3000 : Number(f['timeout-ms']);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 100) throw new UsageError('--timeout-ms: expected a whole number >= 100');
    const lines = await runChecks(resolve(io.cwd, siteConfigPath(f.config, io)), io, { gateway: f.gateway, timeoutMs });
    if (f.gateway && !lines.some((l) => l.what === `serial: ${f.gateway}`) && lines[0]?.level === 'ok') {
      lines.push({ level: 'FAIL', what: 'gateway', detail: `--gateway: no gateway "${f.gateway}" in the config` });
    }
    const width = Math.max(...lines.map((l) => l.what.length));
    for (const l of lines) io.out(`${l.level.padEnd(4)}  ${l.what.padEnd(width)}  ${l.detail}`);
    const failed = lines.filter((l) => l.level === 'FAIL').length;
    io.out(failed ? `${failed} check${failed === 1 ? '' : 's'} failed.` : 'All checks passed.');
    return failed ? EXIT.failed : EXIT.ok;
  },
};
