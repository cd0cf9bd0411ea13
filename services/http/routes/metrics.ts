// GET /metrics: Prometheus's default path, for a host or operator logged in or the automation
// token as a bearer token (prometheus.yml: `authorization: { credentials_file: … }`). The same
// numbers as the full /api/health, as time series: a scrape reads the tallies the services keep
// anyway, so it costs the card path nothing.
import type { HttpDeps } from '../context.ts';
import { Metrics, byLabel } from '../../../runtime/metrics.ts';
import { route, routePlugin } from '../route.ts';

export type MetricsOptions = Pick<HttpDeps, 'presence' | 'devices' | 'brokerClients' | 'ingress' | 'ingest' | 'history'> & {
  /** Lost broker connections the services' MQTT link recovered. */
  linkReconnects: () => number;
};

/** The services' metrics; exported for the test that checks every name against a real scrape. */
export function servicesMetrics(o: MetricsOptions): Metrics {
  const up = (b: boolean) => (b ? 1 : 0);
  return new Metrics()
    .counter('events_stored_total', 'Door events stored (each once, by id)', () => o.ingest.counts().stored)
    .counter('events_duplicate_total', 'Door events received again and dropped (a gateway resending after a lost ack)', () => o.ingest.counts().duplicates)
    .counter('access_decisions_total', 'Access decisions stored, by result', () => byLabel('result', o.ingest.decisions()), ['result'])
    .counter('sensor_readings_total', 'Sensor readings taken', () => o.ingest.readings)
    .counter('rejected_payloads_total', 'MQTT payloads refused at the services ingress, by topic kind', () => byLabel('kind', o.ingress.rejectedCounts()), [
      'kind',
    ])
    .counter('mqtt_reconnects_total', "Lost connections of the services' MQTT link recovered", o.linkReconnects)
    .gauge('broker_clients', 'Clients connected to the embedded broker (absent with an external broker)', () => {
      const n = o.brokerClients();
      return n === null ? [] : n;
    })
    .gauge(
      'history_up',
      'History store reachable (1) or not (0)',
      () => {
        const h = o.history.health();
        return h ? [[{ store: h.store }, up(h.up)]] : [];
      },
      ['store'],
    )
    .counter('history_points_written_total', 'Points written to the history store', () => o.history.health()?.written ?? [])
    .counter('history_points_rejected_total', 'Points the history store refused', () => o.history.health()?.rejected ?? [])
    .gauge('history_spool_points', 'Points waiting in the spool for the history store to come back', () => o.history.health()?.spooled ?? [])
    .gauge(
      'gateway_up',
      'Gateway online (1) or offline (0), as its status and will say',
      () => o.presence.views().map((g) => [{ gateway: g.id }, up(g.online)] as const),
      ['gateway'],
    )
    .gauge('gateway_outbox_depth', "Events and readings waiting in the gateway's outbox, at its last status", () => samples(o, 'outboxDepth'), ['gateway'])
    .counter('gateway_outbox_dropped_total', 'Raw readings the full outbox thinned (events are never dropped)', () => samples(o, 'outboxDropped'), ['gateway'])
    .gauge('gateway_resident_memory_bytes', 'Resident set size of the gateway process at its last status', () => samples(o, 'rssBytes'), ['gateway'])
    .gauge(
      'device_up',
      'Device ok or warning (1), in fault (0); absent while its gateway is offline (unknown)',
      () => o.devices.views().flatMap((d) => (d.state === 'unknown' ? [] : [[deviceLabels(d), up(d.state !== 'fault')] as const])),
      ['device', 'kind', 'gateway'],
    )
    .gauge(
      'device_warning',
      'Device working but with something to see to (1: e.g. an OSDP reader in install mode), else 0; absent while its gateway is offline',
      () => o.devices.views().flatMap((d) => (d.state === 'unknown' ? [] : [[deviceLabels(d), up(d.state === 'warning')] as const])),
      ['device', 'kind', 'gateway'],
    )
    .counter(
      'device_frames_dropped_total',
      'Frames the reader or sensor codec rejected (bad checksum, noise), at the last health report',
      () => o.devices.views().flatMap((d) => (d.dropped === null ? [] : [[deviceLabels(d), d.dropped] as const])),
      ['device', 'kind', 'gateway'],
    );
}

function samples(o: MetricsOptions, key: 'outboxDepth' | 'outboxDropped' | 'rssBytes') {
  return o.presence.views().flatMap((g) => {
    const v = g[key];
    return typeof v === 'number' ? [[{ gateway: g.id }, v] as const] : [];
  });
}

const deviceLabels = (d: { id: string; kind: string; gateway: string | null }) => ({ device: d.id, kind: d.kind, gateway: d.gateway ?? '' });

export const metricsRoutes = routePlugin<MetricsOptions>((app, o) => {
  const metrics = servicesMetrics(o);
  route(app, 'metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text()));
});
