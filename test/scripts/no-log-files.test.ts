// Logs go to stdout (the journal, `docker logs`), never to files that grow on a Pi's SD card.
// A look at the source of every process (gateway, services, shared runtime, config, the palette,
// the Node-RED settings, the supervisor and the simulator): no pino destination or transport, no
// write stream or append outside the two bounded files that append (the history spool, capped
// by history.spoolMaxMb; the gateway's outbox is SQLite), and Node-RED's logging has only our
// stdout handler.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { symbols } from 'pino';
import { createLogger } from '../../runtime/log.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIRS = ['gateway', 'services', 'runtime', 'config', 'node-red', 'scripts', 'cli', 'firmware-bridge', 'contracts'];
/**
 * Files that write streams on purpose and are no log: the history spool (bounded; the reason is
 * in the file) and the backup archive `smartspace backup` writes once when a host asks.
 */
const BOUNDED_APPENDERS = new Set(['services/history/spool.ts', 'cli/backup/create.ts']);

function sources(): Array<{ file: string; text: string }> {
  return DIRS.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.(ts|js|cjs|mjs)$/.test(e.name) && !e.name.endsWith('.gen.cjs') && !e.parentPath.includes('node_modules'))
      .map((e) => {
        const file = join(e.parentPath, e.name);
        return { file: file.slice(ROOT.length), text: readFileSync(file, 'utf8') };
      }),
  );
}

const LOG_FILE_WRITERS: Array<[string, RegExp]> = [
  ['a pino destination', /\bpino\.destination\s*\(|\bdestination\s*\(\s*['"`/]/],
  ['a pino transport', /\bpino\.transport\s*\(|\btransport\s*:\s*\{\s*target/],
  ['a write stream', /\bcreateWriteStream\s*\(/],
  ['an append to a file', /\bappendFile(Sync)?\s*\(/],
  ['a Node-RED file logger', /\bfilename\s*:|\bfileLogger\b/],
];

describe('logs go to stdout only', () => {
  it('no process source writes a log file', () => {
    const all = sources();
    expect(all.some((s) => s.file === 'runtime/log.ts')).toBe(true);
    const found = all.flatMap(({ file, text }) =>
      BOUNDED_APPENDERS.has(file) ? [] : LOG_FILE_WRITERS.filter(([, re]) => re.test(text)).map(([what]) => `${file}: ${what}`),
    );
    expect(found).toEqual([]);
  });

  it('the logger writes to file descriptor 1 (stdout)', () => {
    const log = createLogger('test', 'silent');
    expect((log as unknown as Record<symbol, { fd?: number }>)[symbols.streamSym]?.fd).toBe(1);
  });

  it("Node-RED's logging has only the smartspace handler, which writes to stdout", () => {
    const text = readFileSync(join(ROOT, 'config/node-red/settings.cjs'), 'utf8');
    const logging = /logging:\s*\{([\s\S]*?)\n {2}\},/.exec(text)?.[1] ?? '';
    expect(logging).toContain('smartspace:');
    expect([...logging.matchAll(/^ {4}(\w+):/gm)].map((m) => m[1])).toEqual(['smartspace']);
    expect(text).toMatch(/function logLine[\s\S]*?process\.stdout\.write/);
  });
});
