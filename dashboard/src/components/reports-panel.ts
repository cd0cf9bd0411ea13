// Reports for hosts and operators, one month at a time: desk occupancy by weekday and hour (a
// heatmap table: every value readable, also by a screen reader), visits per week and peak
// occupancy per day (uPlot bar charts, each with its numbers as a table too), and the monthly
// usage report as CSV from the services. uPlot comes with charts.ts, imported only when this
// screen first draws, so the main bundle does not carry it.
import { LitElement, css, html, nothing } from 'lit';
import type { PeakOccupancy, UtilisationByHour, VisitsPerDay } from '../../../contracts/api.ts';
import { api } from '../api.ts';
import type { BarChart } from '../charts.ts';
import { errorText } from '../error-words.ts';
import { LocaleController, locale, t } from '../i18n/locale.ts';
import { heatGrid, monthRange, visitsPerWeek } from '../report-data.ts';
import { timeFormats } from '../time-format.ts';
import { baseStyles, fieldStyles, panelStyles, textStyles } from './shared-styles.ts';

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

interface Report {
  month: string;
  utilisation: UtilisationByHour;
  visits: VisitsPerDay;
  peak: PeakOccupancy;
}

export class ReportsPanel extends LitElement {
  static override properties = {
    timeZone: { attribute: 'time-zone' },
    month: { state: true },
    report: { state: true },
    loading: { state: true },
    problem: { state: true },
    chartsProblem: { state: true },
  };
  declare timeZone: string;
  /** YYYY-MM; '' until the first render picks this month in the site's zone. */
  declare month: string;
  declare report: Report | null;
  declare loading: boolean;
  declare problem: unknown;
  declare chartsProblem: boolean;

  static override styles = [
    baseStyles,
    panelStyles,
    textStyles,
    fieldStyles,
    css`
      :host {
        display: grid;
        gap: 1rem;
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

  #charts: BarChart[] = [];
  /** Keeps each chart as wide as its box (phone turned, window resized). */
  #resize: ResizeObserver | null = null;
  #request = 0;

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.timeZone = 'Europe/Copenhagen';
    this.month = '';
    this.report = null;
    this.loading = false;
    this.problem = null;
    this.chartsProblem = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.month) this.month = timeFormats(locale.tag, this.timeZone).dayKey(Date.now()).slice(0, 7);
    if (!this.report && !this.loading) void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#destroyCharts();
  }

  async #load(): Promise<void> {
    const id = ++this.#request;
    const month = this.month;
    const { from, to } = monthRange(month);
    this.loading = true;
    this.problem = null;
    try {
      const [utilisation, visits, peak] = await Promise.all([api.utilisation(from, to), api.visitsPerDay(from, to), api.peak(from, to)]);
      if (id !== this.#request) return;
      this.report = { month, utilisation, visits, peak };
      await this.updateComplete;
      await this.#drawCharts();
    } catch (err) {
      if (id !== this.#request) return;
      this.report = null;
      this.problem = err;
    } finally {
      if (id === this.#request) this.loading = false;
    }
  }

  #destroyCharts(): void {
    this.#resize?.disconnect();
    this.#resize = null;
    for (const c of this.#charts) c.destroy();
    this.#charts = [];
  }

  /** Draws a chart in `box` and keeps it as wide as the box. */
  #place(box: HTMLElement, draw: (width: number) => BarChart): void {
    const chart = draw(box.clientWidth);
    this.#charts.push(chart);
    if (typeof ResizeObserver === 'undefined') return;
    this.#resize ??= new ResizeObserver((entries) => {
      for (const e of entries) (e.target as HTMLElement & { chart?: BarChart }).chart?.resize(Math.floor(e.contentRect.width));
    });
    (box as HTMLElement & { chart?: BarChart }).chart = chart;
    this.#resize.observe(box);
  }

  async #drawCharts(): Promise<void> {
    const report = this.report;
    if (!report) return;
    let mod: Charts;
    try {
      mod = await loadCharts();
    } catch {
      this.chartsProblem = true;
      return;
    }
    if (report !== this.report) return; // another month came meanwhile
    this.chartsProblem = false;
    this.#destroyCharts();
    const root = this.renderRoot as ShadowRoot;
    if (!root.querySelector('style[data-uplot]')) {
      const style = document.createElement('style');
      style.dataset.uplot = '';
      style.textContent = mod.chartCss;
      root.append(style);
    }
    const m = t().reports;
    const weeks = visitsPerWeek(report.visits);
    const place = (name: string) => root.querySelector<HTMLElement>(`[data-chart=${name}]`);
    const weekBox = place('weeks');
    if (weekBox && weeks.length > 0) {
      weekBox.replaceChildren();
      this.#place(weekBox, (width) => mod.barChart(weekBox, { labels: weeks.map((w) => w.week.slice(5)), values: weeks.map((w) => w.visits), name: m.visits, width }));
    }
    const peakBox = place('peak');
    if (peakBox && report.peak.days.length > 0) {
      peakBox.replaceChildren();
      this.#place(peakBox, (width) =>
        mod.barChart(peakBox, {
          labels: report.peak.days.map((d) => String(Number(d.date.slice(8)))),
          values: report.peak.days.map((d) => d.peak),
          name: m.desks,
          width,
          colour: '#8a4b00',
        }),
      );
    }
  }

  #pickMonth(ev: Event): void {
    const value = (ev.target as HTMLInputElement).value;
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value) || value === this.month) return;
    this.month = value;
    this.#destroyCharts();
    void this.#load();
  }

  #heatmap(u: UtilisationByHour) {
    const m = t().reports;
    const grid = heatGrid(u);
    // 2 June 2025 was a Monday: weekday names in the reader's language, Monday first.
    const dayName = new Intl.DateTimeFormat(locale.tag, { weekday: 'short', timeZone: 'UTC' });
    const days = grid.map((_, i) => dayName.format(Date.UTC(2025, 5, 2 + i)));
    const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;
    return html`<section class="panel" aria-labelledby="heat-title">
      <h2 id="heat-title">${m.heatTitle}</h2>
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
      <p class="muted">${m.weekNote}</p>
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

  #peak(p: PeakOccupancy) {
    const m = t().reports;
    const f = timeFormats(locale.tag, this.timeZone);
    return html`<section class="panel" aria-labelledby="peak-title">
      <h2 id="peak-title">${m.peakTitle}</h2>
      <p data-testid="peak-headline">${p.peak > 0 && p.at !== null ? m.peakHeadline(p.peak, f.dated(p.at)) : m.peakNone}</p>
      ${p.days.length === 0
        ? nothing
        : html`<p class="muted">${m.peakPerDay}</p>
            <div class="chart" data-chart="peak" aria-hidden="true"></div>
            <details>
              <summary>${m.table}</summary>
              <table>
                <tr>
                  <th scope="col">${m.colDay}</th>
                  <th scope="col">${m.desks}</th>
                </tr>
                ${p.days.map((d) => html`<tr><td>${d.date}</td><td>${d.peak}</td></tr>`)}
              </table>
            </details>`}
    </section>`;
  }

  override render() {
    const m = t().reports;
    const r = this.report;
    return html`
      <section class="panel" aria-labelledby="reports-title" aria-busy=${this.loading ? 'true' : 'false'}>
        <h2 id="reports-title">${m.title}</h2>
        <div class="bar">
          <label>${m.month} <input type="month" name="month" .value=${this.month} @change=${this.#pickMonth} /></label>
          <a data-testid="report-csv" href=${`/api/reports/monthly.csv?month=${this.month}`} download>${m.csv(this.month)}</a>
        </div>
        ${this.loading ? html`<p class="muted" role="status">${m.loading}</p>` : nothing}
        ${this.problem ? html`<p class="failed" role="alert" data-testid="reports-failed">${errorText(this.problem, { kind: 'reports' })}</p>` : nothing}
        ${this.chartsProblem ? html`<p class="failed" role="alert" data-testid="charts-failed">${m.chartsFailed}</p>` : nothing}
      </section>
      ${r ? html`${this.#heatmap(r.utilisation)} ${this.#weeks(r.visits)} ${this.#peak(r.peak)}` : nothing}
    `;
  }
}

customElements.define('ss-reports', ReportsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-reports': ReportsPanel;
  }
}
