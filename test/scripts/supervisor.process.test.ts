// `npm start`'s supervisor, run as its own process over small child scripts (fixtures/): the
// same Supervisor and runSupervised code as scripts/start.ts, with short delays. A child killed
// with SIGKILL is started again after the backoff; a crash loop is named and backs off with
// growing delays; SIGINT stops every child in reverse start order and restarts none; a start-up
// whose readiness wait fails stops what had started.
import { describe, it, expect, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ROOT } from '../../scripts/lib/proc.ts';
import type { SupervisorEvent } from '../../scripts/lib/supervisor.ts';

type Out = { event?: SupervisorEvent; line?: { proc: string; msg: string }; up?: true };

interface Harness {
  child: ChildProcess;
  out: Out[];
  events: () => SupervisorEvent[];
  waitFor: (match: (o: Out) => boolean, count?: number) => Promise<Out[]>;
  exited: Promise<number | null>;
}

const running: Harness[] = [];

function harness(plan: object): Harness {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/scripts/fixtures/supervise-harness.ts', JSON.stringify(plan)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const out: Out[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout }).on('line', (text) => {
    out.push(JSON.parse(text) as Out);
    for (const w of waiters) w();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = (match: (o: Out) => boolean, count = 1) =>
    new Promise<Out[]>((resolve, reject) => {
      const check = () => {
        const seen = out.filter(match);
        if (seen.length >= count) {
          waiters.delete(check);
          resolve(seen);
        }
      };
      waiters.add(check);
      void exited.then(() => {
        if (!waiters.delete(check)) return;
        reject(new Error(`harness exited before ${count} matching lines; output:\n${out.map((o) => JSON.stringify(o)).join('\n')}`));
      });
      check();
    });
  const h = { child, out, events: () => out.flatMap((o) => (o.event ? [o.event] : [])), waitFor, exited };
  running.push(h);
  return h;
}

const isEvent =
  <K extends SupervisorEvent['kind']>(kind: K, name?: string) =>
  (o: Out) =>
    o.event?.kind === kind && (name === undefined || (o.event as { name?: string }).name === name);
const pidsOf = (events: SupervisorEvent[], name: string) => events.flatMap((e) => (e.kind === 'started' && e.name === name && e.pid ? [e.pid] : []));
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterEach(async () => {
  for (const h of running.splice(0)) {
    if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGTERM');
    await h.exited;
  }
});

describe('npm start supervisor', () => {
  it('starts a child killed with SIGKILL again after the backoff, and logs why and when', async () => {
    const h = harness({
      children: [
        { name: 'a', mode: 'serve', readyMs: 30_000 },
        { name: 'b', mode: 'serve', readyMs: 30_000 },
      ],
      policy: { minDelayMs: 200, maxDelayMs: 3200 },
    });
    await h.waitFor((o) => o.up === true);
    const [firstPid] = pidsOf(h.events(), 'a');
    process.kill(firstPid!, 'SIGKILL');

    const [restarted] = await h.waitFor((o) => isEvent('started', 'a')(o) && (o.event as { restart: number }).restart === 1);
    const exited = h.events().find((e) => e.kind === 'exited');
    expect(exited).toMatchObject({ name: 'a', code: null, signal: 'SIGKILL', restart: 1, delayMs: 200, crashLoop: false });
    const newPid = (restarted!.event as { pid: number }).pid;
    expect(newPid).not.toBe(firstPid);
    expect(isAlive(firstPid!)).toBe(false);
    // The new process runs and the other one was left alone.
    await h.waitFor((o) => o.line?.proc === 'a' && o.line.msg === 'ready', 2);
    expect(
      h
        .events()
        .filter((e) => e.kind === 'started')
        .map((e) => e.kind === 'started' && e.name),
    ).toEqual(['a', 'b', 'a']);

    h.child.kill('SIGINT');
    expect(await h.exited).toBe(0);
    expect(isAlive(newPid)).toBe(false);
  });

  it('a crash loop is named and keeps backing off with growing delays', async () => {
    const h = harness({ children: [{ name: 'loop', mode: 'crash' }], policy: { minDelayMs: 50, maxDelayMs: 400, stableMs: 60_000, crashLoopExits: 3 } });
    const exits = (await h.waitFor(isEvent('exited', 'loop'), 6)).map((o) => o.event as Extract<SupervisorEvent, { kind: 'exited' }>);
    expect(exits.map((e) => e.code)).toEqual([3, 3, 3, 3, 3, 3]);
    expect(exits.map((e) => e.restart)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(exits.map((e) => e.delayMs)).toEqual([50, 100, 200, 400, 400, 400]);
    expect(exits.map((e) => e.crashLoop)).toEqual([false, false, true, true, true, true]);
    // Every restart waited its delay: as many starts as deaths (plus the first), not more.
    const starts = h.events().filter(isEventKind('started')).length;
    expect(starts - 1).toBeLessThanOrEqual(h.events().filter(isEventKind('exited')).length);

    h.child.kill('SIGINT');
    expect(await h.exited).toBe(0);
  });

  it('SIGINT stops every child in reverse start order, the stubborn one with SIGKILL, and restarts none', async () => {
    const h = harness({
      children: [
        { name: 'first', mode: 'serve', readyMs: 30_000 },
        { name: 'second', mode: 'stubborn', readyMs: 30_000 },
        { name: 'third', mode: 'serve', readyMs: 30_000 },
      ],
      graceMs: 300,
    });
    await h.waitFor((o) => o.up === true);
    const pids = ['first', 'second', 'third'].map((n) => pidsOf(h.events(), n)[0]!);
    const startedBefore = h.events().filter(isEventKind('started')).length;
    h.child.kill('SIGINT');
    expect(await h.exited).toBe(0);

    const stops = h.events().filter((e) => e.kind === 'stopping' || e.kind === 'stopped');
    expect(stops.map((e) => `${e.kind} ${e.kind === 'stopping' || e.kind === 'stopped' ? e.name : ''}`)).toEqual([
      'stopping third',
      'stopped third',
      'stopping second',
      'stopped second',
      'stopping first',
      'stopped first',
    ]);
    expect(stops.filter(isEventKind('stopped')).map((e) => e.kind === 'stopped' && e.signal)).toEqual([null, 'SIGKILL', null]);
    // Each child that heeds SIGTERM said goodbye, in the same reverse order.
    expect(h.out.filter((o) => o.line?.msg === 'bye').map((o) => o.line!.proc)).toEqual(['third', 'first']);
    expect(h.events().filter(isEventKind('started'))).toHaveLength(startedBefore);
    expect(h.events().filter(isEventKind('exited'))).toHaveLength(0);
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('a readiness wait that fails stops what had started and exits 1', async () => {
    const h = harness({
      children: [
        { name: 'broker', mode: 'serve', readyMs: 30_000 },
        { name: 'api', mode: 'serve', readyMs: 30_000 },
        { name: 'mute', mode: 'silent', readyMs: 500 },
        { name: 'never', mode: 'serve', readyMs: 30_000 },
      ],
    });
    expect(await h.exited).toBe(1);
    const events = h.events();
    expect(events.filter(isEventKind('startup-failed'))).toHaveLength(1);
    expect(events.find((e) => e.kind === 'startup-failed')).toMatchObject({ message: expect.stringMatching(/^mute: log line not seen within 500 ms/) });
    expect(events.filter((e) => e.kind === 'stopped').map((e) => e.kind === 'stopped' && e.name)).toEqual(['mute', 'api', 'broker']);
    expect(pidsOf(events, 'never')).toEqual([]);
    const pids = ['broker', 'api', 'mute'].map((n) => pidsOf(events, n)[0]!);
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('a child that dies before it is ready fails the start-up instead of being restarted', async () => {
    const h = harness({
      children: [
        { name: 'ok', mode: 'serve', readyMs: 30_000 },
        { name: 'dies', mode: 'crash', readyMs: 30_000 },
      ],
    });
    expect(await h.exited).toBe(1);
    const events = h.events();
    expect(events.find((e) => e.kind === 'startup-failed')).toMatchObject({
      message: expect.stringMatching(/^dies exited \(code 3, signal null\) before the expected log line/),
    });
    expect(events.filter(isEventKind('exited'))).toHaveLength(0);
    expect(pidsOf(events, 'dies')).toHaveLength(1);
    expect(isAlive(pidsOf(events, 'ok')[0]!)).toBe(false);
  });
});

function isEventKind<K extends SupervisorEvent['kind']>(kind: K) {
  return (e: SupervisorEvent): e is Extract<SupervisorEvent, { kind: K }> => e.kind === kind;
}
