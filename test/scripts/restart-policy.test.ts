// When `npm start` starts a dead process again: delays from the runtime's backoff, back to the
// shortest after a stable run, and a crash loop named from the N-th quick death in a row on.
import { describe, expect, it } from 'vitest';
import { RestartPolicy } from '../../scripts/lib/restart-policy.ts';

describe('restart policy', () => {
  it('defaults to 1 s doubling to 30 s', () => {
    const p = new RestartPolicy();
    expect(Array.from({ length: 7 }, () => p.onExit(10).delayMs)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('a process that stayed up stableMs restarts after the shortest delay again', () => {
    const p = new RestartPolicy({ minDelayMs: 100, maxDelayMs: 1000, stableMs: 5000 });
    expect([p.onExit(10), p.onExit(10), p.onExit(10)].map((d) => d.delayMs)).toEqual([100, 200, 400]);
    const afterStable = p.onExit(5000);
    expect(afterStable).toEqual({ delayMs: 100, quickExits: 0, crashLoop: false });
    expect(p.onExit(4999).delayMs).toBe(200);
  });

  it('names a crash loop from the N-th quick death in a row on and keeps backing off', () => {
    const p = new RestartPolicy({ minDelayMs: 100, maxDelayMs: 400, stableMs: 5000, crashLoopExits: 3 });
    const d = Array.from({ length: 6 }, () => p.onExit(0));
    expect(d.map((x) => x.crashLoop)).toEqual([false, false, true, true, true, true]);
    expect(d.map((x) => x.quickExits)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(d.map((x) => x.delayMs)).toEqual([100, 200, 400, 400, 400, 400]);
    // A stable run ends the loop.
    expect(p.onExit(6000).crashLoop).toBe(false);
    expect(p.onExit(0)).toEqual({ delayMs: 200, quickExits: 1, crashLoop: false });
  });
});
