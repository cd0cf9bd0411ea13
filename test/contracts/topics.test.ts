import { describe, it, expect } from 'vitest';
import { topics, parseTopic, contractPublisher, deliveryOf, wireMessage, TOPICS, TOPIC_KINDS, type Outgoing } from '../../contracts/topics.ts';

describe('topics', () => {
  const t = topics('klitmoller');

  it('builds every topic of the contract table under smartspace/<site>/', () => {
    expect(t.gatewayStatus('gw-main')).toBe('smartspace/klitmoller/gateway/gw-main/status');
    expect(t.doorState('front')).toBe('smartspace/klitmoller/door/front/state');
    expect(t.doorEvent('front')).toBe('smartspace/klitmoller/door/front/event');
    expect(t.doorCommand('front')).toBe('smartspace/klitmoller/door/front/command');
    expect(t.deskOccupancy('d01')).toBe('smartspace/klitmoller/desk/d01/occupancy');
    expect(t.sensorReading('d01-pir')).toBe('smartspace/klitmoller/sensor/d01-pir/reading');
    expect(t.deviceHealth('front-reader')).toBe('smartspace/klitmoller/device/front-reader/health');
    expect(t.acl('gw-main')).toBe('smartspace/klitmoller/acl/gw-main');
  });

  it('refuses ids that would inject topic levels or wildcards', () => {
    for (const bad of ['a/b', '+', '#', '', 'x y', '-lead']) {
      expect(() => t.doorState(bad)).toThrow(/invalid topic id/);
    }
  });

  it('parses what it builds, and nothing outside the contract', () => {
    expect(parseTopic(t.doorEvent('front'))).toEqual({ site: 'klitmoller', kind: 'doorEvent', id: 'front' });
    expect(parseTopic(t.acl('gw-main'))).toEqual({ site: 'klitmoller', kind: 'acl', id: 'gw-main' });
    expect(parseTopic('smartspace/klitmoller/door/front/open')).toBeNull();
    expect(parseTopic('smartspace/klitmoller/acl/gw/extra')).toBeNull();
    expect(parseTopic('other/klitmoller/door/front/state')).toBeNull();
    expect(parseTopic('smartspace/klitmoller/door/+/state')).toBeNull();
  });

  it('derives a wildcard for every row and parses the topics built from each row', () => {
    expect(t.wildcard.doorCommand).toBe('smartspace/klitmoller/door/+/command');
    expect(t.wildcard.acl).toBe('smartspace/klitmoller/acl/+');
    for (const kind of TOPIC_KINDS) expect(parseTopic(t[kind]('x1'))).toEqual({ site: 'klitmoller', kind, id: 'x1' });
    expect(parseTopic('smartspace/klitmoller/acl/gw-main/')).toBeNull();
  });

  it("publishes with the row's topic, QoS and retain flag, the payload as JSON", () => {
    const sent: Outgoing[] = [];
    const publish = contractPublisher('klitmoller', (m) => sent.push(m));
    const state = { v: 1, ts: 5, door: 'front', lock: 'locked', contact: 'closed', mode: 'normal', alarms: [] } as const;
    publish('doorState', 'front', { ...state, alarms: [] });
    publish('sensorReading', 'd01-pir', { v: 1, ts: 5, sensor: 'd01-pir', kind: 'motion', value: 1 });
    expect(sent).toEqual([
      { topic: 'smartspace/klitmoller/door/front/state', payload: JSON.stringify({ ...state, alarms: [] }), qos: 1, retain: true },
      {
        topic: 'smartspace/klitmoller/sensor/d01-pir/reading',
        payload: JSON.stringify({ v: 1, ts: 5, sensor: 'd01-pir', kind: 'motion', value: 1 }),
        qos: 0,
        retain: false,
      },
    ]);
    expect(deliveryOf(t.doorEvent('front'))).toEqual({ qos: TOPICS.doorEvent.qos, retain: false });
    expect(deliveryOf(t.acl('gw-main'))).toEqual({ qos: 1, retain: true });
    expect(deliveryOf('smartspace/klitmoller/door/front/open')).toBeNull();
    expect(wireMessage(t.deviceHealth('r1'), { a: 1 })).toEqual({ topic: t.deviceHealth('r1'), payload: '{"a":1}', qos: 1, retain: true });
    expect(() => wireMessage('other/topic', {})).toThrow(/not a contract topic/);
  });
});
