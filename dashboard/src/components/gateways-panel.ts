// For operators: each gateway's health as the services see it (contracts/api.ts GatewayView:
// online, last seen, access-list version, outbox depth), live from the stream, and the way to
// the Node-RED editor where the site's rules live.
import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { GatewayView } from '../../../contracts/api.ts';
import { LocaleController, locale, t } from '../i18n/locale.ts';
import { timeFormats } from '../time-format.ts';
import { baseStyles, panelStyles } from './shared-styles.ts';

const TICK_MS = 30_000;

export class GatewaysPanel extends LitElement {
  static override properties = {
    gateways: { attribute: false },
    timeZone: { attribute: 'time-zone' },
    nodeRedUrl: { attribute: 'node-red-url' },
  };
  declare gateways: readonly GatewayView[];
  declare timeZone: string;
  /** Where the Node-RED editor is; no link when empty. */
  declare nodeRedUrl: string;

  #tick: ReturnType<typeof setInterval> | null = null;

  static override styles = [
    baseStyles,
    panelStyles,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      .list {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.75rem;
        grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr));
      }
      article {
        border: 1px solid var(--ss-line, #dedbd2);
        border-left: 0.5rem solid var(--ss-locked, #1e6b3a);
        border-radius: 0.5rem;
        padding: 0.75rem 1rem;
      }
      article[data-online='false'] {
        border-left-color: var(--ss-open, #a1260d);
      }
      h3 {
        margin: 0 0 0.5rem;
        font-size: 1.0625rem;
        display: flex;
        justify-content: space-between;
        gap: 0.5rem;
      }
      .status {
        font-size: 0.875rem;
        padding: 0.1rem 0.6rem;
        border-radius: 999px;
        color: #fff;
        background: var(--ss-locked, #1e6b3a);
      }
      [data-online='false'] .status {
        background: var(--ss-open, #a1260d);
      }
      dl {
        margin: 0;
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0.25rem 0.75rem;
      }
      dt {
        color: var(--ss-muted, #4a525c);
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
      dd time {
        white-space: nowrap;
      }
      p {
        margin: 0 0 0.75rem;
        color: var(--ss-muted, #4a525c);
      }
      a {
        color: var(--ss-accent, #0b5e7e);
        font-weight: 600;
      }
    `,
  ];

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.gateways = [];
    this.timeZone = 'Europe/Copenhagen';
    this.nodeRedUrl = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#tick = setInterval(() => this.requestUpdate(), TICK_MS); // "3 minutes ago" moves on
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#tick) clearInterval(this.#tick);
    this.#tick = null;
  }

  override render() {
    const m = t().gateways;
    const f = timeFormats(locale.tag, this.timeZone);
    const num = (n: number | null) => (n === null ? m.notReported : n.toLocaleString(locale.tag));
    return html`
      <section class="panel" aria-labelledby="gw-title">
        <h2 id="gw-title">${m.title}</h2>
        ${this.gateways.length === 0
          ? html`<p>${m.none}</p>`
          : html`<ul class="list">
              ${repeat(
                this.gateways,
                (g) => g.id,
                (g) => html`<li>
                  <article data-gateway=${g.id} data-online=${String(g.online)} aria-labelledby=${`gw-${g.id}`}>
                    <h3 id=${`gw-${g.id}`}>${g.name} <span class="status">${g.online ? m.online : m.offline}</span></h3>
                    <dl>
                      <dt>${m.lastSeen}</dt>
                      <dd data-field="last-seen">
                        ${g.lastSeen === null
                          ? m.never
                          : html`<time datetime=${new Date(g.lastSeen).toISOString()}>${f.short(g.lastSeen)}</time> (${f.ago(g.lastSeen)})`}
                      </dd>
                      <dt>${m.acl}</dt>
                      <dd data-field="acl">${g.aclVersion === null ? m.aclNone : m.aclVersion(g.aclVersion)}</dd>
                      <dt>${m.outbox}</dt>
                      <dd data-field="outbox">${num(g.outboxDepth)}</dd>
                    </dl>
                  </article>
                </li>`,
              )}
            </ul>`}
      </section>
      ${this.nodeRedUrl
        ? html`<section class="panel" aria-labelledby="nr-title">
            <h2 id="nr-title">${m.nodeRedTitle}</h2>
            <p>${m.nodeRedText}</p>
            <a href=${this.nodeRedUrl} target="_blank" rel="noopener" data-action="node-red"
              >${m.nodeRedLink} <span class="visually-hidden">${m.newTab}</span></a
            >
          </section>`
        : nothing}
    `;
  }
}

customElements.define('ss-gateways', GatewaysPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-gateways': GatewaysPanel;
  }
}
