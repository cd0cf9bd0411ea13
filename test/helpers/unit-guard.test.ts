// The unit tier's guard (unit-guard.ts, a setupFiles of this project) is in force here.
import { describe, it, expect } from 'vitest';
import net, { createServer, connect } from 'node:net';
import { spawn, execFileSync } from 'node:child_process';
import { UNIT_GUARD_MESSAGE } from './unit-guard.ts';

describe('unit tier guard', () => {
  it('refuses to listen or connect, through the module object and the named imports', () => {
    expect(() => createServer().listen(0)).toThrow(UNIT_GUARD_MESSAGE);
    expect(() => connect(1, '127.0.0.1')).toThrow(UNIT_GUARD_MESSAGE);
    expect(() => net.createConnection(1, '127.0.0.1')).toThrow(UNIT_GUARD_MESSAGE);
    expect(() => new net.Socket().connect(1, '127.0.0.1')).toThrow(UNIT_GUARD_MESSAGE);
  });

  it('refuses to start processes', () => {
    expect(() => spawn('true')).toThrow(UNIT_GUARD_MESSAGE);
    expect(() => execFileSync('true')).toThrow(UNIT_GUARD_MESSAGE);
  });

  it('refuses fetch to a server (it would need a socket)', async () => {
    const err = await fetch('http://127.0.0.1:65000/').then(
      () => null,
      (e: Error) => e,
    );
    expect(String((err?.cause as Error | undefined)?.message)).toContain(UNIT_GUARD_MESSAGE);
  });
});
