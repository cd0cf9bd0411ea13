// restore and migrate know that the site runs from the lock every connection to a WAL database
// holds: here the connection is in another process (the services, a gateway), as at a real site.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { openDatabase } from '../../services/db/database.ts';
import { databaseInUse } from '../../cli/backup/in-use.ts';

const BETTER_SQLITE3 = createRequire(import.meta.url).resolve('better-sqlite3');
let child: ChildProcess | undefined;
let dir: string | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a database held open by another process', () => {
  it('is in use while that process has it open, and free once it is gone (even killed)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'smartspace-lock-'));
    const path = join(dir, 'services.db');
    openDatabase(path).close();
    expect(databaseInUse(path)).toBe(false);

    const script = `const D = require(${JSON.stringify(BETTER_SQLITE3)}); const db = new D(${JSON.stringify(path)});
      db.prepare('SELECT COUNT(*) FROM members').get(); process.stdout.write('open\\n'); setInterval(() => {}, 1000);`;
    child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(child.stdout!, 'data');
    expect(databaseInUse(path)).toBe(true);

    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(databaseInUse(path)).toBe(false);
  });
});
