// A demo site whose first desks take their presence from zigbee2mqtt and ESPHome (the bridge's).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEMO_DIR } from '../helpers/site.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = Record<string, any>;

export const demoRaw = (): Raw => parse(readFileSync(join(DEMO_DIR, 'site.yaml'), 'utf8')) as Raw;

/** d01: Aqara FP1 (`presence`), d02: Philips Hue motion (`occupancy`), d03: ESPHome node `desk-node-3`. */
export function bridgeDesks(raw: Raw, sourceUrl = 'mqtt://127.0.0.1:1884'): Raw {
  raw.bridge = { source: { url: sourceUrl }, reportIntervalS: 600 };
  raw.desks[0].sensor = { driver: 'zigbee2mqtt', id: 'fp1-d01', friendlyName: 'Desk 1 FP1' };
  raw.desks[1].sensor = { driver: 'zigbee2mqtt', id: 'hue-d02', friendlyName: 'hue/desk2', field: 'occupancy' };
  raw.desks[2].sensor = { driver: 'esphome', id: 'esp-d03', node: 'desk-node-3', sensor: 'Desk Presence' };
  for (const d of raw.desks.slice(0, 3)) delete d.extraSensors;
  return raw;
}
