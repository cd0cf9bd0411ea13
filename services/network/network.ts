// A site in a network of spaces (issue 18; README, "Network of spaces"). The services publish
// and read `net/<network>/site/…` over their own broker link; Mosquitto's bridge carries that
// subtree to the network broker and back (scripts/lib/mosquitto-config.ts). This module:
//
// - home side: a signed visa per live card of each active network member (when the site shares
//   visiting), renewed before it ends, revoked (a signed `revoked: true` on the same retained
//   topic) when the member withdraws, is suspended or the card is revoked; visit days that
//   visited sites report are stored once each (counted at home);
// - visited side: other sites' visas, checked against their Ed25519 public key, become access
//   list entries under this site's visiting rules (doors, windows, days per month), keyed by
//   the network fingerprint, so the visited door decides offline; a granted visit on a visa is
//   counted once per local day here and reported back home.
//
// Runs inside AccessLists' serialised compile (sync() before, entries() during), so a visa or
// a visit changes the gateways' lists by the same path as any member change.
import { randomBytes } from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { AclEntry } from '../../contracts/payloads.ts';
import { NET_SCHEMAS, netTopics, parseNetTopic, type NetKind, type NetPayloadOf, type ParsedNetTopic, type Visa } from '../../contracts/network.ts';
import { signEd25519, verifyEd25519 } from '../../contracts/signing.ts';
import { addDays, localDate, startOfLocalDay } from '../../contracts/local-time.ts';
import type { NetworkConfig, Secrets } from '../../config/schema.ts';
import type { Outgoing } from '../../contracts/topics.ts';
import type { Logger } from '../../runtime/log.ts';
import type { NetworkRepo } from '../db/network-repo.ts';
import { PAYLOAD_VERSION } from '../../contracts/payloads.ts';
import { homeQuotaEnd } from './home-quota.ts';

const CHECK = {
  announce: TypeCompiler.Compile(NET_SCHEMAS.announce),
  visa: TypeCompiler.Compile(NET_SCHEMAS.visa),
  visit: TypeCompiler.Compile(NET_SCHEMAS.visit),
};
const DAY_MS = 86_400_000;

export interface NetworkOptions {
  network: NetworkConfig;
  secrets: NonNullable<Secrets['network']>;
  siteName: string;
  timeZone: string;
  /** The site's doors (for the names in its announcement of `visiting`). */
  doors?: readonly { id: string; name: string }[];
  repo: () => NetworkRepo;
  log: Logger;
  now: () => number;
  /** Sends one message over the services' broker link. */
  send: (m: Outgoing) => Promise<void>;
  /** Asks for a recompile of the access lists (a visa arrived, a quota was reached). */
  recompile: () => void;
  /** Takes the other sites' summaries and usage counts (services/network/summaries.ts). */
  shared?: { receive(p: ParsedNetTopic, raw: Buffer): void };
}

export interface VisitingEntries {
  entries: AclEntry[];
  nextChangeAt: number | null;
}

export class Network {
  readonly #o: NetworkOptions;
  readonly #t: ReturnType<typeof netTopics>;
  readonly #keys: Map<string, string>;

  constructor(opts: NetworkOptions) {
    this.#o = opts;
    this.#t = netTopics(opts.network.id);
    this.#keys = new Map(opts.network.sites.map((s) => [s.id, s.publicKey]));
  }

  get self(): string {
    return this.#o.network.site;
  }

  /** What the services subscribe to at QoS 1 (their persistent session queues it). */
  get subscriptions(): string[] {
    const shared = this.#o.shared ? [this.#t.wildcard('summary'), this.#t.wildcard('usage')] : [];
    return [this.#t.wildcard('announce'), this.#t.wildcard('visa'), this.#t.wildcard('visit'), ...shared];
  }

  #send<K extends NetKind>(kind: K, key: string | undefined, payload: NetPayloadOf[K]): Promise<void> {
    return this.#o
      .send(this.#t.message(kind, this.self, key, payload))
      .catch((err: unknown) => this.#o.log.warn({ err, kind, key }, 'network message not sent'));
  }

  /** On every (re)connect: the announcement and this site's visas again (retained; the bridge forwards them). */
  async announce(): Promise<void> {
    const { network, now, siteName } = this.#o;
    const sends: Promise<void>[] = [];
    const share = network.share;
    if (share.visiting || share.summaries || share.usageCounts) {
      const v = network.visiting;
      const name = (id: string) => this.#o.doors?.find((d) => d.id === id)?.name ?? id;
      const visiting = share.visiting
        ? { daysPerMonth: v.daysPerMonth, doors: v.doors.map((id) => ({ id, name: name(id) })), windows: v.windows ?? [], timeZone: this.#o.timeZone }
        : undefined;
      sends.push(
        this.#send('announce', undefined, {
          v: PAYLOAD_VERSION,
          ts: now(),
          site: this.self,
          name: siteName,
          shares: { ...share },
          ...(visiting ? { visiting } : {}),
        }),
      );
    }
    for (const v of this.#o.repo().issued(this.self)) sends.push(this.#send('visa', v.grant, v.payload));
    await Promise.all(sends);
  }

  /**
   * Home side, before each compile: a visa for each live card of an active network member
   * (renewed when less than half its validity is left), a revocation for each visa whose card
   * no longer qualifies.
   */
  async sync(): Promise<void> {
    const { network, secrets, now } = this.#o;
    const repo = this.#o.repo();
    const ts = now();
    const issued = repo.issued(this.self);
    const byCredential = new Map(issued.filter((v) => !v.revoked && v.credential !== null).map((v) => [v.credential!, v]));
    const sends: Promise<void>[] = [];
    const wanted = network.share.visiting ? repo.candidates() : [];
    const keep = new Set<string>();
    const validMs = network.visaDays * DAY_MS;
    for (const c of wanted) {
      const cur = byCredential.get(c.credential);
      // The home site's own cap (home-quota.ts): reached, the visa ends that day and is not renewed.
      const cap = homeQuotaEnd(repo.visitsOf(c.member), network.homeDaysPerMonth, ts, this.#o.timeZone);
      if (cur && cur.fp === c.fp && (cap === null ? cur.until - ts > validMs / 2 : cur.until <= cap)) {
        keep.add(cur.grant);
        continue;
      }
      const grant = cur?.grant ?? `v.${this.self}.${randomBytes(9).toString('hex')}`.slice(0, 64);
      const until = cap === null ? ts + validMs : Math.min(ts + validMs, cap);
      const visa = signEd25519({ v: PAYLOAD_VERSION, ts, grant, home: this.self, fp: c.fp, until, revoked: false } as Visa, secrets.signingKey);
      repo.putVisa(visa, { member: c.member, credential: c.credential });
      keep.add(grant);
      sends.push(this.#send('visa', grant, visa));
      this.#o.log.info({ grant, until: visa.until }, cap !== null ? 'visa ends with the home quota' : cur ? 'visa renewed' : 'visa issued');
    }
    for (const v of issued) {
      if (v.revoked || keep.has(v.grant)) continue;
      // The same grant, fp and until, marked revoked, with a newer ts: the retained topic's latest word.
      const { sig: _s, ...rest } = v.payload;
      const revoked = signEd25519({ ...rest, ts: Math.max(ts, v.ts + 1), revoked: true }, secrets.signingKey);
      repo.putVisa(revoked, v.member !== null && v.credential !== null ? { member: v.member, credential: v.credential } : undefined);
      sends.push(this.#send('visa', v.grant, revoked));
      this.#o.log.info({ grant: v.grant }, 'visa revoked');
    }
    await Promise.all(sends);
  }

  /**
   * Visited side: entries for the other sites' live visas on this gateway's doors, under the
   * visiting rules. A visa whose days this month are used is refused (`visits-used`), except on
   * a day already counted, which it may finish: until the end of that day (offline too).
   */
  entries(gatewayDoors: ReadonlySet<string>, now: number): VisitingEntries {
    const { network, timeZone } = this.#o;
    if (!network.share.visiting) return { entries: [], nextChangeAt: null };
    const doors = network.visiting.doors.filter((d) => gatewayDoors.has(d)).sort();
    if (doors.length === 0) return { entries: [], nextChangeAt: null };
    const repo = this.#o.repo();
    const today = localDate(now, timeZone);
    const monthStart = `${today.slice(0, 8)}01`;
    const endOfToday = startOfLocalDay(addDays(today, 1), timeZone);
    const windows = (network.visiting.windows ?? []).map((w) => ({ days: w.days, from: w.from, to: w.to }));
    const entries: AclEntry[] = [];
    let next: number | null = null;
    const bound = (t: number) => {
      if (t > now && (next === null || t < next)) next = t;
    };
    for (const v of repo.received(this.self)) {
      if (v.revoked || v.until <= now || !this.#keys.has(v.home)) continue;
      bound(v.until);
      const days = repo.visitDays(v.grant, this.self, monthStart, today);
      const used = days.length >= network.visiting.daysPerMonth;
      if (used && !days.includes(today)) {
        // Keys in sorted order (the list is its own canonical JSON, sign-list.ts).
        entries.push({ doors: [], fp: v.fp, member: v.grant, offline: false, refused: 'visits-used' });
        continue;
      }
      const until = used ? Math.min(v.until, endOfToday) : v.until;
      if (used) bound(endOfToday);
      const entry: AclEntry = { doors, fp: v.fp, member: v.grant, offline: network.visiting.offline, until };
      if (windows.length > 0) entry.windows = windows;
      entries.push(entry);
    }
    // A new day or month may free a visa whose days were used.
    if (entries.some((e) => e.refused === 'visits-used')) bound(endOfToday);
    return { entries, nextChangeAt: next };
  }

  /** A network message from the services' link; true when it was one (handled or dropped). */
  handle(topic: string, raw: Buffer): boolean {
    const p = parseNetTopic(topic);
    if (!p) return false;
    if (p.network !== this.#o.network.id || p.site === this.self) return true;
    if (p.kind === 'summary' || p.kind === 'usage') return (this.#o.shared?.receive(p, raw), true);
    let value: unknown;
    try {
      value = JSON.parse(raw.toString('utf8'));
    } catch {
      this.#o.log.warn({ topic }, 'network message dropped: not JSON');
      return true;
    }
    if (p.kind === 'visa') this.#visa(p.site, p.key!, value);
    else if (p.kind === 'visit') this.#visit(p.site, value);
    else if (p.kind === 'announce') this.#announce(p.site, value);
    return true;
  }

  #visa(site: string, key: string, value: unknown): void {
    const { log } = this.#o;
    const pub = this.#keys.get(site);
    if (!pub) return void log.warn({ site }, 'visa dropped: site not in network.sites');
    if (!CHECK.visa.Check(value)) return void log.warn({ site, key }, 'visa dropped: not a visa');
    if (value.home !== site || value.grant !== key) return void log.warn({ site, key }, 'visa dropped: home or grant differs from its topic');
    if (!verifyEd25519(value, pub)) return void log.warn({ site, grant: key }, 'visa dropped: bad signature');
    if (this.#o.repo().putVisa(value)) {
      log.info({ home: site, grant: key, revoked: value.revoked, until: value.until }, value.revoked ? 'visa revocation received' : 'visa received');
      this.#o.recompile();
    }
  }

  #announce(site: string, value: unknown): void {
    if (!this.#keys.has(site)) return;
    if (!CHECK.announce.Check(value) || value.site !== site) return void this.#o.log.warn({ site }, 'announcement dropped: not one');
    this.#o.repo().putAnnounce(value);
  }

  #visit(site: string, value: unknown): void {
    if (!CHECK.visit.Check(value) || value.site !== site) return void this.#o.log.warn({ site }, 'visit report dropped: not a visit');
    if (value.home !== this.self) return;
    const own = this.#o.repo().visa(value.grant);
    if (!own || own.home !== this.self) return void this.#o.log.warn({ site, grant: value.grant }, 'visit report dropped: not our visa');
    const { id, grant, home, day, ts } = value;
    if (this.#o.repo().addVisit({ id, grant, home, site, day, ts }, this.#o.now())) {
      this.#o.log.info({ site, grant, day }, 'visit counted at home');
      // The home quota may now be reached: sync() (before the compile) shortens the visas.
      if (this.#o.network.homeDaysPerMonth !== undefined) this.#o.recompile();
    }
  }

  /**
   * A stored door event (any): a granted access on another site's visa counts the day here,
   * once, and reports it home; when that uses the month's days, the lists are recompiled.
   */
  doorEvent(raw: Buffer): void {
    let e: { type?: unknown; decision?: unknown; member?: unknown; ts?: unknown };
    try {
      e = JSON.parse(raw.toString('utf8')) as typeof e;
    } catch {
      return;
    }
    if (e.type !== 'access' || e.decision !== 'granted' || typeof e.member !== 'string' || typeof e.ts !== 'number') return;
    const repo = this.#o.repo();
    const visa = repo.visa(e.member);
    if (!visa || visa.home === this.self) return;
    const day = localDate(e.ts, this.#o.timeZone);
    const visit = { id: `${this.self}.${visa.grant}.${day}`, grant: visa.grant, home: visa.home, site: this.self, day, ts: e.ts };
    if (!repo.addVisit(visit, this.#o.now())) return;
    this.#o.log.info({ home: visa.home, grant: visa.grant, day }, 'visit counted');
    void this.#send('visit', visit.id, { v: PAYLOAD_VERSION, ...visit });
    const monthStart = `${day.slice(0, 8)}01`;
    if (repo.visitDays(visa.grant, this.self, monthStart, day).length >= this.#o.network.visiting.daysPerMonth) this.#o.recompile();
  }
}
