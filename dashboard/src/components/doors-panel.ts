// The doors, one card each. `mine` (members): only the doors this person may open now, with a
// word on the others, so the Unlock they came for is at the top of a phone screen.
import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { DoorView } from '../../../contracts/api/index.ts';
import { LocaleController, t } from '../words/locale.ts';
import { baseStyles, panelStyles } from './shared-styles.ts';
import './door-card.ts';

export class DoorsPanel extends LitElement {
  static override properties = { doors: { attribute: false }, loading: { type: Boolean }, mine: { type: Boolean } };
  declare doors: readonly DoorView[];
  declare loading: boolean;
  declare mine: boolean;

  static override styles = [
    baseStyles,
    panelStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.75rem;
      }
      p {
        margin: 0;
        color: var(--ss-muted, #4a525c);
      }
      ul + p {
        margin-top: 0.75rem;
      }
    `,
  ];

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.doors = [];
    this.loading = false;
    this.mine = false;
  }

  override render() {
    const m = t().door;
    const doors = this.mine ? this.doors.filter((d) => d.canUnlock) : this.doors;
    const others = this.doors.length - doors.length;
    const empty = this.loading ? m.loading : this.mine && others > 0 ? m.noneMine : m.none;
    return html`
      <section aria-labelledby="doors-title">
        <h2 id="doors-title">${this.mine ? m.mineTitle : m.title}</h2>
        ${
          doors.length === 0
            ? html`<p>${empty}</p>`
            : html`<ul>
                  ${repeat(
                    doors,
                    (d) => d.id,
                    // repeat keeps each card (and its unlock feedback) bound to its door
                    (d) => html`<li><ss-door-card .door=${d}></ss-door-card></li>`,
                  )}
                </ul>
                ${others > 0 ? html`<p>${m.othersMine(others)}</p>` : nothing}`
        }
      </section>
    `;
  }
}

customElements.define('ss-doors-panel', DoorsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-doors-panel': DoorsPanel;
  }
}
