import { describe, it, expect } from 'vitest';
import { Ingress } from '../../contracts/ingress.ts';
import { topics } from '../../contracts/topics.ts';

const t = topics('site1');
const event = {
  v: 1,
  ts: 1_700_000_000_000,
  id: 'evt-00000001',
  type: 'access',
  door: 'front',
  gateway: 'gw1',
  decision: 'granted',
  reason: 'ok',
  via: 'card',
  member: 'anna',
  offline: false,
};

function collect() {
  const logs: Array<{ obj: Record<string, unknown>; msg: string }> = [];
  return { logs, log: { warn: (obj: object, msg: string) => logs.push({ obj: obj as Record<string, unknown>, msg }) } };
}

describe('Ingress', () => {
  it('accepts a valid payload and types it by topic kind', () => {
    const ing = new Ingress({ site: 'site1' });
    const got = ing.accept(t.doorEvent('front'), Buffer.from(JSON.stringify(event)));
    expect(got?.kind).toBe('doorEvent');
    expect(got?.payload).toEqual(event);
    expect(ing.rejectedCounts()).toEqual({});
  });

  it('drops and counts per topic kind: not JSON, schema violations, id mismatch, other site, unknown topic', () => {
    const ing = new Ingress({ site: 'site1' });
    expect(ing.accept(t.doorEvent('front'), '{not json')).toBeNull();
    expect(ing.accept(t.doorEvent('front'), JSON.stringify({ ...event, decision: 'maybe' }))).toBeNull();
    expect(ing.accept(t.doorEvent('front'), JSON.stringify({ ...event, extra: 1 }))).toBeNull();
    expect(ing.accept(t.doorEvent('back'), JSON.stringify(event))).toBeNull();
    expect(ing.accept(topics('site2').doorEvent('front'), JSON.stringify(event))).toBeNull();
    expect(ing.accept('smartspace/site1/nothing/here', '{}')).toBeNull();
    expect(ing.accept(t.deskOccupancy('d1'), JSON.stringify({ v: 1, ts: 1, desk: 'd1', occupied: 'yes', since: 1 }))).toBeNull();
    expect(ing.rejectedCounts()).toEqual({ doorEvent: 5, unknown: 1, deskOccupancy: 1 });
  });

  it('logs the reason, at most once per kind per interval, and says how many it suppressed', () => {
    let now = 0;
    const { logs, log } = collect();
    const ing = new Ingress({ site: 'site1', log, logEveryMs: 1000, now: () => now });
    for (let i = 0; i < 50; i++) ing.accept(t.doorEvent('front'), 'garbage');
    expect(logs).toHaveLength(1);
    expect(logs[0]!.obj).toMatchObject({ kind: 'doorEvent', reason: 'not-json' });
    now = 1500;
    ing.accept(t.doorEvent('front'), JSON.stringify({ ...event, ts: -1 }));
    expect(logs).toHaveLength(2);
    expect(logs[1]!.obj).toMatchObject({ reason: 'schema', suppressed: 49 });
    expect(String(logs[1]!.obj.detail)).toContain('/ts');
  });
});
