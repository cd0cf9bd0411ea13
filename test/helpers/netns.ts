// Network namespaces for process tests (needs root and iproute2; without them a test fails with
// the reason, it does not skip): namespaces joined by veth pairs, commands run inside one, and
// the test's way in: a unix socket in the shared file system forwarded by socat to a port on a
// namespace's loopback, with HTTP (JSON) over it. The pieces test/e2e/tls-netns.process.test.ts
// began with, for tests of several machines (test/e2e/network-netns.process.test.ts).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';

export function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Adds a namespace with its loopback up; throws with a reason when this machine cannot. */
export function addNamespace(ns: string): void {
  try {
    ip('netns', 'add', ns);
  } catch (err) {
    throw new Error(`ip netns is not usable here (this test needs root and iproute2): ${String((err as { stderr?: Buffer }).stderr ?? err)}`);
  }
  ip('-n', ns, 'link', 'set', 'lo', 'up');
}

/** A veth pair from `a` to `b` (names at most 15 characters), addressed and up. */
export function link(a: { ns: string; dev: string; addr: string }, b: { ns: string; dev: string; addr: string }): void {
  ip('link', 'add', a.dev, 'type', 'veth', 'peer', 'name', b.dev);
  for (const end of [a, b]) {
    ip('link', 'set', end.dev, 'netns', end.ns);
    ip('-n', end.ns, 'addr', 'add', end.addr, 'dev', end.dev);
    ip('-n', end.ns, 'link', 'set', end.dev, 'up');
  }
}

/** Deletes namespaces, whatever state they got to (a deleted namespace takes its veth ends along). */
export function removeNamespaces(names: readonly string[]): void {
  for (const ns of names) {
    try {
      ip('netns', 'delete', ns);
    } catch {
      /* not made */
    }
  }
}

/** The command prefix that runs a program inside `ns`. */
export const inNs = (ns: string): string[] => ['ip', 'netns', 'exec', ns];

/** socat in `ns`: a unix socket in the shared file system, forwarded to `port` on that namespace's loopback. */
export function forward(ns: string, socketPath: string, port: number): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns, 'socat', `UNIX-LISTEN:${socketPath},fork,unlink-early`, `TCP:127.0.0.1:${port}`], { stdio: 'ignore' });
}

export interface Reply {
  status: number;
  json: unknown;
  cookie?: string;
}

/** HTTP over a unix socket; JSON in and out. */
export function call(socketPath: string, path: string, opts: { method?: string; body?: unknown; cookie?: string; token?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const data = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = request(
      {
        socketPath,
        path,
        method: opts.method ?? (data === undefined ? 'GET' : 'POST'),
        headers: {
          ...(data === undefined ? {} : { 'content-type': 'application/json' }),
          ...(opts.cookie ? { cookie: opts.cookie } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          const setCookie = res.headers['set-cookie']?.[0]?.split(';')[0];
          let json: unknown = text;
          try {
            json = text ? (JSON.parse(text) as unknown) : undefined;
          } catch {
            /* not JSON: the text */
          }
          resolve({ status: res.statusCode ?? 0, json, ...(setCookie ? { cookie: setCookie } : {}) });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}
