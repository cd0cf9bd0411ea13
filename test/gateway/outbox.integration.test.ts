import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GatewayDb } from '../../gateway/outbox/gateway-db.ts';
import { Outbox } from '../../gateway/outbox/outbox.ts';
import { waitFor } from './helpers/broker.ts';

interface Sent {
  topic: string;
  payload: string;
  ack: (err?: Error) => void;
}

describe('outbox', () => {
  let dir: string;
  let db: GatewayDb;
  let outbox: Outbox;
  let sent: Sent[];
  const sender = (topic: string, payload: string, done: (err?: Error) => void) => sent.push({ topic, payload, ack: done });

  const open = (window = 32, ackTimeoutMs?: number, maxBytes?: number) => {
    db = new GatewayDb(join(dir, 'gateway.db'));
    db.start();
    outbox = new Outbox(() => db.handle, { window, retryMs: 20, ackTimeoutMs, maxBytes });
    outbox.start();
  };
  const close = () => {
    outbox.stop();
    db.stop();
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ss-outbox-'));
    sent = [];
  });
  afterEach(() => {
    close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a WAL database with versioned migrations', () => {
    const look = () => {
      const raw = new Database(join(dir, 'gateway.db'), { readonly: true });
      try {
        return {
          mode: raw.pragma('journal_mode', { simple: true }),
          versions: raw.prepare('SELECT version FROM schema_migrations ORDER BY version').all(),
          schema: raw.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all(),
        };
      } finally {
        raw.close();
      }
    };
    open();
    outbox.enqueue('t/a', { id: 'a' });
    const first = look();
    expect(first.mode).toBe('wal');
    expect(first.versions).toEqual([{ version: 1 }, { version: 2 }]);
    close();
    // Migrating again is a no-op: no version recorded twice, no table or index changed, rows kept.
    open();
    expect(look()).toEqual(first);
    expect(outbox.depth).toBe(1);
  });

  it('rows survive closing and reopening the db', () => {
    open();
    outbox.enqueue('t/a', { id: 'a' });
    outbox.enqueue('t/b', { id: 'b' });
    expect(outbox.depth).toBe(2);
    close();
    open();
    expect(outbox.depth).toBe(2);
  });

  it('publishes in order and deletes a row only on PUBACK', async () => {
    open();
    for (const id of ['1', '2', '3']) outbox.enqueue(`t/${id}`, { id });
    outbox.attach(sender);
    await waitFor(() => sent.length === 3);
    expect(sent.map((s) => s.topic)).toEqual(['t/1', 't/2', 't/3']);
    expect(JSON.parse(sent[0]!.payload)).toEqual({ id: '1' });
    expect(outbox.depth).toBe(3);
    sent[1]!.ack();
    expect(outbox.depth).toBe(2);
    // Not acknowledged (the process dies here): both unacked rows go out again, in order.
    close();
    sent = [];
    open();
    expect(outbox.depth).toBe(2);
    outbox.attach(sender);
    await waitFor(() => sent.length === 2);
    expect(sent.map((s) => s.topic)).toEqual(['t/1', 't/3']);
    sent.forEach((s) => s.ack());
    expect(outbox.depth).toBe(0);
  });

  it('keeps at most `window` rows in flight', async () => {
    open(2);
    for (let i = 0; i < 5; i++) outbox.enqueue('t', { i });
    outbox.attach(sender);
    await waitFor(() => sent.length === 2);
    await new Promise((r) => setTimeout(r, 20));
    expect(sent.length).toBe(2);
    sent[0]!.ack();
    await waitFor(() => sent.length === 3);
    sent.slice(1).forEach((s) => s.ack());
    await waitFor(() => sent.length === 5);
    sent.slice(3).forEach((s) => s.ack());
    expect(outbox.depth).toBe(0);
    expect(sent.map((s) => JSON.parse(s.payload).i)).toEqual([0, 1, 2, 3, 4]);
  });

  it('sends nothing while detached and resends a failed row', async () => {
    open();
    outbox.enqueue('t', { i: 0 });
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toEqual([]);
    outbox.attach(sender);
    await waitFor(() => sent.length === 1);
    sent[0]!.ack(new Error('connection closed'));
    await waitFor(() => sent.length === 2);
    expect(sent[1]!.payload).toBe(sent[0]!.payload);
    sent[1]!.ack();
    expect(outbox.depth).toBe(0);
  });

  it('sends a row again when its PUBACK never comes', async () => {
    open(32, 50);
    outbox.enqueue('t', { i: 0 });
    outbox.attach(sender);
    await waitFor(() => sent.length === 2, 2000, 'resend');
    expect(sent[1]!.payload).toBe(sent[0]!.payload);
    sent[0]!.ack(); // the late ack of the first copy is enough
    expect(outbox.depth).toBe(0);
  });

  describe('bounded on disk', () => {
    // Each row: topic "t/r" or "t/e" (3 bytes) + payload {"n":NNNN,"pad":"…"} of 100 bytes.
    const row = (n: number) => ({ n: 1000 + n, pad: 'x'.repeat(100 - `{"n":${1000 + n},"pad":""}`.length) });
    const ROW = 103;

    it('when full, thins raw readings oldest-first, never an event, and counts what it dropped', () => {
      open(32, undefined, 10 * ROW);
      outbox.enqueue('t/e', row(0));
      for (let i = 1; i <= 9; i++) expect(outbox.enqueueReading('t/r', row(i))).toBe(true);
      expect(outbox.bytes).toBe(10 * ROW);
      outbox.enqueue('t/e', row(10)); // full: the oldest readings make room (down to 90 %)
      expect(outbox.dropped).toBe(2);
      expect(outbox.depth).toBe(9);
      const left = () =>
        (db.handle.prepare('SELECT topic, payload FROM outbox ORDER BY seq').all() as Array<{ topic: string; payload: string }>).map(
          (r) => `${r.topic}:${JSON.parse(r.payload).n - 1000}`,
        );
      expect(left()).toEqual(['t/e:0', 't/r:3', 't/r:4', 't/r:5', 't/r:6', 't/r:7', 't/r:8', 't/r:9', 't/e:10']);

      // Only events left and still full: events go in past the bound, a new reading does not.
      for (let i = 11; i < 20; i++) outbox.enqueue('t/e', row(i));
      expect(left().filter((r) => r.startsWith('t/r'))).toEqual([]);
      expect(left().filter((r) => r.startsWith('t/e'))).toHaveLength(11);
      expect(outbox.enqueueReading('t/r', row(99))).toBe(false);
      const dropped = outbox.dropped;
      expect(dropped).toBe(10);
      close();
      open(32, undefined, 10 * ROW);
      expect(outbox.dropped).toBe(dropped); // the count survives a restart
      expect(outbox.bytes).toBe(11 * ROW);
    });

    it('sends events and readings alike (the topic table gives each its QoS)', async () => {
      open();
      outbox.enqueue('t/e', { i: 0 });
      outbox.enqueueReading('t/r', { i: 1 });
      outbox.attach(sender);
      await waitFor(() => sent.length === 2);
      expect(sent.map((s) => [s.topic, JSON.parse(s.payload)])).toEqual([
        ['t/e', { i: 0 }],
        ['t/r', { i: 1 }],
      ]);
      sent.forEach((s) => s.ack());
      expect(outbox.depth).toBe(0);
      expect(outbox.bytes).toBe(0);
    });
  });
});
