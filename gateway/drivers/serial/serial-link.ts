// One serial device kept open. It opens the path, passes the bytes on, and retries with backoff
// when the device vanishes or cannot be opened: a USB adapter unplugged, socat killed, or a
// path that does not exist at boot. serialport closes the port with `err.disconnected` when
// the device goes away. Each attempt makes a new SerialPort, because serialport queues writes
// made while a port is closed and sends them after a reopen (toolchain notes). A stale PN532
// command or LD2410 config frame after a replug would confuse the device. A fresh port has no
// queue, and `write()` while closed drops the bytes.
// The only file that imports serialport. It is imported lazily, so a site with no serial
// device never loads it. Like every driver it never logs: it emits `open`, `data` and `down`.
import { EventEmitter } from 'node:events';
import { Backoff } from '../../../runtime/backoff.ts';

/** What the link needs of a serial port (serialport's SerialPort satisfies it). */
export interface SerialPortLike {
  open(cb: (err: Error | null) => void): void;
  write(data: Uint8Array): boolean;
  close(cb?: (err: Error | null) => void): void;
  on(event: 'data', l: (chunk: Buffer) => void): unknown;
  on(event: 'close', l: (err?: Error & { disconnected?: boolean }) => void): unknown;
  on(event: 'error', l: (err: Error) => void): unknown;
  removeAllListeners(): unknown;
  readonly isOpen: boolean;
}

export type PortFactory = (path: string, baudRate: number) => SerialPortLike | Promise<SerialPortLike>;

let serialportModule: Promise<typeof import('serialport')> | undefined;

/** The real thing: a serialport SerialPort that does not open until asked. */
export const openSerialPort: PortFactory = async (path, baudRate) => {
  serialportModule ??= import('serialport');
  const { SerialPort } = await serialportModule;
  return new SerialPort({ path, baudRate, autoOpen: false });
};

export interface SerialLinkOptions {
  path: string;
  baudRate: number;
  backoff?: { minMs?: number; maxMs?: number };
  portFactory?: PortFactory;
}

interface LinkEvents {
  open: [];
  data: [Uint8Array];
  /** Could not open, or lost: `error` says why in words; the next attempt is in `retryInMs`. */
  down: [{ error: string; retryInMs: number }];
}

export class SerialLink extends EventEmitter<LinkEvents> {
  readonly path: string;
  readonly #baudRate: number;
  readonly #backoff: Backoff;
  readonly #factory: PortFactory;
  #port: SerialPortLike | undefined;
  #retry: NodeJS.Timeout | undefined;
  #running = false;
  /** Bumped on every attempt and on stop: callbacks of an older port are ignored. */
  #attempt = 0;

  constructor(opts: SerialLinkOptions) {
    super();
    this.path = opts.path;
    this.#baudRate = opts.baudRate;
    this.#backoff = new Backoff(opts.backoff?.minMs ?? 500, opts.backoff?.maxMs ?? 10_000);
    this.#factory = opts.portFactory ?? openSerialPort;
  }

  get isOpen(): boolean {
    return this.#port?.isOpen === true;
  }

  /** Starts trying to open; never throws (failures are `down` events). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#backoff.reset();
    void this.#connect();
  }

  /** Closes the port and stops retrying. Safe twice. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#attempt++;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = undefined;
    const port = this.#port;
    this.#port = undefined;
    if (!port) return;
    port.removeAllListeners();
    port.on('error', () => undefined);
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Writes now if open; otherwise the bytes are dropped (never queued for a later reopen). */
  write(bytes: Uint8Array): boolean {
    const port = this.#port;
    if (!port?.isOpen) return false;
    port.write(bytes);
    return true;
  }

  async #connect(): Promise<void> {
    const attempt = ++this.#attempt;
    let port: SerialPortLike;
    try {
      port = await this.#factory(this.path, this.#baudRate);
    } catch (err) {
      if (attempt === this.#attempt) this.#lost(err);
      return;
    }
    if (attempt !== this.#attempt) return;
    this.#port = port;
    port.on('data', (chunk) => {
      if (attempt === this.#attempt) this.emit('data', chunk);
    });
    port.on('error', (err) => {
      if (attempt === this.#attempt) this.#lost(err);
    });
    port.on('close', (err) => {
      if (attempt === this.#attempt) this.#lost(err ?? new Error('port closed'));
    });
    port.open((err) => {
      if (attempt !== this.#attempt) return;
      if (err) return this.#lost(err);
      this.#backoff.reset();
      this.emit('open');
    });
  }

  #lost(err: unknown): void {
    this.#attempt++;
    const port = this.#port;
    this.#port = undefined;
    if (port) {
      port.removeAllListeners();
      port.on('error', () => undefined);
      if (port.isOpen) port.close();
    }
    if (!this.#running) return;
    const retryInMs = this.#backoff.next();
    this.emit('down', { error: describe(err, this.path), retryInMs });
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (this.#running) void this.#connect();
    }, retryInMs);
  }
}

/** serialport's messages as an operator reads them: "disconnected", "cannot open …: No such file". */
function describe(err: unknown, path: string): string {
  const e = err as (Error & { disconnected?: boolean }) | undefined;
  if (e?.disconnected) return `disconnected from ${path}`;
  const msg = (e?.message ?? String(err)).replace(/^Error: /, '');
  const m = /^(.*), cannot open (.*)$/.exec(msg);
  return m ? `cannot open ${m[2]}: ${m[1]}` : msg;
}
