import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { EventPage, DoorView, DeskView } from '../../contracts/api/index.ts';
import { isDeniedAttempt } from '../../contracts/payloads.ts';
import { startApp, bringOnline, publishJson, waitFor, accessEvent, gatewayStatus, loginAs, getJson, fullHealth, type Running } from './helpers.ts';

describe('ingest', () => {
  let r: Running;
  let cookie: string;
  const health = async () => fullHealth(r);

  beforeAll(async () => {
    r = await startApp();
    cookie = await loginAs(r, 'mette');
  });
  afterAll(() => r.stop());

  it('stores an event once even when the gateway sends it twice', async () => {
    const gw = await r.gateway();
    const e = accessEvent();
    await publishJson(gw, r.t.doorEvent('front'), e);
    await publishJson(gw, r.t.doorEvent('front'), e);
    await waitFor(async () => (await health()).events.duplicates === 1);
    expect((await health()).events).toEqual({ stored: 1, duplicates: 1 });
    const page = (await getJson<EventPage>(r, '/api/events', cookie)).body;
    expect(page.items.map((i) => i.id)).toEqual([e.id]);
    expect(page.items[0]).toMatchObject({ door: 'front', doorName: 'Hoveddør', type: 'access', decision: 'granted', memberName: 'Jonas Brandt' });
  });

  it('says who was refused and how: a suspended member by name, a PIN as PIN, the exit button as a trace', async () => {
    const gw = await r.gateway();
    const suspended = accessEvent({ decision: 'denied', reason: 'suspended', member: 'lars', fingerprint: 'a'.repeat(64), offline: true });
    const pin = accessEvent({ decision: 'denied', reason: 'expired', member: 'sofie', via: 'pin', fingerprint: 'b'.repeat(64) });
    const exit = accessEvent({ via: 'exit-button', member: undefined });
    for (const e of [suspended, pin, exit]) await publishJson(gw, r.t.doorEvent('front'), e);
    const items = await waitFor(async () => {
      const page = (await getJson<EventPage>(r, '/api/events?limit=10', cookie)).body;
      const mine = page.items.filter((i) => [suspended.id, pin.id, exit.id].includes(i.id));
      return mine.length === 3 ? mine : null;
    });
    expect(items.find((i) => i.id === suspended.id)).toMatchObject({
      decision: 'denied',
      reason: 'suspended',
      via: 'card',
      memberName: 'Lars Vestergaard',
      offline: true,
    });
    expect(items.find((i) => i.id === pin.id)).toMatchObject({ decision: 'denied', reason: 'expired', via: 'pin', memberName: 'Sofie Lund' });
    expect(items.find((i) => i.id === exit.id)).toMatchObject({ decision: 'granted', via: 'exit-button' });
    expect(items.find((i) => i.id === exit.id)!.memberName).toBeUndefined();
    const audit = r.app.store.audit.query({ action: 'access.', limit: 20 });
    expect(audit.find((a) => a.detail?.eventId === suspended.id)).toMatchObject({
      action: 'access.denied',
      actor: 'lars',
      actorName: 'Lars Vestergaard',
      detail: { reason: 'suspended', via: 'card' },
    });
    expect(audit.find((a) => a.detail?.eventId === exit.id)).toMatchObject({
      action: 'access.exit',
      actor: null,
      target: 'front',
      detail: { via: 'exit-button' },
    });
    // A suspended member retrying, or an expired pass, is someone known: not a "denied attempt".
    expect([suspended, pin, exit].map(isDeniedAttempt)).toEqual([false, false, false]);
    expect(isDeniedAttempt(accessEvent({ decision: 'denied', reason: 'unknown-credential', member: undefined }))).toBe(true);
  });

  it('answers PUBACK for a door event only once it is stored: the gateway may then forget it', async () => {
    const gw = await r.gateway();
    for (let i = 0; i < 20; i++) {
      const e = accessEvent();
      await gw.publishAsync(r.t.doorEvent('front'), JSON.stringify(e), { qos: 1 }); // resolves on PUBACK
      expect(r.app.store.events.byId(e.id)).toBeTruthy(); // no waiting: stored before the ack
    }
  });

  it('drops a malformed payload, counts it per topic kind in /api/health, and keeps going', async () => {
    const gw = await r.gateway();
    await publishJson(gw, r.t.doorEvent('front'), 'not json at all');
    await publishJson(gw, r.t.doorEvent('front'), { ...accessEvent(), decision: 'maybe' });
    await publishJson(gw, r.t.doorEvent('front'), accessEvent({ door: 'meeting' })); // id in topic ≠ payload
    await waitFor(async () => (await health()).rejectedPayloads.doorEvent === 3);
    const good = accessEvent();
    await publishJson(gw, r.t.doorEvent('front'), good);
    await waitFor(async () => (await getJson<EventPage>(r, '/api/events', cookie)).body.items.some((i) => i.id === good.id));
    expect((await health()).rejectedPayloads).toEqual({ doorEvent: 3 });
    expect(gw.connected).toBe(true);
  });

  it('keeps the latest door state, desk occupancy and gateway status', async () => {
    const gw = await r.gateway();
    expect((await health()).status).toBe('degraded');
    await bringOnline(r);
    const h = await health();
    expect(h.status).toBe('ok');
    expect(h.gateways[0]).toMatchObject({ id: 'gw-main', online: true });

    const state = { v: 1, ts: Date.now(), door: 'front', lock: 'unlocked', contact: 'open', mode: 'normal', alarms: [] };
    await publishJson(gw, r.t.doorState('front'), state, true);
    await publishJson(gw, r.t.deskOccupancy('d03'), { v: 1, ts: Date.now(), desk: 'd03', occupied: true, since: 1234 }, true);
    await publishJson(gw, r.t.gatewayStatus('gw-main'), gatewayStatus('gw-main', 'online', { aclVersion: 1, outboxDepth: 4 }), true);
    await waitFor(async () => (await getJson<DoorView[]>(r, '/api/doors', cookie)).body[0]?.state?.lock === 'unlocked');
    const doors = (await getJson<DoorView[]>(r, '/api/doors', cookie)).body;
    expect(doors[0]).toEqual({ id: 'front', name: 'Hoveddør', gateway: 'gw-main', state, gatewayOnline: true, canUnlock: true });
    expect(doors[1]!.state).toBeNull(); // never heard
    const desks = (await getJson<DeskView[]>(r, '/api/desks', cookie)).body;
    expect(desks.find((d) => d.id === 'd03')).toMatchObject({ occupied: true, since: 1234, zone: 'open-space' });
    expect(desks.find((d) => d.id === 'd04')).toMatchObject({ occupied: null, since: null });
    await waitFor(async () => (await health()).gateways[0]!.outboxDepth === 4);
    expect((await health()).gateways[0]).toMatchObject({ aclVersion: 1, outboxDepth: 4 });

    // The gateway's last will: offline; its doors' state becomes unknown.
    gw.stream.destroy();
    await publishJson(await r.gateway(), r.t.gatewayStatus('gw-main'), gatewayStatus('gw-main', 'offline'), true);
    await waitFor(async () => (await health()).status === 'degraded');
    const after = (await getJson<DoorView[]>(r, '/api/doors', cookie)).body;
    expect(after[0]).toMatchObject({ state: null, gatewayOnline: false });
  });
});
