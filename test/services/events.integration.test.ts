import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { EventPage } from '../../contracts/api/index.ts';
import { startApp, loginAs, getJson, publishJson, accessEvent, waitFor, type Running } from './helpers.ts';

describe('GET /api/events', () => {
  let r: Running;
  const ids: string[] = [];
  beforeAll(async () => {
    r = await startApp();
    const gw = await r.gateway();
    // 7 events, two of them in the same millisecond, oldest first; every third at the meeting room.
    const base = 1_750_000_000_000;
    const members = ['jonas', 'sofie', 'lars', 'sofie', 'ida', 'mette', 'jonas'];
    for (let i = 0; i < 7; i++) {
      const door = i % 3 === 2 ? 'meeting' : 'front';
      const e = accessEvent({ ts: base + (i === 4 ? 3 : i) * 1000, door, member: members[i]! });
      ids.push(e.id);
      await publishJson(gw, r.t.doorEvent(door), e);
    }
    await publishJson(gw, r.t.doorEvent('front'), {
      v: 1,
      ts: base + 10_000,
      id: 'door-evt-0001',
      type: 'door',
      door: 'front',
      gateway: 'gw-main',
      kind: 'opened',
    });
    const cookie = await loginAs(r, 'mette');
    await waitFor(async () => (await getJson<EventPage>(r, '/api/events', cookie)).body.items.length === 8);
  });
  afterAll(() => r.stop());

  it('pages newest first with a cursor, through ties in ts, without gaps or repeats', async () => {
    const cookie = await loginAs(r, 'mette');
    const seen: EventPage['items'] = [];
    let before: string | null = null;
    do {
      const q: string = before ? `?limit=3&before=${encodeURIComponent(before)}` : '?limit=3';
      const page: EventPage = (await getJson<EventPage>(r, `/api/events${q}`, cookie)).body;
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      before = page.next;
    } while (before);
    expect(seen).toHaveLength(8);
    expect(new Set(seen.map((e) => e.id)).size).toBe(8);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1]!, seen[i]!];
      expect(a.ts > b.ts || (a.ts === b.ts && a.id > b.id)).toBe(true);
    }
    expect(seen[0]).toMatchObject({ id: 'door-evt-0001', type: 'door', kind: 'opened', doorName: 'Hoveddør' });
  });

  it('filters by door', async () => {
    const cookie = await loginAs(r, 'mette');
    const page = (await getJson<EventPage>(r, '/api/events?door=meeting', cookie)).body;
    expect(page.items.map((e) => e.door)).toEqual(['meeting', 'meeting']);
    expect(page.next).toBeNull();
  });

  it('shows member names to hosts, to the member themself, and for members who opted in', async () => {
    const names = async (who: 'mette' | 'jonas' | 'sofie') => {
      const page = (await getJson<EventPage>(r, '/api/events', await loginAs(r, who))).body;
      return new Set(page.items.map((e) => e.memberName).filter(Boolean));
    };
    // Opted in: jonas, lars, mette. Not: sofie, ida.
    expect(await names('mette')).toEqual(new Set(['Jonas Brandt', 'Sofie Lund', 'Lars Vestergaard', 'Ida Thomsen', 'Mette Kjær']));
    expect(await names('jonas')).toEqual(new Set(['Jonas Brandt', 'Lars Vestergaard', 'Mette Kjær']));
    expect(await names('sofie')).toEqual(new Set(['Jonas Brandt', 'Lars Vestergaard', 'Mette Kjær', 'Sofie Lund']));
  });
});
