// A suspect desk sensor through the API (issue 16 part 3): a PIR stuck taken all night leaves
// utilisation from when the last person passed the door, is listed for hosts and raised once as
// an alert; a host's "sensor is fine" with back-fill brings its hours back and clears the alert.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { AlertView, SensorSuspectView, UtilisationTrend } from '../../contracts/api/index.ts';
import { localInstant } from '../../services/analytics/opening-hours.ts';
import { doorEventPoint, occupancyPoint } from '../../services/history/point.ts';
import { startApp, loginAs, api, type Running } from './helpers.ts';

const TZ = 'Europe/Copenhagen';
const at = (date: string, hh: number, mm = 0) => localInstant(date, hh * 60 + mm, TZ);
const base = { v: 1, gateway: 'gw-main', door: 'front', offline: false, type: 'access', decision: 'granted', reason: 'ok' } as const;

describe('a stuck PIR through the API', () => {
  let r: Running;
  let host: string;
  const now = at('2026-12-08', 4); // Tuesday 04:00, the night after
  const get = async <T>(path: string, cookie = host) => {
    const res = await api<T>(r, 'GET', path, { cookie });
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return res.body;
  };
  const trend = async () =>
    (await get<UtilisationTrend>('/api/analytics/utilisation-trend?from=2026-12-07&to=2026-12-08&desk=d02')).days.map((d) => ({
      date: d.date,
      deskHours: Math.round(d.deskHours * 100) / 100,
      knownHours: Math.round(d.knownHours * 100) / 100,
    }));

  beforeAll(async () => {
    r = await startApp({ app: { now: () => now } });
    host = await loginAs(r, 'mette');
    await r.app.sensors.runSoon(); // the check at start, over an empty history
    // Monday: d01 08:00–16:00; d02's member comes in at 07:55, sits from 08:00 and leaves by the
    // exit button at 17:31 — but its PIR never says free again.
    await r.app.history.store.write([
      doorEventPoint({ ...base, id: 'in', ts: at('2026-12-07', 7, 55), via: 'card', member: 'mette' }),
      doorEventPoint({ ...base, id: 'out', ts: at('2026-12-07', 17, 31), via: 'exit-button' }),
      occupancyPoint({ v: 1, desk: 'd01', occupied: true, since: at('2026-12-07', 8), ts: at('2026-12-07', 8) }, 'open-space'),
      occupancyPoint({ v: 1, desk: 'd01', occupied: false, since: at('2026-12-07', 16), ts: at('2026-12-07', 16) }, 'open-space'),
      occupancyPoint({ v: 1, desk: 'd02', occupied: true, since: at('2026-12-07', 8), ts: at('2026-12-07', 8) }, 'open-space'),
    ]);
  }, 60_000);
  afterAll(() => r.stop());

  it('counts all 20 hours until the check runs', async () => {
    expect(await trend()).toEqual([
      { date: '2026-12-07', deskHours: 16, knownHours: 16 },
      { date: '2026-12-08', deskHours: 4, knownHours: 4 },
    ]);
  });

  it('is suspect after the check, from the exit; its night leaves utilisation; one alert', async () => {
    const found = await r.app.sensors.run();
    expect(found.map((s) => [s.desk, s.reason])).toEqual([['d02', 'stuck-occupied']]);
    await r.app.sensors.run(); // again: the same episode, no second alert
    const suspects = await get<SensorSuspectView[]>('/api/sensors/suspects');
    expect(suspects).toEqual([
      {
        desk: 'd02',
        name: 'Skrivebord 2',
        zone: 'open-space',
        reason: 'stuck-occupied',
        since: at('2026-12-07', 17, 31),
        detectedAt: now,
        evidence: { occupiedHours: 20, quietHours: 10.5 },
      },
    ]);
    // 08:00–17:31 counts; the rest is no data (neither taken nor free).
    expect(await trend()).toEqual([
      { date: '2026-12-07', deskHours: 9.52, knownHours: 9.52 },
      { date: '2026-12-08', deskHours: 0, knownHours: 0 },
    ]);
    const alerts = (await get<AlertView[]>('/api/alerts?active=true')).filter((a) => a.kind === 'sensor-suspect');
    expect(alerts.map((a) => ({ subject: a.subject, name: a.name, reason: a.detail.reason, count: a.count }))).toEqual([
      { subject: 'desk:d02', name: 'Skrivebord 2', reason: 'stuck-occupied', count: 1 },
    ]);
  });

  it('a member may not confirm; a host does, with back-fill: the hours count again and the alert clears', async () => {
    const member = await loginAs(r, 'jonas');
    expect((await api(r, 'POST', '/api/sensors/d02/confirm', { cookie: member, body: { backfill: true } })).status).toBe(403);
    const res = await api<SensorSuspectView>(r, 'POST', '/api/sensors/d02/confirm', { cookie: host, body: { backfill: true } });
    expect(res.status).toBe(200);
    expect(res.body.desk).toBe('d02');
    expect(await get<SensorSuspectView[]>('/api/sensors/suspects')).toEqual([]);
    expect(await trend()).toEqual([
      { date: '2026-12-07', deskHours: 16, knownHours: 16 },
      { date: '2026-12-08', deskHours: 4, knownHours: 4 },
    ]);
    expect((await get<AlertView[]>('/api/alerts?active=true')).filter((a) => a.kind === 'sensor-suspect')).toEqual([]);
    // Settled: the next check does not flag the same night again, and a second confirm is a 404.
    expect(await r.app.sensors.run()).toEqual([]);
    expect((await api(r, 'POST', '/api/sensors/d02/confirm', { cookie: host, body: {} })).status).toBe(404);
  });
});
