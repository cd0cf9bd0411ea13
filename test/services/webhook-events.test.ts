// Which webhook events the live hub's deltas make (services/webhooks/events.ts): one per change
// — an alarm raised once (from its event or the door's state) and cleared when the state drops
// it, a desk's turn with its zone's count, a device going into fault, an alert raised,
// acknowledged, cleared (not again for each delivery update) — and names only with webhooks.names.
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { AlertView, DeviceView } from '../../contracts/api/index.ts';
import type { DoorState } from '../../contracts/payloads.ts';
import { LiveHub } from '../../services/live/hub.ts';
import { WebhookEvents } from '../../services/webhooks/events.ts';
import { loadSiteConfig } from '../../config/load.ts';
import { DEMO_DIR } from '../helpers/site.ts';

function setup(names = false) {
  const base = loadSiteConfig(`${DEMO_DIR}site.yaml`);
  const config = { ...base, webhooks: { ...base.webhooks, names } };
  const hub = new LiveHub();
  const sent: { type: string; data: Record<string, unknown> }[] = [];
  const doors = new Map<string, DoorState>();
  const desks = new Map<string, boolean | null>([['d01', false]]);
  const devices = new Map<string, DeviceView>();
  let alerts: AlertView[] = [];
  const events = new WebhookEvents({
    config,
    hub,
    outbox: {
      wants: () => true,
      enqueue: (type, data) => {
        sent.push({ type, data });
        return 1;
      },
    },
    doorState: (d) => doors.get(d),
    deskStates: () => desks,
    device: (id) => devices.get(id) ?? null,
    activeAlerts: () => alerts,
    now: () => 1_000,
  });
  const door = (alarms: DoorState['alarms']) => {
    doors.set('front', { v: 1, ts: 2_000, door: 'front', lock: 'locked', contact: 'open', mode: 'normal', alarms });
    hub.publish({ type: 'door', door: 'front' });
  };
  return { events, hub, sent, door, desks, devices, setAlerts: (a: AlertView[]) => (alerts = a) };
}

const doorEvent = (kind: 'opened' | 'held-open') => ({
  event: { v: 1, ts: 5, id: randomUUID(), type: 'door', door: 'front', gateway: 'gw-main', kind } as const,
  memberName: null,
  memberOptIn: false,
});

describe('webhook events from the live hub', () => {
  it('an alarm once from its event or the door state, cleared when the state drops it', () => {
    const { events, hub, sent, door } = setup();
    events.start();
    hub.publish({ type: 'event', row: doorEvent('opened') });
    hub.publish({ type: 'event', row: doorEvent('held-open') });
    door(['held-open']);
    door(['held-open', 'forced-open']);
    door([]);
    expect(sent.map((s) => `${s.type}:${String(s.data.alarm ?? s.data.door)}`)).toEqual([
      'door.opened:front',
      'alarm.raised:held-open',
      'alarm.raised:forced-open',
      'alarm.cleared:held-open',
      'alarm.cleared:forced-open',
    ]);
    expect(sent[1]!.data).toEqual({ door: 'front', doorName: 'Hoveddør', alarm: 'held-open' });
  });

  it('a desk’s turn with its zone’s numbers; the same state again is not a change', () => {
    const { events, hub, sent, desks } = setup();
    events.start();
    hub.publish({ type: 'desk', desk: 'd01' });
    desks.set('d01', true);
    hub.publish({ type: 'desk', desk: 'd01' });
    hub.publish({ type: 'desk', desk: 'd01' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'occupancy.changed', data: { zone: 'open-space', desk: 'd01', occupied: true, taken: 1, desks: 10 } });
  });

  it('a device going into fault, once', () => {
    const { events, hub, sent, devices } = setup();
    events.start();
    const dev = { id: 'front-reader', gateway: 'gw-main', kind: 'card-reader', state: 'fault', since: 9, error: 'no answer' } as DeviceView;
    devices.set('front-reader', dev);
    hub.publish({ type: 'device', device: 'front-reader' });
    hub.publish({ type: 'device', device: 'front-reader' });
    expect(sent).toEqual([{ type: 'device.fault', data: { device: 'front-reader', gateway: 'gw-main', kind: 'card-reader', error: 'no answer' } }]);
  });

  it('an alert raised, acknowledged, cleared: once each, however often its view is published', () => {
    const { events, hub, sent, setAlerts } = setup();
    const old = {
      id: 1,
      kind: 'capacity',
      severity: 'warning',
      subject: 'zone:open-space',
      name: 'Åbent kontor',
      raisedAt: 1,
      ackedAt: null,
      clearedAt: null,
    } as AlertView;
    setAlerts([old]);
    events.start();
    // Active before the start: a delivery update is not news.
    hub.publish({ type: 'alert', alert: old });
    const a = { ...old, id: 2 };
    hub.publish({ type: 'alert', alert: a });
    hub.publish({ type: 'alert', alert: a });
    hub.publish({ type: 'alert', alert: { ...a, ackedAt: 3 } });
    hub.publish({ type: 'alert', alert: { ...a, ackedAt: 3, clearedAt: 4 } });
    hub.publish({ type: 'alert', alert: { ...a, ackedAt: 3, clearedAt: 4 } });
    expect(sent.map((s) => `${String(s.data.id)}:${String(s.data.status)}`)).toEqual(['2:raised', '2:acknowledged', '2:cleared']);
  });

  it('access events carry the member’s name only with webhooks.names', () => {
    for (const names of [false, true]) {
      const { events, hub, sent } = setup(names);
      events.start();
      const event = {
        v: 1,
        ts: 5,
        id: randomUUID(),
        type: 'access',
        door: 'front',
        gateway: 'gw-main',
        decision: 'denied',
        reason: 'door-not-in-plan',
        via: 'card',
        member: 'jonas',
        offline: false,
      } as const;
      hub.publish({ type: 'event', row: { event, memberName: 'Jonas Berg', memberOptIn: false } });
      expect(sent[0]!.type).toBe('access.denied');
      expect(sent[0]!.data.member).toBe(names ? 'Jonas Berg' : undefined);
      expect(JSON.stringify(sent[0]!.data)).not.toContain('jonas');
    }
  });
});
