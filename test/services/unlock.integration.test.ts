import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { verify } from '../../contracts/signing.ts';
import { DoorCommand } from '../../contracts/payloads.ts';
import type { DoorView } from '../../contracts/api/index.ts';
import { startApp, bringOnline, loginAs, getJson, waitFor, type Running } from './helpers.ts';

const unlock = (r: Running, door: string, cookie?: string) =>
  fetch(`${r.base}/api/doors/${door}/unlock`, { method: 'POST', headers: cookie ? { cookie } : {} });

describe('remote unlock', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startApp();
  });
  afterAll(() => r.stop());

  it('needs a session', async () => {
    expect((await unlock(r, 'front')).status).toBe(401);
  });

  it('answers 404 for an unknown door and 403 for a door outside the plan', async () => {
    const sofie = await loginAs(r, 'sofie'); // flex: front door only, weekdays 07–19
    const missing = await unlock(r, 'vault', sofie);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'unknown-door' });
    const refused = await unlock(r, 'meeting', sofie);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'not-allowed', message: 'Your plan does not include this door.' });
    const doors = (await getJson<DoorView[]>(r, '/api/doors', sofie)).body;
    expect(doors.find((d) => d.id === 'meeting')!.canUnlock).toBe(false);
  });

  it("answers 503 door-offline while the door's gateway is offline", async () => {
    const jonas = await loginAs(r, 'jonas');
    const res = await unlock(r, 'front', jonas);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'door-offline', message: 'The door is offline — try your card or call the host.' });
  });

  it('publishes a signed, expiring command that the gateway verifies, and audits it', async () => {
    const gw = await bringOnline(r);
    const got: DoorCommand[] = [];
    gw.on('message', (_t, p) => got.push(JSON.parse(p.toString()) as DoorCommand));
    await gw.subscribeAsync(r.t.doorCommand('front'), { qos: 1 });
    const jonas = await loginAs(r, 'jonas');
    const res = await unlock(r, 'front', jonas);
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { commandId: string; action: string; exp: number };
    const cmd = await waitFor(() => got[0]);
    expect(Value.Check(DoorCommand, cmd)).toBe(true);
    expect(verify(cmd, r.site.secrets.gateways['gw-main']!.key)).toBe(true);
    expect(cmd).toMatchObject({ v: 1, id: accepted.commandId, door: 'front', action: 'unlock', member: 'jonas', exp: accepted.exp });
    expect(cmd.exp).toBeGreaterThan(Date.now());
    expect(cmd.exp - cmd.ts).toBe(r.site.config.services.commandTtlMs);
    const audit = r.app.store.audit.recent(1)[0]!;
    expect(audit).toMatchObject({ actor: 'jonas', action: 'door.unlock', target: 'front', detail: { commandId: cmd.id, exp: cmd.exp } });
  });

  it('rate-limits unlocks per session', async () => {
    const lars = await loginAs(r, 'lars');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await unlock(r, 'meeting', lars)).status);
    expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true);
    expect(statuses[10]).toBe(429);
    // Another member's session is not affected.
    expect((await unlock(r, 'meeting', await loginAs(r, 'jonas'))).status).toBe(202);
  });
});

describe("remote unlock outside the plan's schedule", () => {
  it('answers 403 on a Sunday for a weekday plan, and canUnlock says so', async () => {
    // Sunday 19 January 2025, 13:00 in Copenhagen.
    const sunday = Date.UTC(2025, 0, 19, 12, 0);
    const r = await startApp({ app: { now: () => sunday } });
    try {
      await bringOnline(r);
      const sofie = await loginAs(r, 'sofie');
      const res = await unlock(r, 'front', sofie);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: 'not-allowed', message: 'Your plan does not open this door at this time.' });
      const doors = (await getJson<DoorView[]>(r, '/api/doors', sofie)).body;
      expect(doors.find((d) => d.id === 'front')!.canUnlock).toBe(false);
      const jonas = await loginAs(r, 'jonas');
      expect((await getJson<DoorView[]>(r, '/api/doors', jonas)).body.every((d) => d.canUnlock)).toBe(true);
    } finally {
      await r.stop();
    }
  });
});
