// Sim control API: how the e2e tests, the benchmark and the demo drive the simulated hardware.
// Loopback only, and only when the gateway is started with `--sim-control`.
//   POST /sim/tap      {reader, uid}        a card at a reader
//   POST /sim/contact  {contact, open}      a door opens or closes
//   POST /sim/exit     {button}             the exit button is pressed
//   POST /sim/presence {sensor, present}    a desk sensor sees someone or not
//   POST /sim/gpio     {pin, level}         drives a GPIO input (BCM) of the fake GPIO (`--gpio fake`)
//   POST /sim/fault    {device, error}      puts any sim device into fault with `error` (null clears it)
//   GET  /sim/state                          locks {id: {unlocked, operations}}, contacts, sensors, buttons, faults {id: error}[, gpio]
// Errors are 4xx JSON {error, message}.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { SimHardware } from '../drivers/sim/sim-hardware.ts';

const MAX_BODY = 4096;
const DeviceId = Type.String({ minLength: 1, maxLength: 64 });
const strict = { additionalProperties: false } as const;
const Tap = Type.Object({ reader: DeviceId, uid: Type.String({ pattern: '^[0-9A-Za-z:_-]{1,64}$' }) }, strict);
const Contact = Type.Object({ contact: DeviceId, open: Type.Boolean() }, strict);
const Exit = Type.Object({ button: DeviceId }, strict);
const Presence = Type.Object({ sensor: DeviceId, present: Type.Boolean() }, strict);
const Fault = Type.Object({ device: DeviceId, error: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()]) }, strict);
const Gpio = Type.Object({ pin: Type.Integer({ minimum: 0, maximum: 53 }), level: Type.Union([Type.Literal(0), Type.Literal(1)]) }, strict);

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function checker<T extends TSchema>(schema: T) {
  const c = TypeCompiler.Compile(schema);
  return (v: unknown): Static<T> => {
    if (c.Check(v)) return v;
    const e = c.Errors(v).First();
    throw new HttpError(400, 'invalid-body', e ? `${e.path || '/'}: ${e.message}` : 'invalid body');
  };
}

const ROUTES: Record<string, (hw: SimHardware, body: unknown) => void> = {
  '/sim/tap': (hw, b) => {
    const { reader, uid } = checker(Tap)(b);
    drive(reader, hw.readers.get(reader)?.tap(uid));
  },
  '/sim/contact': (hw, b) => {
    const { contact, open } = checker(Contact)(b);
    drive(contact, hw.contacts.get(contact)?.set(open));
  },
  '/sim/exit': (hw, b) => {
    const { button } = checker(Exit)(b);
    drive(button, hw.buttons.get(button)?.press());
  },
  '/sim/presence': (hw, b) => {
    const { sensor, present } = checker(Presence)(b);
    drive(sensor, hw.sensors.get(sensor)?.set(present));
  },
  '/sim/fault': (hw, b) => {
    const { device, error } = checker(Fault)(b);
    const d = hw.device(device);
    if (!d) throw new HttpError(404, 'unknown-device', `no simulated device "${device}" on this gateway`);
    d.setFault(error);
  },
  '/sim/gpio': (hw, b) => {
    const { pin, level } = checker(Gpio)(b);
    if (!hw.gpio) throw new HttpError(404, 'unknown-device', 'this gateway does not run with --gpio fake');
    if (!hw.gpio.set(pin, level) && hw.gpio.pin(pin)) throw new HttpError(409, 'not-an-input', `GPIO ${pin} is an output`);
  },
};

/** `result` undefined: no such device; false: the device is not started. */
function drive(id: string, result: boolean | undefined): void {
  if (result === undefined) throw new HttpError(404, 'unknown-device', `no simulated device "${id}" on this gateway`);
  if (!result) throw new HttpError(409, 'device-stopped', `device "${id}" is not running`);
}

export class SimControlServer {
  readonly #hw: SimHardware;
  readonly #host: string;
  readonly #port: number;
  #server: Server | undefined;

  constructor(hw: SimHardware, opts: { host: string; port: number }) {
    this.#hw = hw;
    this.#host = opts.host;
    this.#port = opts.port;
  }

  /** `127.0.0.1:PORT` once listening. */
  get address(): string | null {
    const a = this.#server?.address() as AddressInfo | null | undefined;
    return a ? `${a.address}:${a.port}` : null;
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const server = createServer((req, res) => void this.#handle(req, res));
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, this.#host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === '/sim/state') {
        if (req.method !== 'GET') throw new HttpError(405, 'method-not-allowed', 'use GET');
        return send(res, 200, this.#hw.snapshot());
      }
      const route = ROUTES[path];
      if (!route) throw new HttpError(404, 'not-found', `no such endpoint: ${path}`);
      if (req.method !== 'POST') throw new HttpError(405, 'method-not-allowed', 'use POST');
      route(this.#hw, await readJson(req));
      send(res, 200, { ok: true });
    } catch (err) {
      if (err instanceof HttpError) send(res, err.status, { error: err.code, message: err.message });
      else send(res, 500, { error: 'internal', message: 'internal error' });
    }
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'body-too-large', `body over ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad-json', 'body is not valid JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
