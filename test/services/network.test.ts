// A network of spaces, in process: two sites' Network modules (services/network) wired to each
// other as their bridges would (a message one publishes is handed to the other), each with its
// own in-memory database; the visited site's entries go through the real signed access list and
// the gateway's decision. Fixed clock (mid-December, Copenhagen): no wall-clock assertion.
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { openMemoryStore, type Store } from '../../services/db/store.ts';
import { Network } from '../../services/network/network.ts';
import { fingerprint, networkFingerprint, newSigningKeyPair, signEd25519 } from '../../contracts/signing.ts';
import { netTopics, type Visa } from '../../contracts/network.ts';
import { signList } from '../../services/access/sign-list.ts';
import { AccessList } from '../../gateway/access/access-list.ts';
import { PAYLOAD_VERSION } from '../../contracts/payloads.ts';
import type { NetworkConfig } from '../../config/schema.ts';
import type { Outgoing } from '../../contracts/topics.ts';
import { bridgeConf } from '../../scripts/lib/mosquitto-config.ts';
import { makeTestSite } from '../helpers/site.ts';

const silent = pino({ level: 'silent' });
const TZ = 'Europe/Copenhagen';
const DAY1 = Date.UTC(2026, 11, 10, 9); // 10:00 local
const DAY2 = Date.UTC(2026, 11, 11, 9);
const NET_KEY = 'network-key-shared-by-every-site';
const UID = '0400445566';
const keys = { a: newSigningKeyPair(), b: newSigningKeyPair(), c: newSigningKeyPair() };

function netConfig(site: 'a' | 'b'): NetworkConfig {
  return {
    id: 'vest',
    site,
    broker: { url: 'mqtts://net.example:8883', ca: '/etc/ca.pem' },
    sites: (['a', 'b', 'c'] as const).map((id) => ({ id, name: `Site ${id}`, publicKey: keys[id].publicKey })),
    share: { visiting: true, summaries: false, usageCounts: false },
    visiting: { daysPerMonth: 1, doors: ['front'], offline: true },
    visaDays: 7,
    coordinators: [],
    usageEveryS: 600,
  };
}

interface Site {
  net: Network;
  store: Store;
  sent: Outgoing[];
  recompiles: number;
  clock: { now: number };
}

type EditNetwork = (n: NetworkConfig, id: 'a' | 'b') => void;

function site(id: 'a' | 'b', deliver: (m: Outgoing) => void, edit?: EditNetwork): Site {
  const store = openMemoryStore();
  const clock = { now: DAY1 };
  const s: Site = { store, sent: [], recompiles: 0, clock } as unknown as Site;
  const network = netConfig(id);
  edit?.(network, id);
  s.net = new Network({
    network,
    secrets: { key: NET_KEY, mqttPassword: 'x'.repeat(20), signingKey: keys[id].privateKey },
    siteName: `Site ${id}`,
    timeZone: TZ,
    doors: [{ id: 'front', name: 'Hoveddør' }],
    repo: () => store.network,
    log: silent,
    now: () => clock.now,
    send: (m) => {
      s.sent.push(m);
      deliver(m);
      return Promise.resolve();
    },
    recompile: () => void s.recompiles++,
  });
  return s;
}

/** Site A (home of Lars, a network member) and site B (visited), bridged to each other. */
function network(edit?: EditNetwork) {
  const sites: Partial<Record<'a' | 'b', Site>> = {};
  const to = (target: 'a' | 'b') => (m: Outgoing) => sites[target]?.net.handle(m.topic, Buffer.from(m.payload));
  const a = (sites.a = site('a', to('b'), edit));
  const b = (sites.b = site('b', to('a'), edit));
  a.store.plans.upsert({ id: 'resident', name: 'Resident', doors: ['front'], windows: [], offline: true, validFrom: null, validTo: null }, DAY1);
  a.store.members.insert(
    {
      id: 'lars',
      name: 'Lars',
      email: 'lars@a.dk',
      passwordHash: '!',
      role: 'member',
      plan: 'resident',
      presenceOptIn: false,
      active: true,
      networkMember: true,
    },
    DAY1,
  );
  const siteFp = fingerprint('site-a-key-abcdefghijkl', UID);
  a.store.credentials.insert({ member: 'lars', fingerprint: siteFp }, DAY1);
  a.store.network.setNetFingerprint(siteFp, networkFingerprint(NET_KEY, UID));
  return { a, b };
}

/** What B's gateway for `front` decides for Lars's card at `now`, from B's compiled entries. */
function decideAtB(b: Site, now: number) {
  const { entries } = b.net.entries(new Set(['front']), now);
  const list = signList({ entries, gateway: 'gw-b', timeZone: TZ, ts: now, v: PAYLOAD_VERSION, version: 1 }, 'gateway-b-key-abcdefgh');
  const acl = new AccessList({ gatewayId: 'gw-b', key: 'gateway-b-key-abcdefgh', offlineOnly: () => false });
  expect(acl.offer(list).outcome).toBe('accepted');
  return acl.decide('front', networkFingerprint(NET_KEY, UID), now);
}

describe('coworking visa between two sites', () => {
  it('admits a network member of A at B by the network fingerprint only, signed by A', async () => {
    const { a, b } = network();
    await a.net.sync();
    const visa = JSON.parse(a.sent[0]!.payload) as Visa;
    expect(a.sent[0]).toMatchObject({ topic: `net/vest/site/a/visa/${visa.grant}`, qos: 1, retain: true });
    // Neither the uid nor A's site fingerprint crosses; the grant id names nobody.
    expect(a.sent[0]!.payload).not.toContain(UID);
    expect(a.sent[0]!.payload).not.toContain(fingerprint('site-a-key-abcdefghijkl', UID));
    expect(visa.grant).not.toContain('lars');
    expect(b.recompiles).toBe(1);
    expect(decideAtB(b, DAY1)).toEqual({ decision: 'granted', reason: 'ok', member: visa.grant });
    // A non-member's card is unknown at B.
    expect(b.net.entries(new Set(['front']), DAY1).entries.map((e) => e.fp)).toEqual([networkFingerprint(NET_KEY, UID)]);
  });

  it('drops a visa that another site forged in the home site’s name', () => {
    const { b } = network();
    const forged = signEd25519(
      { v: PAYLOAD_VERSION, ts: DAY1, grant: 'v.a.forged', home: 'a', fp: networkFingerprint(NET_KEY, '0499999999'), until: DAY2, revoked: false } as Visa,
      keys.c.privateKey,
    );
    b.net.handle(netTopics('vest').topic('visa', 'a', 'v.a.forged'), Buffer.from(JSON.stringify(forged)));
    expect(b.net.entries(new Set(['front']), DAY1).entries).toEqual([]);
    expect(b.recompiles).toBe(0);
  });

  it('counts a visit day at both ends and refuses at B once the month’s days are used', async () => {
    const { a, b } = network();
    await a.net.sync();
    const grant = (JSON.parse(a.sent[0]!.payload) as Visa).grant;
    b.net.doorEvent(Buffer.from(JSON.stringify({ type: 'access', decision: 'granted', member: grant, ts: DAY1 })));
    // The same day again (a second tap, a redelivered event): one visit, one report.
    b.net.doorEvent(Buffer.from(JSON.stringify({ type: 'access', decision: 'granted', member: grant, ts: DAY1 + 3600_000 })));
    const reports = b.sent.filter((m) => m.topic.includes('/visit/'));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ topic: `net/vest/site/b/visit/b.${grant}.2026-12-10`, qos: 1, retain: false });
    a.net.handle(reports[0]!.topic, Buffer.from(reports[0]!.payload));
    expect(a.store.network.visitsOf('lars')).toEqual([expect.objectContaining({ grant, site: 'b', day: '2026-12-10' })]);
    // The last day of the quota may be finished (until the end of that local day, offline too)…
    expect(decideAtB(b, DAY1 + 2 * 3600_000)).toMatchObject({ decision: 'granted' });
    const [entry] = b.net.entries(new Set(['front']), DAY1).entries;
    expect(entry?.until).toBe(Date.UTC(2026, 11, 10, 23));
    // …the next day is refused by name, not as an unknown card.
    expect(decideAtB(b, DAY2)).toEqual({ decision: 'denied', reason: 'visits-used', member: grant });
  });

  it('revokes at home when the member withdraws; B drops the entry at its next compile', async () => {
    const { a, b } = network();
    await a.net.sync();
    expect(decideAtB(b, DAY1).decision).toBe('granted');
    a.store.members.update('lars', { networkMember: false });
    a.clock.now = DAY1 + 60_000;
    await a.net.sync();
    const last = JSON.parse(a.sent.at(-1)!.payload) as Visa;
    expect(last.revoked).toBe(true);
    expect(b.recompiles).toBe(2);
    expect(decideAtB(b, DAY1 + 60_000)).toEqual({ decision: 'denied', reason: 'unknown-credential' });
    // An older copy of the grant arriving late does not bring it back.
    b.net.handle(a.sent[0]!.topic, Buffer.from(a.sent[0]!.payload));
    expect(decideAtB(b, DAY1 + 60_000).reason).toBe('unknown-credential');
  });

  it('expires offline by the visa’s validity, without any word from home', async () => {
    const { a, b } = network();
    await a.net.sync();
    const visa = JSON.parse(a.sent[0]!.payload) as Visa;
    // The list compiled while the visa was valid, kept by a gateway that hears nothing more.
    const { entries } = b.net.entries(new Set(['front']), DAY1);
    expect(entries[0]?.until).toBe(visa.until);
    const list = signList({ entries, gateway: 'gw-b', timeZone: TZ, ts: DAY1, v: PAYLOAD_VERSION, version: 1 }, 'gateway-b-key-abcdefgh');
    const acl = new AccessList({ gatewayId: 'gw-b', key: 'gateway-b-key-abcdefgh', offlineOnly: () => true });
    acl.offer(list);
    expect(acl.decide('front', networkFingerprint(NET_KEY, UID), visa.until - 1).decision).toBe('granted');
    expect(acl.decide('front', networkFingerprint(NET_KEY, UID), visa.until).reason).toBe('expired');
  });
});

describe('the home site’s own quota (network.homeDaysPerMonth)', () => {
  const tapAtB = (b: Site, grant: string, ts: number) =>
    b.net.doorEvent(Buffer.from(JSON.stringify({ type: 'access', decision: 'granted', member: grant, ts })));

  it('stops vouching on the day the member’s days elsewhere reach it: the visa ends that day, offline too, and is renewed next month', async () => {
    // B would allow 5 days; A allows its members 2 a month, all sites together.
    const { a, b } = network((n, id) => {
      if (id === 'a') n.homeDaysPerMonth = 2;
      else n.visiting.daysPerMonth = 5;
    });
    await a.net.sync();
    const first = JSON.parse(a.sent[0]!.payload) as Visa;
    expect(first.until).toBe(DAY1 + 7 * 86_400_000);
    tapAtB(b, first.grant, DAY1);
    expect(a.store.network.visitsOf('lars')).toHaveLength(1);
    const sentBefore = a.sent.length;
    await a.net.sync(); // one day of two: nothing changes
    expect(a.sent).toHaveLength(sentBefore);

    // The second day reaches A's quota: the report asks A for a recompile; its sync shortens the visa.
    const recompiles = a.recompiles;
    tapAtB(b, first.grant, DAY2);
    expect(a.recompiles).toBe(recompiles + 1);
    a.clock.now = DAY2 + 60_000;
    await a.net.sync();
    const short = JSON.parse(a.sent.at(-1)!.payload) as Visa;
    const endOfDay2 = Date.UTC(2026, 11, 11, 23); // midnight in Copenhagen
    expect(short).toMatchObject({ grant: first.grant, revoked: false, until: endOfDay2 });
    // B takes the newer word: the member may finish the day…
    expect(decideAtB(b, DAY2 + 3600_000)).toMatchObject({ decision: 'granted' });
    // …and the list B compiled then ends it at midnight, also for a gateway that hears nothing more.
    const { entries } = b.net.entries(new Set(['front']), DAY2 + 3600_000);
    expect(entries[0]?.until).toBe(endOfDay2);
    const list = signList({ entries, gateway: 'gw-b', timeZone: TZ, ts: DAY2, v: PAYLOAD_VERSION, version: 1 }, 'gateway-b-key-abcdefgh');
    const acl = new AccessList({ gatewayId: 'gw-b', key: 'gateway-b-key-abcdefgh', offlineOnly: () => true });
    acl.offer(list);
    expect(acl.decide('front', networkFingerprint(NET_KEY, UID), endOfDay2 - 1).decision).toBe('granted');
    expect(acl.decide('front', networkFingerprint(NET_KEY, UID), endOfDay2).reason).toBe('expired');
    // The rest of the month A re-issues nothing (no renewal at half-time).
    const sentShort = a.sent.length;
    a.clock.now = Date.UTC(2026, 11, 20, 9);
    await a.net.sync();
    expect(a.sent).toHaveLength(sentShort);
    expect(decideAtB(b, a.clock.now).decision).toBe('denied');

    // A new month: a full visa again, same grant.
    const jan = Date.UTC(2027, 0, 1, 9);
    a.clock.now = jan;
    await a.net.sync();
    expect(JSON.parse(a.sent.at(-1)!.payload) as Visa).toMatchObject({ grant: first.grant, until: jan + 7 * 86_400_000, revoked: false });
    expect(decideAtB(b, jan)).toMatchObject({ decision: 'granted' });
  });

  it('without it, only the visited site counts (the visa is renewed at half-time as before)', async () => {
    const { a, b } = network((n, id) => {
      if (id === 'b') n.visiting.daysPerMonth = 5;
    });
    await a.net.sync();
    const first = JSON.parse(a.sent[0]!.payload) as Visa;
    tapAtB(b, first.grant, DAY1);
    tapAtB(b, first.grant, DAY2);
    expect(a.recompiles).toBe(0);
    a.clock.now = DAY2;
    await a.net.sync();
    expect(a.sent).toHaveLength(1);
  });
});

describe('announcements', () => {
  it('carry a site’s rules for visitors with its door names; the other sites keep the latest', async () => {
    const { a, b } = network();
    await b.net.announce();
    expect(a.store.network.announces()).toEqual([
      {
        v: PAYLOAD_VERSION,
        ts: DAY1,
        site: 'b',
        name: 'Site b',
        shares: { visiting: true, summaries: false, usageCounts: false },
        visiting: { daysPerMonth: 1, doors: [{ id: 'front', name: 'Hoveddør' }], windows: [], timeZone: TZ },
      },
    ]);
    // One that does not name its own topic's site is dropped.
    a.net.handle(netTopics('vest').topic('announce', 'c'), Buffer.from(JSON.stringify({ ...JSON.parse(b.sent[0]!.payload), site: 'b' })));
    expect(a.store.network.announces().map((x) => x.site)).toEqual(['b']);
  });
});

describe('the Mosquitto bridge of a networked site', () => {
  it('sends only its own subtree and takes in each other site by name (loop-free), QoS 1, persistent, TLS', () => {
    const n = netConfig('a');
    const text = bridgeConf(
      { network: n } as never,
      { network: { key: NET_KEY, mqttPassword: 'site-a-network-password', signingKey: keys.a.privateKey } } as never,
    );
    const topicsLines = text.split('\n').filter((l) => l.startsWith('topic '));
    expect(topicsLines).toEqual(['topic net/vest/site/a/# out 1', 'topic net/vest/site/b/# in 1', 'topic net/vest/site/c/# in 1']);
    expect(text).toContain('cleansession false');
    expect(text).toContain('bridge_cafile /etc/ca.pem');
    expect(text).toContain('address net.example:8883');
    expect(text).toContain('remote_username site.a');
  });
});

describe('network config', () => {
  it('refuses a networked site on the embedded broker, naming the key, and one missing its network secrets', async () => {
    const withNetwork = (external: boolean) => (raw: Record<string, unknown>) => {
      (raw.broker as Record<string, unknown>).external = external;
      raw.network = { ...netConfig('a'), share: { visiting: true }, visiting: { doors: ['front'] } };
    };
    await expect(makeTestSite(withNetwork(false), { ports: false })).rejects.toThrow(/^network: needs broker.external: true/);
    await expect(makeTestSite(withNetwork(true), { ports: false })).rejects.toThrow(/^secrets.network: missing, required for network "vest"/);
    const site = await makeTestSite(withNetwork(true), {
      ports: false,
      secrets: { network: { key: NET_KEY, mqttPassword: 'site-a-network-password', signingKey: keys.a.privateKey } },
    });
    try {
      // Defaults: two visit days a month, offline allowed, a week's visa; summaries and counts off.
      expect(site.config.network).toMatchObject({
        visaDays: 7,
        share: { visiting: true, summaries: false, usageCounts: false },
        visiting: { daysPerMonth: 2, offline: true },
      });
    } finally {
      site.cleanup();
    }
  });
});
