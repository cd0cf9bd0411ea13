// The site and events nodes against the services' real broker: what a gateway publishes comes
// out as filtered palette events; bad credentials and malformed input are reported, not fatal.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { helper, palette, coreNodes, startBroker, siteSettings, nextInput, collect, statusOf, until, onTab, type BrokerFixture } from './helper.ts';

const events = (extra: Record<string, unknown>) =>
  onTab(
    { id: 'site', type: 'smartspace-site', name: 'test site' },
    { id: 'ev', type: 'smartspace-events', site: 'site', types: '', door: '', zone: '', wires: [['out']], ...extra },
    { id: 'out', type: 'helper' },
    { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  );

const access = (door: string, decision: 'granted' | 'denied') => ({
  v: 1,
  ts: Date.now(),
  id: randomUUID(),
  type: 'access',
  door,
  gateway: 'gw-main',
  decision,
  reason: decision === 'granted' ? 'ok' : 'unknown-credential',
  via: 'card',
  offline: false,
});
const desk = (id: string, occupied: boolean) => ({ v: 1, ts: Date.now(), desk: id, occupied, since: Date.now() });

describe('smartspace-events', () => {
  let fx: BrokerFixture;
  let gw: MqttClient;
  const pub = (topic: string, payload: unknown, retain = false) =>
    gw.publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos: 1, retain });
  const t = (rest: string) => `smartspace/${fx.site.config.site.id}/${rest}`;

  beforeAll(async () => {
    fx = await startBroker();
    gw = await fx.gateway();
  });
  afterAll(async () => {
    await fx.stop();
  });
  afterEach(async () => {
    await helper.unload();
  });

  const load = async (extra: Record<string, unknown>, settings = siteSettings(fx)) => {
    helper.settings(settings);
    await helper.load([palette.site, palette.events, coreNodes.catch], events(extra));
    const ev = helper.getNode('ev');
    return { ev, out: helper.getNode('out'), caught: helper.getNode('caught') };
  };

  it('sends the access events of the chosen door, with type, ids and time', async () => {
    const { ev, out } = await load({ types: 'access', door: 'front' });
    await statusOf(ev, (s) => s.text === 'connected');
    const got = collect(out);
    await pub(t('door/meeting/event'), access('meeting', 'granted'));
    const denied = access('front', 'denied');
    await pub(t('door/front/event'), denied);
    await until(() => got.length >= 1, 5000, 'an access event');
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ topic: 'access/front', eventType: 'access', door: 'front', gateway: 'gw-main', ts: denied.ts, retained: false });
    expect(got[0]!.payload).toEqual(denied);
    await statusOf(ev, (s) => s.fill === 'green' && /^access front/.test(s.text ?? ''));
  });

  it('gives the state at start-up flagged as retained, and alarms as their own type', async () => {
    const state = { v: 1, ts: Date.now(), door: 'front', lock: 'locked', contact: 'open', mode: 'normal', alarms: ['forced-open'] };
    await pub(t('door/front/state'), state, true);
    const { out } = await load({ types: 'door-state,alarm' });
    const first = await nextInput(out);
    expect(first).toMatchObject({ topic: 'door-state/front', eventType: 'door-state', retained: true, payload: state });
    const alarm = { v: 1, ts: Date.now(), id: randomUUID(), type: 'door', door: 'front', gateway: 'gw-main', kind: 'forced-open' };
    const next = nextInput(out);
    await pub(t('door/front/event'), { ...alarm, kind: 'opened', id: randomUUID() });
    await pub(t('door/front/event'), alarm);
    expect(await next).toMatchObject({ topic: 'alarm/front', eventType: 'alarm', payload: alarm, retained: false });
    await pub(t('door/front/state'), '', true); // clear the retained state for the other tests
  });

  it('filters desks and zone counts by zone', async () => {
    const { ev, out } = await load({ types: 'desk,occupancy', zone: 'quiet-room' });
    await statusOf(ev, (s) => s.text === 'connected');
    const got = collect(out);
    await pub(t('desk/d01/occupancy'), desk('d01', true)); // open space: filtered out
    await pub(t('desk/d11/occupancy'), desk('d11', true));
    await until(() => got.length >= 2, 5000, 'desk and occupancy events');
    expect(got.map((m) => m.topic)).toEqual(['desk/d11', 'occupancy/quiet-room']);
    expect(got[0]).toMatchObject({ eventType: 'desk', desk: 'd11', zone: 'quiet-room' });
    expect(got[1]!.payload).toMatchObject({ zone: 'quiet-room', name: 'Stillerum', occupied: 1, capacity: 6, free: 5, desks: 6 });
    await pub(t('desk/d11/occupancy'), desk('d11', false));
    await pub(t('desk/d01/occupancy'), desk('d01', false));
  });

  it('drops a malformed message from the broker with a warning and goes on', async () => {
    const { ev, out } = await load({ types: 'access' });
    await statusOf(ev, (s) => s.text === 'connected');
    const got = collect(out);
    await pub(t('door/front/event'), '{not json');
    await pub(t('door/front/event'), { ...access('front', 'granted'), decision: 'maybe' });
    await pub(t('door/front/event'), access('front', 'granted'));
    await until(() => got.length >= 1, 5000, 'the valid event');
    expect(got).toHaveLength(1);
    expect(got[0]!.payload.decision).toBe('granted');
    const site = helper.getNode('site');
    const warnings = (site.warn as unknown as { getCalls(): Array<{ thisValue: unknown; args: unknown[] }> }).getCalls().filter((c) => c.thisValue === site);
    expect(String(warnings[0]?.args[0])).toBe('ignored a malformed message on smartspace/klitmoller/door/front/event: not JSON');
    // The second bad one, of the same kind within 10 s, is counted but not warned about again.
    expect(warnings).toHaveLength(1);
    expect((site as unknown as { rejectedCounts(): Record<string, number> }).rejectedCounts()).toEqual({ doorEvent: 2 });
  });

  it('shows a red status with the reason when the MQTT password is wrong', async () => {
    const s = siteSettings(fx);
    const { ev } = await load({}, { smartspace: { ...s.smartspace, mqttPassword: 'wrong-password-wrong' } });
    const st = await statusOf(ev, (x) => x.fill === 'red');
    expect(st.text).toBe('MQTT: bad username or password');
  });

  it('answers an input with a snapshot; a malformed filter goes to Catch and the flow keeps running', async () => {
    const { ev, out, caught } = await load({ types: 'door-state,gateway' });
    await statusOf(ev, (s) => s.text === 'connected');
    const state = { v: 1, ts: Date.now(), door: 'meeting', lock: 'locked', contact: 'closed', mode: 'normal', alarms: [] };
    const first = nextInput(out);
    await pub(t('door/meeting/state'), state, false);
    await first;

    const err = nextInput(caught);
    ev.receive({ filter: { types: ['door-state', 'bogus'] } });
    expect((await err).error.message).toMatch(/unknown event type "bogus"/);

    const snap = nextInput(out);
    ev.receive({ payload: 'snapshot please' });
    expect(await snap).toMatchObject({ topic: 'door-state/meeting', snapshot: true, payload: state });
  });

  it("keeps Node-RED's retained status: online once connected, offline when it stops (the services alert on a lasting offline)", async () => {
    const watcher = await connectAsync(fx.url, { username: 'services', password: fx.site.secrets.mqtt.services, protocolVersion: 4, reconnectPeriod: 0 });
    try {
      const states: string[] = [];
      watcher.on('message', (_topic, payload) => states.push((JSON.parse(payload.toString()) as { state: string }).state));
      await watcher.subscribeAsync(t('service/automation/status'), { qos: 1 });
      const { ev } = await load({ types: 'access' });
      await statusOf(ev, (s) => s.text === 'connected');
      await until(() => states.at(-1) === 'online', 5000, 'online');
      await helper.unload();
      await until(() => states.at(-1) === 'offline', 5000, 'offline on stop');
    } finally {
      watcher.end(true);
    }
  });
});
