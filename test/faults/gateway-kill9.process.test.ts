// Power cut in the middle of a stream of taps: the real gateway process reads an RDM6300 on a
// socat PTY and is killed with SIGKILL while frames keep coming, then started again. Every
// event it made (the ones already delivered and the ones still in its outbox at the kill) is
// stored by the services exactly once, every tap made while it was running is decided once,
// and no tap is decided twice.
// Taps written while the process is dead are lost on the wire (a PTY keeps nothing for a
// reader that is not there, like a card shown to a reader of a Pi that is off); they are
// counted in the output, not asserted.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fingerprint } from '../../contracts/signing.ts';
import { encodeRdm6300 } from '../../firmware-bridge/index.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, gatewayReady, eventually, type Stack } from '../helpers/stack.ts';
import { countEvents } from '../helpers/db.ts';
import { ptyPair, type PtyPair } from '../gateway/helpers/pty.ts';
import { observe, type Observer } from '../gateway/helpers/observer.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A distinct unknown card per tap, so that each tap has its own fingerprint. */
const card = (n: number) => `AA${n.toString(16).toUpperCase().padStart(8, '0')}`;

describe('kill -9 of the gateway mid-stream', () => {
  let site: TestSite;
  let stack: Stack;
  let reader: PtyPair;
  let mqtt: Observer;
  let n = 0;

  beforeAll(async () => {
    site = await makeTestSite((raw) => {
      const dir = String(raw.gateways[0].dataDir).replace(/\/[^/]+$/, '');
      raw.doors[0].reader = { driver: 'serial', id: 'front-reader', path: `${dir}/front-reader-dev`, protocol: 'rdm6300', format: 'hex', holdMs: 0 };
    });
    reader = await ptyPair(site.dir, 'front-reader');
    stack = await startStack(site);
    await gatewayReady(stack.baseUrl, 'gw-main');
    mqtt = await observe(site);
  });

  afterAll(async () => {
    mqtt?.close();
    await stack?.stop();
    await reader?.kill();
    site?.cleanup();
  });

  const fp = (uid: string) => fingerprint(site.secrets.siteKey, uid);
  /** Event ids per fingerprint, as delivered on MQTT (a QoS 1 redelivery repeats an id). */
  const idsByFp = () => {
    const m = new Map<string, Set<string>>();
    for (const e of mqtt.on('door/front/event')) {
      if (e.payload.type !== 'access') continue;
      const s = m.get(e.payload.fingerprint) ?? new Set<string>();
      s.add(e.payload.id);
      m.set(e.payload.fingerprint, s);
    }
    return m;
  };
  /** Taps a new card every 100 ms until one is decided: the reader's port is open. */
  async function waitReaderOpen(): Promise<void> {
    await eventually(
      () => {
        if ([...idsByFp().keys()].includes(fp(card(n - 1)))) return true;
        reader.write(encodeRdm6300(card(n++)));
        return false;
      },
      30_000,
      'the reader port to be open',
    );
  }
  async function stream(count: number, everyMs: number, during?: (i: number) => Promise<void>): Promise<string[]> {
    const uids: string[] = [];
    for (let i = 0; i < count; i++) {
      const uid = card(n++);
      uids.push(uid);
      reader.write(encodeRdm6300(uid));
      await during?.(i);
      await sleep(everyMs);
    }
    return uids;
  }

  it('no event is lost or duplicated', async () => {
    await waitReaderOpen();
    const before = await stream(30, 15);
    await eventually(() => before.every((u) => idsByFp().has(fp(u))), 15_000, 'phase 1 decided');

    // Mid-stream: SIGKILL after the 10th of 30 frames, the rest arrive while it is dead.
    let pendingAtKill: string[] = [];
    const burstUids: string[] = [];
    const gwDb = join(site.config.gateways[0]!.dataDir, 'gateway.db');
    const during = await stream(30, 15, async (i) => {
      if (i !== 9) return;
      // A burst of 20 taps in one chunk, and the power goes a moment later: some of their
      // events are in the outbox (or in flight to the broker) when the process dies.
      const burst = Array.from({ length: 20 }, () => card(n++));
      burstUids.push(...burst);
      reader.write(Uint8Array.from(burst.flatMap((u) => [...encodeRdm6300(u)])));
      await sleep(3);
      await stack.gateway!.kill9();
      // What the dead gateway had committed but not yet had acknowledged: must arrive later.
      const db = new Database(gwDb, { readonly: true });
      pendingAtKill = (db.prepare('SELECT payload FROM outbox').all() as Array<{ payload: string }>).map((r) => JSON.parse(r.payload).id as string);
      db.close();
    });
    const seenBeforeRestart = new Set([...idsByFp().values()].flatMap((s) => [...s]));

    await stack.startGateway();
    await waitReaderOpen();
    const after = await stream(30, 15);
    await eventually(() => after.every((u) => idsByFp().has(fp(u))), 15_000, 'phase 3 decided');
    await eventually(() => pendingAtKill.every((id) => [...idsByFp().values()].some((s) => s.has(id))), 15_000, 'pending events delivered');
    await sleep(1500); // room for a late duplicate to show up

    const byFp = idsByFp();
    // No tap decided twice: one event id per card.
    for (const [f, ids] of byFp) expect(ids.size, `fingerprint ${f.slice(0, 8)}… has ${ids.size} events`).toBe(1);
    // Nothing the gateway made was lost: delivered before the kill, or in its outbox then.
    const allIds = new Set([...byFp.values()].flatMap((s) => [...s]));
    for (const id of [...seenBeforeRestart, ...pendingAtKill]) expect(allIds.has(id)).toBe(true);
    // Every tap made while the gateway ran was decided once; the services stored each event once.
    for (const uid of [...before, ...after]) expect(byFp.get(fp(uid))?.size).toBe(1);
    for (const id of allIds) expect(countEvents(site, id)).toBe(1);

    const decidedDuring = [...during, ...burstUids].filter((u) => byFp.has(fp(u))).length;
    console.log(
      `kill -9 mid-stream: ${pendingAtKill.length} events in the outbox at the kill, all delivered once; ` +
        `${decidedDuring} of the ${during.length + burstUids.length} taps of the killed phase were decided (the others were written while no process had the port open)`,
    );
  });
});
