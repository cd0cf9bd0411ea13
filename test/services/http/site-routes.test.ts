// Health, the site's views and the live stream's snapshot through inject() against the real
// HTTP layer (no socket: the SSE reply is ended by closing the hub).
import { describe, it, expect } from 'vitest';
import { httpApp, expectReply, expectRefusal, expectBadField, AUTOMATION_TOKEN } from '../../helpers/http-app.ts';
import { topics } from '../../../contracts/topics.ts';
import type { LiveMessage } from '../../../contracts/api/index.ts';

describe('GET /api/health', () => {
  it('answers an operator its shape; degraded while the gateway is offline', async () => {
    const h = await httpApp();
    const health = expectReply('health', await h.call('health', { as: 'ida' }));
    expect(health).toMatchObject({ status: 'degraded', site: h.config.site.id, uptimeS: 0, gateways: [{ id: 'gw-main', online: false }] });
    // The services' own resident set size: this process's, within what a process can have.
    expect(health.rssBytes).toBeGreaterThan(10 * 1048576);
    h.clock.now += 90_000;
    expect(expectReply('health', await h.call('health', { as: 'ida' })).uptimeS).toBe(90);
  });
});

describe('site views', () => {
  it('answer members their shapes; doors and zone occupancy take the automation token', async () => {
    const h = await httpApp();
    expect(expectReply('site', await h.call('site', { as: 'sofie' }))).toMatchObject({ id: h.config.site.id });
    const doors = expectReply('doors', await h.call('doors', { as: 'sofie' }));
    expect(doors.map((d: { id: string; canUnlock: boolean }) => [d.id, d.canUnlock])).toEqual([
      ['front', true],
      ['meeting', false],
    ]);
    expect(expectReply('desks', await h.call('desks', { as: 'sofie' }))).toHaveLength(16);
    expect(expectReply('zones', await h.call('zones', { as: 'sofie' })).map((z: { desks: number }) => z.desks)).toEqual([10, 6]);
    expectReply('doors', await h.call('doors', { token: AUTOMATION_TOKEN }));
    const occ = expectReply('zoneOccupancy', await h.call('zoneOccupancy', { token: AUTOMATION_TOKEN }));
    expect(occ.map((z: { occupied: number }) => z.occupied)).toEqual([0, 0]);
    expectRefusal('desks', await h.call('desks', { token: AUTOMATION_TOKEN }), 403, 'forbidden');
    expectRefusal('site', await h.call('site'), 401, 'unauthenticated');
  });

  it('pages door events, naming members only to those who may see them', async () => {
    const h = await httpApp();
    for (let i = 1; i <= 3; i++) h.doorEvent({ id: `0196a5e0-0000-7000-8000-00000000000${i}`, member: 'sofie', ts: h.clock.now - i * 1000 });
    const first = expectReply('events', await h.call('events', { as: 'jonas', query: { limit: 2 } }));
    expect(first.items).toHaveLength(2);
    const rest = expectReply('events', await h.call('events', { as: 'jonas', query: { limit: 2, before: first.next } }));
    expect([rest.items.length, rest.next]).toEqual([1, null]);
    // Sofie has not opted in: other members do not see her name, a host does.
    expect(JSON.stringify(first.items)).not.toContain('Sofie');
    expect(JSON.stringify(expectReply('events', await h.call('events', { as: 'mette' })).items)).toContain('Sofie');
    expectBadField('events', await h.call('events', { as: 'jonas', query: { door: 'Front Door' } }), 'querystring/door');
  });

  it('lists devices for hosts, per known gateway', async () => {
    const h = await httpApp();
    const report = { v: 1, ts: h.clock.now, device: 'd01-pir', gateway: 'gw-main', kind: 'pir', state: 'fault', error: 'no signal' };
    h.ingest.handle(topics(h.config.site.id).deviceHealth('d01-pir'), JSON.stringify(report));
    const all = expectReply('devices', await h.call('devices', { as: 'mette' }));
    expect(all.items).toMatchObject([{ id: 'd01-pir', gateway: 'gw-main' }]);
    expect(expectReply('devices', await h.call('devices', { as: 'mette', query: { gateway: 'gw-main' } })).items).toEqual(all.items);
    expectRefusal('devices', await h.call('devices', { as: 'mette', query: { gateway: 'gw-attic' } }), 400, 'unknown-gateway');
    expectRefusal('devices', await h.call('devices', { as: 'sofie' }), 403, 'forbidden');
  });
});

describe('GET /api/live', () => {
  /** The messages of a live stream, read to its end (closing the hub ends it). */
  async function stream(h: Awaited<ReturnType<typeof httpApp>>, as: 'sofie' | 'mette', during: () => void = () => undefined) {
    const pending = h.call('live', { as });
    while (h.hub.connectionCount === 0) await new Promise((r) => setImmediate(r));
    during();
    h.hub.close();
    const res = await pending;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    return res.body
      .split('\n\n')
      .filter((b) => b.startsWith('data: '))
      .map((b) => JSON.parse(b.slice(6)) as LiveMessage);
  }

  it('starts with a snapshot for the viewer: devices for hosts only', async () => {
    const h = await httpApp();
    const [member] = await stream(h, 'sofie');
    expect(member).toMatchObject({ type: 'snapshot', doors: [{ id: 'front' }, { id: 'meeting' }], events: [], gateways: [{ id: 'gw-main' }] });
    expect(member).not.toHaveProperty('devices');
    const h2 = await httpApp();
    const [host] = await stream(h2, 'mette');
    expect(host).toHaveProperty('devices');
  });

  it('sends the changes after the snapshot', async () => {
    const h = await httpApp();
    const msgs = await stream(h, 'sofie', () => h.doorEvent({ id: '0196a5e0-0000-7000-8000-0000000000c1', member: 'jonas' }));
    expect(msgs.map((m) => m.type)).toContain('event');
    expect(msgs[0]!.type).toBe('snapshot');
  });

  it('refuses without a session, and while the server shuts down', async () => {
    const h = await httpApp();
    expectRefusal('live', await h.call('live'), 401, 'unauthenticated');
    h.hub.close();
    expectRefusal('live', await h.call('live', { as: 'sofie' }), 503, 'shutting-down');
  });
});
