// The network view (issue 18 part 4): what a site shares of itself beyond visas, and what it
// keeps of the others'. With `network.share.summaries` it publishes its live free desks (per
// zone and in all; counts only) on its retained `summary` topic: on change, at most every
// SUMMARY_MIN_INTERVAL_MS (a desk flipping is no news in another town, and 500 sites × one
// message a desk change would be the network broker's whole load), and unchanged every
// SUMMARY_REFRESH_MS so a reader can tell a quiet space from a gone one. With
// `share.usageCounts` it publishes the month's usage counts, retained per month: the totals of
// its own funder report (reportTotals, one computation), the current month every
// `network.usageEveryS` (default 10 minutes) when they changed, and the previous month once more at the month's change.
//
// Every networked site keeps the latest summary and usage of each other site from the bridged
// retained topics (in memory: the site's Mosquitto keeps retained messages and hands them over
// again at each subscribe, also after a restart). A payload that fails its schema, or comes
// from a site not in `network.sites`, is dropped and counted, never thrown.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  NET_SCHEMAS,
  NET_STALE_MS,
  SUMMARY_MIN_INTERVAL_MS,
  SUMMARY_REFRESH_MS,
  netTopics,
  type NetSummary,
  type NetUsage,
  type ParsedNetTopic,
} from '../../contracts/network.ts';
import { PAYLOAD_VERSION } from '../../contracts/payloads.ts';
import { localDate } from '../../contracts/local-time.ts';
import type { NetworkFigures, NetworkOverview, NetworkReport, NetworkSpace } from '../../contracts/api/index.ts';
import type { NetworkConfig } from '../../config/schema.ts';
import type { Outgoing } from '../../contracts/topics.ts';
import type { Logger } from '../../runtime/log.ts';
import type { ReportTotals } from '../analytics/report.ts';
import { monthDates } from '../analytics/report.ts';
import { freeDesks } from '../views.ts';

const CHECK = { summary: TypeCompiler.Compile(NET_SCHEMAS.summary), usage: TypeCompiler.Compile(NET_SCHEMAS.usage) };

/** Desks per zone now, as the desk views say (services/views.ts zoneOccupancy). */
export interface ZoneCount {
  zone: string;
  desks: number;
  occupied: number;
  unknown: number;
}

export interface NetworkViewOptions {
  network: NetworkConfig;
  siteName: string;
  timeZone: string;
  /** Desks in the site config. */
  desks: number;
  /** Live desks per zone. */
  zones: () => readonly ZoneCount[];
  /** The site's funder report totals for a month (services/analytics/report.ts reportTotals). */
  totals: (month: string) => Promise<ReportTotals>;
  /** Visit days of other sites' members here in [from, to] (network-repo visitsAt). */
  networkVisits: (from: string, to: string) => number;
  send: (m: Outgoing) => Promise<void>;
  now: () => number;
  log: Logger;
}

const figuresOf = (u: NetUsage): NetworkFigures => ({
  visits: u.visits,
  visitors: u.visitors,
  networkVisits: u.networkVisits,
  entries: u.entries,
  deskHours: u.deskHours,
  openDeskHours: u.openDeskHours,
  utilisation: u.utilisation,
  desks: u.desks,
});

/** The network's figures: sums; utilisation weighted by each space's open desk hours (null when none was open). */
export function sumFigures(all: readonly NetworkFigures[]): NetworkFigures {
  const sum = (f: (x: NetworkFigures) => number) => all.reduce((s, x) => s + f(x), 0);
  const open = sum((x) => (x.utilisation === null ? 0 : x.openDeskHours));
  return {
    visits: sum((x) => x.visits),
    visitors: sum((x) => x.visitors),
    networkVisits: sum((x) => x.networkVisits),
    entries: sum((x) => x.entries),
    deskHours: sum((x) => x.deskHours),
    openDeskHours: sum((x) => x.openDeskHours),
    utilisation: open > 0 ? sum((x) => (x.utilisation ?? 0) * x.openDeskHours) / open : null,
    desks: sum((x) => x.desks),
  };
}

export class NetworkView {
  readonly #o: NetworkViewOptions;
  readonly #t: ReturnType<typeof netTopics>;
  readonly #names: Map<string, string>;
  readonly #summaries = new Map<string, NetSummary>();
  readonly #usage = new Map<string, Map<string, NetUsage>>();
  readonly dropped = { invalid: 0, unknownSite: 0 };
  #lastSummary: { key: string; at: number } | null = null;
  #lastUsage: { month: string; key: string; at: number } | null = null;
  #timer: NodeJS.Timeout | null = null;
  #ticking: Promise<void> | null = null;

  constructor(opts: NetworkViewOptions) {
    this.#o = opts;
    this.#t = netTopics(opts.network.id);
    this.#names = new Map(opts.network.sites.map((s) => [s.id, s.name]));
  }

  get #self(): string {
    return this.#o.network.site;
  }

  /** A summary or usage message of another site (Network.handle passes them on). */
  receive(p: ParsedNetTopic, raw: Buffer): void {
    if (p.kind !== 'summary' && p.kind !== 'usage') return;
    if (!this.#names.has(p.site)) {
      this.dropped.unknownSite++;
      return void this.#o.log.warn({ site: p.site, kind: p.kind }, 'network message dropped: site not in network.sites');
    }
    let value: unknown;
    try {
      value = JSON.parse(raw.toString('utf8'));
    } catch {
      value = undefined;
    }
    if (p.kind === 'summary' && CHECK.summary.Check(value) && value.site === p.site) {
      const cur = this.#summaries.get(p.site);
      if (!cur || value.ts >= cur.ts) this.#summaries.set(p.site, value);
      return;
    }
    if (p.kind === 'usage' && CHECK.usage.Check(value) && value.site === p.site && value.month === p.key) {
      let months = this.#usage.get(p.site);
      if (!months) this.#usage.set(p.site, (months = new Map<string, NetUsage>()));
      const cur = months.get(value.month);
      if (!cur || value.ts >= cur.ts) months.set(value.month, value);
      return;
    }
    this.dropped.invalid++;
    this.#o.log.warn({ site: p.site, kind: p.kind, key: p.key }, 'network message dropped: not a valid summary or usage');
  }

  /** This site's live summary, as it publishes it. */
  ownSummary(): NetSummary {
    const zones = this.#o.zones().map((z) => ({ zone: z.zone, desks: z.desks, free: freeDesks(z), unknown: z.unknown }));
    const sum = (f: (z: (typeof zones)[number]) => number) => zones.reduce((s, z) => s + f(z), 0);
    return { v: PAYLOAD_VERSION, ts: this.#o.now(), site: this.#self, desks: this.#o.desks, free: sum((z) => z.free), unknown: sum((z) => z.unknown), zones };
  }

  /** This site's usage counts for `month`, as it publishes them: its funder report's totals. */
  async ownUsage(month: string): Promise<NetUsage> {
    const t = await this.#o.totals(month);
    const { from, to } = monthDates(month);
    return {
      v: PAYLOAD_VERSION,
      ts: this.#o.now(),
      site: this.#self,
      month,
      visits: t.visits,
      visitors: t.uniqueMembers,
      networkVisits: this.#o.networkVisits(from, to),
      entries: t.entries,
      deskHours: t.deskHours,
      openDeskHours: t.openDeskHours,
      utilisation: t.utilisation,
      desks: this.#o.desks,
    };
  }

  #month(): string {
    return localDate(this.#o.now(), this.#o.timeZone).slice(0, 7);
  }

  #sendLogged(m: Outgoing, what: string): Promise<void> {
    return this.#o.send(m).catch((err: unknown) => this.#o.log.warn({ err, what }, 'network message not sent'));
  }

  /** One round of publishing: the summary when it changed (or is due again), the usage when due. */
  tick(): Promise<void> {
    this.#ticking ??= this.#tick().finally(() => (this.#ticking = null));
    return this.#ticking;
  }

  async #tick(): Promise<void> {
    const { share } = this.#o.network;
    const now = this.#o.now();
    if (share.summaries) {
      const s = ownSummaryKeyed(this.ownSummary());
      const last = this.#lastSummary;
      if (!last || last.key !== s.key || now - last.at >= SUMMARY_REFRESH_MS) {
        this.#lastSummary = { key: s.key, at: now };
        await this.#sendLogged(this.#t.message('summary', this.#self, undefined, s.summary), 'summary');
      }
    }
    if (share.usageCounts) {
      const month = this.#month();
      const last = this.#lastUsage;
      if (last && last.month !== month) {
        // The month changed: the previous month's last word, once.
        await this.#sendLogged(this.#t.message('usage', this.#self, last.month, await this.ownUsage(last.month)), 'usage');
      }
      if (!last || last.month !== month || now - last.at >= this.#o.network.usageEveryS * 1000) {
        const u = await this.ownUsage(month);
        const { ts: _ts, ...figures } = u;
        const key = JSON.stringify(figures);
        if (!last || last.month !== month || last.key !== key) await this.#sendLogged(this.#t.message('usage', this.#self, month, u), 'usage');
        this.#lastUsage = { month, key, at: now };
      }
    }
  }

  /** Publishes now and then every SUMMARY_MIN_INTERVAL_MS (nothing with neither share on). */
  start(): void {
    const { share } = this.#o.network;
    if (this.#timer || (!share.summaries && !share.usageCounts)) return;
    const run = () => void this.tick().catch((err: unknown) => this.#o.log.warn({ err }, 'network summary failed'));
    run();
    this.#timer = setInterval(run, SUMMARY_MIN_INTERVAL_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#ticking;
  }

  /** Each space of the network now (this one from its own figures), for GET /api/network. */
  async overview(): Promise<NetworkOverview> {
    const now = this.#o.now();
    const month = this.#month();
    const own = { summary: this.ownSummary(), usage: await this.ownUsage(month) };
    const spaces = this.#o.network.sites.map((s): NetworkSpace => {
      const self = s.id === this.#self;
      const summary = self ? own.summary : this.#summaries.get(s.id);
      const usage = self ? own.usage : this.#usage.get(s.id)?.get(month);
      return {
        site: s.id,
        name: s.name,
        self,
        live: summary ? { desks: summary.desks, free: summary.free, unknown: summary.unknown, ts: summary.ts, stale: now - summary.ts > NET_STALE_MS } : null,
        usage: usage ? figuresOf(usage) : null,
      };
    });
    return { network: this.#o.network.id, month, spaces, dropped: { ...this.dropped } };
  }

  /** The network's usage report for `month`: per space and the sum, for GET /api/network/report. */
  async report(month: string): Promise<NetworkReport> {
    const ownUsage = await this.ownUsage(month);
    const spaces = this.#o.network.sites.map((s) => {
      const u = s.id === this.#self ? ownUsage : this.#usage.get(s.id)?.get(month);
      return { site: s.id, name: s.name, usage: u ? figuresOf(u) : null };
    });
    const present = spaces.flatMap((s) => (s.usage ? [s.usage] : []));
    return { network: this.#o.network.id, month, spaces, total: sumFigures(present), reporting: present.length };
  }
}

/** A summary and what says whether it changed (the counts, not the time). */
function ownSummaryKeyed(summary: NetSummary): { summary: NetSummary; key: string } {
  const { ts: _ts, ...counts } = summary;
  return { summary, key: JSON.stringify(counts) };
}
