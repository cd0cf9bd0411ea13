// Device health in the services: a view per device from the gateways' retained health reports,
// unknown while the gateway is offline; GET /api/devices, the live stream, /api/health; the
// last report survives a restart; gateway views carry the details of the last status.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { DeviceList, DeviceView, LiveMessage } from '../../contracts/api/index.ts';
import type { DeviceHealth } from '../../contracts/payloads.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startApp, bringOnline, publishJson, waitFor, gatewayStatus, loginAs, getJson, api, fullHealth, type Running } from './helpers.ts';
import { openLive } from './sse.ts';

const report = (device: string, extra: Partial<DeviceHealth> = {}): DeviceHealth => ({
  v: 1,
  ts: Date.now(),
  device,
  gateway: 'gw-main',
  kind: 'card-reader',
  state: 'ok',
  firmware: 'sim 1.0',
  ...extra,
});

describe('device health', () => {
  let site: TestSite;
  let r: Running;
  let host: string;
  const devices = async (q = '') => (await getJson<DeviceList>(r, `/api/devices${q}`, host)).body.items;
  const device = async (id: string) => (await devices()).find((d) => d.id === id);
  const health = async () => fullHealth(r);

  beforeAll(async () => {
    site = await makeTestSite((raw) => {
      raw.services.http.port = 0;
      raw.services.mqtt.port = 0;
    });
    r = await startApp({ site });
    host = await loginAs(r, 'mette');
  });
  afterAll(async () => {
    await r.stop();
    site.cleanup();
  });

  it('builds a view per device; unknown while its gateway is offline, as reported once online, unknown again when it goes', async () => {
    expect(await devices()).toEqual([]);
    expect((await health()).devices).toEqual({ total: 0, fault: 0, unknown: 0, warning: 0 });
    const gw = await r.gateway();
    const before = Date.now();
    await publishJson(gw, r.t.deviceHealth('front-reader'), report('front-reader', { lastSeen: 1_000, dropped: 2, droppedBytes: 17 }), true);
    const first = await waitFor(() => device('front-reader'));
    // The gateway has not said it is online since the services started: what it says may not hold.
    expect(first).toEqual({
      id: 'front-reader',
      gateway: 'gw-main',
      kind: 'card-reader',
      state: 'unknown',
      since: expect.any(Number),
      error: null,
      firmware: 'sim 1.0',
      lastSeen: 1_000,
      reportedAt: expect.any(Number),
      dropped: 2,
      droppedBytes: 17,
      door: 'front',
      desk: null,
    });
    expect(first.reportedAt).toBeGreaterThanOrEqual(before);

    await bringOnline(r);
    const ok = await waitFor(async () => ((await device('front-reader'))?.state === 'ok' ? device('front-reader') : undefined));
    expect(ok.since).toBeGreaterThanOrEqual(first.since!);
    expect((await health()).status).toBe('ok');

    // A desk sensor in fault: its desk comes from the config; health turns degraded.
    const faultAt = Date.now();
    await publishJson(
      gw,
      r.t.deviceHealth('d03-pir'),
      report('d03-pir', { kind: 'presence-sensor', state: 'fault', error: 'radar does not answer', firmware: undefined }),
      true,
    );
    const pir = await waitFor(async () => ((await device('d03-pir'))?.state === 'fault' ? device('d03-pir') : undefined));
    expect(pir).toMatchObject({
      gateway: 'gw-main',
      kind: 'presence-sensor',
      error: 'radar does not answer',
      firmware: null,
      door: null,
      desk: 'd03',
      lastSeen: null,
      dropped: null,
    });
    expect(pir.since).toBeGreaterThanOrEqual(faultAt);
    const h = await health();
    expect(h.status).toBe('degraded');
    expect(h.devices).toEqual({ total: 2, fault: 1, unknown: 0, warning: 0 });
    expect(h.gateways.every((g) => g.online)).toBe(true);

    // A device the config does not give this gateway (issue 12, finding 6): the broker refuses the
    // report and drops the connection; the device never shows and health is unchanged.
    const stray = await r.gateway();
    const closed = new Promise<void>((resolve) => stray.once('close', () => resolve()));
    stray.publish(r.t.deviceHealth('spare-radar'), JSON.stringify(report('spare-radar', { kind: 'presence-sensor' })), { retain: true });
    await closed;
    expect(await device('spare-radar')).toBeUndefined();

    // Recovery: ok again; health back to ok.
    await publishJson(gw, r.t.deviceHealth('d03-pir'), report('d03-pir', { kind: 'presence-sensor' }), true);
    await waitFor(async () => (await device('d03-pir'))?.state === 'ok');
    expect(await health()).toMatchObject({ status: 'ok', devices: { total: 2, fault: 0, unknown: 0 } });
    await publishJson(gw, r.t.deviceHealth('d03-pir'), report('d03-pir', { kind: 'presence-sensor', state: 'fault', error: 'radar does not answer' }), true);
    await waitFor(async () => (await device('d03-pir'))?.state === 'fault');

    // The gateway's last will: every device of it is unknown, the fault included.
    const offAt = Date.now();
    gw.stream.destroy();
    await publishJson(await r.gateway(), r.t.gatewayStatus('gw-main'), gatewayStatus('gw-main', 'offline'), true);
    await waitFor(async () => (await devices()).every((d) => d.state === 'unknown'));
    for (const d of await devices()) expect(d.since).toBeGreaterThanOrEqual(offAt);
    expect(await health()).toMatchObject({ status: 'degraded', devices: { total: 2, fault: 0, unknown: 2 } });
    // What it last said is still shown (error, firmware), under the unknown state.
    expect(await device('d03-pir')).toMatchObject({ state: 'unknown', error: 'radar does not answer' });

    // Back online: the last reports hold again, without a new report.
    await bringOnline(r);
    await waitFor(async () => (await device('d03-pir'))?.state === 'fault');
    expect((await device('front-reader'))!.state).toBe('ok');
    expect((await health()).devices).toEqual({ total: 2, fault: 1, unknown: 0, warning: 0 });
  });

  it('GET /api/devices: hosts and operators only; ?gateway filters; bad filters are a 400', async () => {
    expect((await getJson(r, '/api/devices')).status).toBe(401);
    const member = await api(r, 'GET', '/api/devices', { cookie: await loginAs(r, 'jonas') });
    expect(member.status).toBe(403);
    expect(member.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    const op = await api<DeviceList>(r, 'GET', '/api/devices?gateway=gw-main', { cookie: await loginAs(r, 'ida') });
    expect(op.status).toBe(200);
    expect(op.body.items.map((d) => d.id)).toEqual(['d03-pir', 'front-reader']);
    for (const [q, code] of [
      ['?gateway=gw-nope', 'unknown-gateway'],
      ['?gateway=', 'bad-request'],
      ['?gateway=not%20an%20id', 'bad-request'],
      ['?gateway=gw-main&gateway=gw-main', 'bad-request'],
    ] as const) {
      const res = await api(r, 'GET', `/api/devices${q}`, { cookie: host });
      expect({ q, status: res.status, error: res.body.error }).toEqual({ q, status: 400, error: code });
      expect(typeof res.body.message).toBe('string');
    }
  });

  it('a malformed health report is dropped and counted, never stored', async () => {
    const gw = await r.gateway();
    const before = (await health()).rejectedPayloads.deviceHealth ?? 0;
    await publishJson(gw, r.t.deviceHealth('front-lock'), { ...report('front-lock'), state: 'broken' });
    await publishJson(gw, r.t.deviceHealth('front-lock'), report('front-contact')); // id in topic ≠ payload
    await publishJson(gw, r.t.deviceHealth('front-lock'), 'nope');
    await waitFor(async () => (await health()).rejectedPayloads.deviceHealth === before + 3);
    expect(await device('front-lock')).toBeUndefined();
    expect(await device('front-contact')).toBeUndefined();
  });

  it('the live stream: devices in a host snapshot, never a member one; a device message on each change', async () => {
    const hostLive = openLive(r.base, host);
    const memberLive = openLive(r.base, await loginAs(r, 'jonas'));
    const hostSnap = await waitFor(() => hostLive.messages[0]);
    const memberSnap = await waitFor(() => memberLive.messages[0]);
    expect(hostSnap.type).toBe('snapshot');
    expect(memberSnap.type).toBe('snapshot');
    if (hostSnap.type !== 'snapshot' || memberSnap.type !== 'snapshot') return;
    expect(hostSnap.devices?.map((d) => d.id)).toEqual(['d03-pir', 'front-reader']);
    expect('devices' in memberSnap).toBe(false);

    const gw = await r.gateway();
    await publishJson(gw, r.t.deviceHealth('front-reader'), report('front-reader', { state: 'fault', error: 'no answer' }), true);
    const msg = await waitFor(() =>
      hostLive.messages.find((m): m is Extract<LiveMessage, { type: 'device' }> => m.type === 'device' && m.device.state === 'fault'),
    );
    expect(msg.device).toMatchObject({ id: 'front-reader', state: 'fault', error: 'no answer', door: 'front' });

    // The gateway goes offline: one message per device of it.
    const seen = hostLive.messages.length;
    gw.stream.destroy();
    await publishJson(await r.gateway(), r.t.gatewayStatus('gw-main'), gatewayStatus('gw-main', 'offline'), true);
    const unknown = await waitFor(() => {
      const ms = hostLive.messages
        .slice(seen)
        .filter((m): m is Extract<LiveMessage, { type: 'device' }> => m.type === 'device' && m.device.state === 'unknown');
      return ms.length >= 2 ? ms : undefined;
    });
    expect(unknown.map((m) => m.device.id).sort()).toEqual(['d03-pir', 'front-reader']);
    await waitFor(() => memberLive.messages.some((m) => m.type === 'gateway' && !m.gateway.online));
    expect(memberLive.messages.filter((m) => m.type === 'device')).toEqual([]);
    hostLive.close();
    memberLive.close();
  });

  it('keeps the last reports across a restart: unknown until heard again or the gateway is online', async () => {
    const last = (await devices()).find((d) => d.id === 'd03-pir')!;
    await r.stop();
    r = await startApp({ site });
    host = await loginAs(r, 'mette');
    const after = await devices();
    expect(after.map((d) => [d.id, d.state])).toEqual([
      ['d03-pir', 'unknown'],
      ['front-reader', 'unknown'],
    ]);
    const pir = after.find((d) => d.id === 'd03-pir')!;
    expect(pir).toMatchObject({ error: 'radar does not answer', desk: 'd03', reportedAt: last.reportedAt });
    expect((await health()).devices).toEqual({ total: 2, fault: 0, unknown: 2, warning: 0 });

    // Heard again (while its gateway is not yet online): stays unknown, report updated.
    const gw = await r.gateway();
    await publishJson(gw, r.t.deviceHealth('front-reader'), report('front-reader', { firmware: 'sim 1.1' }), true);
    await waitFor(async () => (await device('front-reader'))?.firmware === 'sim 1.1');
    expect((await device('front-reader'))!.state).toBe('unknown');
    // The gateway is online: the last reports hold, heard again or not.
    await bringOnline(r);
    await waitFor(async () => (await device('front-reader'))?.state === 'ok');
    const states = Object.fromEntries((await devices()).map((d: DeviceView) => [d.id, d.state]));
    expect(states).toEqual({ 'd03-pir': 'fault', 'front-reader': 'ok' });
  });

  it('gateway views carry the details of the last status', async () => {
    const gw = await r.gateway();
    const status = gatewayStatus('gw-main', 'online', {
      version: '0.1.0',
      uptimeS: 42,
      rejected: { acl: 1 },
      outboxDropped: 3,
      offlineOnly: false,
      aclStale: true,
      aclVersion: 7,
      outboxDepth: 2,
      rssBytes: 48_000_000,
    });
    await publishJson(gw, r.t.gatewayStatus('gw-main'), status, true);
    await waitFor(async () => (await health()).gateways[0]!.uptimeS === 42);
    expect((await health()).gateways[0]).toEqual({
      id: 'gw-main',
      name: 'Pi i skabet',
      online: true,
      lastSeen: expect.any(Number),
      aclVersion: 7,
      outboxDepth: 2,
      version: '0.1.0',
      uptimeS: 42,
      rejected: { acl: 1 },
      outboxDropped: 3,
      offlineOnly: false,
      aclStale: true,
      rssBytes: 48_000_000,
    });
    // A last will says none of it.
    await publishJson(gw, r.t.gatewayStatus('gw-main'), gatewayStatus('gw-main', 'offline'), true);
    await waitFor(async () => !(await health()).gateways[0]!.online);
    expect((await health()).gateways[0]).toMatchObject({
      version: null,
      uptimeS: null,
      rejected: {},
      outboxDropped: null,
      offlineOnly: null,
      aclStale: null,
      rssBytes: null,
    });
  });
});
