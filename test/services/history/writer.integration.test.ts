// The history writer over a real SQLite store: batching, spooling while the store is down,
// backfill in order, a malformed point that never blocks its batch, a spool left by a crash.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync, appendFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SqliteHistoryStore } from '../../../services/history/sqlite-store.ts';
import { HistoryError, type HistoryStore, type HistoryQuery } from '../../../services/history/store.ts';
import { Spool } from '../../../services/history/spool.ts';
import { HistoryWriter } from '../../../services/history/writer.ts';
import { readingPoint, type Point, type Measurement } from '../../../services/history/point.ts';
import { waitFor } from '../helpers.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'ss-writer-'));
  dirs.push(d);
  return d;
};

/** A real store behind a switch that makes it unreachable (what a stopped server looks like). */
class Switchable implements HistoryStore {
  readonly kind = 'sqlite';
  down = false;
  batches: number[] = [];
  constructor(readonly inner: SqliteHistoryStore) {}
  async write(points: readonly Point[]) {
    if (this.down) throw new HistoryError('unavailable', 'connect ECONNREFUSED');
    await this.inner.write(points);
    this.batches.push(points.length);
  }
  query = (q: HistoryQuery) => this.inner.query(q);
  count = (q: HistoryQuery) => this.inner.count(q);
  deleteBefore = (m: Measurement, c: number) => this.inner.deleteBefore(m, c);
  anonymiseMember = (m: string, p: string) => this.inner.anonymiseMember(m, p);
  ping = () => Promise.resolve(!this.down);
  close = () => this.inner.close();
}

const reading = (i: number, value: number | string = i) => ({
  ...readingPoint({ v: 1, ts: 1_700_000_000_000 + i, sensor: 's1', kind: 'temp', value: 0 }),
  fields: { value },
});
const ALL = { measurement: 'reading' as const, from: 0, to: 2e12 };

function setup(dir = tmp(), opts: { batchSize?: number; flushMs?: number; maxBytes?: number } = {}) {
  const store = new Switchable(new SqliteHistoryStore(join(dir, 'history.db')));
  const spool = new Spool({ dir: join(dir, 'spool'), maxBytes: opts.maxBytes ?? 64 * 1024 * 1024 });
  const logged: { obj: Record<string, unknown>; msg: string }[] = [];
  const log = pino({ level: 'info' }, { write: (s: string) => void logged.push({ obj: JSON.parse(s), msg: JSON.parse(s).msg }) });
  const writer = new HistoryWriter({ store, spool, log, batchSize: opts.batchSize ?? 5, flushMs: opts.flushMs ?? 20, probeMs: { min: 20, max: 50 } });
  return { dir, store, spool, writer, logged };
}

describe('history writer', () => {
  it('writes in batches: full ones at once, the rest after flushMs', async () => {
    const { store, writer } = setup();
    writer.start();
    for (let i = 0; i < 12; i++) writer.enqueue(reading(i));
    await writer.drained();
    expect(store.batches).toEqual([5, 5, 2]);
    expect(await store.count(ALL)).toBe(12);
    await writer.stop();
  });

  it('spools while the store is down and backfills in order when it returns: every point once', async () => {
    const { store, spool, writer, logged } = setup();
    writer.start();
    for (let i = 0; i < 7; i++) writer.enqueue(reading(i));
    await writer.drained();
    store.down = true;
    for (let i = 7; i < 40; i++) writer.enqueue(reading(i));
    await waitFor(() => spool.depth === 33);
    expect(writer.health()).toMatchObject({ up: false, spooled: 33 });
    store.batches = [];
    store.down = false;
    await writer.drained();
    const got = await store.query(ALL);
    expect(got.map((p) => p.fields.value)).toEqual([...Array(40).keys()]);
    expect(writer.health()).toMatchObject({ up: true, spooled: 0, written: 40 });
    expect(logged.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['history store down: spooling to disk', 'history store back: backfilling', 'history backfill done']),
    );
    await writer.stop();
  });

  it('drops only the malformed point of a batch, logs it with its content, and writes the rest', async () => {
    const { store, writer, logged } = setup(tmp(), { batchSize: 8 });
    writer.start();
    writer.enqueue(reading(0));
    await writer.drained();
    for (let i = 1; i <= 8; i++) writer.enqueue(reading(i, i === 5 ? 'warm' : i));
    for (let i = 9; i <= 12; i++) writer.enqueue(reading(i));
    await writer.drained();
    expect((await store.query(ALL)).map((p) => p.fields.value)).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12]);
    expect(writer.health().rejected).toBe(1);
    const line = logged.find((l) => l.msg === 'history point rejected by the store')!;
    expect(line.obj.point).toMatchObject({ measurement: 'reading', fields: { value: 'warm' } });
    expect(String(line.obj.reason)).toMatch(/field type conflict/);
    await writer.stop();
  });

  it('on stop, what is in memory goes to the spool when the store is down, and a new writer backfills it', async () => {
    const first = setup(tmp(), { flushMs: 60_000 });
    first.writer.start();
    first.store.down = true;
    for (let i = 0; i < 3; i++) first.writer.enqueue(reading(i));
    await first.writer.flush();
    for (let i = 3; i < 6; i++) first.writer.enqueue(reading(i));
    await first.writer.stop();
    expect(first.spool.depth).toBe(6);
    await first.store.close();

    const second = setup(first.dir);
    expect(second.spool.depth).toBe(6);
    second.writer.start();
    await second.writer.drained();
    expect((await second.store.query(ALL)).map((p) => p.fields.value)).toEqual([0, 1, 2, 3, 4, 5]);
    await second.writer.stop();
  });
});

describe('spool', () => {
  it('skips a line torn by a crash, and appends after it safely', () => {
    const dir = tmp();
    const a = new Spool({ dir, maxBytes: 1 << 20 });
    a.append([reading(1)]);
    const seg = readdirSync(dir).find((f) => f.endsWith('.jsonl'))!;
    appendFileSync(join(dir, seg), '[["reading",{"sensor":"s1"'); // power cut mid-append
    const b = new Spool({ dir, maxBytes: 1 << 20 });
    b.append([reading(2)]);
    const seen: unknown[] = [];
    for (let c = b.peek(); c; c = b.peek()) {
      seen.push(...c.points.map((p) => p.fields.value));
      c.ack();
    }
    expect(seen).toEqual([1, 2]);
    expect(b.losses.torn).toBe(1);
    expect(b.depth).toBe(0);
  });

  it('beyond maxBytes drops the oldest segment and counts the points', () => {
    const dir = tmp();
    const s = new Spool({ dir, maxBytes: 4000, segmentBytes: 1000 });
    for (let i = 0; i < 100; i++) s.append([reading(i)]);
    expect(s.losses.dropped).toBeGreaterThan(0);
    expect(s.depth + s.losses.dropped).toBe(100);
    const first = s.peek()!.points[0]!.fields.value as number;
    expect(first).toBe(s.losses.dropped);
  });
});
