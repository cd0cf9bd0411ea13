// A plain in-process aedes broker on a TCP port, and a test client playing the services side.
import { createServer, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import { connect, type MqttClient } from 'mqtt';

export interface TestBroker {
  port: number;
  broker: Aedes;
  close(): Promise<void>;
}

/** Listens on `port` (0: any free port). */
export async function startBroker(port = 0): Promise<TestBroker> {
  const broker = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    broker.handle(s);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as { port: number }).port;
  let closed = false;
  return {
    port: actual,
    broker,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}

export interface Received {
  topic: string;
  payload: Record<string, unknown>;
  retain: boolean;
}

/** A services-side client that records every message under `filter`. */
export async function startServicesClient(port: number, filter: string): Promise<{ client: MqttClient; received: Received[]; close(): void }> {
  const client = connect(`mqtt://127.0.0.1:${port}`, {
    protocolVersion: 4,
    reconnectPeriod: 0,
    clientId: `test-services-${Math.random().toString(36).slice(2)}`,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  const received: Received[] = [];
  client.on('message', (topic, buf, packet) => {
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(buf.toString('utf8'));
    } catch {
      payload = { raw: buf.toString('utf8') };
    }
    received.push({ topic, payload, retain: packet.retain });
  });
  await client.subscribeAsync(filter, { qos: 1 });
  return { client, received, close: () => void client.end(true) };
}

export async function waitFor<T>(fn: () => T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
