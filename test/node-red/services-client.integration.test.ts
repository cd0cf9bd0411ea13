// The palette's services client against a real local HTTP server: what it sends, and how each
// kind of failure becomes a ServicesError with a stable code.
import { describe, it, expect, afterEach } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

const { createServicesClient } = createRequire(import.meta.url)('../../node-red/lib/services-client.js') as {
  createServicesClient: (o: { baseUrl: string; token: string; timeoutMs?: number }) => {
    doorCommand(door: string, action: string, reason?: string): Promise<unknown>;
    doors(): Promise<unknown>;
    close(): void;
  };
};

let server: Server | null = null;
const clients: Array<{ close(): void }> = [];

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

function client(baseUrl: string, timeoutMs?: number) {
  const c = createServicesClient({ baseUrl, token: 'tok-123', timeoutMs });
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

describe('services client', () => {
  it('posts the command with the token as JSON over one kept-alive connection', async () => {
    const seen: Array<{ method?: string; url?: string; auth?: string; type?: string; body: string; port: number }> = [];
    const base = await serve((req, body, res) => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, type: req.headers['content-type'], body, port: req.socket.remotePort! });
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ commandId: 'c1', action: 'lock', exp: 1 }));
    });
    const c = client(base);
    expect(await c.doorCommand('front door', 'lock', 'last one out')).toEqual({ commandId: 'c1', action: 'lock', exp: 1 });
    await c.doorCommand('front', 'unlock');
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/doors/front%20door/commands', auth: 'Bearer tok-123', type: 'application/json' });
    expect(JSON.parse(seen[0]!.body)).toEqual({ action: 'lock', reason: 'last one out' });
    expect(JSON.parse(seen[1]!.body)).toEqual({ action: 'unlock' });
    expect(seen[1]!.port).toBe(seen[0]!.port); // the same socket, kept alive
  });

  it('turns refusals into codes', async () => {
    const answers: Array<[number, string]> = [
      [503, '{"error":"door-offline","message":"The door is offline"}'],
      [401, '{"error":"invalid-token"}'],
      [429, ''],
      [500, 'oops'],
    ];
    const base = await serve((_req, _body, res) => {
      const [status, text] = answers.shift()!;
      res.writeHead(status).end(text);
    });
    const c = client(base);
    await expect(c.doorCommand('front', 'lock')).rejects.toMatchObject({ code: 'door-offline', status: 503, reason: 'front offline' });
    await expect(c.doorCommand('front', 'lock')).rejects.toMatchObject({ code: 'invalid-token', status: 401 });
    await expect(c.doorCommand('front', 'lock')).rejects.toMatchObject({ code: 'rate-limited', status: 429 });
    await expect(c.doors()).rejects.toMatchObject({ code: 'http-500', status: 500 });
  });

  it('gives up on a server that never answers, as unreachable', async () => {
    const base = await serve(() => {
      /* never answers */
    });
    await expect(client(base, 200).doorCommand('front', 'lock')).rejects.toMatchObject({ code: 'unreachable', message: expect.stringContaining('ETIMEDOUT') });
  });

  it('says unreachable when nothing listens, and not-configured for a bad URL', async () => {
    const base = await serve(() => {});
    server!.close();
    await new Promise((r) => setTimeout(r, 20));
    await expect(client(base).doors()).rejects.toMatchObject({ code: 'unreachable' });
    await expect(client('not a url').doors()).rejects.toMatchObject({ code: 'not-configured' });
  });
});
