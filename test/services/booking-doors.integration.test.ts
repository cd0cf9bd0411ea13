// Bookings that open doors (issue 16), end to end in one process: the services (HTTP API,
// embedded broker, SQLite file) and the real gateway (buildGateway: access list, door access,
// outbox) on one settable clock. A booking reaches the gateway in the signed access list; then
// the services stop, and the gateway alone decides: the booker's card and the booking's guest
// PIN open the room's door inside the booking's window (with its grace), not before, not after,
// and a cancelled booking's PIN not at all. The clock starts on Wednesday 7 May 2025, 12:00 in
// Copenhagen, so nothing depends on when the test runs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { buildGateway, type Gateway } from '../../gateway/gateway.ts';
import { fingerprint } from '../../contracts/signing.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startApp, loginAs, waitFor, type Running } from './helpers.ts';

const MIN = 60_000;
const T0 = Date.UTC(2025, 4, 7, 10);
/** 14:00–15:00 Copenhagen (CEST) on that Wednesday. */
const START = Date.UTC(2025, 4, 7, 12);
const END = Date.UTC(2025, 4, 7, 13);
const SOFIE_CARD = '0400112233';

describe('a room booking opens its door from the access list, with the services down', () => {
  let site: TestSite;
  let r: Running | undefined;
  let gw: Gateway | undefined;
  const clock = { now: T0 };

  beforeEach(async () => {
    clock.now = T0;
    site = await makeTestSite();
    r = await startApp({ site, app: { now: () => clock.now } });
    gw = buildGateway(site.config, site.secrets, 'gw-main', { now: () => clock.now, backoff: { minMs: 100, maxMs: 400 } });
    await gw.start();
    await waitFor(() => gw!.access.list.version >= 1, 10_000);
  });
  afterEach(async () => {
    await gw?.stop();
    await r?.stop();
    site.cleanup();
  });

  const api = async (cookie: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${r!.base}${path}`, {
      method,
      headers: { cookie, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  /** Until the gateway's list has (or no longer has) an entry for `uid` that carries a booking window. */
  const gatewayHasBooking = (uid: string, present: boolean) => {
    const fp = fingerprint(site.secrets.siteKey, uid);
    return waitFor(() => gw!.access.list.list?.entries.some((e) => e.fp === fp && e.from !== undefined) === present, 10_000);
  };
  const servicesDown = async () => {
    await r!.stop();
    r = undefined;
  };
  /** Taps `uid` at the door's reader at `at` and returns the gateway's decision as queued in its outbox. */
  const tapAt = (at: number, uid: string, reader = 'meeting-reader') => {
    clock.now = at;
    expect(gw!.sim.readers.get(reader)!.tap(uid)).toBe(true);
    const db = new Database(join(site.config.gateways[0]!.dataDir, 'gateway.db'), { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT payload FROM outbox ORDER BY seq DESC LIMIT 1').get() as { payload: string };
      const e = JSON.parse(row.payload) as { type: string; ts: number; decision: string; reason: string; member?: string; via: string; offline: boolean };
      expect(e).toMatchObject({ type: 'access', ts: at });
      return { decision: e.decision, reason: e.reason, member: e.member, via: e.via };
    } finally {
      db.close();
    }
  };

  it("the booker's card opens the room door inside the window and its grace, not before or after", async () => {
    const sofie = await loginAs(r!, 'sofie');
    // Sofie's plan (flex) opens only the front door.
    const b = await api(sofie, 'POST', '/api/bookings', { kind: 'room', resource: 'moedelokale', from: '2025-05-07T14:00', to: '2025-05-07T15:00' });
    expect(b.status).toBe(201);
    expect(b.body).toMatchObject({ start: START, end: END, doors: ['meeting'] });
    await gatewayHasBooking(SOFIE_CARD, true);
    await servicesDown();

    // Grace: 5 minutes each side (the default).
    expect(tapAt(START - 6 * MIN, SOFIE_CARD)).toEqual({ decision: 'denied', reason: 'outside-schedule', member: 'sofie', via: 'card' });
    expect(tapAt(START - 4 * MIN, SOFIE_CARD)).toEqual({ decision: 'granted', reason: 'ok', member: 'sofie', via: 'card' });
    expect(tapAt(START + 30 * MIN, SOFIE_CARD)).toMatchObject({ decision: 'granted' });
    expect(tapAt(END + 4 * MIN, SOFIE_CARD)).toMatchObject({ decision: 'granted' });
    expect(tapAt(END + 6 * MIN, SOFIE_CARD)).toMatchObject({ decision: 'denied', member: 'sofie' });
    // Her plan's entry still opens the front door, and the booking opens no other door.
    expect(tapAt(START + 30 * MIN, SOFIE_CARD, 'front-reader')).toMatchObject({ decision: 'granted' });
    // A card nobody has stays unknown.
    expect(tapAt(START + 30 * MIN, '0400DEAD00')).toMatchObject({ decision: 'denied', reason: 'unknown-credential' });
  });

  it("the booking's guest PIN opens the door only in the window, and not after the booking is cancelled", async () => {
    const sofie = await loginAs(r!, 'sofie');
    const b = await api(sofie, 'POST', '/api/bookings', {
      kind: 'room',
      resource: 'moedelokale',
      from: '2025-05-07T14:00',
      to: '2025-05-07T15:00',
      guests: [{ name: 'Karin Gæst', email: 'karin@example.dk' }],
      guestPin: true,
    });
    expect(b.status).toBe(201);
    const pin = b.body.pin as string;
    expect(pin).toMatch(/^[0-9]{6}$/);
    // A second booking, later that day, gets its PIN afterwards; then it is cancelled.
    const later = await api(sofie, 'POST', '/api/bookings', { kind: 'room', resource: 'moedelokale', from: '2025-05-07T16:00', to: '2025-05-07T17:00' });
    expect(later.status).toBe(201);
    const issued = await api(sofie, 'POST', `/api/bookings/${later.body.id}/pin`, {});
    expect(issued.status).toBe(201);
    const pin2 = issued.body.pin as string;
    expect(pin2).toMatch(/^[0-9]{6}$/);
    expect(pin2).not.toBe(pin);
    await gatewayHasBooking(`PIN:${pin2}`, true);
    expect((await api(sofie, 'DELETE', `/api/bookings/${later.body.id}`)).body).toMatchObject({ state: 'cancelled' });
    await gatewayHasBooking(`PIN:${pin2}`, false);
    await gatewayHasBooking(`PIN:${pin}`, true);
    await servicesDown();

    expect(tapAt(START - 6 * MIN, `PIN:${pin}`)).toEqual({ decision: 'denied', reason: 'outside-schedule', member: 'sofie', via: 'pin' });
    expect(tapAt(START + 10 * MIN, `PIN:${pin}`)).toEqual({ decision: 'granted', reason: 'ok', member: 'sofie', via: 'pin' });
    expect(tapAt(END + 6 * MIN, `PIN:${pin}`)).toMatchObject({ decision: 'denied' });
    // The PIN opens only the room's door.
    expect(tapAt(START + 10 * MIN, `PIN:${pin}`, 'front-reader')).toMatchObject({ decision: 'denied', reason: 'door-not-in-plan' });
    // The cancelled booking's PIN is gone from the list: unknown, in its own window too.
    expect(tapAt(Date.UTC(2025, 4, 7, 14, 30), `PIN:${pin2}`)).toEqual({ decision: 'denied', reason: 'unknown-credential', member: undefined, via: 'pin' });
  });
});
