// No-show release (issue 16): a room booking whose room's desk sensors saw nobody by noShowMin
// after the start is released (the room shows free, the lists recompile, the booker gets a
// notice); someone seen keeps it; a room without sensors, or sensors that said nothing, never
// releases. The HTTP layer over the demo site in memory, on the helper's clock (T0: Wednesday
// 7 May 2025, 12:00 Copenhagen).
import { describe, it, expect } from 'vitest';
import { pino } from 'pino';
import { httpApp, expectReply, T0 } from '../helpers/http-app.ts';
import { NoShowRelease } from '../../services/bookings/no-show.ts';

const MIN = 60_000;
/** 13:00 Copenhagen that day. */
const START = T0 + 60 * MIN;

async function setup(noShowMin = 15) {
  const h = await httpApp({
    edit: (raw) => {
      raw.bookings = {
        noShowMin,
        rooms: [
          { id: 'moedelokale', name: 'Mødelokale', doors: ['meeting'], zone: 'quiet-room' },
          { id: 'kabine', name: 'Kabine', doors: ['meeting'] },
        ],
      };
    },
  });
  const notices: Array<{ to: string; subject: string; text: string }> = [];
  let recompiles = 0;
  const release = new NoShowRelease({
    config: h.config,
    store: h.store,
    log: pino({ level: 'silent' }),
    now: () => h.clock.now,
    recompile: () => Promise.resolve(recompiles++),
    notice: (to, subject, text) => {
      notices.push({ to: to.email, subject, text });
      return Promise.resolve();
    },
  });
  const book = async (resource: string, from: string, to: string) =>
    expectReply<{ id: number }>('addBooking', await h.call('addBooking', { as: 'jonas', body: { kind: 'room', resource, from, to } }));
  const roomBookings = async (resource: string) =>
    expectReply<Array<{ id: number }>>('bookings', await h.call('bookings', { as: 'sofie', query: { date: '2025-05-07', resource } }));
  return { h, release, notices, book, roomBookings, recompiles: () => recompiles };
}

describe('no-show release', () => {
  it('releases a booking nobody came to, frees the room and tells the booker (in Danish)', async () => {
    const { h, release, notices, book, roomBookings, recompiles } = await setup();
    const b = await book('moedelokale', '2025-05-07T13:00', '2025-05-07T14:00');
    // The quiet room's desks report free since the morning.
    for (const d of ['d11', 'd12']) h.store.state.putDeskState(d, false, T0 - 3 * 60 * MIN, T0, T0);
    h.clock.now = START + 14 * MIN;
    expect(await release.check()).toEqual([]);
    h.clock.now = START + 15 * MIN;
    expect((await release.check()).map((x) => x.id)).toEqual([b.id]);
    expect(h.store.bookings.byId(b.id)).toMatchObject({ state: 'released' });
    expect(await roomBookings('moedelokale')).toEqual([]);
    expect(recompiles()).toBe(1);
    expect(notices).toEqual([
      { to: 'jonas@kystkontor.dk', subject: 'Din booking af Mødelokale er frigivet', text: expect.stringContaining('15 minutter') as string },
    ]);
    // Released once.
    expect(await release.check()).toEqual([]);
  });

  it('keeps a booking someone was seen in, and never releases in a room without sensors or with silent ones', async () => {
    const { h, release, book, roomBookings } = await setup();
    const seen = await book('moedelokale', '2025-05-07T13:00', '2025-05-07T14:00');
    const noSensor = await book('kabine', '2025-05-07T13:00', '2025-05-07T14:00');
    // Someone sat at d12 from 13:05 to 13:10, then left: seen.
    h.store.state.putDeskState('d12', false, START + 10 * MIN, START + 10 * MIN, START + 10 * MIN);
    h.clock.now = START + 20 * MIN;
    expect(await release.check()).toEqual([]);
    expect((await roomBookings('moedelokale')).map((x) => x.id)).toEqual([seen.id]);
    expect((await roomBookings('kabine')).map((x) => x.id)).toEqual([noSensor.id]);
    // Sensors that have said nothing (no state) are no evidence either.
    const { h: h2, release: r2, book: book2 } = await setup();
    const silent = await book2('moedelokale', '2025-05-07T13:00', '2025-05-07T14:00');
    h2.clock.now = START + 30 * MIN;
    expect(await r2.check()).toEqual([]);
    expect(h2.store.bookings.byId(silent.id)).toMatchObject({ state: 'booked' });
  });

  it('is off with noShowMin 0', async () => {
    const { h, release, book } = await setup(0);
    const b = await book('moedelokale', '2025-05-07T13:00', '2025-05-07T14:00');
    h.store.state.putDeskState('d11', false, T0 - 3 * 60 * MIN, T0, T0);
    h.clock.now = START + 30 * MIN;
    expect(await release.check()).toEqual([]);
    expect(h.store.bookings.byId(b.id)).toMatchObject({ state: 'booked' });
  });
});
