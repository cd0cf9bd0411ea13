// Pure mapping of what zigbee2mqtt and ESPHome publish to our vocabulary (README, zigbee2mqtt /
// ESPHome sensors). Facts from their documentation:
//  - zigbee2mqtt: `<base_topic>/<friendly_name>` carries one JSON object per report with the
//    device's exposes: `occupancy` (motion sensors, e.g. Philips Hue SML001), `presence` (mmWave:
//    Aqara FP1 RTCZCGQ11LM, Tuya TS0601 radars), `illuminance` (lux), `battery` (%), `linkquality`
//    (LQI 0–255). `<base_topic>/<friendly_name>/availability` is `{"state":"online"|"offline"}`
//    (plain `online`/`offline` in the legacy format).
//  - ESPHome: `<topic_prefix>/binary_sensor/<object_id>/state` is `ON`/`OFF`; `<topic_prefix>/status`
//    is `online`/`offline` (birth message and last will). The object id is the name lower-cased,
//    spaces as `_`, other characters than a-z 0-9 _ - dropped.
import { isBridged, type BridgeConfig, type BridgedSensorBinding, type SiteConfig } from '../config/schema.ts';
import type { SensorSample } from '../gateway/drivers/types.ts';

/** Below this battery level (%) a sensor is in fault: it will soon stop reporting. */
export const LOW_BATTERY_PCT = 10;
/** Below this LQI (of 255) a sensor is in fault: reports get lost on the way. */
export const LOW_LINKQUALITY = 20;

/** What one source message says about a sensor; absent fields: not said. */
export interface SensorUpdate {
  presence?: boolean;
  /** The device (or its node) is reachable. */
  online?: boolean;
  battery?: number;
  linkquality?: number;
  readings: SensorSample[];
}

export type MapResult = { ok: true; update: SensorUpdate } | { ok: false; error: string };

/** What a source topic is, for which sensors. */
export type RouteKind = 'zigbee2mqtt' | 'zigbee2mqttAvailability' | 'esphomeState' | 'esphomeStatus';
export interface Route {
  kind: RouteKind;
  sensor: string;
  desk: string;
  /** zigbee2mqtt: which field is presence; absent: `presence`, else `occupancy`. */
  field?: 'occupancy' | 'presence';
}

/** One bridged sensor, with its desk and its silence limit (ms; 0 = none). */
export interface BridgedSensor {
  id: string;
  desk: string;
  binding: BridgedSensorBinding;
  intervalMs: number;
}

/** ESPHome's object id of an entity name (`Desk Presence` → `desk_presence`). */
export function esphomeObjectId(name: string): string {
  return name
    .toLowerCase()
    .replace(/ /g, '_')
    .replace(/[^a-z0-9_-]/g, '');
}

/** Every bridged sensor of the site, in config order. */
export function bridgedSensors(config: SiteConfig, bridge: BridgeConfig): BridgedSensor[] {
  return config.desks
    .filter((d) => isBridged(d.sensor))
    .flatMap((d) =>
      [d.sensor, ...(d.extraSensors ?? [])].filter(isBridged).map((b) => ({
        id: b.id,
        desk: d.id,
        binding: b,
        intervalMs: (b.reportIntervalS ?? bridge.reportIntervalS) * 1000,
      })),
    );
}

/** Source topic → the sensors it speaks for (an ESPHome node's status covers all its sensors). */
export function sourceRoutes(sensors: readonly BridgedSensor[], bridge: BridgeConfig): Map<string, Route[]> {
  const routes = new Map<string, Route[]>();
  const add = (topic: string, r: Route) => routes.set(topic, [...(routes.get(topic) ?? []), r]);
  const base = bridge.zigbee2mqttBaseTopic;
  for (const s of sensors) {
    const b = s.binding;
    const at = { sensor: s.id, desk: s.desk };
    if (b.driver === 'zigbee2mqtt') {
      add(`${base}/${b.friendlyName}`, { kind: 'zigbee2mqtt', ...at, ...(b.field && { field: b.field }) });
      add(`${base}/${b.friendlyName}/availability`, { kind: 'zigbee2mqttAvailability', ...at });
    } else {
      add(`${b.node}/binary_sensor/${esphomeObjectId(b.sensor)}/state`, { kind: 'esphomeState', ...at });
      add(`${b.node}/status`, { kind: 'esphomeStatus', ...at });
    }
  }
  return routes;
}

const MAX_PAYLOAD = 4096;
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A zigbee2mqtt device message: presence from `field` (or `presence`, else `occupancy`), battery, link quality, illuminance. */
export function mapZigbee2mqtt(payload: Buffer | string, field?: 'occupancy' | 'presence'): MapResult {
  if (payload.length > MAX_PAYLOAD) return { ok: false, error: `payload of ${payload.length} bytes` };
  let o: unknown;
  try {
    o = JSON.parse(payload.toString());
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return { ok: false, error: 'not a JSON object' };
  const m = o as Record<string, unknown>;
  const key = field ?? ('presence' in m ? 'presence' : 'occupancy');
  const update: SensorUpdate = { readings: [] };
  if (key in m) {
    if (typeof m[key] !== 'boolean') return { ok: false, error: `${key}: expected true or false` };
    update.presence = m[key];
  }
  if ('battery' in m && m.battery !== null) {
    if (!num(m.battery) || m.battery < 0 || m.battery > 100) return { ok: false, error: 'battery: expected 0–100' };
    update.battery = m.battery;
    update.readings.push({ kind: 'battery', value: m.battery, unit: '%' });
  }
  if ('linkquality' in m && m.linkquality !== null) {
    if (!num(m.linkquality) || m.linkquality < 0 || m.linkquality > 255) return { ok: false, error: 'linkquality: expected 0–255' };
    update.linkquality = m.linkquality;
  }
  if (num(m.illuminance)) update.readings.push({ kind: 'illuminance', value: m.illuminance, unit: 'lx' });
  if (update.presence === undefined && update.battery === undefined && update.linkquality === undefined && update.readings.length === 0) {
    return { ok: false, error: `none of ${field ?? 'presence, occupancy'}, battery, linkquality, illuminance` };
  }
  return { ok: true, update };
}

/** zigbee2mqtt availability: `{"state":"online"}` or the legacy plain `online` / `offline`. */
export function mapZigbee2mqttAvailability(payload: Buffer | string): MapResult {
  const text = payload.toString().trim();
  let state: unknown = text;
  if (text.startsWith('{')) {
    try {
      state = (JSON.parse(text) as { state?: unknown }).state;
    } catch {
      return { ok: false, error: 'not JSON' };
    }
  }
  if (state !== 'online' && state !== 'offline') return { ok: false, error: 'expected online or offline' };
  return { ok: true, update: { online: state === 'online', readings: [] } };
}

/** ESPHome binary sensor state: `ON` / `OFF`. */
export function mapEsphomeState(payload: Buffer | string): MapResult {
  const text = payload.toString();
  if (text !== 'ON' && text !== 'OFF') return { ok: false, error: 'expected ON or OFF' };
  return { ok: true, update: { presence: text === 'ON', readings: [] } };
}

/** ESPHome node status: `online` / `offline`. */
export function mapEsphomeStatus(payload: Buffer | string): MapResult {
  const text = payload.toString();
  if (text !== 'online' && text !== 'offline') return { ok: false, error: 'expected online or offline' };
  return { ok: true, update: { online: text === 'online', readings: [] } };
}

export function mapMessage(route: Route, payload: Buffer | string): MapResult {
  switch (route.kind) {
    case 'zigbee2mqtt':
      return mapZigbee2mqtt(payload, route.field);
    case 'zigbee2mqttAvailability':
      return mapZigbee2mqttAvailability(payload);
    case 'esphomeState':
      return mapEsphomeState(payload);
    case 'esphomeStatus':
      return mapEsphomeStatus(payload);
  }
}

/** What the bridge knows of one sensor, for its health. */
export interface SensorFacts {
  online: boolean;
  silent: boolean;
  intervalS: number;
  battery?: number;
  linkquality?: number;
}

/** The sensor's health in words: offline, silent, low battery, weak link; else ok. */
export function healthOf(f: SensorFacts): { state: 'ok' | 'fault'; error?: string } {
  const why: string[] = [];
  if (!f.online) why.push('offline (its node or zigbee2mqtt says so)');
  if (f.silent) why.push(`silent for more than ${f.intervalS} s`);
  if (f.battery !== undefined && f.battery < LOW_BATTERY_PCT) why.push(`battery low (${f.battery} %)`);
  if (f.linkquality !== undefined && f.linkquality < LOW_LINKQUALITY) why.push(`weak radio link (linkquality ${f.linkquality} of 255)`);
  return why.length ? { state: 'fault', error: why.join('; ') } : { state: 'ok' };
}
