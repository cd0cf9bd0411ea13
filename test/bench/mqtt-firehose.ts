// A load generator for the benchmarks: MQTT 3.1.1 QoS 0 PUBLISH packets encoded by hand and
// written in large chunks to a plain TCP socket, honouring backpressure — so that the
// publisher costs little CPU and the system under test is what gets measured (the role
// emqtt-bench or mqtt-benchmark play elsewhere). Packets per MQTT 3.1.1: CONNECT §3.1,
// CONNACK §3.2, PUBLISH §3.3, DISCONNECT §3.14; remaining length §2.2.3.
import { connect, type Socket } from 'node:net';

function remainingLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

const str = (s: string) => {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
};

function connectPacket(clientId: string, username: string, password: string): Buffer {
  // Variable header: protocol name "MQTT", level 4, flags (username, password, clean session), keep alive 60 s.
  const variable = Buffer.concat([str('MQTT'), Buffer.from([4, 0b1100_0010, 0, 60])]);
  const payload = Buffer.concat([str(clientId), str(username), str(password)]);
  const body = Buffer.concat([variable, payload]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

export function publishPacket(topic: string, payload: string): Buffer {
  const body = Buffer.concat([str(topic), Buffer.from(payload, 'utf8')]);
  return Buffer.concat([Buffer.from([0x30]), remainingLength(body.length), body]);
}

export interface Firehose {
  /** Writes `n` packets made by `make`, in chunks, waiting for the socket to drain. */
  send(n: number, make: (i: number) => Buffer): Promise<void>;
  close(): Promise<void>;
}

export async function openFirehose(port: number, clientId: string, username: string, password: string): Promise<Firehose> {
  const socket: Socket = connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  socket.write(connectPacket(clientId, username, password));
  await new Promise<void>((resolve, reject) => {
    socket.once('data', (d: Buffer) => (d[0] === 0x20 && d[3] === 0 ? resolve() : reject(new Error(`CONNACK refused: code ${d[3]}`))));
  });
  socket.on('data', () => undefined); // nothing else comes back for QoS 0
  return {
    async send(n, make) {
      const CHUNK = 500;
      for (let i = 0; i < n; i += CHUNK) {
        const parts: Buffer[] = [];
        for (let k = i; k < Math.min(n, i + CHUNK); k++) parts.push(make(k));
        if (!socket.write(Buffer.concat(parts))) await new Promise<void>((r) => socket.once('drain', () => r()));
      }
    },
    async close() {
      await new Promise<void>((resolve) => socket.end(Buffer.from([0xe0, 0]), () => resolve()));
      socket.destroy();
    },
  };
}

function subscribePacket(filter: string): Buffer {
  // Packet id 1, one filter at QoS 0 (MQTT 3.1.1 §3.8; fixed header flags 0b0010).
  const body = Buffer.concat([Buffer.from([0, 1]), str(filter), Buffer.from([0])]);
  return Buffer.concat([Buffer.from([0x82]), remainingLength(body.length), body]);
}

export interface Counter {
  /** PUBLISH packets received. */
  readonly count: number;
  /** performance.now() of the last one. */
  readonly lastAt: number;
  close(): void;
}

/** A subscriber that only counts PUBLISH packets (frames parsed by their length, payloads not read). */
export async function openCounter(port: number, clientId: string, username: string, password: string, filter: string): Promise<Counter> {
  const socket: Socket = connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  socket.write(connectPacket(clientId, username, password));
  let buf: Buffer = Buffer.alloc(0);
  const state = { count: 0, lastAt: 0 };
  let subacked: () => void = () => undefined;
  const ready = new Promise<void>((r) => (subacked = r));
  socket.on('data', (d: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    let off = 0;
    for (;;) {
      if (buf.length - off < 2) break;
      let len = 0;
      let mul = 1;
      let i = off + 1;
      for (; i < buf.length; i++) {
        len += (buf[i]! & 0x7f) * mul;
        mul *= 128;
        if ((buf[i]! & 0x80) === 0) break;
      }
      if (i >= buf.length || i + 1 + len > buf.length) break;
      const type = buf[off]! >> 4;
      if (type === 2) socket.write(subscribePacket(filter));
      else if (type === 9) subacked();
      else if (type === 3) {
        state.count++;
        state.lastAt = performance.now();
      }
      off = i + 1 + len;
    }
    buf = buf.subarray(off);
  });
  await ready;
  return {
    get count() {
      return state.count;
    },
    get lastAt() {
      return state.lastAt;
    },
    close: () => void socket.destroy(),
  };
}
