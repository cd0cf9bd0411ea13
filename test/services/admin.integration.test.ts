// Members, plans, closures and passes through the API, each change reaching the gateway's
// access list; roles among hosts and operators.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { MemberView, PlanView, PassCreated, MemberPage } from '../../contracts/api/index.ts';
import { pinFingerprint } from '../../services/http/routes/credentials.ts';
import { startOfLocalDay, addDays, localDate } from '../../contracts/local-time.ts';
import { regex } from '../../contracts/patterns.ts';
import { startApp, loginAs, login, api, watchAcl, type Running } from './helpers.ts';

const TZ = 'Europe/Copenhagen';

describe('members, plans, closures and passes', () => {
  let r: Running;
  let host: string;
  let operator: string;
  let acl: Awaited<ReturnType<typeof watchAcl>>;

  beforeAll(async () => {
    r = await startApp();
    host = await loginAs(r, 'mette');
    operator = await loginAs(r, 'ida');
    acl = await watchAcl(r);
  });
  afterAll(() => r.stop());
  /** The list the services published last, as the gateway receives it. */
  const published = () => {
    const v = r.app.accessLists.latest('gw-main')!.version;
    return acl.until((l) => l.version === v);
  };

  /** Anna Berg's id, made by the services (random, not from her name). */
  let anna = '';

  it('a host adds a member with a plan; the access list changes; the member logs in', async () => {
    const plan = await api<PlanView>(r, 'POST', '/api/plans', {
      cookie: host,
      body: { name: 'Weekday days', doors: ['front'], windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' }], offline: false },
    });
    expect(plan.status).toBe(201);
    expect(plan.body).toMatchObject({ id: 'weekday-days', doors: ['front'], offline: false, validFrom: null, inUse: 0 });
    const m = await api<MemberView>(r, 'POST', '/api/members', {
      cookie: host,
      body: { name: 'Anna Berg', email: 'anna@example.org', password: 'anna-password', plan: 'weekday-days' },
    });
    expect(m.status).toBe(201);
    anna = m.body.id;
    expect(anna).toMatch(regex('memberId'));
    expect(m.body).toMatchObject({ role: 'member', status: 'active', plan: 'weekday-days', credentials: 0, presenceOptIn: false });
    expect(await login(r.base, 'anna@example.org', 'anna-password')).toMatch(/^ss_session=/);
    const list = await api<MemberPage>(r, 'GET', '/api/members?q=berg', { cookie: host });
    expect(list.body.items.map((x) => x.id)).toEqual([anna]);
    const audit = r.app.store.audit.query({ action: 'member.', limit: 5 });
    expect(audit[0]).toMatchObject({ actor: 'mette', action: 'member.create', target: anna });
    // Names and emails are never stored in the audit trail (it outlives erasure); a read shows
    // the member's name of today beside the id, looked up, never kept.
    expect(JSON.stringify(r.app.db.prepare('SELECT * FROM audit').all())).not.toMatch(/Anna Berg|anna@example/);
    expect(audit[0]).toMatchObject({ targetName: 'Anna Berg' });
  });

  it('only an operator gives roles, manages hosts, and the last operator stays', async () => {
    expect((await api(r, 'POST', '/api/members', { cookie: host, body: { name: 'New Host', email: 'h@example.org', role: 'host' } })).status).toBe(403);
    expect((await api(r, 'PATCH', `/api/members/${anna}`, { cookie: host, body: { role: 'host' } })).status).toBe(403);
    expect((await api(r, 'PATCH', '/api/members/ida', { cookie: host, body: { status: 'suspended' } })).status).toBe(403);
    expect((await api(r, 'PATCH', `/api/members/${anna}`, { cookie: operator, body: { role: 'host' } })).body).toMatchObject({ role: 'host' });
    const last = await api(r, 'PATCH', '/api/members/ida', { cookie: operator, body: { role: 'member' } });
    expect(last).toMatchObject({ status: 409, body: { error: 'last-operator' } });
    expect((await api(r, 'PATCH', `/api/members/${anna}`, { cookie: operator, body: { role: 'member' } })).status).toBe(200);
  });

  it('suspending a member stops their cards opening (listed as refused) and ends their login', async () => {
    const before = acl.latest()!;
    expect(before.entries.some((e) => e.member === 'lars')).toBe(true);
    const lars = await loginAs(r, 'lars');
    const res = await api<MemberView>(r, 'PATCH', '/api/members/lars', { cookie: host, body: { status: 'suspended' } });
    expect(res.body.status).toBe('suspended');
    const after = await published();
    expect(after.entries.filter((e) => e.member === 'lars').map((e) => [e.refused, e.doors])).toEqual([['suspended', []]]);
    expect((await api(r, 'GET', '/api/me', { cookie: lars })).status).toBe(401);
    expect(r.app.store.audit.query({ action: 'member.suspend', limit: 1 })[0]).toMatchObject({ actor: 'mette', target: 'lars' });
    await api(r, 'PATCH', '/api/members/lars', { cookie: host, body: { status: 'active' } });
  });

  it('a closure today takes its plans out of the list; removing it brings them back', async () => {
    const today = localDate(Date.now(), TZ);
    const c = await api(r, 'POST', '/api/closures', { cookie: host, body: { name: 'Storm day', from: today, to: today, plans: ['flex'] } });
    expect(c.status).toBe(201);
    const closed = await published();
    expect(closed.entries.some((e) => e.member === 'sofie')).toBe(false); // flex
    expect(closed.entries.some((e) => e.member === 'jonas')).toBe(true); // resident: not closed
    // The services will recompile when the closure ends (the gateway cannot know the date).
    expect(r.app.accessLists.nextChangeAt).toBe(startOfLocalDay(addDays(today, 1), TZ));
    expect(closed.entries.find((e) => e.member === 'jonas')!.until).toBeUndefined();
    await api(r, 'DELETE', `/api/closures/${(c.body as { id: string }).id}`, { cookie: host });
    const open = await published();
    expect(open.entries.some((e) => e.member === 'sofie')).toBe(true);
  });

  it('a day pass is a PIN, valid on its dates only, kept as a fingerprint', async () => {
    const today = localDate(Date.now(), TZ);
    const res = await api<PassCreated>(r, 'POST', '/api/passes', { cookie: host, body: { member: anna, kind: 'day', plan: 'resident', from: today } });
    expect(res.status).toBe(201);
    expect(res.body.pin).toMatch(/^\d{6}$/);
    expect(res.body.credential).toMatchObject({ kind: 'pin', member: anna, plan: 'resident', validFrom: today, validTo: today, status: 'live' });
    const fp = pinFingerprint(r.site.secrets.siteKey, res.body.pin);
    const list = await published();
    const entry = list.entries.find((e) => e.fp === fp)!;
    expect(entry).toMatchObject({ member: anna, doors: ['front', 'meeting'], until: startOfLocalDay(addDays(today, 1), TZ) });
    expect(r.app.db.prepare('SELECT COUNT(*) AS n FROM credentials WHERE fingerprint = ?').get(fp)).toEqual({ n: 1 });
    // A pass for a day to come is not in the list yet; the services recompile when it starts.
    const later = addDays(today, 3);
    const future = await api<PassCreated>(r, 'POST', '/api/passes', {
      cookie: host,
      body: { member: anna, kind: 'guest', plan: 'resident', from: later, pin: '4242' },
    });
    expect(future.body).toMatchObject({ pin: '4242', credential: { status: 'not-yet-valid' } });
    const l2 = await published();
    expect(l2.entries.some((e) => e.fp === pinFingerprint(r.site.secrets.siteKey, '4242'))).toBe(false);
    expect(r.app.accessLists.nextChangeAt).toBe(startOfLocalDay(addDays(today, 1), TZ));
    expect(
      (await api(r, 'POST', '/api/passes', { cookie: host, body: { member: 'jonas', kind: 'guest', plan: 'resident', from: later, pin: '4242' } })).body,
    ).toMatchObject({ error: 'pin-taken' });
    // Revoke frees the PIN.
    await api(r, 'DELETE', `/api/credentials/${future.body.credential.id}`, { cookie: host });
    expect(
      (await api(r, 'POST', '/api/passes', { cookie: host, body: { member: 'jonas', kind: 'guest', plan: 'resident', from: later, pin: '4242' } })).status,
    ).toBe(201);
  });

  it('a plan in use cannot be removed; an unused one can', async () => {
    expect((await api(r, 'DELETE', '/api/plans/resident', { cookie: host })).body).toMatchObject({ error: 'plan-in-use' });
    await api(r, 'POST', '/api/plans', { cookie: host, body: { id: 'spare', name: 'Spare', doors: [] } });
    expect((await api(r, 'DELETE', '/api/plans/spare', { cookie: host })).status).toBe(204);
    expect((await api(r, 'GET', '/api/plans/spare', { cookie: host })).status).toBe(404);
  });

  it('door commands: hosts and automation, signed like unlocks, audited with the actor', async () => {
    const token = r.site.secrets.automationToken!;
    expect((await api(r, 'POST', '/api/doors/front/commands', { token, body: { action: 'hold' } })).body).toMatchObject({ error: 'door-offline' });
    const { bringOnline } = await import('./helpers.ts');
    const gw = await bringOnline(r);
    const got: { action: string; id: string }[] = [];
    gw.on('message', (_t, p) => got.push(JSON.parse(p.toString())));
    await gw.subscribeAsync(r.t.doorCommand('front'), { qos: 1 });
    const res = await api(r, 'POST', '/api/doors/front/commands', { token, body: { action: 'lockdown', reason: 'storm alarm' } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ action: 'lockdown' });
    expect(r.app.store.audit.recent(1)[0]).toMatchObject({
      actor: 'automation',
      action: 'door.command',
      target: 'front',
      detail: { action: 'lockdown', reason: 'storm alarm' },
    });
    expect((await api(r, 'POST', '/api/doors/front/commands', { cookie: host, body: { action: 'release' } })).status).toBe(202);
    expect((await api(r, 'POST', '/api/doors/front/commands', { token, body: { action: 'open-sesame' } })).status).toBe(400);
    const { waitFor } = await import('./helpers.ts');
    await waitFor(() => got.length >= 2);
    expect(got.map((c) => c.action)).toEqual(['lockdown', 'release']);
    const occ = await api(r, 'GET', '/api/zones/occupancy', { token });
    expect(occ.body).toEqual([
      { zone: 'open-space', name: 'Åbent kontor', occupied: 0, unknown: 10, capacity: 10, desks: 10 },
      { zone: 'quiet-room', name: 'Stillerum', occupied: 0, unknown: 6, capacity: 6, desks: 6 },
    ]);
  });
});
