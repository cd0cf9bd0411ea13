// The gateway's own /metrics (Prometheus text), off unless the gateway's config has `metrics`.
// What only the Pi knows, read at scrape time: the MQTT link (connected, reconnects), the outbox
// (depth, bytes, thinned readings), decisions made at its doors, payloads it refused, and each
// reader's and sensor's health with its codec's dropped frames. The services' /metrics has every
// gateway's last status too; this one still answers while the link to the services is down.
//
// Served by node:http (a dozen lines, no framework on a Pi). On loopback it needs no token (the
// Pi's own Prometheus or node_exporter textfile); on any other address a bearer token from the
// secrets file (`gateways.<id>.metricsToken`) is required, compared in constant time.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Metrics, byLabel } from '../runtime/metrics.ts';
import { ConfigError } from '../config/load.ts';
import type { DeviceHealthState, DeviceKind } from './drivers/types.ts';

export interface GatewayMetricsSource {
  gatewayId: string;
  linkConnected: () => boolean;
  linkReconnects: () => number;
  outbox: { readonly depth: number; readonly bytes: number; readonly dropped: number };
  /** Decisions and door activity written at this gateway, by `access:<decision>` / `door:<kind>`. */
  eventCounts: () => Readonly<Record<string, number>>;
  rejected: () => Readonly<Record<string, number>>;
  aclVersion: () => number;
  offlineOnly: () => boolean;
  devices: readonly { readonly id: string; readonly kind: DeviceKind; health(): DeviceHealthState }[];
}

export function gatewayMetrics(s: GatewayMetricsSource): Metrics {
  const per = (pick: (h: DeviceHealthState) => number | undefined) =>
    s.devices.flatMap((d) => {
      const v = pick(d.health());
      return v === undefined ? [] : [[{ device: d.id, kind: d.kind }, v] as const];
    });
  const events = (type: string) =>
    Object.entries(s.eventCounts()).flatMap(([k, v]) =>
      k.startsWith(`${type}:`) ? [[{ [type === 'access' ? 'result' : 'kind']: k.slice(type.length + 1) }, v] as const] : [],
    );
  return new Metrics('smartspace_gateway_')
    .gauge('mqtt_connected', 'Connected to the broker (1) or not (0)', () => (s.linkConnected() ? 1 : 0))
    .counter('mqtt_reconnects_total', 'Lost broker connections recovered', s.linkReconnects)
    .gauge('outbox_depth', 'Events and readings waiting to be sent', () => s.outbox.depth)
    .gauge('outbox_bytes', 'Outbox size on disk', () => s.outbox.bytes)
    .counter('outbox_dropped_total', 'Raw readings thinned from a full outbox (events are never dropped)', () => s.outbox.dropped)
    .counter('access_decisions_total', 'Access decisions made at this gateway, by result', () => events('access'), ['result'])
    .counter('door_events_total', 'Door activity (held open, forced, …) at this gateway, by kind', () => events('door'), ['kind'])
    .counter('rejected_payloads_total', 'MQTT payloads refused at the gateway ingress, by topic kind', () => byLabel('kind', s.rejected()), ['kind'])
    .gauge('acl_version', 'Version of the signed access list in use (0: none)', s.aclVersion)
    .gauge('offline_only', 'Long without the services: only offline-capable credentials open doors (1)', () => (s.offlineOnly() ? 1 : 0))
    .gauge('device_up', 'Reader, lock, contact or sensor ok (1) or in fault (0)', () => per((h) => (h.state === 'ok' ? 1 : 0)), ['device', 'kind'])
    .counter('device_frames_dropped_total', 'Frames the codec rejected (bad checksum, noise, truncated)', () => per((h) => h.dropped), ['device', 'kind'])
    .counter('device_bytes_dropped_total', 'Bytes the codec discarded', () => per((h) => h.droppedBytes), ['device', 'kind']);
}

export interface MetricsListen {
  host: string;
  port: number;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Refuses (as a config error naming the key) a non-loopback listener without a token. */
export function checkMetricsListen(at: MetricsListen, token: string | undefined, gatewayIndex: number): void {
  if (!LOOPBACK.test(at.host) && !token)
    throw new ConfigError(
      `gateways[${gatewayIndex}].metrics.host is ${at.host}, not loopback: set gateways.<id>.metricsToken in the secrets file (Prometheus sends it as a bearer token), or listen on 127.0.0.1`,
      `gateways[${gatewayIndex}].metrics.host`,
    );
}

export class MetricsServer {
  readonly #metrics: Metrics;
  readonly #at: MetricsListen;
  readonly #token: Buffer | null;
  #server: Server | undefined;

  constructor(metrics: Metrics, at: MetricsListen, token?: string) {
    this.#metrics = metrics;
    this.#at = at;
    this.#token = token ? digest(token) : null;
  }

  get address(): string | null {
    const a = this.#server?.address() as AddressInfo | null | undefined;
    return a ? `${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}` : null;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?', 1)[0];
      if (path !== '/metrics') return void res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: try /metrics\n');
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
      if (this.#token) {
        const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
        if (!m || !timingSafeEqual(digest(m[1]!), this.#token))
          return void res.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'text/plain; charset=utf-8' }).end('metrics token required\n');
      }
      this.#metrics.text().then(
        (text) => res.writeHead(200, { 'content-type': this.#metrics.contentType }).end(req.method === 'HEAD' ? undefined : text),
        () => res.writeHead(500).end(),
      );
    });
    server.headersTimeout = 10_000;
    server.requestTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#at.port, this.#at.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
