// Latest reported state: doors, desks, gateways; and the doors/desks tables synced from config.
import type { DoorState, GatewayStatus } from '../../contracts/payloads.ts';
import type { DoorConfig, DeskConfig } from '../../config/schema.ts';
import type { Db } from './database.ts';

export interface DeskStateRow {
  desk: string;
  occupied: boolean;
  since: number;
  ts: number;
}

export interface GatewayStatusRow {
  gateway: string;
  status: GatewayStatus;
  receivedAt: number;
}

export function createStateRepo(db: Db) {
  const s = {
    upsertDoorState: db.prepare(`INSERT INTO door_state (door, ts, payload, received_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (door) DO UPDATE SET ts = excluded.ts, payload = excluded.payload, received_at = excluded.received_at`),
    doorStates: db.prepare('SELECT door, payload FROM door_state'),
    doorState: db.prepare('SELECT payload FROM door_state WHERE door = ?'),
    upsertDeskState: db.prepare(`INSERT INTO desk_state (desk, ts, occupied, since, received_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (desk) DO UPDATE SET ts = excluded.ts, occupied = excluded.occupied, since = excluded.since,
        received_at = excluded.received_at`),
    deskStates: db.prepare('SELECT desk, ts, occupied, since FROM desk_state'),
    deleteDeskState: db.prepare('DELETE FROM desk_state WHERE desk = ?'),
    upsertGateway: db.prepare(`INSERT INTO gateway_status (gateway, ts, state, payload, received_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (gateway) DO UPDATE SET ts = excluded.ts, state = excluded.state, payload = excluded.payload,
        received_at = excluded.received_at`),
    gateways: db.prepare('SELECT gateway, payload, received_at FROM gateway_status'),
    upsertDoor: db.prepare(`INSERT INTO doors (id, name, gateway) VALUES (@id, @name, @gateway)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, gateway = excluded.gateway`),
    upsertDesk: db.prepare(`INSERT INTO desks (id, name, zone, gateway, x, y) VALUES (@id, @name, @zone, @gateway, @x, @y)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, zone = excluded.zone, gateway = excluded.gateway,
        x = excluded.x, y = excluded.y`),
    doorIds: db.prepare('SELECT id FROM doors'),
    deskIds: db.prepare('SELECT id FROM desks'),
    deleteDoor: db.prepare('DELETE FROM doors WHERE id = ?'),
    deleteDesk: db.prepare('DELETE FROM desks WHERE id = ?'),
  };

  /** Makes the doors and desks tables equal to the config (the config is the source of truth). */
  const syncSite = db.transaction((doors: readonly DoorConfig[], desks: readonly DeskConfig[]) => {
    const doorIds = new Set(doors.map((d) => d.id));
    const deskIds = new Set(desks.map((d) => d.id));
    for (const { id } of s.doorIds.all() as { id: string }[]) if (!doorIds.has(id)) s.deleteDoor.run(id);
    for (const { id } of s.deskIds.all() as { id: string }[]) if (!deskIds.has(id)) s.deleteDesk.run(id);
    for (const d of doors) s.upsertDoor.run({ id: d.id, name: d.name, gateway: d.gateway });
    for (const d of desks) {
      s.upsertDesk.run({ id: d.id, name: d.name, zone: d.zone, gateway: d.gateway, x: d.position.x, y: d.position.y });
    }
  });

  return {
    syncSite: (doors: readonly DoorConfig[], desks: readonly DeskConfig[]): void => syncSite(doors, desks),
    putDoorState: (st: DoorState, now: number): void => {
      s.upsertDoorState.run(st.door, st.ts, JSON.stringify(st), now);
    },
    doorState: (door: string): DoorState | undefined => {
      const r = s.doorState.get(door) as { payload: string } | undefined;
      return r && (JSON.parse(r.payload) as DoorState);
    },
    doorStates: (): Map<string, DoorState> =>
      new Map((s.doorStates.all() as { door: string; payload: string }[]).map((r) => [r.door, JSON.parse(r.payload) as DoorState])),
    /** occupied null: unknown (the desk's sensors in fault) — no state is kept, as before any report. */
    putDeskState: (desk: string, occupied: boolean | null, since: number, ts: number, now: number): void => {
      if (occupied === null) s.deleteDeskState.run(desk);
      else s.upsertDeskState.run(desk, ts, occupied ? 1 : 0, since, now);
    },
    deskStates: (): Map<string, DeskStateRow> =>
      new Map(
        (s.deskStates.all() as { desk: string; ts: number; occupied: number; since: number }[]).map((r) => [
          r.desk,
          { desk: r.desk, ts: r.ts, occupied: r.occupied === 1, since: r.since },
        ]),
      ),
    putGatewayStatus: (st: GatewayStatus, now: number): void => {
      s.upsertGateway.run(st.gateway, st.ts, st.state, JSON.stringify(st), now);
    },
    gatewayStatuses: (): Map<string, GatewayStatusRow> =>
      new Map(
        (s.gateways.all() as { gateway: string; payload: string; received_at: number }[]).map((r) => [
          r.gateway,
          { gateway: r.gateway, status: JSON.parse(r.payload) as GatewayStatus, receivedAt: r.received_at },
        ]),
      ),
  };
}

export type StateRepo = ReturnType<typeof createStateRepo>;
