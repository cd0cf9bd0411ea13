// "A host can run a month at the space through the API alone", end to end over real processes:
// the services (embedded broker, SQLite) and a gateway with simulated
// hardware. The host sets up plans, a holiday and members, issues a day pass (a keypad PIN),
// enrols a card with the live enrolment flow (tapped at the simulated reader), replaces it,
// and at the end of the month downloads the usage report. The month's earlier days reach the
// services as a gateway's outbox delivers them after an outage: events with their own times.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, gatewayReady, gatewayUsesList, login, openLive, sim, eventually, health, type Stack, type LiveClient } from '../helpers/stack.ts';
import { topics } from '../../contracts/topics.ts';
import { localWeekMinute } from '../../contracts/schedule.ts';
import { localDate, addDays, startOfLocalDay } from '../../contracts/local-time.ts';
import type { EnrolmentView, LiveMessage, MemberView, PassCreated, PlanView, CredentialView, EventPage, VisitsPerDay } from '../../contracts/api/index.ts';

const TZ = 'Europe/Copenhagen';
const H = 3600_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call<T = any>(stack: Stack, cookie: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }> {
  const r = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* CSV */
  }
  return { status: r.status, body: parsed as T, text };
}

const isEnrolment = (m: LiveMessage): m is Extract<LiveMessage, { type: 'enrolment' }> => m.type === 'enrolment';
const isEvent = (m: LiveMessage): m is Extract<LiveMessage, { type: 'event' }> => m.type === 'event';

describe('a month at the space, through the API', () => {
  let site: TestSite;
  let stack: Stack;
  let host: string;
  let live: LiveClient;
  let gw: MqttClient;
  /** Member ids by name: the services make them (random). */
  const ids = new Map<string, string>();
  const today = localDate(Date.now(), TZ);
  const month = today.slice(0, 7);
  const lastMonth = addDays(`${month}-01`, -1).slice(0, 7);

  beforeAll(async () => {
    site = await makeTestSite();
    stack = await startStack(site);
    await gatewayReady(stack.baseUrl, 'gw-main');
    host = await login(stack.baseUrl, 'mette@kystkontor.dk', 'host-mette');
    live = await openLive(stack.baseUrl, host);
    await live.waitFor((m) => m.type === 'snapshot');
  });
  afterAll(async () => {
    live?.close();
    gw?.end(true);
    await stack?.stop();
    site?.cleanup();
  });

  async function tap(uid: string, reader = 'front-reader'): Promise<Extract<LiveMessage, { type: 'event' }>['event']> {
    const seen = live.messages.length;
    await sim(stack.simUrl, '/sim/tap', { reader, uid });
    // A card or a keypad PIN (a PIN is its own way in since issue 13 finding 4).
    const m = await live.waitFor((x) => isEvent(x) && (x.event.via === 'card' || x.event.via === 'pin') && live.messages.indexOf(x) >= seen);
    return (m as Extract<LiveMessage, { type: 'event' }>).event;
  }

  it('sets up plans, a holiday and members', async () => {
    const anytime = await call<PlanView>(stack, host, 'POST', '/api/plans', { name: 'Anytime', doors: ['front', 'meeting'], offline: true });
    expect(anytime.body).toMatchObject({ id: 'anytime', inUse: 0 });
    const weekdays = await call<PlanView>(stack, host, 'POST', '/api/plans', {
      name: 'Weekdays',
      doors: ['front'],
      windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' }],
    });
    expect(weekdays.status).toBe(201);
    const christmas = await call(stack, host, 'POST', '/api/closures', {
      name: 'Christmas',
      from: `${today.slice(0, 4)}-12-24`,
      to: `${today.slice(0, 4)}-12-26`,
      plans: ['weekdays'],
    });
    expect(christmas.status).toBe(201);
    for (const [name, plan] of [
      ['Anna Holm', 'anytime'],
      ['Bo Dahl', 'weekdays'],
      ['Guest Gitte', null],
    ] as const) {
      const m = await call<MemberView>(stack, host, 'POST', '/api/members', { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.org`, plan });
      expect(m.status).toBe(201);
      ids.set(name, m.body.id);
    }
    expect((await call<{ total: number }>(stack, host, 'GET', '/api/members?plan=anytime')).body.total).toBe(1);
  });

  it('issues a day pass: the guest gets in with the PIN today', async () => {
    const pass = await call<PassCreated>(stack, host, 'POST', '/api/passes', { member: ids.get('Guest Gitte'), kind: 'day', plan: 'anytime', from: today });
    expect(pass.status).toBe(201);
    await gatewayUsesList(stack, site, `PIN:${pass.body.pin}`, true);
    const ev = await tap(`PIN:${pass.body.pin}`);
    expect(ev).toMatchObject({ decision: 'granted', memberName: 'Guest Gitte', door: 'front' });
  });

  /** The host sees the card tapped at the reader (live) and confirms it: only then is it bound. */
  async function confirmTapped(id: string): Promise<void> {
    const tapped = (await live.waitFor((m) => isEnrolment(m) && m.enrolment.id === id && m.enrolment.status === 'tapped')) as Extract<
      LiveMessage,
      { type: 'enrolment' }
    >;
    const confirmed = await call<EnrolmentView>(stack, host, 'POST', `/api/enrolments/${id}/confirm`, { candidate: tapped.enrolment.candidates[0]!.id });
    expect(confirmed.status).toBe(200);
  }

  it('enrols a card at the door, live, once the host confirms it; the card opens the door', async () => {
    const started = await call<EnrolmentView>(stack, host, 'POST', '/api/enrolments', { member: ids.get('Anna Holm'), door: 'front', label: 'red card' });
    expect(started.body.status).toBe('waiting');
    const denied = await tap('CAFE0001');
    expect(denied).toMatchObject({ decision: 'denied', reason: 'unknown-credential' });
    await confirmTapped(started.body.id);
    const bound = await live.waitFor((m) => isEnrolment(m) && m.enrolment.id === started.body.id && m.enrolment.status === 'bound');
    expect((bound as Extract<LiveMessage, { type: 'enrolment' }>).enrolment.credential).toMatchObject({ label: 'red card', status: 'live' });
    await gatewayUsesList(stack, site, 'CAFE0001', true);
    expect(await tap('CAFE0001')).toMatchObject({ decision: 'granted', memberName: 'Anna Holm' });
    const lock = (await sim(stack.simUrl, '/sim/state')).locks['front-lock'];
    expect(lock.operations).toBeGreaterThan(0);
  });

  it('replaces a lost card: the new one works, the old one no longer does', async () => {
    const creds = (await call<CredentialView[]>(stack, host, 'GET', `/api/members/${ids.get('Anna Holm')}/credentials`)).body;
    const old = creds.find((c) => c.status === 'live')!;
    const started = await call<EnrolmentView>(stack, host, 'POST', '/api/enrolments', { member: ids.get('Anna Holm'), door: 'meeting', replaces: old.id });
    expect(started.status).toBe(201);
    await tap('CAFE0002', 'meeting-reader');
    await confirmTapped(started.body.id);
    await live.waitFor((m) => isEnrolment(m) && m.enrolment.id === started.body.id && m.enrolment.status === 'bound');
    await gatewayUsesList(stack, site, 'CAFE0002', true);
    await gatewayUsesList(stack, site, 'CAFE0001', false);
    expect(await tap('CAFE0001')).toMatchObject({ decision: 'denied', reason: 'unknown-credential' });
    expect(await tap('CAFE0002')).toMatchObject({ decision: 'granted', memberName: 'Anna Holm' });
  });

  it('the rest of the month arrives from the gateway; the host downloads the report', async () => {
    gw = await connectAsync(`mqtt://127.0.0.1:${site.mqttPort}`, {
      username: 'gateway:gw-main',
      password: site.secrets.gateways['gw-main']!.mqttPassword,
      protocolVersion: 4,
      reconnectPeriod: 0,
      clientId: 'month-outbox',
    });
    const t = topics(site.config.site.id);
    // Last month, as the gateway recorded it: on weekdays Anna (card) at 09:00 and Bo at
    // 09:00 and 13:00; desk d01 09–17 and d02 09–12.
    let weekdays = 0;
    const publish = (topic: string, payload: object) => gw.publishAsync(topic, JSON.stringify(payload), { qos: 1 });
    for (let d = `${lastMonth}-01`; d.startsWith(lastMonth); d = addDays(d, 1)) {
      const at = (h: number) => startOfLocalDay(d, TZ) + h * H;
      if (localWeekMinute(at(12), TZ).day > 5) continue;
      weekdays++;
      for (const [member, h] of [
        [ids.get('Anna Holm')!, 9],
        [ids.get('Bo Dahl')!, 9],
        [ids.get('Bo Dahl')!, 13],
      ] as const) {
        await publish(t.doorEvent('front'), {
          v: 1,
          ts: at(h),
          id: randomUUID(),
          type: 'access',
          door: 'front',
          gateway: 'gw-main',
          decision: 'granted',
          reason: 'ok',
          via: 'card',
          member,
          offline: true,
        });
      }
      for (const [desk, from, to] of [
        ['d01', 9, 17],
        ['d02', 9, 12],
      ] as const) {
        await publish(t.deskOccupancy(desk), { v: 1, ts: at(from), desk, occupied: true, since: at(from) });
        await publish(t.deskOccupancy(desk), { v: 1, ts: at(to), desk, occupied: false, since: at(to) });
      }
    }
    await eventually(
      async () => ((await health(stack.baseUrl)).history?.spooled === 0 && (await health(stack.baseUrl)).events.stored >= weekdays * 3 ? true : null),
      30_000,
      'history written',
    );
    await new Promise((r) => setTimeout(r, 1500)); // the writer's last batch (flushMs)

    const report = await call(stack, host, 'GET', `/api/reports/monthly.csv?month=${lastMonth}&lang=en`);
    expect(report.status).toBe(200);
    const rows = report.text
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(rows[0]).toEqual([
      'Date',
      'Weekday',
      'Visits',
      'Entries',
      'Unique members',
      'Peak: most desks in use at once',
      'Peak at',
      'Desk hours in use',
      'Open hours',
      'Utilisation (open hours) %',
    ]);
    const total = rows.at(-1)!;
    expect(total.slice(0, 6)).toEqual(['Total', '', String(2 * weekdays), String(3 * weekdays), '2', '2']);
    expect(total[7]).toBe((11 * weekdays).toFixed(1));
    // Only d01 and d02 ever reported: utilisation is of their desk time within opening hours (a
    // desk never heard from is no data, not a free desk). The last weekday: both known all day,
    // 11 desk-hours of 2 desks × 10 open hours.
    const aWeekday = rows.filter((r) => r[2] === '2').at(-1)!;
    expect(aWeekday.slice(2, 10)).toEqual(['2', '3', '2', '2', '09:00', '11.0', '10.0', ((11 / (2 * 10)) * 100).toFixed(1)]);

    // This month so far: today's real taps are in too (the guest's PIN and Anna's card).
    const thisMonth = await call(stack, host, 'GET', `/api/reports/monthly.csv?month=${month}&lang=en`);
    const todayRow = thisMonth.text
      .split('\r\n')
      .find((l) => l.startsWith(today))!
      .split(',');
    expect(Number(todayRow[2])).toBe(2);
    const visits = await call<VisitsPerDay>(stack, host, 'GET', `/api/analytics/visits?from=${today}&to=${today}`);
    expect(visits.body.days[0]).toMatchObject({ date: today, visits: 2 });

    // Who did what: the audit trail has the month's admin work and every decision at the door.
    const audit = await call(stack, host, 'GET', '/api/audit.csv?lang=en');
    for (const action of [
      'plan.create',
      'closure.create',
      'member.create',
      'pass.create',
      'enrolment.start',
      'credential.enrol',
      'access.granted',
      'access.denied',
    ]) {
      expect(audit.text, action).toContain(`,${action},`);
    }
    const events = await call<EventPage>(stack, host, 'GET', '/api/events?limit=5');
    expect(events.body.items.length).toBe(5);
  });
});
