// What the HTTP layer is built from (services/app.ts → buildHttp), and the slices of it each
// route plugin is given: a plugin's options name exactly what its routes use, and no plugin
// sees a secret (door commands get a signer, passes a PIN fingerprinter, the access check the
// token's digest — all made in server.ts).
import type { Logger } from '../../runtime/log.ts';
import type { Ingress } from '../../contracts/ingress.ts';
import type { SiteConfig, Secrets } from '../../config/schema.ts';
import type { Store } from '../db/store.ts';
import type { Views } from '../views.ts';
import type { GatewayPresence } from '../ingest/gateway-presence.ts';
import type { Ingest } from '../ingest/ingest.ts';
import type { Devices } from '../ingest/devices.ts';
import type { LiveHub } from '../live/hub.ts';
import type { AccessLists, Publish } from '../access/access-lists.ts';
import type { Enrolments } from '../enrol/enrolments.ts';
import type { History } from '../history/history.ts';
import type { Analytics } from '../analytics/analytics.ts';
import type { AlertCentre } from '../alerts/centre.ts';
import type { SensorChecks } from '../sensors/sensor-checks.ts';
import type { WebhookOutbox } from '../webhooks/outbox.ts';
import type { ErasureResult } from '../../contracts/api/index.ts';
import type { Sessions } from './session.ts';
import type { LoginLimiter } from '../auth/login-limiter.ts';
import type { DeviceCommands } from './device-commands.ts';
import type { NetworkView } from '../network/summaries.ts';

export interface HttpDeps {
  config: SiteConfig;
  /** Only server.ts reads it: the token for the access check, keys for door commands and PINs. */
  secrets: Pick<Secrets, 'automationToken' | 'siteKey' | 'gateways'>;
  store: Store;
  views: Views;
  presence: GatewayPresence;
  ingress: Ingress;
  ingest: Ingest;
  /** Device health views (GET /api/devices, live, health). */
  devices: Devices;
  /** Device commands (enrol an OSDP reader) and the gateways' results; absent: one without results (tests of the routes). */
  deviceCommands?: Pick<DeviceCommands, 'enrol'>;
  hub: LiveHub;
  sessions: Sessions;
  /** Publishes to the broker through the services' MQTT link. */
  publish: Publish;
  /** Lost broker connections the services' MQTT link recovered (GET /metrics); 0 when not given. */
  linkReconnects?: () => number;
  /** null: an external broker, whose client count the services do not know. */
  brokerClients: () => number | null;
  log: Logger;
  now: () => number;
  startedAt: number;
  /** Scrypt hash of a random password: checked when the email is unknown, to even out timing. */
  dummyHash: string;
  accessLists: Pick<AccessLists, 'recompile'>;
  enrolments: Enrolments;
  history: Pick<History, 'health'>;
  analytics: Analytics;
  /** The alert centre: the one source of alerts (services/alerts). */
  alerts: AlertCentre;
  /** Desk sensors checked against the door (services/sensors). */
  sensors: Pick<SensorChecks, 'list' | 'confirm'>;
  /** E-mail to a person through the alert centre's SMTP transport (a booking's guest PIN); absent or null: not configured. */
  notice?: ((to: { name: string; email: string }, subject: string, text: string) => Promise<void>) | null;
  /** The outgoing webhooks' queue (services/webhooks). */
  webhooks: WebhookOutbox;
  /** Erases a member (privacy/erasure.ts), with the history writer told at once. */
  erase: (member: string) => Promise<ErasureResult>;
  /** Where the built dashboard is. */
  dashboardDir: string;
  /** The network view (services/network/summaries.ts); absent when the site is in no network. */
  networkView?: Pick<NetworkView, 'overview' | 'report'>;
  /** Login throttling (services/auth/login-limiter.ts); a default one when not given (tests give their own limits). */
  loginLimiter?: LoginLimiter;
}

/** What every administration route needs: the store, the clock, the doors, and the recompile after a change. */
export interface AdminDeps {
  store: Store;
  now: () => number;
  config: Pick<SiteConfig, 'doors' | 'site'>;
  accessLists: Pick<AccessLists, 'recompile'>;
}
