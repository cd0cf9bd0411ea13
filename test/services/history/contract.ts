// The one contract every history store keeps (SQLite, InfluxDB 1.x, InfluxDB 2.x). Times are
// fixed (so the 2.x run can replay a recorded exchange); each test works in its own week, so
// that tests never see each other's points.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { HistoryStore } from '../../../services/history/store.ts';
import { HistoryError } from '../../../services/history/store.ts';
import { doorEventPoint, occupancyPoint, readingPoint, healthPoint, type Point } from '../../../services/history/point.ts';
import type { AccessEvent } from '../../../contracts/payloads.ts';

const WEEK = 7 * 86_400_000;
/** Monday 6 January 2025, 08:00 UTC, plus whole weeks. */
export const week = (n: number) => Date.UTC(2025, 0, 6, 8) + n * WEEK;

export function access(ts: number, id: string, member: string, extra: Partial<AccessEvent> = {}): AccessEvent {
  return { v: 1, ts, id, type: 'access', door: 'front', gateway: 'gw-main', decision: 'granted', reason: 'ok', via: 'card', member, offline: false, ...extra };
}

const strip = (ps: Point[]) => ps.map((p) => ({ ...p }));

export interface StoreFixture {
  store: HistoryStore;
  cleanup(): Promise<void>;
}

export function historyContract(name: string, make: () => Promise<StoreFixture>): void {
  describe(`history store contract: ${name}`, () => {
    let f: StoreFixture;
    let s: HistoryStore;
    beforeAll(async () => {
      f = await make();
      s = f.store;
    }, 60_000);
    afterAll(() => f?.cleanup());

    it('answers ping', async () => {
      expect(await s.ping()).toBe(true);
    });

    it('writes and reads back every measurement, oldest first, within [from, to)', async () => {
      const t = week(0);
      const points = [
        doorEventPoint(access(t + 2000, 'evt-aaaaaaa1', 'jonas')),
        doorEventPoint({
          v: 1,
          ts: t + 1000,
          id: 'evt-aaaaaaa2',
          type: 'door',
          door: 'front',
          gateway: 'gw-main',
          kind: 'forced-open',
          detail: 'contact open, lock locked',
        }),
        occupancyPoint({ v: 1, ts: t + 3000, desk: 'd01', occupied: true, since: t + 2500 }, 'open-space'),
        readingPoint({ v: 1, ts: t + 4000, sensor: 'room-co2', kind: 'co2', value: 612.5, unit: 'ppm' }),
        healthPoint({ v: 1, ts: t + 5000, device: 'front-reader', gateway: 'gw-main', kind: 'rdm6300', state: 'fault', error: 'no frames', dropped: 3 }),
      ];
      await s.write(points);
      const doors = await s.query({ measurement: 'door_event', from: t, to: t + WEEK });
      expect(strip(doors)).toEqual([points[1], points[0]]);
      expect(await s.query({ measurement: 'occupancy', from: t, to: t + WEEK })).toEqual([points[2]]);
      expect(await s.query({ measurement: 'reading', from: t, to: t + WEEK })).toEqual([points[3]]);
      expect(await s.query({ measurement: 'device_health', from: t, to: t + WEEK })).toEqual([points[4]]);
      // `to` is exclusive, `from` inclusive.
      expect(await s.query({ measurement: 'reading', from: t + 4000, to: t + 4001 })).toHaveLength(1);
      expect(await s.query({ measurement: 'reading', from: t, to: t + 4000 })).toHaveLength(0);
      expect(await s.count({ measurement: 'door_event', from: t, to: t + WEEK })).toBe(2);
    });

    it('stores an event once however often it is written; two events in one millisecond stay two', async () => {
      const t = week(1);
      const a = doorEventPoint(access(t, 'evt-bbbbbbb1', 'jonas'));
      const b = doorEventPoint(access(t, 'evt-bbbbbbb2', 'jonas'));
      expect(a.ns).not.toBe(b.ns);
      await s.write([a, a]);
      await s.write([a, b]);
      await s.write([doorEventPoint(access(t, 'evt-bbbbbbb1', 'jonas'))]);
      const got = await s.query({ measurement: 'door_event', from: t, to: t + WEEK });
      expect(got.map((p) => p.fields.id).sort()).toEqual(['evt-bbbbbbb1', 'evt-bbbbbbb2']);
      expect(got.find((p) => p.fields.id === 'evt-bbbbbbb1')).toEqual(a);
      // Readings: identity is series + millisecond.
      const r = readingPoint({ v: 1, ts: t + 10, sensor: 's1', kind: 'temp', value: 21 });
      await s.write([r, r, { ...r, tags: { ...r.tags, sensor: 's2' } }]);
      expect(await s.count({ measurement: 'reading', from: t, to: t + WEEK })).toBe(2);
    });

    it('filters by tags', async () => {
      const t = week(2);
      await s.write([
        doorEventPoint(access(t + 1, 'evt-ccccccc1', 'jonas')),
        doorEventPoint(access(t + 2, 'evt-ccccccc2', 'sofie', { door: 'meeting' })),
        doorEventPoint(access(t + 3, 'evt-ccccccc3', 'sofie', { decision: 'denied', reason: 'outside-schedule' })),
      ]);
      const sofie = await s.query({ measurement: 'door_event', from: t, to: t + WEEK, tags: { member: 'sofie' } });
      expect(sofie.map((p) => p.fields.id)).toEqual(['evt-ccccccc2', 'evt-ccccccc3']);
      const granted = await s.query({ measurement: 'door_event', from: t, to: t + WEEK, tags: { member: 'sofie', decision: 'granted' } });
      expect(granted.map((p) => p.fields.id)).toEqual(['evt-ccccccc2']);
      expect(await s.count({ measurement: 'door_event', from: t, to: t + WEEK, tags: { door: 'front' } })).toBe(2);
    });

    it('refuses a point whose field type conflicts, as `rejected`, and keeps working', async () => {
      const t = week(3);
      const ok = readingPoint({ v: 1, ts: t, sensor: 's9', kind: 'temp', value: 20 });
      await s.write([ok]);
      const bad: Point = { ...ok, ts: t + 1, fields: { value: 'warm' } };
      const err = await s.write([bad]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(HistoryError);
      expect((err as HistoryError).kind).toBe('rejected');
      await s.write([{ ...ok, ts: t + 2 }]);
      expect(await s.count({ measurement: 'reading', from: t, to: t + WEEK })).toBe(2);
    });

    it('deletes one measurement before a cutoff (retention), and nothing else', async () => {
      const t = week(4);
      await s.write([
        readingPoint({ v: 1, ts: t, sensor: 's1', kind: 'temp', value: 1 }),
        readingPoint({ v: 1, ts: t + 1000, sensor: 's1', kind: 'temp', value: 2 }),
        doorEventPoint(access(t, 'evt-ddddddd1', 'jonas')),
      ]);
      await s.deleteBefore('reading', t + 500);
      expect((await s.query({ measurement: 'reading', from: t, to: t + WEEK })).map((p) => p.fields.value)).toEqual([2]);
      expect(await s.count({ measurement: 'door_event', from: t, to: t + WEEK })).toBe(1);
    });

    it("rewrites a member's door events under a pseudonym (erasure); counts stay", async () => {
      const t = week(5);
      await s.write([
        doorEventPoint(access(t + 1, 'evt-eeeeeee1', 'lars')),
        doorEventPoint(access(t + 2, 'evt-eeeeeee2', 'lars')),
        doorEventPoint(access(t + 3, 'evt-eeeeeee3', 'ida')),
      ]);
      expect(await s.anonymiseMember('lars', 'erased-00000000aa')).toBe(2);
      const all = await s.query({ measurement: 'door_event', from: t, to: t + WEEK });
      // The member as a tag (filtering) and as a field (counting): both renamed.
      expect(all.map((p) => [p.fields.id, p.tags.member, p.fields.member_id])).toEqual([
        ['evt-eeeeeee1', 'erased-00000000aa', 'erased-00000000aa'],
        ['evt-eeeeeee2', 'erased-00000000aa', 'erased-00000000aa'],
        ['evt-eeeeeee3', 'ida', 'ida'],
      ]);
      expect(await s.anonymiseMember('lars', 'erased-00000000bb')).toBe(0);
    });
  });
}
