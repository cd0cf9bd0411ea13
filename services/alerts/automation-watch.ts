// Who watches the watcher: Node-RED's rules raise the door, gateway and zone alerts, so while it
// is gone nobody is told of a door forced open. Node-RED keeps a retained status on
// `smartspace/<site>/service/automation/status` (online on connect; offline as its MQTT last will
// and on a clean stop). When that says offline for `graceMs` (a deploy or a restart passes
// without an alert), the services raise `automation-offline` themselves, and clear it when
// Node-RED is back. A site without Node-RED never publishes the status, and is never alerted.
import type { ServiceStatus } from '../../contracts/payloads.ts';
import type { Logger } from '../../runtime/log.ts';
import type { AlertCentre } from './centre.ts';

export { AUTOMATION_SERVICE_ID } from '../../contracts/topics.ts';

export type AutomationState = 'unknown' | 'online' | 'offline';

export interface AutomationWatchDeps {
  alerts: Pick<AlertCentre, 'raise'>;
  graceMs: number;
  log: Logger;
}

export class AutomationWatch {
  readonly #d: AutomationWatchDeps;
  #state: AutomationState = 'unknown';
  #since: number | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(deps: AutomationWatchDeps) {
    this.#d = deps;
  }

  get state(): AutomationState {
    return this.#state;
  }

  /** When the current state began (the status's own time), null before the first status. */
  get since(): number | null {
    return this.#since;
  }

  /** A status message of Node-RED (already validated against the contract). */
  update(status: ServiceStatus): void {
    const before = this.#state;
    this.#state = status.state;
    if (before === status.state) return;
    this.#since = status.ts;
    this.#d.log.info({ state: status.state }, 'automation (Node-RED) status changed');
    if (status.state === 'online') {
      this.#cancel();
      this.#raise(true);
      return;
    }
    this.#cancel();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#state === 'offline') this.#raise(false);
    }, this.#d.graceMs);
    this.#timer.unref();
  }

  stop(): void {
    this.#cancel();
  }

  #cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #raise(clear: boolean): void {
    try {
      this.#d.alerts.raise({ kind: 'automation-offline', ...(clear && { clear: true }) }, null, 'automation-watch');
    } catch (err) {
      this.#d.log.error({ err }, 'automation-offline alert failed');
    }
  }
}
