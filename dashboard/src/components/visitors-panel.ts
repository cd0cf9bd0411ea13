// Who is in today (visitors.ts): names and first arrival, in the site's time and day. To a
// member it says that only those who opted in are listed.
import { LitElement, css, html, nothing } from 'lit';
import type { EventView } from '../../../contracts/api/index.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { timeFormats } from '../time-format.ts';
import { visitorsOn } from '../data/visitors.ts';
import { baseStyles, panelStyles } from './shared-styles.ts';

/** Whether today's earlier arrivals have been fetched (the live stream brings only the latest). */
export type HistoryStatus = 'loading' | 'complete' | 'partial';

export class VisitorsPanel extends LitElement {
  static override properties = {
    visits: { attribute: false },
    timeZone: { attribute: 'time-zone' },
    history: {},
    member: { type: Boolean },
  };
  declare visits: readonly EventView[];
  declare timeZone: string;
  declare history: HistoryStatus;
  /** The viewer is a member: names are only those who opted in. */
  declare member: boolean;

  static override styles = [
    baseStyles,
    panelStyles,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr));
        gap: 0.5rem;
      }
      li {
        display: flex;
        align-items: center;
        gap: 0.6rem;
        padding: 0.5rem 0.6rem;
        border: 1px solid var(--ss-line, #dedbd2);
        border-radius: 0.5rem;
      }
      .initials {
        flex: none;
        width: 2.25rem;
        height: 2.25rem;
        border-radius: 50%;
        display: grid;
        place-items: center;
        font-weight: 700;
        background: var(--ss-accent-tint, #e2f0f5);
        color: var(--ss-accent-dark, #07455d);
      }
      .name {
        font-weight: 600;
      }
      .when {
        display: block;
        font-size: 0.875rem;
        color: var(--ss-muted, #4a525c);
      }
      p {
        margin: 0 0 0.75rem;
        color: var(--ss-muted, #4a525c);
      }
    `,
  ];

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.visits = [];
    this.timeZone = 'Europe/Copenhagen';
    this.history = 'complete';
    this.member = false;
  }

  override render() {
    const m = t().today;
    const f = timeFormats(locale.tag, this.timeZone);
    const people = visitorsOn(this.visits, f.dayKey, f.dayKey(Date.now()));
    const initials = (name: string) =>
      name
        .split(/\s+/)
        .filter(Boolean)
        .slice(0, 2)
        .map((w) => w[0]!.toUpperCase())
        .join('');
    return html`
      <section class="panel" aria-labelledby="today-title" aria-busy=${this.history === 'loading' ? 'true' : 'false'}>
        <h2 id="today-title">${m.title}</h2>
        <p>${this.member ? m.memberNote : m.hostNote}</p>
        ${this.history === 'partial' ? html`<p data-testid="today-partial">${m.partial}</p>` : nothing}
        ${
          people.length === 0
            ? html`<p>${this.history === 'loading' ? m.loading : m.empty}</p>`
            : html`<ol>
                ${people.map(
                  (v) =>
                    html`<li data-visitor=${v.name}>
                      <span class="initials" aria-hidden="true">${initials(v.name)}</span>
                      <span
                        ><span class="name">${v.name}</span>
                        <span class="when">${m.firstIn(f.clock(v.first))}${v.last !== v.first ? html` · ${m.lastIn(f.clock(v.last))}` : nothing}</span></span
                      >
                    </li>`,
                )}
              </ol>`
        }
      </section>
    `;
  }
}

customElements.define('ss-visitors', VisitorsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-visitors': VisitorsPanel;
  }
}
