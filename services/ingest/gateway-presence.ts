// Which gateways are online: a gateway is online when its last status, heard since this process
// started, says online (its MQTT last will says offline). Last-seen survives restarts via SQLite.
import type { GatewayStatus } from '../../contracts/payloads.ts';
import type { GatewayView } from '../../contracts/api/index.ts';
import type { GatewayConfig } from '../../config/schema.ts';
import type { StateRepo } from '../db/state-repo.ts';

interface Known {
  status: GatewayStatus;
  lastSeen: number;
  online: boolean;
}

export class GatewayPresence {
  readonly #gateways: readonly GatewayConfig[];
  readonly #known = new Map<string, Known>();

  constructor(gateways: readonly GatewayConfig[]) {
    this.#gateways = gateways;
  }

  /** Last-seen and last status from the database; online only once heard again. */
  load(state: StateRepo): void {
    for (const [gw, row] of state.gatewayStatuses()) {
      this.#known.set(gw, { status: row.status, lastSeen: row.receivedAt, online: false });
    }
  }

  /** Returns true when the online flag changed. */
  update(status: GatewayStatus, receivedAt: number): boolean {
    const prev = this.#known.get(status.gateway);
    const online = status.state === 'online';
    this.#known.set(status.gateway, { status, lastSeen: receivedAt, online });
    return prev?.online !== online;
  }

  isOnline(gateway: string): boolean {
    return this.#known.get(gateway)?.online ?? false;
  }

  view(gateway: string): GatewayView | null {
    const g = this.#gateways.find((x) => x.id === gateway);
    if (!g) return null;
    const k = this.#known.get(gateway);
    const v: GatewayView = {
      id: g.id,
      name: g.name,
      online: k?.online ?? false,
      lastSeen: k?.lastSeen ?? null,
      aclVersion: k?.status.aclVersion ?? null,
      outboxDepth: k?.status.outboxDepth ?? null,
    };
    if (!k) return v;
    // The details of its last status (a last will carries none of them: null until it reports again).
    const st = k.status;
    v.version = st.version ?? null;
    v.uptimeS = st.uptimeS ?? null;
    v.rejected = st.rejected ?? {};
    v.outboxDropped = st.outboxDropped ?? null;
    v.offlineOnly = st.offlineOnly ?? null;
    v.aclStale = st.aclStale ?? null;
    v.rssBytes = st.rssBytes ?? null;
    return v;
  }

  views(): GatewayView[] {
    return this.#gateways.map((g) => this.view(g.id)!);
  }
}
