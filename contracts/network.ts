// The network of spaces (issue 18): the topics and payloads that sites exchange through their
// brokers' bridges to the network broker. A subtree of its own, `net/<network>/site/<site>/…`,
// outside the site root: each site publishes only under its own `site/<id>/` and its bridge
// subscribes to the other sites' subtrees by name (scripts/lib/mosquitto-config.ts), so nothing
// comes back to where it came from (loop-free by construction, no `no-local` needed).
//
// What crosses: visas (a home site's signed grant or revocation for one of its network members,
// known only by HMAC(network key, uid)), visits (a visited site's report of a visit day back to
// the home site), and, when the site shares them, an announcement, occupancy summaries and
// anonymous usage counts. Nothing names a person: a visa carries a random grant id.
import { Type, type Static } from '@sinclair/typebox';
import { Hex64, Id } from './patterns.ts';
import { PAYLOAD_VERSION, TimeWindow } from './payloads.ts';

export const NET_ROOT = 'net';

const V = Type.Literal(PAYLOAD_VERSION);
const Ts = Type.Integer({ minimum: 0, description: 'epoch ms, UTC' });
/** Ed25519 signature, base64 (64 bytes). */
const Ed25519Sig = Type.String({ pattern: '^[A-Za-z0-9+/]{86}==$' });
const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/**
 * What a site offers visiting network members (with `shares.visiting`): its `network.visiting`
 * rules, door names included, so that a member's home site can show them where they may go.
 */
export const NetVisitingRules = Type.Object(
  {
    daysPerMonth: Type.Integer({ minimum: 1, maximum: 31 }),
    doors: Type.Array(Type.Object({ id: Id, name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }), { maxItems: 100 }),
    /** Empty: any time (in the visited site's `timeZone`). */
    windows: Type.Array(TimeWindow, { maxItems: 21 }),
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type NetVisitingRules = Static<typeof NetVisitingRules>;

/** A site says it is in the network and what it shares. Retained. */
export const NetAnnounce = Type.Object(
  {
    v: V,
    ts: Ts,
    site: Id,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    shares: Type.Object({ visiting: Type.Boolean(), summaries: Type.Boolean(), usageCounts: Type.Boolean() }, { additionalProperties: false }),
    /** Its rules for visitors, when it shares visiting. */
    visiting: Type.Optional(NetVisitingRules),
  },
  { additionalProperties: false },
);
export type NetAnnounce = Static<typeof NetAnnounce>;

/**
 * A coworking visa: the home site's grant for one network member's credential, or its
 * revocation (`revoked: true`, same topic, so the retained message a late joiner gets is the
 * latest word). `fp` = HMAC(network key, uid): never the uid, never the site fingerprint.
 * `sig`: Ed25519 by the home site's key over the canonical JSON without `sig`; other sites
 * verify with its public key from the network config and cannot forge one.
 */
export const Visa = Type.Object(
  {
    v: V,
    ts: Ts,
    /** Random, names nobody; also the visitor's id in the visited site's access list and events. */
    grant: Id,
    home: Id,
    fp: Hex64,
    /** Epoch ms: no door opens on this visa from then, offline too. */
    until: Ts,
    revoked: Type.Boolean(),
    sig: Ed25519Sig,
  },
  { additionalProperties: false },
);
export type Visa = Static<typeof Visa>;

/**
 * A visit day, from the visited site back to the home site (counted at both ends). `id` is
 * `<visited site>.<grant>.<day>`: a redelivered report is stored once.
 */
export const NetVisit = Type.Object(
  {
    v: V,
    ts: Ts,
    id: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,160}$' }),
    grant: Id,
    home: Id,
    site: Id,
    /** The visited site's local date of the visit. */
    day: LocalDate,
  },
  { additionalProperties: false },
);
export type NetVisit = Static<typeof NetVisit>;

/**
 * Live free desks of a site (when it shares summaries), in all and per zone: counts only, no
 * door, no person. `unknown`: desks whose sensors or gateway are silent (neither free nor taken).
 * Retained; published on change, at most every SUMMARY_MIN_INTERVAL_MS, and again every
 * SUMMARY_REFRESH_MS so that a reader can tell a quiet site from a gone one (NET_STALE_MS).
 */
export const NetSummary = Type.Object(
  {
    v: V,
    ts: Ts,
    site: Id,
    desks: Type.Integer({ minimum: 0 }),
    free: Type.Integer({ minimum: 0 }),
    unknown: Type.Integer({ minimum: 0 }),
    zones: Type.Array(
      Type.Object(
        { zone: Id, desks: Type.Integer({ minimum: 0 }), free: Type.Integer({ minimum: 0 }), unknown: Type.Integer({ minimum: 0 }) },
        { additionalProperties: false },
      ),
      { maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);
export type NetSummary = Static<typeof NetSummary>;

/**
 * Anonymous usage counts of a month (when the site shares them): no member, no card. Retained,
 * one per month. The figures are the site's own funder report's totals for that month
 * (services/analytics/report.ts reportTotals), so the network report adds up to the sites' own.
 */
export const NetUsage = Type.Object(
  {
    v: V,
    ts: Ts,
    site: Id,
    month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }),
    /** Member-days with a granted entry (the report's visits). */
    visits: Type.Integer({ minimum: 0 }),
    /** Distinct members let in this month, as a count (the report's unique members). */
    visitors: Type.Integer({ minimum: 0 }),
    /** Visit days of other sites' network members here. */
    networkVisits: Type.Integer({ minimum: 0 }),
    /** Granted entries. */
    entries: Type.Integer({ minimum: 0 }),
    /** Desk hours in use. */
    deskHours: Type.Number({ minimum: 0 }),
    /** Desk hours within opening hours with the sensors known: the utilisation's denominator. */
    openDeskHours: Type.Number({ minimum: 0 }),
    /** 0..1 within opening hours; null when the space was not open. */
    utilisation: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
    desks: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type NetUsage = Static<typeof NetUsage>;

/** A live summary is published on change at most this often (a desk flip is not news for another town). */
export const SUMMARY_MIN_INTERVAL_MS = 30_000;
/** …and again, unchanged, this often: its `ts` says the site is still there. */
export const SUMMARY_REFRESH_MS = 120_000;
/** A summary older than this is shown as stale (two refreshes missed, and some). */
export const NET_STALE_MS = 5 * 60_000;

export interface NetRow {
  /** Level under `site/<site>/`. */
  readonly leaf: string;
  /** True when a further `/<id>` level follows (one message per grant, visit or month). */
  readonly keyed: boolean;
  readonly retain: boolean;
  readonly qos: 1;
}

/** One row per kind of network topic. All QoS 1 (the bridges queue them while a link is down). */
export const NET_TOPICS = {
  announce: { leaf: 'announce', keyed: false, retain: true, qos: 1 },
  visa: { leaf: 'visa', keyed: true, retain: true, qos: 1 },
  visit: { leaf: 'visit', keyed: true, retain: false, qos: 1 },
  summary: { leaf: 'summary', keyed: false, retain: true, qos: 1 },
  usage: { leaf: 'usage', keyed: true, retain: true, qos: 1 },
} as const satisfies Record<string, NetRow>;
export type NetKind = keyof typeof NET_TOPICS;
export const NET_KINDS = Object.keys(NET_TOPICS) as NetKind[];
export const NET_SCHEMAS = { announce: NetAnnounce, visa: Visa, visit: NetVisit, summary: NetSummary, usage: NetUsage } as const;
export type NetPayloadOf = { [K in NetKind]: Static<(typeof NET_SCHEMAS)[K]> };

const SEG = /^[A-Za-z0-9_.-]{1,160}$/;
function seg(s: string): string {
  if (!SEG.test(s)) throw new Error(`invalid network topic level: ${JSON.stringify(s)}`);
  return s;
}

/** Topic builders for one network, seen from one site. */
export function netTopics(network: string) {
  const root = `${NET_ROOT}/${seg(network)}`;
  const siteRoot = (site: string) => `${root}/site/${seg(site)}`;
  const topic = (kind: NetKind, site: string, key?: string): string => {
    const row = NET_TOPICS[kind];
    if (row.keyed !== (key !== undefined)) throw new Error(`network topic ${kind}: ${row.keyed ? 'needs' : 'takes no'} key`);
    return `${siteRoot(site)}/${row.leaf}${key === undefined ? '' : `/${seg(key)}`}`;
  };
  return {
    root,
    siteRoot,
    /** Everything a site publishes (its bridge's `out` pattern). */
    siteAll: (site: string) => `${siteRoot(site)}/#`,
    topic,
    /** One kind from one site (`+` for every site), every key. */
    wildcard: (kind: NetKind, site = '+') => `${root}/site/${site === '+' ? '+' : seg(site)}/${NET_TOPICS[kind].leaf}${NET_TOPICS[kind].keyed ? '/+' : ''}`,
    message: <K extends NetKind>(kind: K, site: string, key: string | undefined, payload: NetPayloadOf[K]) => ({
      topic: topic(kind, site, key),
      payload: JSON.stringify(payload),
      qos: NET_TOPICS[kind].qos,
      retain: NET_TOPICS[kind].retain,
    }),
  } as const;
}

export interface ParsedNetTopic {
  network: string;
  site: string;
  kind: NetKind;
  key?: string;
}

const BY_LEAF = new Map<string, NetKind>(NET_KINDS.map((k) => [NET_TOPICS[k].leaf, k]));

/** Parses a network topic; null for anything else. */
export function parseNetTopic(topic: string): ParsedNetTopic | null {
  const p = topic.split('/');
  if (p[0] !== NET_ROOT || p[2] !== 'site' || p.length < 5 || p.length > 6) return null;
  const [, network, , site, leaf, key] = p as [string, string, string, string, string, string | undefined];
  const kind = BY_LEAF.get(leaf);
  if (!kind || !SEG.test(network) || !SEG.test(site) || NET_TOPICS[kind].keyed !== (key !== undefined) || (key !== undefined && !SEG.test(key))) return null;
  return key === undefined ? { network, site, kind } : { network, site, kind, key };
}
