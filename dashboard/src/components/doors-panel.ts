// The doors, one card each.
import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { DoorView } from '../../../contracts/api.ts';
import { baseStyles, panelStyles } from './shared-styles.ts';
import './door-card.ts';

export class DoorsPanel extends LitElement {
  static override properties = { doors: { attribute: false }, loading: { type: Boolean } };
  declare doors: readonly DoorView[];
  declare loading: boolean;

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
    `,
  ];

  constructor() {
    super();
    this.doors = [];
    this.loading = false;
  }

  override render() {
    return html`
      <section aria-labelledby="doors-title">
        <h2 id="doors-title">Doors</h2>
        ${this.doors.length === 0
          ? html`<p>${this.loading ? 'Loading doors…' : 'No doors.'}</p>`
          : html`<ul>
              ${repeat(
                this.doors,
                (d) => d.id,
                // repeat keeps each card (and its unlock feedback) bound to its door
                (d) => html`<li><ss-door-card .door=${d}></ss-door-card></li>`,
              )}
            </ul>`}
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
