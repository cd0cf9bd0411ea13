// Every desk as a table row: zone, state and since when. The floor plan's twin for those who
// read rather than look (screen readers, a long site), in the site's time.
import { LitElement, css, html } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import type { DeskView, SiteView } from '../../../contracts/api/index.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { timeFormats } from '../time-format.ts';
import { deskOccupied } from './floor-plan.ts';
import { baseStyles, panelStyles } from './shared-styles.ts';

export class DeskList extends LitElement {
  static override properties = { site: { attribute: false }, desks: { attribute: false } };
  declare site: SiteView | null;
  declare desks: readonly DeskView[];

  static override styles = [
    baseStyles,
    panelStyles,
    css`
      /* An ARIA table of grid rows rather than a <table>: rows can then be skipped while off
         screen (content-visibility), so a live update on a long list lays out only what shows. */
      [role='table'] {
        font-variant-numeric: tabular-nums;
      }
      [role='row'] {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1.3fr) minmax(5.5rem, 1fr) minmax(0, 1.2fr);
        border-top: 1px solid var(--ss-line, #dedbd2);
        content-visibility: auto;
        contain-intrinsic-size: auto 2.4rem;
      }
      .head [role='row'] {
        border-top: none;
        color: var(--ss-muted, #4a525c);
        font-size: 0.875rem;
        font-weight: 700;
      }
      [role='rowheader'] {
        font-weight: 700;
      }
      [role='row'] > * {
        padding: 0.4rem 0.6rem;
        overflow-wrap: break-word;
      }
      @media (max-width: 30rem) {
        [role='row'] > * {
          padding: 0.4rem 0.3rem;
        }
      }
      [data-occupied='true'] {
        color: var(--ss-open, #a1260d);
        font-weight: 600;
      }
      [data-occupied='false'] {
        color: var(--ss-locked, #1e6b3a);
        font-weight: 600;
      }
      [data-occupied='unknown'] {
        color: var(--ss-muted, #4a525c);
      }
    `,
  ];

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.site = null;
    this.desks = [];
  }

  override render() {
    const m = t().desks;
    const zones = new Map(this.site?.zones.map((z) => [z.id, z.name]));
    const zone = this.site?.timeZone ?? 'Europe/Copenhagen';
    const f = timeFormats(locale.tag, zone);
    // A row is redrawn only when its desk (or the language, zone or day) changes.
    const context = `${locale.lang}|${zone}|${f.dayKey(Date.now())}`;
    return html`
      <section class="panel" aria-labelledby="desk-list-title">
        <h2 id="desk-list-title">${m.listTitle}</h2>
        <div role="table" aria-labelledby="desk-list-title">
          <div role="rowgroup" class="head">
            <div role="row">
              <span role="columnheader">${m.listDesk}</span>
              <span role="columnheader">${m.listZone}</span>
              <span role="columnheader">${m.listState}</span>
              <span role="columnheader">${m.listSince}</span>
            </div>
          </div>
          <div role="rowgroup">
            ${repeat(
              this.desks,
              (d) => d.id,
              (d) =>
                guard([d, context, this.site], () => {
                  const occupied = deskOccupied(d);
                  return html`<div role="row" data-desk-row=${d.id}>
                    <span role="rowheader">${d.name}</span>
                    <span role="cell">${zones.get(d.zone) ?? d.zone}</span>
                    <span role="cell" data-occupied=${occupied}>${m.word[occupied]}</span>
                    <span role="cell">${d.since === null ? m.never : f.short(d.since)}</span>
                  </div>`;
                }),
            )}
          </div>
        </div>
      </section>
    `;
  }
}

customElements.define('ss-desk-list', DeskList);

declare global {
  interface HTMLElementTagNameMap {
    'ss-desk-list': DeskList;
  }
}
