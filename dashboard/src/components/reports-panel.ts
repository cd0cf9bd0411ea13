// Reports for hosts and operators, one month at a time. Desk occupancy — for the whole site, a
// zone or a desk (the scope filter) — as a heatmap table by weekday and hour (every value
// readable, also by a screen reader), the peak per day and the utilisation trend per day; and,
// always for the whole site, visits per week and unique members per week. Each chart (uPlot)
// has its numbers as a table too. The monthly usage report as CSV from the services. The
// sections are in reports/report-sections.ts, the charts (uPlot, fetched when first drawn) in
// reports/report-charts.ts.
import { LitElement, html, nothing } from 'lit';
import type { DeskView, SiteView } from '../../../contracts/api/index.ts';
import { matches } from '../../../contracts/patterns.ts';
import { api } from '../api.ts';
import { monthRange, scopeQuery, untilDay } from '../data/report-data.ts';
import { timeFormats } from '../time-format.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { loadFailed } from './notes.ts';
import { ReportCharts, type Numbers, type Occupancy, type SiteWide } from './reports/report-charts.ts';
import { heatmapSection, membersSection, peakSection, trendSection, weeksSection } from './reports/report-sections.ts';
import { reportsStyles } from './reports/reports-styles.ts';
import { baseStyles, buttonStyles, fieldStyles, panelStyles, textStyles } from './shared-styles.ts';

export class ReportsPanel extends LitElement {
  static override properties = {
    timeZone: { attribute: 'time-zone' },
    site: { attribute: false },
    desks: { attribute: false },
    month: { state: true },
    scope: { state: true },
    occupancy: { state: true },
    siteWide: { state: true },
    loadingOccupancy: { state: true },
    loadingSiteWide: { state: true },
    occupancyProblem: { state: true },
    siteWideProblem: { state: true },
    chartsProblem: { state: true },
  };
  declare timeZone: string;
  /** For the zones of the scope filter. */
  declare site: SiteView | null;
  /** For the desks of the scope filter. */
  declare desks: readonly DeskView[];
  /** YYYY-MM; '' until the first render picks this month in the site's zone. */
  declare month: string;
  /** '' (whole site), `zone:<id>` or `desk:<id>` (report-data.ts scopeQuery). */
  declare scope: string;
  declare occupancy: Occupancy | null;
  declare siteWide: SiteWide | null;
  declare loadingOccupancy: boolean;
  declare loadingSiteWide: boolean;
  declare occupancyProblem: unknown;
  declare siteWideProblem: unknown;
  declare chartsProblem: boolean;

  get loading(): boolean {
    return this.loadingOccupancy || this.loadingSiteWide;
  }

  static override styles = [baseStyles, buttonStyles, panelStyles, textStyles, fieldStyles, reportsStyles];

  #occupancyRequest = 0;
  #siteWideRequest = 0;

  readonly #charts = new ReportCharts(this, (failed) => (this.chartsProblem = failed));
  readonly #numbers: Numbers = { occupancy: () => this.occupancy, siteWide: () => this.siteWide };

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.timeZone = 'Europe/Copenhagen';
    this.site = null;
    this.desks = [];
    this.month = '';
    this.scope = '';
    this.occupancy = null;
    this.siteWide = null;
    this.loadingOccupancy = false;
    this.loadingSiteWide = false;
    this.occupancyProblem = null;
    this.siteWideProblem = null;
    this.chartsProblem = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.month) this.month = timeFormats(locale.tag, this.timeZone).dayKey(Date.now()).slice(0, 7);
    if (!this.occupancy && !this.loadingOccupancy) void this.#loadOccupancy();
    if (!this.siteWide && !this.loadingSiteWide) void this.#loadSiteWide();
  }

  /** Heatmap, peak and trend for the month and scope. */
  async #loadOccupancy(): Promise<void> {
    const id = ++this.#occupancyRequest;
    const { month, scope } = this;
    const { from, to } = monthRange(month);
    const q = scopeQuery(scope);
    this.loadingOccupancy = true;
    this.occupancyProblem = null;
    try {
      const [utilisation, peak, trend] = await Promise.all([api.utilisation(from, to, q), api.peak(from, to, q), api.utilisationTrend(from, to, q)]);
      if (id !== this.#occupancyRequest) return;
      const today = timeFormats(locale.tag, this.timeZone).dayKey(Date.now());
      this.occupancy = {
        month,
        scope,
        utilisation,
        peak: { ...peak, days: untilDay(peak.days, today) },
        trend: { ...trend, days: untilDay(trend.days, today) },
      };
    } catch (err) {
      if (id !== this.#occupancyRequest) return;
      this.occupancy = null;
      this.occupancyProblem = err;
    } finally {
      if (id === this.#occupancyRequest) this.loadingOccupancy = false;
    }
    await this.#charts.draw('occupancy', this.#numbers);
  }

  /** Visits and members per week, for the whole site. */
  async #loadSiteWide(): Promise<void> {
    const id = ++this.#siteWideRequest;
    const month = this.month;
    const { from, to } = monthRange(month);
    this.loadingSiteWide = true;
    this.siteWideProblem = null;
    try {
      const [visits, members] = await Promise.all([api.visitsPerDay(from, to), api.membersPerWeek(from, to)]);
      if (id !== this.#siteWideRequest) return;
      this.siteWide = { month, visits, members };
    } catch (err) {
      if (id !== this.#siteWideRequest) return;
      this.siteWide = null;
      this.siteWideProblem = err;
    } finally {
      if (id === this.#siteWideRequest) this.loadingSiteWide = false;
    }
    await this.#charts.draw('siteWide', this.#numbers);
  }

  #pickMonth(ev: Event): void {
    const value = (ev.target as HTMLInputElement).value;
    if (!matches('month', value) || value === this.month) return;
    this.month = value;
    this.#charts.destroy();
    void this.#loadOccupancy();
    void this.#loadSiteWide();
  }

  #pickScope(ev: Event): void {
    const value = (ev.target as HTMLSelectElement).value;
    if (value === this.scope) return;
    this.scope = value;
    void this.#loadOccupancy();
  }

  /** The scope's name as people read it: a zone's or desk's name, or "the whole site". */
  #scopeName(scope: string): string {
    const [kind, id] = scope.split(':') as [string, string | undefined];
    if (kind === 'zone') return this.site?.zones.find((z) => z.id === id)?.name ?? id ?? scope;
    if (kind === 'desk') return this.desks.find((d) => d.id === id)?.name ?? id ?? scope;
    return t().reports.scopeWhole;
  }

  #scopePicker() {
    const m = t().reports;
    const zones = this.site?.zones ?? [];
    const desks = [...this.desks].sort((a, b) => a.name.localeCompare(b.name, locale.tag, { numeric: true }));
    return html`<label
      >${m.scope}
      <select name="scope" aria-describedby="scope-note" @change=${this.#pickScope}>
        <option value="" ?selected=${this.scope === ''}>${m.scopeSite}</option>
        ${
          zones.length
            ? html`<optgroup label=${m.scopeZones}>
                ${zones.map((z) => html`<option value=${`zone:${z.id}`} ?selected=${this.scope === `zone:${z.id}`}>${z.name}</option>`)}
              </optgroup>`
            : nothing
        }
        ${
          desks.length
            ? html`<optgroup label=${m.scopeDesks}>
                ${desks.map((d) => html`<option value=${`desk:${d.id}`} ?selected=${this.scope === `desk:${d.id}`}>${d.name}</option>`)}
              </optgroup>`
            : nothing
        }
      </select></label
    >`;
  }

  /** A heading with the scope it is for, when that is not the whole site. */
  #scoped(title: string, scope: string) {
    return scope ? html`${title} <span class="scope">· ${this.#scopeName(scope)}</span>` : title;
  }

  override render() {
    const m = t().reports;
    const o = this.occupancy;
    const w = this.siteWide;
    return html`
      <section class="panel" aria-labelledby="reports-title" aria-busy=${this.loading ? 'true' : 'false'}>
        <h2 id="reports-title">${m.title}</h2>
        <div class="bar">
          <label>${m.month} <input type="month" name="month" .value=${this.month} @change=${this.#pickMonth} /></label>
          ${this.#scopePicker()}
          <a data-testid="report-csv" href=${`/api/reports/monthly.csv?month=${this.month}&lang=${locale.lang}`} download>${m.csv(this.month)}</a>
          <a data-testid="report-print" href=${`/api/reports/monthly.html?month=${this.month}&lang=${locale.lang}`} target="_blank" rel="noopener"
            >${m.printable(this.month)}</a
          >
        </div>
        <p class="muted" id="scope-note" data-testid="scope-note">${m.scopeNote(this.#scopeName(this.scope))}</p>
        ${this.loading ? html`<p class="muted" role="status">${m.loading}</p>` : nothing}
        ${this.occupancyProblem ? loadFailed(this.occupancyProblem, { kind: 'occupancy' }, () => void this.#loadOccupancy(), 'occupancy-failed') : nothing}
        ${this.siteWideProblem ? loadFailed(this.siteWideProblem, { kind: 'siteWide' }, () => void this.#loadSiteWide(), 'site-wide-failed') : nothing}
        ${this.chartsProblem ? html`<p class="failed" role="alert" data-testid="charts-failed">${m.chartsFailed}</p>` : nothing}
      </section>
      ${
        o
          ? html`${heatmapSection(o.utilisation, this.#scoped(m.heatTitle, o.scope), o.month)} ${trendSection(o.trend, this.#scoped(m.trendTitle, o.scope))}
            ${peakSection(o.peak, this.#scoped(m.peakTitle, o.scope), this.timeZone)}`
          : nothing
      }
      ${w ? html`${weeksSection(w.visits, w.month)} ${membersSection(w.members)}` : nothing}
    `;
  }
}

customElements.define('ss-reports', ReportsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-reports': ReportsPanel;
  }
}
