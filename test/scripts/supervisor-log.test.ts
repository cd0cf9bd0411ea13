// The supervisor's events as `npm start` prints them: a restart says which process, how it died
// and how long until it is back; a crash loop is an error; the PID a host needs for kill -9 shows.
import { describe, expect, it } from 'vitest';
import { supervisorLine } from '../../scripts/lib/supervisor-log.ts';
import { formatLogLine } from '../../scripts/lib/log-format.ts';

const printed = (e: Parameters<typeof supervisorLine>[0]) => formatLogLine(supervisorLine(e), false).slice(9);

describe('supervisor log lines', () => {
  it('a start names the process and its PID', () => {
    expect(printed({ kind: 'started', name: 'services', pid: 4242, restart: 0 })).toBe('supervise INFO  process started  process=services childPid=4242');
    expect(printed({ kind: 'started', name: 'services', pid: 4243, restart: 2 })).toBe(
      'supervise WARN  process restarted  process=services childPid=4243 restart=2',
    );
  });

  it('a death gives the exit code or signal, the time up and the delay, on stderr', () => {
    const line = supervisorLine({
      kind: 'exited',
      name: 'services',
      code: null,
      signal: 'SIGKILL',
      upMs: 42_149,
      restart: 1,
      delayMs: 1000,
      quickExits: 0,
      crashLoop: false,
    });
    expect(line.stream).toBe('stderr');
    expect(formatLogLine(line, false).slice(9)).toBe(
      'supervise WARN  process died; restarting  process=services code=null signal=SIGKILL upS=42.1 restart=1 delayS=1',
    );
  });

  it('a crash loop is an error that says it keeps restarting', () => {
    expect(printed({ kind: 'exited', name: 'gw-main', code: 2, signal: null, upMs: 300, restart: 5, delayMs: 16_000, quickExits: 5, crashLoop: true })).toBe(
      'supervise ERROR CRASH LOOP: process keeps dying right after start; still restarting with backoff  process=gw-main code=2 signal=null upS=0.3 restart=5 delayS=16 diedInARow=5',
    );
  });

  it('a stop that needed SIGKILL says so', () => {
    expect(printed({ kind: 'stopped', name: 'node-red', code: null, signal: 'SIGKILL' })).toMatch(/^supervise WARN {2}process killed \(did not stop in time\)/);
    expect(printed({ kind: 'stopped', name: 'sim', code: 0, signal: null })).toBe('supervise INFO  process stopped  process=sim code=0 signal=null');
  });
});
