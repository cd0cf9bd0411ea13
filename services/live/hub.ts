// In-process fan-out of state changes to live-stream connections. Deltas name what changed;
// each connection renders its own view (member names and canUnlock differ per viewer).
import type { EventRow } from '../db/events-repo.ts';
import type { AlertView, EnrolmentView, LiveChange } from '../../contracts/api/index.ts';

export type LiveDelta =
  | { type: 'door'; door: string }
  | { type: 'desk'; desk: string }
  | { type: 'event'; row: EventRow }
  | { type: 'gateway'; gateway: string }
  | { type: 'device'; device: string }
  | { type: 'enrolment'; enrolment: EnrolmentView }
  | { type: 'alert'; alert: AlertView };

/** A delta per kind of live message after the snapshot (contracts/api/live.ts), and no other. */
type SameKinds<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameKinds: SameKinds<LiveDelta['type'], LiveChange> = true;
void sameKinds;

export type LiveListener = (delta: LiveDelta) => void;

export interface LiveConnection {
  /** Ends the connection (on app close). */
  end(): void;
}

export class LiveHub {
  readonly #listeners = new Set<LiveListener>();
  readonly #connections = new Set<LiveConnection>();
  #closed = false;

  get closed(): boolean {
    return this.#closed;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  publish(delta: LiveDelta): void {
    for (const l of this.#listeners) l(delta);
  }

  /** Registers a listener and its connection; returns the function that removes both. */
  attach(listener: LiveListener, conn: LiveConnection): () => void {
    this.#listeners.add(listener);
    this.#connections.add(conn);
    return () => {
      this.#listeners.delete(listener);
      this.#connections.delete(conn);
    };
  }

  /** Ends every connection; later attaches are refused by the route. Safe to call twice. */
  close(): void {
    this.#closed = true;
    for (const c of [...this.#connections]) c.end();
    this.#connections.clear();
    this.#listeners.clear();
  }
}
