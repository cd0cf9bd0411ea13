// The network view (issue 18 part 4), in process: three sites, each the demo site's HTTP layer
// over its own in-memory store and history, with its own Network and NetworkView; what one
// publishes is handed to the others' Network.handle, as their bridges would. The coordinator at
// site a sees every space; the network report's rows and total are compared with each site's
// own funder report for the month (funderReport over that site's own history). Fixed clock.
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { httpApp, expectReply, expectRefusal, AUTOMATION_TOKEN, T0, type HttpApp } from '../helpers/http-app.ts';
import { Network } from '../../services/network/network.ts';
import { NetworkView } from '../../services/network/summaries.ts';
import { Analytics } from '../../services/analytics/analytics.ts';
import { funderReport, reportTotals } from '../../services/analytics/report.ts';
import { occupancyPoint } from '../../services/history/point.ts';
import { zoneOccupancy, deskStates } from '../../services/views.ts';
import { createViews } from '../../services/views.ts';
import { newSigningKeyPair } from '../../contracts/signing.ts';
import { netTopics, NET_STALE_MS } from '../../contracts/network.ts';
import type { NetworkOverview, NetworkReport } from '../../contracts/api/index.ts';
import { topics, type Outgoing } from '../../contracts/topics.ts';

const silent = pino({ level: 'silent' });
const SITES = ['a', 'b', 'c'] as const;
type SiteId = (typeof SITES)[number];
const keys = { a: newSigningKeyPair(), b: newSigningKeyPair(), c: newSigningKeyPair() };
const MONTH = '2025-05';

interface Site {
  id: SiteId;
  h: HttpApp;
  net: Network;
  view: NetworkView;
  analytics: Analytics;
  sent: Outgoing[];
}

/** Three sites, bridged to each other; jonas (a member at a) coordinates the network. `share`: what c shares (a and b share all). */
async function network(cShares = { summaries: true, usageCounts: true }): Promise<Record<SiteId, Site>> {
  const sites = {} as Record<SiteId, Site>;
  for (const id of SITES) {
    const holder: { view: NetworkView | null } = { view: null };
    const h = await httpApp({
      edit: (raw) => {
        raw.broker.external = true;
        raw.network = {
          id: 'vest',
          site: id,
          broker: { url: 'mqtts://net.example:8883', ca: '/etc/ca.pem' },
          sites: SITES.map((s) => ({ id: s, name: `Sted ${s.toUpperCase()}`, publicKey: keys[s].publicKey })),
          share: id === 'c' ? { visiting: false, ...cShares } : { visiting: false, summaries: true, usageCounts: true },
          coordinators: id === 'a' ? ['Jonas@Kystkontor.dk'] : [],
        };
      },
      deps: { networkView: { overview: () => holder.view!.overview(), report: (m) => holder.view!.report(m) } },
    });
    const config = h.config;
    const analytics = new Analytics(config, h.history, () => h.clock.now);
    const views = createViews({ config, store: h.store, presence: h.presence, now: () => h.clock.now });
    const sent: Outgoing[] = [];
    const send = (m: Outgoing) => {
      sent.push(m);
      for (const other of SITES) if (other !== id) sites[other]?.net.handle(m.topic, Buffer.from(m.payload));
      return Promise.resolve();
    };
    const view = new NetworkView({
      network: config.network!,
      siteName: config.site.name,
      timeZone: config.site.timeZone,
      desks: config.desks.length,
      zones: () => zoneOccupancy(config, deskStates(views)),
      totals: (month) => reportTotals(analytics, config, month),
      networkVisits: (from, to) => h.store.network.visitsAt(id, from, to),
      send,
      now: () => h.clock.now,
      log: silent,
    });
    holder.view = view;
    const net = new Network({
      network: config.network!,
      secrets: { key: 'network-key-shared-by-every-site', mqttPassword: 'x'.repeat(20), signingKey: keys[id].privateKey },
      siteName: config.site.name,
      timeZone: config.site.timeZone,
      repo: () => h.store.network,
      log: silent,
      now: () => h.clock.now,
      send,
      recompile: () => undefined,
      shared: view,
    });
    sites[id] = { id, h, net, view, analytics, sent };
  }
  return sites;
}

const desk = (h: HttpApp, id: string, occupied: boolean) =>
  h.ingest.handle(topics(h.config.site.id).deskOccupancy(id), JSON.stringify({ v: 1, ts: h.clock.now, desk: id, occupied, since: h.clock.now }));

let seq = 0;
const eventId = () => `0196a5e0-0000-7000-8000-${String(++seq).padStart(12, '0')}`;

/** A different month at each site: `n` member-days, a desk in use 08–18 on `n` days. */
async function history(s: Site, n: number): Promise<void> {
  const members = ['jonas', 'sofie', 'lars'];
  for (let d = 0; d < n; d++) {
    const day = 5 + d;
    s.h.doorEvent({ id: eventId(), member: members[d % 3], ts: Date.UTC(2025, 4, day, 7) });
    s.h.doorEvent({ id: eventId(), member: members[d % 3], ts: Date.UTC(2025, 4, day, 11) });
    await s.h.history.write([
      occupancyPoint({ v: 1, desk: 'd01', occupied: true, since: Date.UTC(2025, 4, day, 6), ts: Date.UTC(2025, 4, day, 6) }, 'open-space'),
      occupancyPoint({ v: 1, desk: 'd01', occupied: false, since: Date.UTC(2025, 4, day, 16), ts: Date.UTC(2025, 4, day, 16) }, 'open-space'),
    ]);
  }
  await s.h.drained();
}

const figures = (t: { visits: number; uniqueMembers: number; entries: number; deskHours: number; utilisation: number | null }) => ({
  visits: t.visits,
  visitors: t.uniqueMembers,
  entries: t.entries,
  deskHours: t.deskHours,
  utilisation: t.utilisation,
});

describe('network view', () => {
  it('the network report is each site’s own funder report per space, and their sum in all', async () => {
    const s = await network();
    await history(s.a, 2);
    await history(s.b, 3);
    await history(s.c, 1);
    const later = Date.UTC(2025, 4, 20, 10);
    for (const id of SITES) {
      s[id].h.clock.now = later;
      await s[id].view.tick();
    }
    // What crosses: retained QoS 1 on the site's own topics, counts only.
    const usage = s.b.sent.find((m) => m.topic === `net/vest/site/b/usage/${MONTH}`);
    expect(usage).toMatchObject({ qos: 1, retain: true });
    expect(usage!.payload).not.toMatch(/jonas|sofie|lars/);
    expect(s.b.sent.find((m) => m.topic === 'net/vest/site/b/summary')).toMatchObject({ qos: 1, retain: true });

    const report = JSON.parse(
      expectReply<string>('networkReport', await s.a.h.call('networkReport', { as: 'jonas', query: { month: MONTH } })),
    ) as NetworkReport;
    const own = await Promise.all(SITES.map(async (id) => (await funderReport(s[id].analytics, s[id].h.config, MONTH, later)).total));
    expect(own.map((t) => t.visits)).toEqual([2, 3, 1]);
    expect(own.every((t) => t.deskHours > 0)).toBe(true);
    expect(report.reporting).toBe(3);
    expect(report.spaces.map((r) => r.site)).toEqual(['a', 'b', 'c']);
    report.spaces.forEach((row, i) => expect(row.usage).toMatchObject(figures(own[i]!)));
    expect(report.total).toMatchObject({
      visits: own.reduce((n, t) => n + t.visits, 0),
      visitors: own.reduce((n, t) => n + t.uniqueMembers, 0),
      entries: own.reduce((n, t) => n + t.entries, 0),
      desks: 3 * s.a.h.config.desks.length,
    });
    expect(report.total.deskHours).toBeCloseTo(
      own.reduce((n, t) => n + t.deskHours, 0),
      9,
    );
    const openHours = own.reduce((n, t) => n + t.openDeskHours, 0);
    expect(report.total.utilisation).toBeCloseTo(own.reduce((n, t) => n + (t.utilisation ?? 0) * t.openDeskHours, 0) / openHours, 9);

    // The same in Danish CSV: `;`, decimal commas, a row per space and the total.
    const csv = expectReply<string>('networkReport', await s.a.h.call('networkReport', { as: 'jonas', query: { month: MONTH, format: 'csv', lang: 'da' } }));
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Sted;Besøg;Medlemmer;Netværksbesøg;Indgange;Pladstimer;Udnyttelse %;Pladser');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^Sted B;3;3;0;6;30,0;\d+,\d;\d+$/);
    expect(lines[4]!.startsWith(`I alt;6;`)).toBe(true);
  });

  it('shows each space’s live free desks, stale when old, and this month’s usage; its own from its own figures', async () => {
    const s = await network({ summaries: true, usageCounts: false });
    for (const id of SITES) {
      // Every desk known and free.
      const { h } = s[id];
      h.presence.update({ v: 1, ts: T0, gateway: 'gw-main', state: 'online' }, T0);
      for (const d of h.config.desks) desk(h, d.id, false);
      await s[id].view.tick();
    }
    // b's desk d01 is taken now: b publishes on its next round.
    desk(s.b.h, 'd01', true);
    s.b.h.clock.now = T0 + 31_000;
    await s.b.view.tick();
    const o = expectReply<NetworkOverview>('network', await s.a.h.call('network', { as: 'jonas' }));
    const [a, b, c] = o.spaces;
    expect(o.month).toBe(MONTH);
    expect(a).toMatchObject({ site: 'a', self: true, live: { stale: false }, usage: { visits: 0 } });
    expect(a!.live).toMatchObject({ desks: s.a.h.config.desks.length, free: s.a.h.config.desks.length, unknown: 0 });
    expect(b!.live!.free).toBe(a!.live!.free - 1);
    expect(c).toMatchObject({ site: 'c', usage: null, live: { stale: false } });
    // c goes quiet: after a few minutes its summary is stale.
    s.a.h.clock.now = T0 + NET_STALE_MS + 1;
    const later = expectReply<NetworkOverview>('network', await s.a.h.call('network', { as: 'jonas' }));
    expect(later.spaces[2]!.live!.stale).toBe(true);
    expect(later.spaces[0]!.live!.stale).toBe(false);
  });

  it('publishes the summary on change and every two minutes unchanged; the month’s usage again at the month’s change', async () => {
    const s = await network();
    const { h, view, sent } = s.a;
    const kinds = () => sent.map((m) => m.topic.replace('net/vest/site/a/', ''));
    h.presence.update({ v: 1, ts: T0, gateway: 'gw-main', state: 'online' }, T0);
    for (const d of h.config.desks) desk(h, d.id, false);
    await view.tick();
    expect(kinds()).toEqual(['summary', `usage/${MONTH}`]);
    // Nothing changed: nothing sent.
    h.clock.now = T0 + 30_000;
    await view.tick();
    expect(sent).toHaveLength(2);
    // A desk taken: the summary at the next round, with one free desk less.
    desk(h, 'd01', true);
    h.clock.now = T0 + 60_000;
    await view.tick();
    expect(kinds()).toEqual(['summary', `usage/${MONTH}`, 'summary']);
    const [first, second] = sent.filter((m) => m.topic.endsWith('/summary')).map((m) => JSON.parse(m.payload) as { free: number });
    expect(second!.free).toBe(first!.free - 1);
    // Unchanged for two minutes: sent again (its ts says the space is there).
    h.clock.now = T0 + 60_000 + 120_000;
    await view.tick();
    expect(kinds().filter((k) => k === 'summary')).toHaveLength(3);
    // 1 June, 00:05 in Copenhagen: May's last word, then June's.
    h.clock.now = Date.UTC(2025, 4, 31, 22, 5);
    sent.length = 0;
    await view.tick();
    expect(kinds().filter((k) => k.startsWith('usage/'))).toEqual(['usage/2025-05', 'usage/2025-06']);
  });

  it('drops and counts a payload that is not a summary, and one from a site outside the network', async () => {
    const s = await network();
    const t = netTopics('vest');
    s.a.net.handle(t.topic('summary', 'b'), Buffer.from('{"v":1,"ts":1,"site":"b","desks":-1}'));
    s.a.net.handle(t.topic('summary', 'b'), Buffer.from('not json'));
    s.a.net.handle(t.topic('usage', 'b', '2025-05'), Buffer.from(JSON.stringify({ v: 1, ts: 1, site: 'b', month: '2025-04' })));
    s.a.net.handle(t.topic('summary', 'zz'), Buffer.from(JSON.stringify({ v: 1, ts: 1, site: 'zz', desks: 1, free: 1, unknown: 0, zones: [] })));
    const o = expectReply<NetworkOverview>('network', await s.a.h.call('network', { as: 'jonas' }));
    expect(o.dropped).toEqual({ invalid: 3, unknownSite: 1 });
    expect(o.spaces.map((x) => x.site)).toEqual(['a', 'b', 'c']);
    expect(o.spaces[1]!.live).toBeNull();
  });

  it('is for the network’s coordinators only, whatever their role; 404 at a site in no network', async () => {
    const s = await network();
    for (const who of ['mette', 'ida', 'sofie'] as const) {
      expectRefusal('network', await s.a.h.call('network', { as: who }), 403, 'forbidden');
      expectRefusal('networkReport', await s.a.h.call('networkReport', { as: who, query: { month: MONTH } }), 403, 'forbidden');
    }
    expectRefusal('network', await s.a.h.call('network', { token: AUTOMATION_TOKEN }), 403, 'forbidden');
    // jonas coordinates at a only.
    expectRefusal('network', await s.b.h.call('network', { as: 'jonas' }), 403, 'forbidden');
    expect(expectReply('me', await s.a.h.call('me', { as: 'jonas' }))).toMatchObject({ coordinator: true });
    expect(expectReply('me', await s.a.h.call('me', { as: 'ida' }))).not.toHaveProperty('coordinator');
    const alone = await httpApp();
    expectRefusal('network', await alone.call('network', { as: 'ida' }), 404, 'not-found');
  });
});
