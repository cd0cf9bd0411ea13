// Starts the project's processes (`node --import tsx <entry>`, or the compiled JavaScript: one
// OS process each, so a signal or kill -9 reaches the real process), keeps their recent output, waits for log lines,
// and stops them. Used by `npm start`, `npm run demo:network`, the end-to-end tests and the benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface LogLine {
  proc: string;
  stream: 'stdout' | 'stderr';
  text: string;
  /** Parsed pino JSON, when the line is one. */
  json?: Record<string, unknown>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  onLine?: (line: LogLine) => void;
  /** How many recent lines to keep for `waitForLog` and for failure reports. */
  keep?: number;
  /** Run the compiled JavaScript in dist/node (`npm run build:node`) instead of the sources. */
  compiled?: boolean;
  /** Options for node itself (V8 flags), before the entry. */
  nodeArgs?: string[];
  /** A command that execs node in another context (`ip netns exec <ns>`): node runs as its argument. */
  prefix?: string[];
}

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly lines: LogLine[];
  /** Resolves with the exit code (or null when killed by a signal). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** SIGTERM, then SIGKILL after `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
  /** Power cut: SIGKILL and wait for the exit. */
  kill9(): Promise<void>;
}

export function startProcess(name: string, entry: string, args: string[], opts: StartOptions = {}): ManagedProcess {
  // A plain JavaScript entry (Node-RED's red.js) runs as it is.
  const plain = /\.[cm]?js$/.test(entry);
  const argv = plain ? [entry] : opts.compiled ? [`dist/node/${entry.replace(/\.ts$/, '.js')}`] : ['--import', 'tsx', entry];
  const nodeArgv = [process.execPath, ...(opts.nodeArgs ?? []), ...argv, ...args];
  const [command, ...commandArgs] = [...(opts.prefix ?? []), ...nodeArgv] as [string, ...string[]];
  return startCommand(name, command, commandArgs, opts);
}

/** Any program (Mosquitto in the network demo), managed like the project's processes. */
export function startCommand(name: string, command: string, commandArgs: string[], opts: Pick<StartOptions, 'env' | 'onLine' | 'keep'> = {}): ManagedProcess {
  const child = spawn(command, commandArgs, {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: Ctrl-C in a terminal reaches only the supervisor, which then stops the
    // processes in reverse start order (gateway before services) instead of all at once.
    detached: true,
  });
  const keep = opts.keep ?? 2000;
  const lines: LogLine[] = [];
  const waiters = new Set<{ match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }>();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const onText = (stream: 'stdout' | 'stderr') => (text: string) => {
    const line: LogLine = { proc: name, stream, text };
    if (text.startsWith('{')) {
      try {
        line.json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        /* not JSON: keep as text */
      }
    }
    lines.push(line);
    if (lines.length > keep) lines.shift();
    opts.onLine?.(line);
    for (const w of waiters) {
      if (w.match(line)) {
        waiters.delete(w);
        w.resolve(line);
      }
    }
  };
  createInterface({ input: child.stdout }).on('line', onText('stdout'));
  createInterface({ input: child.stderr }).on('line', onText('stderr'));

  const waitForLog = (match: (l: LogLine) => boolean, timeoutMs = 30_000) => {
    const seen = lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<LogLine>((resolve, reject) => {
      const w = { match, resolve: (l: LogLine) => (clearTimeout(timer), resolve(l)) };
      const timer = setTimeout(() => {
        waiters.delete(w);
        reject(
          new Error(
            `${name}: log line not seen within ${timeoutMs} ms; last lines:\n${lines
              .slice(-15)
              .map((l) => l.text)
              .join('\n')}`,
          ),
        );
      }, timeoutMs);
      waiters.add(w);
      void exited.then(({ code, signal }) => {
        if (!waiters.has(w)) return;
        waiters.delete(w);
        clearTimeout(timer);
        reject(
          new Error(
            `${name} exited (code ${code}, signal ${signal}) before the expected log line; last lines:\n${lines
              .slice(-15)
              .map((l) => l.text)
              .join('\n')}`,
          ),
        );
      });
    });
  };

  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async (graceMs = 5000) => {
    if (!alive()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => alive() && child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const kill9 = async () => {
    if (alive()) child.kill('SIGKILL');
    await exited;
  };

  return { name, child, lines, exited, waitForLog, stop, kill9 };
}

/** A pino line whose `msg` equals `msg`. */
export const logMsg = (msg: string) => (l: LogLine) => l.json?.msg === msg;
