// Whether the services are reachable, from their retained `service/<id>/status` messages:
// online when connected to the broker and at least one service says it is online.
import type { ServiceStatus } from '../../contracts/payloads.ts';

export class ServicesStatus {
  readonly #online = new Set<string>();

  update(s: ServiceStatus): boolean {
    const before = this.online;
    if (s.state === 'online') this.#online.add(s.service);
    else this.#online.delete(s.service);
    return before !== this.online;
  }

  /** Retained states are delivered again after a reconnect: forget what we knew. */
  clear(): void {
    this.#online.clear();
  }

  get online(): boolean {
    return this.#online.size > 0;
  }
}
