// When to start a process again after it died: the runtime's reconnect backoff (1 s doubling to
// 30 s) reused for processes. A process that stayed up `stableMs` has recovered: its next
// restart is quick again. One that keeps dying before that is in a crash loop, reported from
// the `crashLoopExits`-th such death on, and still waits its (growing) delay each time, so a
// process that cannot start never turns into a busy loop.
import { Backoff } from '../../runtime/backoff.ts';

export interface RestartPolicyOptions {
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Up at least this long: the backoff and the crash-loop count start again. */
  stableMs?: number;
  /** This many deaths in a row, each before `stableMs`, are a crash loop. */
  crashLoopExits?: number;
}

export interface RestartDecision {
  delayMs: number;
  /** Deaths in a row, each before the process had been up `stableMs` (this one included). */
  quickExits: number;
  crashLoop: boolean;
}

export class RestartPolicy {
  readonly stableMs: number;
  readonly crashLoopExits: number;
  readonly #backoff: Backoff;
  #quickExits = 0;

  constructor(opts: RestartPolicyOptions = {}) {
    this.#backoff = new Backoff(opts.minDelayMs ?? 1000, opts.maxDelayMs ?? 30_000);
    this.stableMs = opts.stableMs ?? 60_000;
    this.crashLoopExits = opts.crashLoopExits ?? 5;
  }

  /** The process died after `upMs` up: how long to wait before starting it again. */
  onExit(upMs: number): RestartDecision {
    if (upMs >= this.stableMs) {
      this.#backoff.reset();
      this.#quickExits = 0;
    } else {
      this.#quickExits++;
    }
    return { delayMs: this.#backoff.next(), quickExits: this.#quickExits, crashLoop: this.#quickExits >= this.crashLoopExits };
  }
}
