// The bridge's pure mapping and its desk logic, with payloads as zigbee2mqtt and ESPHome document
// them (Aqara FP1 RTCZCGQ11LM `presence`, Philips Hue SML001 `occupancy`/`illuminance`/`battery`,
// Tuya mmWave `presence`, `linkquality`; ESPHome `ON`/`OFF` and `online`/`offline`).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, parseSiteConfig } from '../../config/load.ts';
import { Bridge } from '../../bridge/bridge.ts';
import { esphomeObjectId, healthOf, mapEsphomeState, mapEsphomeStatus, mapZigbee2mqtt, mapZigbee2mqttAvailability } from '../../bridge/mapping.ts';
import { createTopicAcl } from '../../services/broker/acl.ts';
import { topics } from '../../contracts/topics.ts';
import { bridgeDesks, demoRaw } from './helpers.ts';

const FP1 = '{"presence":true,"presence_event":"enter","region_id":null,"device_temperature":35,"power_outage_count":3,"linkquality":156}';
const HUE =
  '{"battery":100,"illuminance":14,"led_indication":false,"linkquality":102,"motion_sensitivity":"high","occupancy":true,"occupancy_timeout":30,"temperature":21.4}';
const TUYA = '{"presence":false,"target_distance":0,"illuminance_lux":320,"linkquality":72}';

describe('zigbee2mqtt mapping', () => {
  it('takes presence from an Aqara FP1, occupancy from a Hue motion sensor, presence from a Tuya radar', () => {
    expect(mapZigbee2mqtt(FP1)).toEqual({ ok: true, update: { presence: true, linkquality: 156, readings: [] } });
    expect(mapZigbee2mqtt(HUE)).toEqual({
      ok: true,
      update: {
        presence: true,
        battery: 100,
        linkquality: 102,
        readings: [
          { kind: 'battery', value: 100, unit: '%' },
          { kind: 'illuminance', value: 14, unit: 'lx' },
        ],
      },
    });
    expect(mapZigbee2mqtt(TUYA)).toMatchObject({ ok: true, update: { presence: false, linkquality: 72 } });
    // `field` picks one even when both arrive.
    expect(mapZigbee2mqtt('{"occupancy":false,"presence":true}', 'occupancy')).toMatchObject({ ok: true, update: { presence: false } });
    // A battery-only report says nothing of presence.
    expect(mapZigbee2mqtt('{"battery":7,"voltage":2700}')).toMatchObject({ ok: true, update: { battery: 7 } });
    expect(mapZigbee2mqtt('{"battery":7}').ok && 'presence' in (mapZigbee2mqtt('{"battery":7}') as { update: object }).update).toBe(false);
  });

  it('rejects malformed payloads with words, never throws', () => {
    const bad: Array<[string, string]> = [
      ['{"occupancy":', 'not JSON'],
      ['[true]', 'not a JSON object'],
      ['{"occupancy":"yes"}', 'occupancy: expected true or false'],
      ['{"presence":1}', 'presence: expected true or false'],
      ['{"occupancy":true,"battery":140}', 'battery: expected 0–100'],
      ['{"occupancy":true,"linkquality":-3}', 'linkquality: expected 0–255'],
      ['{"state":"ON"}', 'none of presence, occupancy, battery, linkquality, illuminance'],
      ['x'.repeat(5000), 'payload of 5000 bytes'],
    ];
    for (const [payload, error] of bad) expect(mapZigbee2mqtt(payload), payload.slice(0, 30)).toEqual({ ok: false, error });
  });

  it('reads availability in the JSON and the legacy format', () => {
    expect(mapZigbee2mqttAvailability('{"state":"offline"}')).toEqual({ ok: true, update: { online: false, readings: [] } });
    expect(mapZigbee2mqttAvailability('online')).toEqual({ ok: true, update: { online: true, readings: [] } });
    expect(mapZigbee2mqttAvailability('{"state":"maybe"}').ok).toBe(false);
  });
});

describe('ESPHome mapping', () => {
  it('maps ON/OFF and online/offline; the object id follows the name', () => {
    expect(mapEsphomeState('ON')).toEqual({ ok: true, update: { presence: true, readings: [] } });
    expect(mapEsphomeState('OFF')).toEqual({ ok: true, update: { presence: false, readings: [] } });
    expect(mapEsphomeState('on')).toEqual({ ok: false, error: 'expected ON or OFF' });
    expect(mapEsphomeStatus('offline')).toEqual({ ok: true, update: { online: false, readings: [] } });
    expect(esphomeObjectId('Desk Presence (mmWave)')).toBe('desk_presence_mmwave');
  });
});

describe('health', () => {
  it('is a fault with words for a low battery, a weak link, silence or offline', () => {
    expect(healthOf({ online: true, silent: false, intervalS: 600, battery: 55, linkquality: 120 })).toEqual({ state: 'ok' });
    expect(healthOf({ online: true, silent: false, intervalS: 600, battery: 9 })).toEqual({ state: 'fault', error: 'battery low (9 %)' });
    expect(healthOf({ online: true, silent: false, intervalS: 600, linkquality: 8 })).toEqual({
      state: 'fault',
      error: 'weak radio link (linkquality 8 of 255)',
    });
    expect(healthOf({ online: true, silent: true, intervalS: 600 }).error).toBe('silent for more than 600 s');
    expect(healthOf({ online: false, silent: false, intervalS: 600 }).error).toBe('offline (its node or zigbee2mqtt says so)');
  });
});

describe('bridged desks', () => {
  const config = parseSiteConfig(bridgeDesks(demoRaw()), '/tmp');
  let out: Array<{ kind: string; id: string; payload: Record<string, unknown> }>;
  let bridge: Bridge;
  const occupancy = (desk: string) => out.filter((m) => m.kind === 'deskOccupancy' && m.id === desk).map((m) => m.payload.occupied);
  const health = (id: string) => out.filter((m) => m.kind === 'deviceHealth' && m.id === id).at(-1)?.payload;

  beforeEach(() => {
    vi.useFakeTimers();
    out = [];
    bridge = new Bridge({
      config,
      bridge: config.bridge!,
      publish: (kind, id, payload) => out.push({ kind, id, payload }),
      enterMs: 10_000,
      holdMs: 120_000,
    });
    bridge.start();
  });
  afterEach(() => {
    bridge.stop();
    vi.useRealTimers();
  });

  it('subscribes to each sensor topic and its availability', () => {
    expect(bridge.topics.sort()).toEqual(
      [
        'desk-node-3/binary_sensor/desk_presence/state',
        'desk-node-3/status',
        'zigbee2mqtt/Desk 1 FP1',
        'zigbee2mqtt/Desk 1 FP1/availability',
        'zigbee2mqtt/hue/desk2',
        'zigbee2mqtt/hue/desk2/availability',
      ].sort(),
    );
  });

  it('takes a desk through the enter and hold hysteresis of every desk', () => {
    bridge.handle('zigbee2mqtt/Desk 1 FP1', FP1);
    expect(occupancy('d01')).toEqual([false]);
    vi.advanceTimersByTime(9_000);
    bridge.handle('zigbee2mqtt/Desk 1 FP1', FP1);
    vi.advanceTimersByTime(1_000);
    expect(occupancy('d01')).toEqual([false, true]);
    bridge.handle('zigbee2mqtt/Desk 1 FP1', FP1.replace('"presence":true', '"presence":false'));
    vi.advanceTimersByTime(119_000);
    expect(occupancy('d01')).toEqual([false, true]);
    vi.advanceTimersByTime(1_000);
    expect(occupancy('d01')).toEqual([false, true, false]);
  });

  it('an ESPHome node that goes offline makes its desk unknown at once and is a health fault', () => {
    bridge.handle('desk-node-3/status', 'online');
    bridge.handle('desk-node-3/binary_sensor/desk_presence/state', 'ON');
    vi.advanceTimersByTime(10_000);
    // Unknown until the node says anything, then free, then taken.
    expect(occupancy('d03')).toEqual([null, false, true]);
    bridge.handle('desk-node-3/status', 'offline');
    expect(occupancy('d03')).toEqual([null, false, true, null]);
    expect(health('esp-d03')).toMatchObject({ state: 'fault', error: 'offline (its node or zigbee2mqtt says so)', kind: 'presence-sensor' });
    // Back online, still ON: presence has to last enterS again.
    bridge.handle('desk-node-3/status', 'online');
    expect(occupancy('d03')).toEqual([null, false, true, null, false]);
    vi.advanceTimersByTime(10_000);
    expect(occupancy('d03')).toEqual([null, false, true, null, false, true]);
    expect(health('esp-d03')).toMatchObject({ state: 'ok' });
  });

  it('a sensor silent past its interval makes an occupied desk unknown, not occupied', () => {
    bridge.handle('zigbee2mqtt/hue/desk2', HUE);
    vi.advanceTimersByTime(10_000);
    bridge.handle('zigbee2mqtt/hue/desk2', HUE);
    expect(occupancy('d02')).toEqual([false, true]);
    vi.advanceTimersByTime(599_000);
    expect(occupancy('d02')).toEqual([false, true]);
    vi.advanceTimersByTime(1_000);
    expect(occupancy('d02')).toEqual([false, true, null]);
    expect(health('hue-d02')).toMatchObject({ state: 'fault', error: 'silent for more than 600 s' });
  });

  it('battery and link quality become health; malformed payloads are counted', () => {
    bridge.handle('zigbee2mqtt/hue/desk2', HUE.replace('"battery":100', '"battery":6'));
    expect(health('hue-d02')).toMatchObject({ state: 'fault', error: 'battery low (6 %)' });
    expect(out.filter((m) => m.kind === 'sensorReading' && m.id === 'hue-d02').map((m) => m.payload.kind)).toEqual(['battery', 'illuminance']);
    bridge.handle('zigbee2mqtt/hue/desk2', '{"occupancy":"maybe"}');
    bridge.handle('zigbee2mqtt/hue/desk2', 'garbage');
    expect(bridge.stats).toMatchObject({ rejected: 2 });
    expect(health('hue-d02')).toMatchObject({ dropped: 2 });
  });
});

describe('config and ACL', () => {
  const config = parseSiteConfig(bridgeDesks(demoRaw()), '/tmp');
  const t = topics(config.site.id);
  const acl = createTopicAcl(config);

  it('lets the bridge role publish only its bridged desks and sensors; their gateway no longer', () => {
    const bridge = { role: 'bridge' } as const;
    const gw = { role: 'gateway', gateway: 'gw-main' } as const;
    expect(acl.canPublish(bridge, t.deskOccupancy('d01'))).toBe(true);
    expect(acl.canPublish(bridge, t.deviceHealth('esp-d03'))).toBe(true);
    expect(acl.canPublish(bridge, t.sensorReading('hue-d02'))).toBe(true);
    expect(acl.canPublish(bridge, t.deskOccupancy('d04'))).toBe(false);
    expect(acl.canPublish(bridge, t.deviceHealth('d04-pir'))).toBe(false);
    expect(acl.canPublish(bridge, t.deviceHealth('front-reader'))).toBe(false);
    expect(acl.canPublish(gw, t.deskOccupancy('d01'))).toBe(false);
    expect(acl.canPublish(gw, t.deskOccupancy('d04'))).toBe(true);
  });

  it('names the key of a bad bridged binding', () => {
    const err = (edit: (r: ReturnType<typeof demoRaw>) => void) => {
      const raw = bridgeDesks(demoRaw());
      edit(raw);
      try {
        parseSiteConfig(raw, '/tmp');
      } catch (e) {
        if (e instanceof ConfigError) return e.message;
        throw e;
      }
      return 'no error';
    };
    expect(err((r) => delete r.desks[0].sensor.friendlyName)).toBe('desks[0].sensor.friendlyName: missing, required for driver zigbee2mqtt');
    expect(err((r) => delete r.bridge)).toBe('bridge: missing, desks[0].sensor has driver zigbee2mqtt (expected bridge.source.url)');
    expect(err((r) => (r.desks[0].extraSensors = [{ driver: 'sim', id: 'x-pir' }]))).toBe(
      'desks[0].extraSensors[0].driver: sim cannot be combined with a zigbee2mqtt sensor on one desk (bridged and gateway sensors are separate processes)',
    );
  });
});
