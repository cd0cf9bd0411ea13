import { describe, it, expect } from 'vitest';
import { topics, parseTopic } from '../../contracts/topics.ts';

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
});
