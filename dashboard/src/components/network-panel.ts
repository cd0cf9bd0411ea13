// The network of spaces for its coordinator (issue 18; GET /api/network, /api/network/report):
// a card per space with its free desks now (marked stale when the space has not been heard from
// for a few minutes) and this month's use, then the network's report for a chosen month, per
// space and in all, with the CSV to download. Phone first: the cards stack, the report table
// scrolls sideways inside its own box.
import { LitElement, css, html, nothing } from 'lit';
import type { NetworkFigures, NetworkOverview, NetworkReport, NetworkSpace } from '../../../contracts/api/index.ts';
import { matches } from '../../../contracts/patterns.ts';
import { call } from '../api.ts';
import { timeFormats } from '../time-format.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { loadFailed } from './notes.ts';
import { baseStyles, fieldStyles, panelStyles, textStyles } from './shared-styles.ts';

const pct = (u: number | null) => (u === null ? '–' : `${(u * 100).toLocaleString(locale.tag, { maximumFractionDigits: 1 })} %`);
const num = (n: number, digits = 0) => n.toLocaleString(locale.tag, { maximumFractionDigits: digits });

export class NetworkPanel extends LitElement {
  static override properties = {
    timeZone: { attribute: 'time-zone' },
    overview: { state: true },
    report: { state: true },
    month: { state: true },
    problem: { state: true },
    reportProblem: { state: true },
  };
  declare timeZone: string;
  declare overview: NetworkOverview | null;
  declare report: NetworkReport | null;
  /** YYYY-MM of the report; '' until the overview says this month. */
  declare month: string;
  declare problem: unknown;
  declare reportProblem: unknown;

  static override styles = [
    baseStyles,
    panelStyles,
    textStyles,
    fieldStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 1rem;
        min-width: 0;
      }
      .spaces {
        display: grid;
        gap: 0.75rem;
        grid-template-columns: repeat(auto-fill, minmax(min(16rem, 100%), 1fr));
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .space h3 {
        font-size: 1rem;
        margin: 0 0 0.25rem;
      }
      .tag {
        font-size: 0.8125rem;
        font-weight: 400;
        color: var(--ss-muted, #4a525c);
      }
      .free {
        font-size: 1.375rem;
        font-weight: 700;
        margin: 0;
      }
      .stale .free {
        color: var(--ss-muted, #4a525c);
      }
      .warn {
        color: var(--ss-open, #a1260d);
        font-weight: 600;
      }
      dl {
        display: grid;
        grid-template-columns: auto auto;
        gap: 0.125rem 1rem;
        margin: 0.5rem 0 0;
      }
      dd {
        margin: 0;
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .scroll {
        overflow-x: auto;
      }
      table {
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
        min-width: 100%;
      }
      th,
      td {
        padding: 0.375rem 0.5rem;
        text-align: right;
        border-bottom: 1px solid var(--ss-line, #d5d9de);
        white-space: nowrap;
      }
      th:first-child,
      td:first-child {
        text-align: left;
      }
      tfoot th,
      tfoot td {
        font-weight: 700;
        border-bottom: 0;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
        margin-bottom: 0.75rem;
      }
      a {
        min-height: 44px;
        display: inline-flex;
        align-items: center;
      }
    `,
  ];

  #request = 0;

  constructor() {
    super();
    new LocaleController(this);
    this.timeZone = 'Europe/Copenhagen';
    this.overview = null;
    this.report = null;
    this.month = '';
    this.problem = null;
    this.reportProblem = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.overview) void this.#load();
  }

  async #load(): Promise<void> {
    this.problem = null;
    try {
      this.overview = await call('network');
      if (!this.month) this.month = this.overview.month;
      await this.#loadReport();
    } catch (err) {
      this.problem = err;
    }
  }

  async #loadReport(): Promise<void> {
    const id = ++this.#request;
    const month = this.month;
    this.reportProblem = null;
    try {
      const report = await call('networkReport', { query: { month } });
      if (id === this.#request) this.report = report;
    } catch (err) {
      if (id === this.#request) this.reportProblem = err;
    }
  }

  #pickMonth(ev: Event): void {
    const value = (ev.target as HTMLInputElement).value;
    if (!matches('month', value) || value === this.month) return;
    this.month = value;
    void this.#loadReport();
  }

  #usage(f: NetworkFigures) {
    const m = t().network;
    return html`<dl>
      <dt>${m.visits}</dt>
      <dd data-testid="visits">${num(f.visits)}</dd>
      <dt>${m.visitors}</dt>
      <dd>${num(f.visitors)}</dd>
      <dt>${m.networkVisits}</dt>
      <dd>${num(f.networkVisits)}</dd>
      <dt>${m.deskHours}</dt>
      <dd>${num(f.deskHours, 1)}</dd>
      <dt>${m.utilisation}</dt>
      <dd>${pct(f.utilisation)}</dd>
    </dl>`;
  }

  #space(s: NetworkSpace) {
    const m = t().network;
    const clock = timeFormats(locale.tag, this.timeZone).clock;
    const live = s.live;
    return html`<li class="panel space ${live?.stale ? 'stale' : ''}" data-testid="space" data-site=${s.site}>
      <h3>${s.name}${s.self ? html` <span class="tag">· ${m.thisSpace}</span>` : nothing}</h3>
      ${
        live
          ? html`<p class="free" data-testid="free">${m.free(live.free, live.desks)}</p>
              ${live.stale ? html`<p class="warn" data-testid="stale">${m.stale(clock(live.ts))}</p>` : html`<p class="muted">${m.asOf(clock(live.ts))}</p>`}
              ${live.unknown > 0 ? html`<p class="muted" data-testid="unknown">${m.unknown(live.unknown)}</p>` : nothing}`
          : html`<p class="muted">${m.noLive}</p>`
      }
      ${s.usage ? this.#usage(s.usage) : html`<p class="muted">${m.noUsage}</p>`}
    </li>`;
  }

  #row(name: string, f: NetworkFigures | null, head = false) {
    const m = t().network;
    const first = head ? html`<th scope="row">${name}</th>` : html`<td>${name}</td>`;
    if (!f)
      return html`<tr>
        ${first}
        <td colspan="6" class="muted">${m.noFigures}</td>
      </tr>`;
    return html`<tr>
      ${first}
      <td>${num(f.visits)}</td>
      <td>${num(f.visitors)}</td>
      <td>${num(f.networkVisits)}</td>
      <td>${num(f.entries)}</td>
      <td>${num(f.deskHours, 1)}</td>
      <td>${pct(f.utilisation)}</td>
    </tr>`;
  }

  #report() {
    const m = t().network;
    const r = this.report;
    return html`<section class="panel" aria-labelledby="network-report-title">
      <h2 id="network-report-title">${m.reportTitle}</h2>
      <div class="bar">
        <label>${m.month} <input type="month" name="month" .value=${this.month} @change=${this.#pickMonth} /></label>
        <a data-testid="network-csv" href=${`/api/network/report?month=${this.month}&format=csv&lang=${locale.lang}`} download>${m.csv(this.month)}</a>
      </div>
      ${this.reportProblem ? loadFailed(this.reportProblem, { kind: 'load' }, () => void this.#loadReport(), 'report-failed') : nothing}
      ${
        r
          ? html`<p class="muted">${m.reporting(r.reporting, r.spaces.length)}</p>
              <div class="scroll">
                <table data-testid="network-report">
                  <thead>
                    <tr>
                      <th scope="col">${m.space}</th>
                      <th scope="col">${m.visits}</th>
                      <th scope="col">${m.visitors}</th>
                      <th scope="col">${m.networkVisits}</th>
                      <th scope="col">${m.entries}</th>
                      <th scope="col">${m.deskHours}</th>
                      <th scope="col">${m.utilisation}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${r.spaces.map((s) => this.#row(s.name, s.usage))}
                  </tbody>
                  <tfoot>
                    ${this.#row(m.total, r.total, true)}
                  </tfoot>
                </table>
              </div>`
          : nothing
      }
    </section>`;
  }

  override render() {
    const m = t().network;
    const o = this.overview;
    return html`
      <section class="panel" aria-labelledby="network-title" aria-busy=${o || this.problem ? 'false' : 'true'}>
        <h2 id="network-title">${m.title}</h2>
        ${o ? html`<p class="muted">${m.intro(o.network)}</p>` : nothing}
        ${!o && !this.problem ? html`<p class="muted" role="status">${m.loading}</p>` : nothing}
        ${this.problem ? loadFailed(this.problem, { kind: 'load' }, () => void this.#load(), 'network-failed') : nothing}
        ${
          o && (o.dropped.invalid > 0 || o.dropped.unknownSite > 0)
            ? html`<p class="muted" data-testid="dropped">${m.dropped(o.dropped.invalid, o.dropped.unknownSite)}</p>`
            : nothing
        }
      </section>
      ${
        o
          ? html`<ul class="spaces" aria-label=${m.title}>
              ${o.spaces.map((s) => this.#space(s))}
            </ul>`
          : nothing
      }
      ${o ? this.#report() : nothing}
    `;
  }
}

customElements.define('ss-network', NetworkPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-network': NetworkPanel;
  }
}
