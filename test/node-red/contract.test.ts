// The palette takes the contract from contracts/ through a generated CommonJS bundle
// (node-red/lib/contract.gen.cjs; bundles.process.test.ts keeps it current): these tests check
// that the palette turns every contract message into the right event and refuses what the
// contract refuses.
import { describe, it, expect } from 'vitest';
import { parseTopic, topics } from '../../contracts/topics.ts';
import { contractLib, hoursLib } from './palette-lib.ts';

const SITE = 'klitmoller';

describe('palette contract', () => {
  it('parses topics exactly as contracts/topics.ts', () => {
    const t = topics(SITE);
    const samples = [
      t.gatewayStatus('gw-main'),
      t.serviceStatus('services'),
      t.doorState('front'),
      t.doorEvent('front'),
      t.doorCommand('front'),
      t.deskOccupancy('d01'),
      t.sensorReading('s.1'),
      t.deviceHealth('front-reader'),
      t.acl('gw-main'),
      'smartspace/klitmoller/door/front',
      'smartspace/klitmoller/door/+/state',
      'other/klitmoller/door/front/state',
      '',
    ];
    for (const s of samples) expect(contractLib.parseTopic(s), s).toEqual(parseTopic(s));
  });

  it('turns each contract message into its event type', () => {
    const ingress = new contractLib.Ingress({ site: SITE });
    const ts = Date.now();
    const cases: Array<[string, unknown, string | null]> = [
      ['door/front/state', { v: 1, ts, door: 'front', lock: 'unlocked', contact: 'open', mode: 'held', alarms: ['held-open'], relockAt: ts }, 'door-state'],
      [
        'door/front/event',
        {
          v: 1,
          ts,
          id: 'evt-00000001',
          type: 'access',
          door: 'front',
          gateway: 'gw-main',
          decision: 'denied',
          reason: 'outside-schedule',
          via: 'card',
          offline: true,
        },
        'access',
      ],
      ['door/front/event', { v: 1, ts, id: 'evt-00000002', type: 'door', door: 'front', gateway: 'gw-main', kind: 'held-open' }, 'alarm'],
      ['door/front/event', { v: 1, ts, id: 'evt-00000003', type: 'door', door: 'front', gateway: 'gw-main', kind: 'relocked' }, 'door'],
      ['desk/d01/occupancy', { v: 1, ts, desk: 'd01', occupied: true, since: ts }, 'desk'],
      ['gateway/gw-main/status', { v: 1, ts, gateway: 'gw-main', state: 'offline' }, 'gateway'],
      ['device/front-reader/health', { v: 1, ts, device: 'front-reader', kind: 'reader', state: 'fault', error: 'unplugged' }, 'device'],
      ['service/services/status', { v: 1, ts, service: 'services', state: 'online' }, null],
    ];
    for (const [rest, payload, type] of cases) {
      const msg = ingress.accept(`smartspace/${SITE}/${rest}`, JSON.stringify(payload));
      expect(msg, rest).not.toBeNull();
      expect(contractLib.toEvent(msg!)?.type ?? null, rest).toBe(type);
      if (type) expect(contractLib.EVENT_TYPES).toContain(type);
    }
    expect(ingress.rejectedCounts()).toEqual({});
  });

  it('refuses payloads that break the contract, counting them per kind and naming the field', () => {
    const warnings: Array<{ reason: string; detail?: string }> = [];
    const ingress = new contractLib.Ingress({ site: SITE, log: { warn: (o) => warnings.push(o as { reason: string; detail?: string }) }, logEveryMs: 0 });
    const topic = `smartspace/${SITE}/door/front/state`;
    const ok = { v: 1, ts: 1, door: 'front', lock: 'locked', contact: 'closed', mode: 'normal', alarms: [] };
    expect(ingress.accept(topic, JSON.stringify(ok))).not.toBeNull();
    expect(ingress.accept(topic, JSON.stringify({ ...ok, v: 2 }))).toBeNull();
    expect(ingress.accept(topic, JSON.stringify({ ...ok, door: 'meeting' }))).toBeNull();
    expect(ingress.accept(topic, JSON.stringify({ ...ok, lock: 'ajar' }))).toBeNull();
    expect(ingress.accept(topic, '{not json')).toBeNull();
    expect(ingress.rejectedCounts()).toEqual({ doorState: 4 });
    expect(warnings.map((w) => w.reason)).toEqual(['schema', 'id-mismatch', 'schema', 'not-json']);
    expect(warnings[2]!.detail).toContain('/lock');
  });

  it('judges opening hours with contracts/schedule.ts across a year and both clock changes', () => {
    const windows = hoursLib.parseHours('Mon-Fri 08:00-17:00; Sat 10:00-14:00; Sun 22:00-24:00');
    const at = (iso: string) => Date.parse(iso);
    // Copenhagen: Monday 30 March 2026 is the first working day after the spring change (UTC+2).
    expect(hoursLib.isOpen(windows, 'Europe/Copenhagen', at('2026-03-30T05:59:00Z'))).toBe(false);
    expect(hoursLib.isOpen(windows, 'Europe/Copenhagen', at('2026-03-30T06:00:00Z'))).toBe(true);
    // Monday 26 October 2026, after the autumn change (UTC+1).
    expect(hoursLib.isOpen(windows, 'Europe/Copenhagen', at('2026-10-26T06:30:00Z'))).toBe(false);
    expect(hoursLib.isOpen(windows, 'Europe/Copenhagen', at('2026-10-26T07:00:00Z'))).toBe(true);
    expect(hoursLib.isOpen(windows, 'Europe/Copenhagen', at('2026-10-25T21:30:00Z'))).toBe(true); // Sun 22:30
    expect(hoursLib.isOpen(windows, 'Europe/Copenhagen', at('2026-10-31T13:00:00Z'))).toBe(false); // Sat 14:00, end exclusive
  });
});
