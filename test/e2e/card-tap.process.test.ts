// End to end over real processes: services (embedded broker, SQLite) and a gateway with
// simulated hardware. A known card opens the door; an unknown card does not; both decisions
// are stored once and appear on the live stream.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, gatewayReady, login, openLive, sim, eventually, type Stack, type LiveClient } from '../helpers/stack.ts';
import { countEvents, dataFiles, filesHolding } from '../helpers/db.ts';
import { fingerprint } from '../../contracts/signing.ts';
import type { LiveMessage } from '../../contracts/api/index.ts';

const JONAS_CARD = '0400D4E5F6';
const UNKNOWN_CARD = 'DEADBEEF01';

const isEvent = (m: LiveMessage): m is Extract<LiveMessage, { type: 'event' }> => m.type === 'event';

describe('card tap, end to end', () => {
  let site: TestSite;
  let stack: Stack;
  let live: LiveClient;

  beforeAll(async () => {
    site = await makeTestSite();
    stack = await startStack(site);
    await gatewayReady(stack.baseUrl, 'gw-main');
    live = await openLive(stack.baseUrl, await login(stack.baseUrl, 'mette@kystkontor.dk', 'host-mette'));
    await live.waitFor((m) => m.type === 'snapshot');
  });

  afterAll(async () => {
    live?.close();
    await stack?.stop();
    site?.cleanup();
  });

  it('a known card drives the lock, is stored once and shows up live with the member', async () => {
    const before = (await sim(stack.simUrl, '/sim/state')).locks['front-lock'];
    expect(before.unlocked).toBe(false);
    await sim(stack.simUrl, '/sim/tap', { reader: 'front-reader', uid: JONAS_CARD });

    const after = (await sim(stack.simUrl, '/sim/state')).locks['front-lock'];
    expect(after.operations).toBeGreaterThan(before.operations);
    expect(after.unlocked).toBe(true);

    const msg = await live.waitFor((m) => isEvent(m) && m.event.door === 'front' && m.event.decision === 'granted');
    const ev = (msg as Extract<LiveMessage, { type: 'event' }>).event;
    expect(ev).toMatchObject({ type: 'access', via: 'card', reason: 'ok', memberName: 'Jonas Brandt', offline: false });
    await eventually(() => countEvents(site, ev.id) === 1, 10_000, 'event stored');
    // The door relocks by itself after unlockMs (5 s in the demo site).
    await eventually(async () => (await sim(stack.simUrl, '/sim/state')).locks['front-lock'].unlocked === false, 15_000, 'relock');
  });

  it('an unknown card leaves the lock alone and is stored once as denied', async () => {
    const before = (await sim(stack.simUrl, '/sim/state')).locks['front-lock'];
    await sim(stack.simUrl, '/sim/tap', { reader: 'front-reader', uid: UNKNOWN_CARD });
    const msg = await live.waitFor((m) => isEvent(m) && m.event.decision === 'denied');
    const ev = (msg as Extract<LiveMessage, { type: 'event' }>).event;
    expect(ev).toMatchObject({ door: 'front', reason: 'unknown-credential', via: 'card' });
    expect(ev.memberName).toBeUndefined();
    const after = (await sim(stack.simUrl, '/sim/state')).locks['front-lock'];
    expect(after.operations).toBe(before.operations);
    expect(after.unlocked).toBe(false);
    await eventually(() => countEvents(site, ev.id) === 1, 10_000, 'denied event stored');
  });

  it('never stores a card UID in clear', () => {
    // The search reaches where a card would be stored: its fingerprint is in the services'
    // database (seeded credentials) and in the gateway's files (its access list).
    const files = dataFiles(site);
    const services = (f: string) => f.startsWith(site.config.services.dataDir);
    expect(files.filter(services).length).toBeGreaterThan(0);
    expect(files.filter((f) => !services(f)).length).toBeGreaterThan(0);
    const holdingFp = filesHolding(site, fingerprint(site.secrets.siteKey, JONAS_CARD));
    expect(holdingFp.some(services)).toBe(true);
    expect(holdingFp.some((f) => !services(f))).toBe(true);
    // Both cards were read by the gateway (above); no file on either side holds either UID.
    expect(filesHolding(site, JONAS_CARD)).toEqual([]);
    expect(filesHolding(site, UNKNOWN_CARD)).toEqual([]);
  });
});
