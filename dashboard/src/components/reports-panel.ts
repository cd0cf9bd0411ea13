// Reports for hosts and operators, one month at a time. Desk occupancy — for the whole site, a
// zone or a desk (the scope filter) — as a heatmap table by weekday and hour (every value
// readable, also by a screen reader), the peak per day and the utilisation trend per day; and,
// always for the whole site, visits per week and unique members per week. Each chart (uPlot)
// has its numbers as a table too. The monthly usage report as CSV from the services. uPlot
// comes with charts.ts, imported only when this screen first draws, so the main bundle does
// not carry it.
import { LitElement, css, html, nothing } from 'lit';
import type { DeskView, PeakOccupancy, SiteView, UniqueMembersPerWeek, UtilisationByHour, UtilisationTrend, VisitsPerDay } from '../../../contracts/api/index.ts';
import { api } from '../api.ts';
import type { Chart } from '../charts.ts';
import { LocaleController, locale, t } from '../i18n/locale.ts';
import { heatGrid, monthRange, scopeQuery, trendPercent, untilDay, visitsPerWeek } from '../report-data.ts';
import { timeFormats } from '../time-format.ts';
import { loadFailed } from './notes.ts';
import { baseStyles, buttonStyles, fieldStyles, panelStyles, textStyles } from './shared-styles.ts';

type Charts = typeof import('../charts.ts');
let charts: Promise<Charts> | null = null;
/** The chart module, fetched once; a failed fetch is tried again next time. */
function loadCharts(): Promise<Charts> {
  charts ??= import('../charts.ts').catch((err: unknown) => {
    charts = null;
    throw err;
  });
  return charts;
}

/** The parts that follow the scope filter. */
interface Occupancy {
  month: string;
  scope: string;
  utilisation: UtilisationByHour;
  peak: PeakOccupancy;
  trend: UtilisationTrend;
}

/** The parts counted for the whole site. */
interface SiteWide {
  month: string;
  visits: VisitsPerDay;
  members: UniqueMembersPerWeek;
}

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

  static override styles = [
    baseStyles,
    buttonStyles,
    panelStyles,
    textStyles,
    fieldStyles,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      section {
        min-width: 0; /* a wide heatmap scrolls inside its panel, not the page */
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem 1.5rem;
        align-items: end;
      }
      a {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        font-weight: 600;
        color: var(--ss-accent, #0b5e7e);
      }
      .scroller {
        overflow-x: auto;
        position: relative; /* its visually hidden words stay inside it, not widening the page */
      }
      table.heat {
        border-collapse: separate;
        border-spacing: 2px;
        font-size: 0.75rem;
      }
      table.heat td {
        width: 1.6rem;
        height: 1.6rem;
        border-radius: 3px;
        background: rgb(11 94 126 / var(--u));
        outline: 1px solid var(--ss-line, #dedbd2);
        outline-offset: -1px;
      }
      table.heat td.corner {
        outline: none;
        background: none;
      }
      table.heat th {
        font-weight: 600;
        padding: 0 0.25rem;
        text-align: right;
      }
      table.heat thead th {
        text-align: center;
        font-weight: 400;
      }
      .chart {
        min-height: 220px;
      }
      select {
        max-width: 100%;
      }
      .scope {
        font-weight: 400;
        color: var(--ss-muted, #4a525c);
      }
      details {
        margin-top: 0.5rem;
      }
      details table {
        border-collapse: collapse;
      }
      details td,
      details th {
        padding: 0.2rem 0.75rem 0.2rem 0;
        text-align: left;
      }
    `,
  ];

  /** The charts drawn, by their box's name. */
  readonly #charts = new Map<string, Chart>();
  /** Keeps each chart as wide as its box (phone turned, window resized). */
  #resize: ResizeObserver | null = null;
  #occupancyRequest = 0;
  #siteWideRequest = 0;

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

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#destroyCharts();
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
      this.occupancy = { month, scope, utilisation, peak: { ...peak, days: untilDay(peak.days, today) }, trend: { ...trend, days: untilDay(trend.days, today) } };
    } catch (err) {
      if (id !== this.#occupancyRequest) return;
      this.occupancy = null;
      this.occupancyProblem = err;
    } finally {
      if (id === this.#occupancyRequest) this.loadingOccupancy = false;
    }
    await this.#drawCharts('occupancy');
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
    await this.#drawCharts('siteWide');
  }

  #destroyCharts(names: readonly string[] = [...this.#charts.keys()]): void {
    for (const name of names) {
      this.#charts.get(name)?.destroy();
      this.#charts.delete(name);
    }
    if (this.#charts.size === 0) {
      this.#resize?.disconnect();
      this.#resize = null;
    }
  }

  /** Draws the chart `name` in its box (if the box is there) and keeps it as wide as the box. */
  #place(name: string, draw: (box: HTMLElement, width: number) => Chart): void {
    const box = this.renderRoot.querySelector<HTMLElement & { chart?: Chart }>(`[data-chart=${name}]`);
    if (!box) return;
    box.replaceChildren();
    const chart = draw(box, box.clientWidth);
    this.#charts.set(name, chart);
    if (typeof ResizeObserver === 'undefined') return;
    this.#resize ??= new ResizeObserver((entries) => {
      for (const e of entries) (e.target as HTMLElement & { chart?: Chart }).chart?.resize(Math.floor(e.contentRect.width));
    });
    box.chart = chart;
    this.#resize.observe(box);
  }

  /** (Re)draws the charts of one part once its numbers are in (a box is there only when it has data). */
  async #drawCharts(part: 'occupancy' | 'siteWide'): Promise<void> {
    const names = part === 'occupancy' ? ['peak', 'trend'] : ['weeks', 'members'];
    const data = this[part];
    this.#destroyCharts(names);
    if (!data) return;
    await this.updateComplete;
    let mod: Charts;
    try {
      mod = await loadCharts();
    } catch {
      this.chartsProblem = true;
      return;
    }
    if (data !== this[part]) return; // newer numbers came meanwhile: they draw themselves
    this.chartsProblem = false;
    this.#destroyCharts(names);
    const root = this.renderRoot as ShadowRoot;
    if (!root.querySelector('style[data-uplot]')) {
      const style = document.createElement('style');
      style.dataset.uplot = '';
      style.textContent = mod.chartCss;
      root.append(style);
    }
    const m = t().reports;
    const dayOfMonth = (date: string) => String(Number(date.slice(8)));
    const o = this.occupancy;
    const w = this.siteWide;
    if (part === 'siteWide' && w) {
      const weeks = visitsPerWeek(w.visits);
      const members = w.members.weeks;
      this.#place('weeks', (box, width) => mod.barChart(box, { labels: weeks.map((x) => x.week.slice(5)), values: weeks.map((x) => x.visits), name: m.visits, width }));
      this.#place('members', (box, width) =>
        mod.barChart(box, { labels: members.map((x) => x.week.slice(5)), values: members.map((x) => x.members), name: m.members, width, colour: '#5b3f8c' }),
      );
    }
    if (part === 'occupancy' && o) {
      const days = o.peak.days;
      const trend = trendPercent(o.trend);
      this.#place('peak', (box, width) =>
        mod.barChart(box, { labels: days.map((d) => dayOfMonth(d.date)), values: days.map((d) => d.peak), name: m.desks, width, colour: '#8a4b00' }),
      );
      this.#place('trend', (box, width) => mod.lineChart(box, { labels: trend.map((d) => dayOfMonth(d.date)), values: trend.map((d) => d.pct), name: m.utilisation, width }));
    }
  }

  #pickMonth(ev: Event): void {
    const value = (ev.target as HTMLInputElement).value;
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value) || value === this.month) return;
    this.month = value;
    this.#destroyCharts();
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
        ${zones.length
          ? html`<optgroup label=${m.scopeZones}>
              ${zones.map((z) => html`<option value=${`zone:${z.id}`} ?selected=${this.scope === `zone:${z.id}`}>${z.name}</option>`)}
            </optgroup>`
          : nothing}
        ${desks.length
          ? html`<optgroup label=${m.scopeDesks}>
              ${desks.map((d) => html`<option value=${`desk:${d.id}`} ?selected=${this.scope === `desk:${d.id}`}>${d.name}</option>`)}
            </optgroup>`
          : nothing}
      </select></label
    >`;
  }

  /** A heading with the scope it is for, when that is not the whole site. */
  #scoped(title: string, scope: string) {
    return scope ? html`${title} <span class="scope">· ${this.#scopeName(scope)}</span>` : title;
  }

  #heatmap(u: UtilisationByHour, scope: string) {
    const m = t().reports;
    const grid = heatGrid(u);
    // 2 June 2025 was a Monday: weekday names in the reader's language, Monday first.
    const dayName = new Intl.DateTimeFormat(locale.tag, { weekday: 'short', timeZone: 'UTC' });
    const days = grid.map((_, i) => dayName.format(Date.UTC(2025, 5, 2 + i)));
    const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;
    return html`<section class="panel" aria-labelledby="heat-title">
      <h2 id="heat-title">${this.#scoped(m.heatTitle, scope)}</h2>
      <p class="muted">${m.heatNote(u.desks)}</p>
      <div class="scroller">
        <table class="heat" data-testid="heatmap">
          <thead>
            <tr>
              <td class="corner"></td>
              ${grid[0]!.map((_, h) => html`<th scope="col" abbr=${hour(h)}>${h % 3 === 0 ? h : ''}<span class="visually-hidden">${h % 3 === 0 ? '' : h}</span></th>`)}
            </tr>
          </thead>
          <tbody>
            ${grid.map(
              (row, d) => html`<tr>
                <th scope="row">${days[d]}</th>
                ${row.map((v, h) => {
                  const pct = Math.round(v * 100);
                  const label = m.heatCell(days[d]!, hour(h), pct);
                  return html`<td style="--u: ${v.toFixed(2)}" title=${label} data-cell=${`${d + 1}-${h}`}><span class="visually-hidden">${pct}%</span></td>`;
                })}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  #weeks(v: VisitsPerDay) {
    const m = t().reports;
    const weeks = visitsPerWeek(v);
    return html`<section class="panel" aria-labelledby="weeks-title">
      <h2 id="weeks-title">${m.weekTitle}</h2>
      <p class="muted">${m.weekNote} ${m.siteWide}</p>
      ${weeks.length === 0
        ? html`<p class="muted">${m.noData}</p>`
        : html`<div class="chart" data-chart="weeks" aria-hidden="true"></div>
            <details>
              <summary>${m.table}</summary>
              <table data-testid="weeks-table">
                <tr>
                  <th scope="col">${m.colWeek}</th>
                  <th scope="col">${m.visits}</th>
                </tr>
                ${weeks.map((w) => html`<tr><td>${w.week}</td><td>${w.visits}</td></tr>`)}
              </table>
            </details>`}
    </section>`;
  }

  #peak(p: PeakOccupancy, scope: string) {
    const m = t().reports;
    const f = timeFormats(locale.tag, this.timeZone);
    return html`<section class="panel" aria-labelledby="peak-title">
      <h2 id="peak-title">${this.#scoped(m.peakTitle, scope)}</h2>
      <p data-testid="peak-headline">${p.peak > 0 && p.at !== null ? m.peakHeadline(p.peak, f.dated(p.at)) : m.peakNone}</p>
      ${p.days.length === 0
        ? nothing
        : html`<p class="muted">${m.peakPerDay}</p>
            <div class="chart" data-chart="peak" aria-hidden="true"></div>
            <details>
              <summary>${m.table}</summary>
              <table data-testid="peak-table">
                <tr>
                  <th scope="col">${m.colDay}</th>
                  <th scope="col">${m.desks}</th>
                </tr>
                ${p.days.map((d) => html`<tr><td>${d.date}</td><td>${d.peak}</td></tr>`)}
              </table>
            </details>`}
    </section>`;
  }

  #trend(trend: UtilisationTrend, scope: string) {
    const m = t().reports;
    const days = trendPercent(trend);
    return html`<section class="panel" aria-labelledby="trend-title">
      <h2 id="trend-title">${this.#scoped(m.trendTitle, scope)}</h2>
      <p class="muted">${m.trendNote(trend.desks)}</p>
      ${days.length === 0
        ? html`<p class="muted">${m.noData}</p>`
        : html`<div class="chart" data-chart="trend" aria-hidden="true"></div>
            <details>
              <summary>${m.table}</summary>
              <table data-testid="trend-table">
                <tr>
                  <th scope="col">${m.colDay}</th>
                  <th scope="col">${m.utilisation}</th>
                </tr>
                ${days.map((d) => html`<tr><td>${d.date}</td><td>${m.pct(d.pct)}</td></tr>`)}
              </table>
            </details>`}
    </section>`;
  }

  #members(u: UniqueMembersPerWeek) {
    const m = t().reports;
    return html`<section class="panel" aria-labelledby="members-title">
      <h2 id="members-title">${m.membersTitle}</h2>
      <p class="muted">${m.membersNote} ${m.siteWide}</p>
      ${u.weeks.length === 0
        ? html`<p class="muted">${m.noData}</p>`
        : html`<div class="chart" data-chart="members" aria-hidden="true"></div>
            <details>
              <summary>${m.table}</summary>
              <table data-testid="members-table">
                <tr>
                  <th scope="col">${m.colWeek}</th>
                  <th scope="col">${m.members}</th>
                </tr>
                ${u.weeks.map((w) => html`<tr><td>${w.week}</td><td>${w.members}</td></tr>`)}
              </table>
            </details>`}
    </section>`;
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
          <a data-testid="report-csv" href=${`/api/reports/monthly.csv?month=${this.month}`} download>${m.csv(this.month)}</a>
        </div>
        <p class="muted" id="scope-note" data-testid="scope-note">${m.scopeNote(this.#scopeName(this.scope))}</p>
        ${this.loading ? html`<p class="muted" role="status">${m.loading}</p>` : nothing}
        ${this.occupancyProblem
          ? loadFailed(this.occupancyProblem, { kind: 'occupancy' }, () => void this.#loadOccupancy(), 'occupancy-failed')
          : nothing}
        ${this.siteWideProblem
          ? loadFailed(this.siteWideProblem, { kind: 'siteWide' }, () => void this.#loadSiteWide(), 'site-wide-failed')
          : nothing}
        ${this.chartsProblem ? html`<p class="failed" role="alert" data-testid="charts-failed">${m.chartsFailed}</p>` : nothing}
      </section>
      ${o ? html`${this.#heatmap(o.utilisation, o.scope)} ${this.#trend(o.trend, o.scope)} ${this.#peak(o.peak, o.scope)}` : nothing}
      ${w ? html`${this.#weeks(w.visits)} ${this.#members(w.members)}` : nothing}
    `;
  }
}

customElements.define('ss-reports', ReportsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-reports': ReportsPanel;
  }
}
