import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveConnection, type LiveHandlers, type SourceLike } from '../../dashboard/src/data/live.ts';
import { door } from './fixtures.ts';

class FakeSource implements SourceLike {
  readyState = 0;
  onopen: SourceLike['onopen'] = null;
  onmessage: SourceLike['onmessage'] = null;
  onerror: SourceLike['onerror'] = null;
  closed = false;
  constructor(readonly url: string) {}
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  send(data: string): void {
    this.onmessage?.(new MessageEvent('message', { data }));
  }
  fail(closed: boolean): void {
    this.readyState = closed ? 2 : 0;
    this.onerror?.(new Event('error'));
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
}

function setup() {
  const sources: FakeSource[] = [];
  const handlers = { message: vi.fn(), status: vi.fn(), error: vi.fn() } satisfies LiveHandlers;
  const conn = new LiveConnection('/api/live', handlers, (url) => {
    const s = new FakeSource(url);
    sources.push(s);
    return s;
  });
  return { sources, handlers, conn };
}

afterEach(() => vi.useRealTimers());

describe('live connection', () => {
  it('passes on messages it understands and skips the rest', () => {
    const { sources, handlers, conn } = setup();
    conn.start();
    expect(handlers.status).toHaveBeenLastCalledWith('connecting');
    sources[0]!.open();
    expect(handlers.status).toHaveBeenLastCalledWith('live');
    sources[0]!.send('not json');
    sources[0]!.send(JSON.stringify({ type: 'mystery' }));
    sources[0]!.send(JSON.stringify({ type: 'door', door: door() }));
    expect(handlers.message).toHaveBeenCalledOnce();
    expect(handlers.message).toHaveBeenCalledWith({ type: 'door', door: door() });
    conn.stop();
    conn.stop();
    expect(sources[0]!.closed).toBe(true);
  });

  it('shows reconnecting while EventSource retries by itself', () => {
    const { sources, handlers, conn } = setup();
    conn.start();
    sources[0]!.open();
    sources[0]!.fail(false);
    expect(handlers.status).toHaveBeenLastCalledWith('reconnecting');
    expect(handlers.error).toHaveBeenCalledOnce();
    sources[0]!.open();
    expect(handlers.status).toHaveBeenLastCalledWith('live');
    expect(sources).toHaveLength(1);
    conn.stop();
  });

  it('opens a new stream after a back-off when the browser gave up', () => {
    vi.useFakeTimers();
    const { sources, conn } = setup();
    conn.start();
    sources[0]!.fail(true);
    expect(sources).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    expect(sources).toHaveLength(2);
    sources[1]!.fail(true);
    vi.advanceTimersByTime(1_000);
    expect(sources).toHaveLength(2); // backing off: 2 s now
    vi.advanceTimersByTime(1_000);
    expect(sources).toHaveLength(3);
    conn.stop();
    sources[2]!.fail(true);
    vi.advanceTimersByTime(60_000);
    expect(sources).toHaveLength(3);
  });

  it('never waits more than 4 s between tries, however long the services were away', () => {
    vi.useFakeTimers();
    const { sources, conn } = setup();
    conn.start();
    // Half a minute of failures (a proxy answering 502 while the services are down).
    for (let i = 0; i < 12; i++) {
      sources.at(-1)!.fail(true);
      vi.advanceTimersByTime(4_000);
      expect(sources).toHaveLength(i + 2);
    }
    conn.stop();
  });
});
