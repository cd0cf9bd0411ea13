// The palette mirrors part of contracts/ in plain JavaScript (Node-RED has no TypeScript
// loader): these tests keep the two in step.
import { describe, it, expect } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { parseTopic, topics } from '../../contracts/topics.ts';
import { CommandAction, DoorAlarm, DoorState, DoorEvent, DeskOccupancy, GatewayStatus, DeviceHealth } from '../../contracts/payloads.ts';
import { withinWindows } from '../../contracts/schedule.ts';
import { contractLib, hoursLib } from './palette-lib.ts';

const literals = (s: TSchema) => ((s as unknown as { anyOf?: Array<{ const: string }> }).anyOf ?? []).map((x) => x.const);

describe('palette contract mirror', () => {
  it('parses topics exactly as contracts/topics.ts', () => {
    const t = topics('klitmoller');
    const samples = [
      t.gatewayStatus('gw-main'), t.serviceStatus('services'), t.doorState('front'), t.doorEvent('front'), t.doorCommand('front'),
      t.deskOccupancy('d01'), t.sensorReading('s.1'), t.deviceHealth('front-reader'), t.acl('gw-main'),
      'smartspace/klitmoller/door/front', 'smartspace/klitmoller/door/front/state/x', 'smartspace/klit moller/door/front/state',
      'smartspace/klitmoller/door/+/state', 'other/klitmoller/door/front/state', 'smartspace/klitmoller/automation/space/state', '',
    ];
    for (const s of samples) expect(contractLib.parseTopic(s), s).toEqual(parseTopic(s));
  });

  it('knows the contract\'s door actions and alarms', () => {
    expect(contractLib.COMMAND_ACTIONS.slice().sort()).toEqual(literals(CommandAction).sort());
    expect(contractLib.ALARM_KINDS.slice().sort()).toEqual(literals(DoorAlarm).sort());
  });

  it('accepts every payload the contract accepts, for each event type', () => {
    const ts = Date.now();
    const cases: Array<[TSchema, string, unknown, string]> = [
      [DoorState, 'door/front/state', { v: 1, ts, door: 'front', lock: 'unlocked', contact: 'open', mode: 'held', alarms: ['held-open'], relockAt: ts }, 'door-state'],
      [DoorEvent, 'door/front/event', { v: 1, ts, id: 'evt-00000001', type: 'access', door: 'front', gateway: 'gw-main', decision: 'denied', reason: 'outside-schedule', via: 'card', offline: true }, 'access'],
      [DoorEvent, 'door/front/event', { v: 1, ts, id: 'evt-00000002', type: 'door', door: 'front', gateway: 'gw-main', kind: 'held-open' }, 'alarm'],
      [DoorEvent, 'door/front/event', { v: 1, ts, id: 'evt-00000003', type: 'door', door: 'front', gateway: 'gw-main', kind: 'relocked' }, 'door'],
      [DeskOccupancy, 'desk/d01/occupancy', { v: 1, ts, desk: 'd01', occupied: true, since: ts }, 'desk'],
      [GatewayStatus, 'gateway/gw-main/status', { v: 1, ts, gateway: 'gw-main', state: 'offline' }, 'gateway'],
      [DeviceHealth, 'device/front-reader/health', { v: 1, ts, device: 'front-reader', kind: 'reader', state: 'fault', error: 'unplugged' }, 'device'],
    ];
    for (const [schema, rest, payload, type] of cases) {
      expect(Value.Check(schema, payload), rest).toBe(true);
      const parsed = contractLib.parseTopic(`smartspace/klitmoller/${rest}`)!;
      expect(contractLib.toEvent(parsed, payload)?.type, rest).toBe(type);
      expect(contractLib.EVENT_TYPES).toContain(type);
    }
  });

  it('refuses payloads that break the contract, naming the field', () => {
    const parsed = contractLib.parseTopic('smartspace/klitmoller/door/front/state')!;
    const ok = { v: 1, ts: 1, door: 'front', lock: 'locked', contact: 'closed', mode: 'normal', alarms: [] };
    expect(() => contractLib.toEvent(parsed, { ...ok, v: 2 })).toThrow('v: expected 1');
    expect(() => contractLib.toEvent(parsed, { ...ok, door: 'meeting' })).toThrow('door: does not match the topic');
    expect(() => contractLib.toEvent(parsed, { ...ok, lock: 'ajar' })).toThrow('lock: expected locked or unlocked');
    expect(() => contractLib.toEvent(parsed, [ok])).toThrow('payload is not a JSON object');
    expect(contractLib.toEvent(contractLib.parseTopic('smartspace/klitmoller/door/front/command')!, { v: 1, ts: 1 })).toBeNull();
  });

  it('judges opening hours like contracts/schedule.ts, across a year and both clock changes', () => {
    const windows = hoursLib.parseHours('Mon-Fri 08:00-17:00; Sat 10:00-14:00; Sun 22:00-24:00');
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let t = start; t < start + 366 * 86_400_000; t += 37 * 60_000 + 13_000) {
      for (const tz of ['Europe/Copenhagen', 'America/New_York']) {
        if (hoursLib.isOpen(windows, tz, t) !== withinWindows(windows, tz, t)) throw new Error(`differs at ${new Date(t).toISOString()} ${tz}`);
      }
    }
  });
});
