// For operators, under the gateways: each outgoing webhook's health (where it goes — the host
// only, the URL is a secret — which events, waiting, delivered, last success, failures since)
// and the dead letters (given up), each sent again or deleted; all of them sent again at once.
// Read from GET /api/webhooks and /api/webhooks/dead; a press reloads both.
import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { DeadLetterView, WebhookSubscriptionView } from '../../../contracts/api/index.ts';
import { call } from '../api.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { timeFormats } from '../time-format.ts';
import { baseStyles, buttonStyles, panelStyles, textStyles } from './shared-styles.ts';

export class WebhooksPanel extends LitElement {
  static override properties = {
    timeZone: { attribute: 'time-zone' },
    subs: { state: true },
    dead: { state: true },
    busy: { state: true },
    note: { state: true },
  };
  declare timeZone: string;
  declare subs: WebhookSubscriptionView[] | null;
  declare dead: DeadLetterView[];
  declare busy: boolean;
  /** What the last press did, or that it failed. */
  declare note: { text: string; failed: boolean } | null;

  static override styles = [
    baseStyles,
    panelStyles,
    textStyles,
    buttonStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.75rem;
      }
      li {
        border-top: 1px solid var(--ss-line, #d5dae0);
        padding-top: 0.75rem;
      }
      h3 {
        font-size: 1rem;
        margin: 1rem 0 0.5rem;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.25rem 0.75rem;
        margin: 0.25rem 0;
      }
      dt {
        color: var(--ss-muted, #4a525c);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-top: 0.5rem;
      }
    `,
  ];

  constructor() {
    super();
    new LocaleController(this);
    this.timeZone = 'Europe/Copenhagen';
    this.subs = null;
    this.dead = [];
    this.busy = false;
    this.note = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  async load(): Promise<void> {
    try {
      [this.subs, this.dead] = await Promise.all([call('webhooks'), call('deadLetters')]);
    } catch {
      this.note = { text: t().webhooks.failed, failed: true };
    }
  }

  async #act(what: () => Promise<string | null>): Promise<void> {
    this.busy = true;
    try {
      const text = await what();
      this.note = text ? { text, failed: false } : null;
      await this.load();
    } catch {
      this.note = { text: t().webhooks.failed, failed: true };
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const m = t().webhooks;
    const f = timeFormats(locale.tag, this.timeZone);
    const subs = this.subs;
    return html`<section class="panel" aria-labelledby="wh-title" data-testid="webhooks">
      <h2 id="wh-title">${m.title}</h2>
      <p class="muted">${m.intro}</p>
      ${
        subs === null
          ? nothing
          : subs.length === 0
            ? html`<p class="muted">${m.none}</p>`
            : html`<ul>
                ${repeat(
                  subs,
                  (s) => s.id,
                  (s) =>
                    html`<li data-testid="webhook">
                      <strong>${s.id}</strong>
                      <span class=${s.failures > 0 ? 'failed' : 'done'}>${s.failures > 0 ? m.failing(s.failures) : m.working}</span>
                      <dl>
                        <dt>${m.to}</dt>
                        <dd>${s.host}</dd>
                        <dt>${m.kinds}</dt>
                        <dd>${s.kinds.join(', ')}</dd>
                        <dt>${m.lastOk}</dt>
                        <dd>${s.lastOkAt === null ? m.never : f.short(s.lastOkAt)} · ${m.delivered(s.delivered)} · ${m.waiting(s.pending)}</dd>
                        ${
                          s.lastError && s.failures > 0
                            ? html`<dt>${m.lastError}</dt>
                                <dd>${s.lastError}</dd>`
                            : nothing
                        }
                      </dl>
                    </li>`,
                )}
              </ul>`
      }
      <h3>${m.deadTitle}</h3>
      ${
        this.dead.length === 0
          ? html`<p class="muted">${m.deadNone}</p>`
          : html`<p class="muted">${m.deadIntro}</p>
              <ul>
                ${repeat(
                  this.dead,
                  (d) => d.id,
                  (d) =>
                    html`<li data-testid="dead-letter">
                      <strong>${d.type}</strong> → ${d.subscription}
                      <div class="muted">${f.short(d.createdAt)} · ${m.attempts(d.attempts)}${d.lastError ? html` · ${d.lastError}` : nothing}</div>
                      <div class="actions">
                        <button ?disabled=${this.busy} data-testid="retry" @click=${() => void this.#act(() => this.#retry(d.id))}>${m.retry}</button>
                        <button class="secondary" ?disabled=${this.busy} data-testid="delete" @click=${() => void this.#act(() => this.#delete(d.id))}>
                          ${m.remove}
                        </button>
                      </div>
                    </li>`,
                )}
              </ul>
              <div class="actions">
                <button class="secondary" ?disabled=${this.busy} data-testid="retry-all" @click=${() => void this.#act(() => this.#retryAll())}>
                  ${m.retryAll}
                </button>
              </div>`
      }
      ${this.note ? html`<p class=${this.note.failed ? 'failed' : 'done'} role="status">${this.note.text}</p>` : nothing}
    </section>`;
  }

  async #retry(id: number): Promise<string> {
    const r = await call('retryDeadLetter', { params: { id } });
    return t().webhooks.retried(r.retried);
  }

  async #retryAll(): Promise<string> {
    const r = await call('retryDeadLetters');
    return t().webhooks.retried(r.retried);
  }

  async #delete(id: number): Promise<null> {
    await call('deleteDeadLetter', { params: { id } });
    return null;
  }
}

customElements.define('ss-webhooks', WebhooksPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-webhooks': WebhooksPanel;
  }
}
