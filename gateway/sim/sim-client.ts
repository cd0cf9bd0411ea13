// HTTP client for the sim control API (control-server.ts): the demo, e2e tests and the
// benchmark drive the simulated hardware through this.

export interface SimState {
  locks: Record<string, { unlocked: boolean; operations: number }>;
  contacts: Record<string, { open: boolean }>;
  sensors: Record<string, { present: boolean }>;
  buttons: Record<string, { presses: number }>;
  /** Devices with an injected fault, and its error. */
  faults: Record<string, string>;
}

export class SimControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SimControlError';
  }
}

export class SimClient {
  readonly #base: string;
  readonly #timeoutMs: number;

  /** `base`: http://127.0.0.1:PORT */
  constructor(base: string, opts: { timeoutMs?: number } = {}) {
    this.#base = base.replace(/\/+$/, '');
    this.#timeoutMs = opts.timeoutMs ?? 3000;
  }

  tap(reader: string, uid: string): Promise<void> {
    return this.#post('/sim/tap', { reader, uid });
  }

  contact(contact: string, open: boolean): Promise<void> {
    return this.#post('/sim/contact', { contact, open });
  }

  exit(button: string): Promise<void> {
    return this.#post('/sim/exit', { button });
  }

  presence(sensor: string, present: boolean): Promise<void> {
    return this.#post('/sim/presence', { sensor, present });
  }

  /** Puts a simulated device into fault with `error`; null clears the fault. */
  fault(device: string, error: string | null): Promise<void> {
    return this.#post('/sim/fault', { device, error });
  }

  async state(): Promise<SimState> {
    return (await this.#request('GET', '/sim/state')) as SimState;
  }

  async #post(path: string, body: object): Promise<void> {
    await this.#request('POST', path, body);
  }

  async #request(method: string, path: string, body?: object): Promise<unknown> {
    const res = await fetch(`${this.#base}${path}`, {
      method,
      signal: AbortSignal.timeout(this.#timeoutMs),
      ...(body && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok)
      throw new SimControlError(
        res.status,
        typeof json.error === 'string' ? json.error : 'http',
        typeof json.message === 'string' ? json.message : res.statusText,
      );
    return json;
  }
}
