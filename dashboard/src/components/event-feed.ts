// The newest events, in plain words and in the site's time.
import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { EventView } from '../../../contracts/api/index.ts';
import { describeEvent } from '../data/event-words.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { eventTimeFormatter } from '../time-format.ts';
import { baseStyles, panelStyles } from './shared-styles.ts';

export class EventFeed extends LitElement {
  static override properties = { events: { attribute: false }, timeZone: { attribute: 'time-zone' } };
  declare events: readonly EventView[];
  declare timeZone: string;

  static override styles = [
    baseStyles,
    panelStyles,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0 0.75rem;
        padding: 0.5rem 0;
        border-top: 1px solid var(--ss-line, #dedbd2);
      }
      li:first-child {
        border-top: none;
      }
      time {
        font-variant-numeric: tabular-nums;
        color: var(--ss-muted, #4a525c);
        grid-row: span 2;
      }
      .what {
        font-weight: 600;
      }
      .alert .what {
        color: var(--ss-open, #a1260d);
      }
      .meta {
        color: var(--ss-muted, #4a525c);
        font-size: 0.9375rem;
      }
      .offline {
        display: inline-block;
        font-size: 0.8125rem;
        font-weight: 600;
        padding: 0 0.4rem;
        border: 1px solid currentColor;
        border-radius: 0.25rem;
        color: var(--ss-unlocked, #8a4b00);
      }
      p {
        margin: 0;
        color: var(--ss-muted, #4a525c);
      }
    `,
  ];

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.events = [];
    this.timeZone = 'Europe/Copenhagen';
  }

  override render() {
    const m = t().feed;
    const format = eventTimeFormatter(this.timeZone, Date.now, locale.tag);
    return html`
      <section class="panel" aria-labelledby="feed-title">
        <h2 id="feed-title">${m.title}</h2>
        ${
          this.events.length === 0
            ? html`<p>${m.empty}</p>`
            : html`<ol>
                ${repeat(
                  this.events,
                  (e) => e.id,
                  (e) => {
                    const words = describeEvent(e);
                    const who = words.who && words.via ? m.whoVia(words.who, words.via) : words.who;
                    return html`<li data-event-id=${e.id} class=${words.alert ? 'alert' : ''}>
                      <time datetime=${new Date(e.ts).toISOString()}>${format(e.ts)}</time>
                      <span class="what">${words.what}</span>
                      <span class="meta"
                        >${e.doorName}${who ? ` · ${who}` : nothing}${
                          words.offline ? html` · <span class="offline" title=${m.offlineTitle}>${m.offline}</span>` : nothing
                        }</span
                      >
                    </li>`;
                  },
                )}
              </ol>`
        }
      </section>
    `;
  }
}

customElements.define('ss-event-feed', EventFeed);

declare global {
  interface HTMLElementTagNameMap {
    'ss-event-feed': EventFeed;
  }
}
