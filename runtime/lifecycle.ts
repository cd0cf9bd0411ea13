// Starts components in order and stops them in reverse; a failed start stops what had started.
export interface Component {
  readonly name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/** A component failed to start; `cause` is what it threw. */
export class StartError extends Error {
  constructor(
    readonly component: string,
    cause: unknown,
  ) {
    super(`cannot start ${component}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

export class Lifecycle {
  readonly #components: Component[] = [];
  #started: Component[] = [];
  #aborted = false;

  add(c: Component): this {
    this.#components.push(c);
    return this;
  }

  async start(): Promise<void> {
    this.#aborted = false;
    for (const c of this.#components) {
      if (this.#started.includes(c)) continue;
      try {
        await c.start();
      } catch (err) {
        await this.stop();
        throw new StartError(c.name, err);
      }
      // stop() was called while this one was starting: undo it and start nothing more.
      if (this.#aborted) {
        await c.stop();
        return;
      }
      this.#started.push(c);
    }
  }

  /** Reverse order; every component is stopped even if one throws; safe twice. */
  async stop(onError?: (name: string, err: unknown) => void): Promise<void> {
    this.#aborted = true;
    const started = this.#started;
    this.#started = [];
    for (const c of started.reverse()) {
      try {
        await c.stop();
      } catch (err) {
        onError?.(c.name, err);
      }
    }
  }
}
