// One broker outage of the embedded broker (= the services) with taps queued at the gateway, for
// test/faults/outage-queue.process.test.ts (order, nothing lost or doubled) and
// test/bench/outage-recovery.ts (issue 12's number: queued events reach the services ≤ 5 s
// after the broker is back). Times are the services' own `received_at` (epoch ms) and, for
// "broker back", the first TCP connect this process gets to the MQTT port.
import Database from 'better-sqlite3';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import type { TestSite } from './site.ts';
import { sim, type Stack } from './stack.ts';

export const OUTAGE_CARDS = ['0400A1B2C3', '0400D4E5F6', '0400445566', '0400778899'];

export interface StoredEvent {
  id: string;
  ts: number;
  receivedAt: number;
}

/** Access events at `door` with ts >= `since`, by ts, read as an operator would (read-only). */
export function storedSince(site: TestSite, since: number, door = 'front'): StoredEvent[] {
  const db = new Database(join(site.config.services.dataDir, 'services.db'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("SELECT id, ts, received_at AS receivedAt FROM events WHERE type = 'access' AND door = ? AND ts >= ? ORDER BY ts, id")
      .all(door, since) as StoredEvent[];
  } finally {
    db.close();
  }
}

/** Resolves with Date.now() at the first TCP connection accepted on 127.0.0.1:`port` (tries every `everyMs`). */
export async function firstAccept(port: number, everyMs = 5, timeoutMs = 60_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const at = await new Promise<number | null>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port });
      s.once('connect', () => {
        const now = Date.now();
        s.destroy();
        resolve(now);
      });
      s.once('error', () => resolve(null));
    });
    if (at !== null) return at;
    if (Date.now() > until) throw new Error(`nothing listens on ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface OutageResult {
  /** When the services were started again (before the broker listens). */
  restartedAt: number;
  /** First accepted TCP connection to the MQTT port. */
  brokerBackAt: number;
  /** The taps' events as stored, by ts. */
  events: StoredEvent[];
}

/**
 * Stops the services, taps `taps` cards at the front door (decided by the gateway from its
 * cached list, queued in its outbox), keeps the broker away `downMs` in all, starts the services
 * and waits until `taps` events are stored (or `waitMs` passes: fewer are returned).
 */
export async function outage(stack: Stack, site: TestSite, o: { taps: number; downMs: number; waitMs?: number }): Promise<OutageResult> {
  await stack.services!.stop();
  const since = Date.now();
  for (let i = 0; i < o.taps; i++) await sim(stack.simUrl, '/sim/tap', { reader: 'front-reader', uid: OUTAGE_CARDS[i % OUTAGE_CARDS.length] });
  const rest = o.downMs - (Date.now() - since);
  if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  const restartedAt = Date.now();
  const started = stack.startServices();
  const brokerBackAt = await firstAccept(site.mqttPort);
  await started;
  const until = Date.now() + (o.waitMs ?? 30_000);
  let events = storedSince(site, since);
  while (events.length < o.taps && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
    events = storedSince(site, since);
  }
  // A duplicate would come with the resend right after reconnecting: look once more.
  await new Promise((r) => setTimeout(r, 500));
  return { restartedAt, brokerBackAt, events: storedSince(site, since) };
}
