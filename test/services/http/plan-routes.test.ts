// Plans and closures through inject(): hosts manage both; every change is audited and
// recompiles the access lists; input a schema cannot check (doors, windows, dates) is refused
// with its own code.
import { describe, it, expect } from 'vitest';
import { httpApp, expectReply, expectRefusal, expectBadField } from '../../helpers/http-app.ts';

const WEEKDAYS = { days: [1, 2, 3, 4, 5], from: '08:00', to: '17:00' };

describe('plans', () => {
  it('are for hosts and up', async () => {
    const h = await httpApp();
    expectRefusal('plans', await h.call('plans'), 401, 'unauthenticated');
    expectRefusal('plans', await h.call('plans', { as: 'jonas' }), 403, 'forbidden');
    expectRefusal('addPlan', await h.call('addPlan', { as: 'jonas', body: { name: 'X', doors: [] } }), 403, 'forbidden');
    expectRefusal('deletePlan', await h.call('deletePlan', { as: 'sofie', params: { id: 'flex' } }), 403, 'forbidden');
  });

  it('lists the plans with how many use each, and reads one', async () => {
    const h = await httpApp();
    const plans = expectReply('plans', await h.call('plans', { as: 'mette' }));
    expect(plans.map((p: { id: string; inUse: number }) => [p.id, p.inUse])).toEqual([
      ['flex', 1],
      ['resident', 2],
      ['staff', 2],
    ]);
    expect(expectReply('plan', await h.call('plan', { as: 'mette', params: { id: 'flex' } }))).toMatchObject({
      doors: ['front'],
      windows: [{ from: '07:00' }],
    });
    expectRefusal('plan', await h.call('plan', { as: 'mette', params: { id: 'gold' } }), 404, 'not-found');
  });

  it('adds a plan with sorted doors and a readable id', async () => {
    const h = await httpApp();
    const p = expectReply('addPlan', await h.call('addPlan', { as: 'mette', body: { name: 'Day Desk', doors: ['meeting', 'front'], windows: [WEEKDAYS] } }));
    expect(p).toEqual({
      id: 'day-desk',
      name: 'Day Desk',
      doors: ['front', 'meeting'],
      windows: [WEEKDAYS],
      offline: false,
      validFrom: null,
      validTo: null,
      inUse: 0,
    });
    expect(h.recompiles).toBe(1);
    expect(h.store.audit.query({ action: 'plan.create', limit: 5 })).toMatchObject([{ actor: 'mette', target: 'day-desk' }]);
  });

  it('refuses bad input and each check with its code', async () => {
    const h = await httpApp();
    const add = (body: object) => h.call('addPlan', { as: 'mette', body: { name: 'X', doors: ['front'], ...body } });
    expectBadField('addPlan', await add({ doors: ['front', 'front'] }), 'body/doors');
    expectBadField('addPlan', await add({ windows: [{ ...WEEKDAYS, from: '8am' }] }), 'body/windows');
    expectRefusal('addPlan', await add({ id: 'flex' }), 409, 'id-taken');
    expect(expectRefusal('addPlan', await add({ doors: ['front', 'vault'] }), 400, 'unknown-door')).toContain('vault');
    expectRefusal('addPlan', await add({ windows: [{ ...WEEKDAYS, from: '18:00' }] }), 400, 'bad-window');
    expectRefusal('addPlan', await add({ windows: [{ ...WEEKDAYS, days: [1, 1] }] }), 400, 'bad-window');
    expectRefusal('addPlan', await add({ validFrom: '2025-06-02', validTo: '2025-06-01' }), 400, 'bad-date');
    expect(h.recompiles).toBe(0);
  });

  it('changes a plan and checks the result', async () => {
    const h = await httpApp();
    const to = (id: string, body: object) => h.call('changePlan', { as: 'mette', params: { id }, body });
    const p = expectReply('changePlan', await to('flex', { doors: ['meeting', 'front'], offline: true }));
    expect(p).toMatchObject({ id: 'flex', doors: ['front', 'meeting'], offline: true, inUse: 1 });
    expectBadField('changePlan', await to('flex', {}), 'body');
    expectRefusal('changePlan', await to('gold', { offline: true }), 404, 'not-found');
    expectRefusal('changePlan', await to('flex', { doors: ['vault'] }), 400, 'unknown-door');
    expectRefusal('changePlan', await to('flex', { windows: [{ ...WEEKDAYS, to: '07:00' }] }), 400, 'bad-window');
    expectBadField('changePlan', await to('flex', { validTo: '2025/06/01' }), 'body/validTo');
    expectRefusal('changePlan', await to('flex', { validTo: '2025-13-01' }), 400, 'bad-date');
    expectRefusal('changePlan', await to('flex', { validFrom: '2025-02-29' }), 400, 'bad-date');
    expect(h.recompiles).toBe(1);
  });

  it('deletes a plan nobody is on, and no other', async () => {
    const h = await httpApp();
    expectRefusal('deletePlan', await h.call('deletePlan', { as: 'mette', params: { id: 'flex' } }), 409, 'plan-in-use');
    expectReply('addPlan', await h.call('addPlan', { as: 'mette', body: { id: 'spare', name: 'Spare', doors: [] } }));
    expectReply('addClosure', await h.call('addClosure', { as: 'mette', body: { name: 'Summer', from: '2025-07-01', to: '2025-07-31', plans: ['spare'] } }));
    expectRefusal('deletePlan', await h.call('deletePlan', { as: 'mette', params: { id: 'spare' } }), 409, 'plan-in-use');
    h.store.plans.upsert({ id: 'empty', name: 'Empty', doors: [], windows: [], offline: false, validFrom: null, validTo: null }, h.clock.now);
    expectReply('deletePlan', await h.call('deletePlan', { as: 'mette', params: { id: 'empty' } }));
    expect(h.store.plans.byId('empty')).toBeUndefined();
    expectRefusal('deletePlan', await h.call('deletePlan', { as: 'mette', params: { id: 'empty' } }), 404, 'not-found');
  });
});

describe('closures', () => {
  it('are for hosts and up', async () => {
    const h = await httpApp();
    expectRefusal('closures', await h.call('closures', { as: 'lars' }), 403, 'forbidden');
    expectRefusal('addClosure', await h.call('addClosure', { body: { name: 'X', from: '2025-12-24', to: '2025-12-26' } }), 401, 'unauthenticated');
    expectRefusal('deleteClosure', await h.call('deleteClosure', { as: 'lars', params: { id: 'c-1' } }), 403, 'forbidden');
  });

  it('adds, lists and removes a closure', async () => {
    const h = await httpApp();
    const c = expectReply('addClosure', await h.call('addClosure', { as: 'mette', body: { name: 'Christmas', from: '2025-12-24', to: '2025-12-26' } }));
    expect(c).toMatchObject({ id: expect.stringMatching(/^c-[0-9a-f]{8}$/), name: 'Christmas', plans: [] });
    expect(expectReply('closures', await h.call('closures', { as: 'mette' }))).toEqual([c]);
    expectReply('deleteClosure', await h.call('deleteClosure', { as: 'mette', params: { id: c.id } }));
    expect(expectReply('closures', await h.call('closures', { as: 'mette' }))).toEqual([]);
    expectRefusal('deleteClosure', await h.call('deleteClosure', { as: 'mette', params: { id: c.id } }), 404, 'not-found');
    expect(h.store.audit.query({ target: c.id, limit: 5 }).map((r) => r.action)).toEqual(['closure.delete', 'closure.create']);
    expect(h.recompiles).toBe(2);
  });

  it('refuses a bad date, reversed dates and an unknown plan', async () => {
    const h = await httpApp();
    const add = (body: object) => h.call('addClosure', { as: 'mette', body: { name: 'X', from: '2025-12-24', to: '2025-12-26', ...body } });
    expectBadField('addClosure', await add({ from: '24/12/2025' }), 'body/from');
    expectRefusal('addClosure', await add({ from: '2025-12-27' }), 400, 'bad-date');
    expectRefusal('addClosure', await add({ to: '2025-11-31' }), 400, 'bad-date');
    expect(expectRefusal('addClosure', await add({ plans: ['flex', 'gold'] }), 400, 'unknown-plan')).toContain('gold');
    expect(h.recompiles).toBe(0);
  });
});
