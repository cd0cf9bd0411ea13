// The live stream (`GET /api/live`, Server-Sent Events). EventSource reconnects by itself after
// a dropped connection (HTML Living Standard §9.2 "reestablish the connection"); it gives up
// only when the server answers with an error status or a wrong content type (e.g. 401 after
// the session ended), and then we make a new one after a back-off. Each connection starts
// with a fresh snapshot, so nothing missed while away stays missing.
import type { LiveMessage } from '../../../contracts/api/index.ts';
import { isLiveMessage } from './store.ts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

export interface LiveHandlers {
  message(msg: LiveMessage): void;
  status(status: LiveStatus): void;
  /** The connection failed or dropped (the owner may check whether the session still holds). */
  error(): void;
}

/** The part of EventSource we use, so tests can hand in a fake. */
export interface SourceLike {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  close(): void;
}

const CLOSED = 2; // EventSource.CLOSED
const RETRY_MIN_MS = 1_000;
/**
 * Capped low: while the services are down a proxy in front answers 502 and the browser gives up
 * each time; a 30 s cap meant events queued during an outage showed up to 30 s after the services
 * were back (issue 13, finding 15). One request per 4 s per open screen costs nothing.
 */
export const RETRY_MAX_MS = 4_000;

export class LiveConnection {
  readonly #url: string;
  readonly #handlers: LiveHandlers;
  readonly #open: (url: string) => SourceLike;
  #source: SourceLike | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #retryMs = RETRY_MIN_MS;

  constructor(url: string, handlers: LiveHandlers, open: (url: string) => SourceLike = (u) => new EventSource(u)) {
    this.#url = url;
    this.#handlers = handlers;
    this.#open = open;
  }

  start(): void {
    if (this.#source || this.#retryTimer) return;
    this.#handlers.status('connecting');
    this.#connect();
  }

  /** Safe to call twice. */
  stop(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    if (this.#source) {
      this.#source.onopen = this.#source.onmessage = this.#source.onerror = null;
      this.#source.close();
    }
    this.#source = null;
  }

  #connect(): void {
    const source = this.#open(this.#url);
    this.#source = source;
    source.onopen = () => {
      this.#retryMs = RETRY_MIN_MS;
      this.#handlers.status('live');
    };
    source.onmessage = (ev: MessageEvent) => {
      let data: unknown;
      try {
        data = JSON.parse(String(ev.data));
      } catch {
        return; // a malformed line must not stop the stream
      }
      if (isLiveMessage(data)) this.#handlers.message(data);
    };
    source.onerror = () => {
      this.#handlers.status('reconnecting');
      this.#handlers.error();
      if (source.readyState === CLOSED && this.#source === source) {
        this.#source = null;
        source.onopen = source.onmessage = source.onerror = null;
        this.#retryTimer = setTimeout(() => {
          this.#retryTimer = null;
          this.#connect();
        }, this.#retryMs);
        this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
      }
    };
  }
}
