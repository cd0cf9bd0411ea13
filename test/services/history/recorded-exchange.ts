// A recorded HTTP exchange with an InfluxDB 2.x server: record (a proxy in front of a server,
// writing down each request and answer) and replay (a tiny server that checks each request is
// the next one recorded — method, path and query, body, token — and gives the recorded answer).
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';

export interface Exchange {
  request: { method: string; path: string; body: string };
  response: { status: number; contentType: string | null; body: string };
}

export const TEST_TOKEN = 'test-token';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** JSON bodies compare by value (key order aside); others by text. */
function sameBody(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return JSON.stringify(sortKeys(JSON.parse(a))) === JSON.stringify(sortKeys(JSON.parse(b)));
  } catch {
    return false;
  }
}
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/** A request handler that awaits the request body; a failure answers 500 instead of going unhandled. */
function answering(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  };
}

export async function startRecorder(upstream: string, upstreamToken: string) {
  const exchanges: Exchange[] = [];
  const server = createServer(
    answering(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const target = new URL(req.url ?? '/', upstream);
      const headers = { ...req.headers, host: target.host, authorization: `Token ${upstreamToken}` };
      const up = httpRequest(target, { method: req.method, headers }, (upRes) => {
        let out = '';
        upRes.setEncoding('utf8');
        upRes.on('data', (c: string) => (out += c));
        upRes.on('end', () => {
          const contentType = upRes.headers['content-type'] ?? null;
          exchanges.push({
            request: { method: req.method ?? 'GET', path: req.url ?? '/', body },
            response: { status: upRes.statusCode ?? 500, contentType, body: out },
          });
          res.writeHead(upRes.statusCode ?? 500, contentType ? { 'content-type': contentType } : {});
          res.end(out);
        });
      });
      up.on('error', (err) => res.writeHead(502).end(String(err)));
      up.end(body);
    }),
  );
  const url = await listen(server);
  return {
    url,
    save: (path: string) => writeFileSync(path, `${JSON.stringify(exchanges, null, 1)}\n`),
    close: () => close(server),
  };
}

export async function startReplay(path: string) {
  const exchanges = JSON.parse(readFileSync(path, 'utf8')) as Exchange[];
  const mismatches: string[] = [];
  let next = 0;
  const server = createServer(
    answering(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const want = exchanges[next];
      const got = { method: req.method ?? 'GET', path: req.url ?? '/', body };
      const tokenOk = got.path === '/ping' || req.headers.authorization === `Token ${TEST_TOKEN}`;
      if (!want || want.request.method !== got.method || want.request.path !== got.path || !sameBody(want.request.body, got.body) || !tokenOk) {
        mismatches.push(`request #${next}: expected ${JSON.stringify(want?.request)}, got ${JSON.stringify(got)}${tokenOk ? '' : ' (bad token)'}`);
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'internal error', message: 'not the recorded request' }));
        return;
      }
      next++;
      res.writeHead(want.response.status, want.response.contentType ? { 'content-type': want.response.contentType } : {});
      res.end(want.response.body);
    }),
  );
  const url = await listen(server);
  return {
    url,
    mismatches,
    remaining: () => exchanges.length - next,
    close: () => close(server),
  };
}
