// The sensor check as a job of the services: every `sensorCheck.everyMin` minutes (and at start)
// it reads the history window the rules need, runs the detector (detect.ts), and keeps one
// episode per suspect desk in SQLite: opened with an alert (one per episode, through the alert
// centre), ended when a host confirms the sensor (audited; optionally counting the suspect time
// again) or when the detector no longer finds it (recovered). Analytics leave the episodes' time
// out (`excluded`).
import { apiError } from '../../contracts/errors.ts';
import type { SensorSuspectView } from '../../contracts/api/index.ts';
import type { SiteConfig } from '../../config/schema.ts';
import type { Logger } from '../../runtime/log.ts';
import type { Store } from '../db/store.ts';
import type { SuspectRow } from '../db/sensor-suspects-repo.ts';
import type { HistoryStore } from '../history/store.ts';
import type { Point } from '../history/point.ts';
import type { AlertCentre } from '../alerts/centre.ts';
import { LOOKBACK_MS } from '../analytics/analytics.ts';
import { findSuspects, historyNeeded, type Suspect } from './detect.ts';

export interface SensorChecksDeps {
  config: Pick<SiteConfig, 'desks' | 'sensorCheck'>;
  store: Store;
  history: HistoryStore;
  alerts: Pick<AlertCentre, 'raise'>;
  log: Logger;
  now: () => number;
}

/** When someone passed a door: a granted entry, exit or unlock, or a door opening. */
export function doorPassages(points: readonly Point[]): number[] {
  return points
    .filter((p) => (p.tags.type === 'access' && p.tags.decision === 'granted') || (p.tags.type === 'door' && p.tags.kind === 'opened'))
    .map((p) => p.ts)
    .sort((a, b) => a - b);
}

export class SensorChecks {
  readonly #d: SensorChecksDeps;
  readonly #desks: Map<string, { name: string; zone: string }>;
  #timer: ReturnType<typeof setInterval> | null = null;
  #running: Promise<void> | null = null;

  constructor(deps: SensorChecksDeps) {
    this.#d = deps;
    this.#desks = new Map(deps.config.desks.map((d) => [d.id, { name: d.name, zone: d.zone }]));
  }

  /** Checks now and then every `everyMin` minutes; nothing when the check is off. */
  start(): void {
    const { sensorCheck } = this.#d.config;
    if (!sensorCheck.enabled) return;
    void this.runSoon();
    this.#timer = setInterval(() => void this.runSoon(), sensorCheck.everyMin * 60_000);
    this.#timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** One check, unless one is under way (then that one). Logs rather than throws: a history store that is down is tried again next time. */
  runSoon(): Promise<void> {
    this.#running ??= this.run()
      .then(() => undefined)
      .catch((err: unknown) => this.#d.log.warn({ err }, 'sensor check failed, will try again'))
      .finally(() => {
        this.#running = null;
      });
    return this.#running;
  }

  /** Runs the detector over the history and opens and ends episodes; returns what it found. */
  async run(): Promise<Suspect[]> {
    const { config, store, history, now: clock } = this.#d;
    const now = clock();
    const from = now - historyNeeded(config.sensorCheck);
    const [occupancy, doors] = await Promise.all([
      history.query({ measurement: 'occupancy', from: from - LOOKBACK_MS, to: now + 1 }),
      history.query({ measurement: 'door_event', from, to: now + 1 }),
    ]);
    const byDesk = new Map(config.desks.map((d) => [d.id, [] as Point[]]));
    for (const p of occupancy) byDesk.get(p.tags.desk ?? '')?.push(p);
    const confirmed = store.sensorSuspects.lastConfirmed();
    const found = findSuspects({
      now,
      from,
      desks: config.desks.map((d) => ({ id: d.id, zone: d.zone, points: byDesk.get(d.id)!, notBefore: confirmed.get(d.id) })),
      doorPassages: doorPassages(doors),
      rules: config.sensorCheck,
    });
    const byId = new Map(found.map((s) => [s.desk, s]));
    for (const open of store.sensorSuspects.open()) {
      const still = byId.get(open.desk);
      if (!still) this.#end(open, now, 'recovered', null, false);
      else if (still.reason === open.reason) store.sensorSuspects.setEvidence(open.id, still.evidence);
      byId.delete(open.desk);
    }
    for (const s of byId.values()) {
      const row = store.sensorSuspects.insert(s, now);
      this.#d.log.warn({ desk: s.desk, reason: s.reason, since: s.since, evidence: s.evidence }, 'desk sensor suspect');
      this.#d.alerts.raise(
        { kind: 'sensor-suspect', desk: row.desk, detail: { reason: row.reason }, text: `Desk sensor suspect: ${row.reason}` },
        null,
        'sensor-check',
      );
    }
    return found;
  }

  list(): SensorSuspectView[] {
    return this.#d.store.sensorSuspects.open().map((r) => this.#view(r));
  }

  /** A host checked the desk: its sensor counts again (from now, or with `backfill` from `since`). Audited. */
  confirm(desk: string, member: string, backfill: boolean, source: string | null): SensorSuspectView {
    const { store, now } = this.#d;
    const open = store.sensorSuspects.openOf(desk);
    if (!open) throw apiError('not-found', `The sensor at desk "${desk}" is not suspect.`);
    const at = now();
    this.#end(open, at, 'confirmed', member, backfill);
    store.audit.write({ ts: at, actor: member, action: 'sensor.confirm', target: desk, detail: { reason: open.reason, since: open.since, backfill }, source });
    return this.#view(open);
  }

  /** Per desk, the spans analytics leave out. */
  excluded(): Map<string, [number, number | null][]> {
    return this.#d.store.sensorSuspects.excluded();
  }

  #end(open: SuspectRow, at: number, how: 'confirmed' | 'recovered', by: string | null, backfill: boolean): void {
    if (!this.#d.store.sensorSuspects.end(open.id, at, how, by, backfill)) return;
    this.#d.log.info({ desk: open.desk, reason: open.reason, how }, 'desk sensor no longer suspect');
    this.#d.alerts.raise({ kind: 'sensor-suspect', desk: open.desk, clear: true }, by, 'sensor-check');
  }

  #view(r: SuspectRow): SensorSuspectView {
    const d = this.#desks.get(r.desk);
    return {
      desk: r.desk,
      name: d?.name ?? r.desk,
      zone: d?.zone ?? 'unknown',
      reason: r.reason,
      since: r.since,
      detectedAt: r.detectedAt,
      evidence: r.evidence,
    };
  }
}
