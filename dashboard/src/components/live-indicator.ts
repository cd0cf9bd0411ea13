// "live" / "reconnecting…": whether what the page shows is being kept up to date.
import { LitElement, css, html } from 'lit';
import { LocaleController, t } from '../words/locale.ts';
import type { LiveStatus } from '../data/live.ts';
import { baseStyles } from './shared-styles.ts';

export class LiveIndicator extends LitElement {
  static override properties = { status: {} };
  declare status: LiveStatus;

  static override styles = [
    baseStyles,
    css`
      span {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        font-size: 0.875rem;
        font-weight: 600;
        padding: 0.2rem 0.6rem;
        border-radius: 999px;
        border: 1px solid currentColor;
        color: var(--ss-unlocked, #8a4b00);
        background: var(--ss-surface, #fff);
        white-space: nowrap;
      }
      span::before {
        content: '';
        width: 0.6rem;
        height: 0.6rem;
        border-radius: 50%;
        border: 2px solid currentColor;
      }
      span[data-live='live'] {
        color: var(--ss-locked, #1e6b3a);
      }
      span[data-live='live']::before {
        background: currentColor;
      }
    `,
  ];

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.status = 'connecting';
  }

  override render() {
    // Two values for tests and styles; "connecting" is a first reconnect.
    const live = this.status === 'live' ? 'live' : 'reconnecting';
    const m = t().live;
    return html`<span data-live=${live} role="status" title=${m.title}>${m[this.status]}</span>`;
  }
}

customElements.define('ss-live-indicator', LiveIndicator);

declare global {
  interface HTMLElementTagNameMap {
    'ss-live-indicator': LiveIndicator;
  }
}
