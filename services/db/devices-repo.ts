// The last health report of each device, kept across restarts (ingest/devices.ts reads it at start).
import type { DeviceHealth } from '../../contracts/payloads.ts';
import type { Db } from './database.ts';

export interface DeviceHealthRow {
  device: string;
  gateway: string | null;
  report: DeviceHealth;
  receivedAt: number;
}

export function createDevicesRepo(db: Db) {
  const s = {
    upsert: db.prepare(`INSERT INTO device_health (device, gateway, payload, received_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (device) DO UPDATE SET gateway = excluded.gateway, payload = excluded.payload, received_at = excluded.received_at`),
    all: db.prepare('SELECT device, gateway, payload, received_at FROM device_health ORDER BY device'),
  };
  return {
    put: (r: DeviceHealthRow): void => {
      s.upsert.run(r.device, r.gateway, JSON.stringify(r.report), r.receivedAt);
    },
    all: (): DeviceHealthRow[] =>
      (s.all.all() as { device: string; gateway: string | null; payload: string; received_at: number }[]).map((r) => ({
        device: r.device,
        gateway: r.gateway,
        report: JSON.parse(r.payload) as DeviceHealth,
        receivedAt: r.received_at,
      })),
  };
}

export type DevicesRepo = ReturnType<typeof createDevicesRepo>;
