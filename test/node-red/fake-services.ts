// A small HTTP server that plays the services' automation API for the palette's tests:
// POST /api/doors/:id/commands, GET /api/doors and POST /api/alerts with the real status codes and bodies.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TOKEN = 'the-automation-token-0123456789';

export interface Call {
  method: string;
  url: string;
  auth: string | undefined;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The services as the automation role sees them: doors front and meeting (forbidden by default), front-2 offline. */
export function fakeServices(opts: { forbidden?: string[] } = {}): Promise<{ url: string; calls: Call[]; server: Server }> {
  const forbidden = opts.forbidden ?? ['meeting'];
  const calls: Call[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : undefined;
      calls.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
      const send = (status: number, b: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(b));
      };
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { error: 'invalid-token', message: 'Unknown token.' });
      if (req.method === 'GET' && req.url === '/api/doors') return send(200, [{ id: 'front' }, { id: 'meeting' }]);
      // The alert centre: a raise answers the alert, a clear null.
      if (req.method === 'POST' && req.url === '/api/alerts') return send(200, body?.clear ? null : { id: calls.length, ...body });
      const m = /^\/api\/doors\/([^/]+)\/commands$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) return send(404, { error: 'not-found', message: 'No route.' });
      const door = decodeURIComponent(m[1]!);
      if (!['unlock', 'hold', 'release', 'lock', 'lockdown'].includes(body?.action))
        return send(400, { error: 'bad-request', message: 'body/action must be one of …' });
      if (forbidden.includes(door)) return send(403, { error: 'forbidden', message: 'Automation may not control this door.' });
      if (door === 'front-2') return send(503, { error: 'door-offline', message: 'The door is offline.' });
      if (door !== 'front' && door !== 'meeting') return send(404, { error: 'unknown-door', message: 'There is no such door.' });
      send(202, { commandId: `cmd-${calls.length}-abcdef`, action: body.action, exp: 1_900_000_000_000 });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, server })),
  );
}
