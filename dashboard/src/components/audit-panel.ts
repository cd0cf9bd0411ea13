// The audit log, for operators: filter (action, who, about, days in the site's zone), page back
// through older entries, and download the same selection as CSV from the services (a plain
// link: /api/audit.csv answers with an attachment).
import { LitElement, css, html, nothing } from 'lit';
import type { AuditView } from '../../../contracts/api/index.ts';
import { api } from '../api.ts';
import { auditQuery, NO_FILTERS, validAction, type AuditFilters } from '../audit-query.ts';
import { errorText } from '../error-words.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { timeFormats } from '../time-format.ts';
import { baseStyles, buttonStyles, fieldStyles, panelStyles, textStyles } from './shared-styles.ts';

/** Entries per page. */
export const AUDIT_PAGE = 50;

export class AuditPanel extends LitElement {
  static override properties = {
    timeZone: { attribute: 'time-zone' },
    filters: { state: true },
    applied: { state: true },
    items: { state: true },
    next: { state: true },
    loading: { state: true },
    problem: { state: true },
    invalid: { state: true },
  };
  declare timeZone: string;
  /** As typed in the form. */
  declare filters: AuditFilters;
  /** As last shown (the CSV link and paging use these). */
  declare applied: AuditFilters;
  declare items: AuditView[];
  declare next: string | null;
  declare loading: boolean;
  declare problem: unknown;
  /** A filter the services would refuse, in words. */
  declare invalid: string;

  static override styles = [
    baseStyles,
    buttonStyles,
    panelStyles,
    textStyles,
    fieldStyles,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
        gap: 0.75rem;
        align-items: end;
        margin-bottom: 1rem;
      }
      .buttons {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      .scroller {
        overflow-x: auto;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 0.9375rem;
      }
      th,
      td {
        text-align: left;
        padding: 0.4rem 0.5rem;
        border-top: 1px solid var(--ss-line, #dedbd2);
        vertical-align: top;
      }
      td.detail {
        font-family: ui-monospace, monospace;
        font-size: 0.8125rem;
        max-width: 24rem;
        overflow-wrap: anywhere;
      }
      a.csv {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        font-weight: 600;
        color: var(--ss-accent, #0b5e7e);
      }
      .more {
        margin-top: 0.75rem;
      }
    `,
  ];

  #loaded = false;
  /** Answers to an older request are dropped. */
  #request = 0;

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.timeZone = 'Europe/Copenhagen';
    this.filters = { ...NO_FILTERS };
    this.applied = { ...NO_FILTERS };
    this.items = [];
    this.next = null;
    this.loading = false;
    this.problem = null;
    this.invalid = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#loaded) void this.#load(false);
  }

  /** The first page for the applied filters, or (`more`) the next older one. */
  async #load(more: boolean): Promise<void> {
    this.#loaded = true;
    const id = ++this.#request;
    this.loading = true;
    this.problem = null;
    try {
      const page = await api.audit(auditQuery(this.applied, this.timeZone, { limit: AUDIT_PAGE, before: more ? this.next : null }));
      if (id !== this.#request) return;
      this.items = more ? [...this.items, ...page.items] : page.items;
      this.next = page.next;
    } catch (err) {
      if (id !== this.#request) return;
      if (!more) this.items = [];
      this.problem = err;
    } finally {
      if (id === this.#request) this.loading = false;
    }
  }

  #apply(ev: Event): void {
    ev.preventDefault();
    const m = t().audit;
    const f = this.filters;
    if (!validAction(f.action)) this.invalid = m.badAction;
    else if (f.from && f.to && f.from > f.to) this.invalid = m.badRange;
    else this.invalid = '';
    if (this.invalid) return;
    this.applied = { ...f, action: f.action.trim(), actor: f.actor.trim(), target: f.target.trim() };
    this.next = null;
    void this.#load(false);
  }

  #clear(): void {
    this.filters = { ...NO_FILTERS };
    this.applied = { ...NO_FILTERS };
    this.invalid = '';
    this.next = null;
    void this.#load(false);
  }

  #field(key: keyof AuditFilters, label: string, type: 'text' | 'date', hint?: string) {
    return html`<label
      >${label}
      <input
        type=${type}
        name=${key}
        .value=${this.filters[key]}
        title=${hint ?? nothing}
        @input=${(ev: Event) => (this.filters = { ...this.filters, [key]: (ev.target as HTMLInputElement).value })}
    /></label>`;
  }

  #table() {
    const m = t().audit;
    const f = timeFormats(locale.tag, this.timeZone);
    return html`<div class="scroller">
      <table>
        <thead>
          <tr>
            <th scope="col">${m.colTime}</th>
            <th scope="col">${m.colActor}</th>
            <th scope="col">${m.colAction}</th>
            <th scope="col">${m.colTarget}</th>
            <th scope="col">${m.colSource}</th>
            <th scope="col">${m.colDetail}</th>
          </tr>
        </thead>
        <tbody>
          ${this.items.map(
            (a) =>
              html`<tr data-audit=${a.id}>
                <td>${f.dated(a.ts)}</td>
                <td title=${a.actorName ? (a.actor ?? nothing) : nothing}>${a.actorName ?? a.actor ?? m.system}</td>
                <td>${a.action}</td>
                <td title=${a.targetName ? (a.target ?? nothing) : nothing}>${a.targetName ?? a.target ?? ''}</td>
                <td>${a.source ?? ''}</td>
                <td class="detail">${a.detail ? JSON.stringify(a.detail) : ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    const m = t().audit;
    const query = auditQuery(this.applied, this.timeZone);
    return html`<section class="panel" aria-labelledby="audit-title" aria-busy=${this.loading ? 'true' : 'false'}>
      <h2 id="audit-title">${m.title}</h2>
      <p class="muted">${m.text}</p>
      <form aria-label=${m.filters} @submit=${this.#apply}>
        ${this.#field('action', m.action, 'text', m.actionHint)} ${this.#field('actor', m.actor, 'text')} ${this.#field('target', m.target, 'text')}
        ${this.#field('from', m.from, 'date')} ${this.#field('to', m.to, 'date')}
        <div class="buttons">
          <button type="submit" data-action="apply">${m.apply}</button>
          <button type="button" class="secondary" data-action="clear" @click=${() => this.#clear()}>${m.clear}</button>
        </div>
      </form>
      ${this.invalid ? html`<p class="failed" role="alert" data-testid="audit-invalid">${this.invalid}</p>` : nothing}
      <p>
        <a class="csv" data-testid="audit-csv" href=${`/api/audit.csv?${query ? `${query}&` : ''}lang=${locale.lang}`} download>${m.csv}</a>
        <span class="muted">${m.csvHint}</span>
      </p>
      ${this.problem ? html`<p class="failed" role="alert" data-testid="audit-failed">${errorText(this.problem, { kind: 'audit' })}</p>` : nothing}
      ${
        this.items.length > 0
          ? html`<p class="muted" role="status">${m.count(this.items.length)}</p>
              ${this.#table()}`
          : this.problem
            ? nothing
            : html`<p class="muted">${this.loading ? m.loading : m.empty}</p>`
      }
      ${
        this.next
          ? html`<button type="button" class="secondary more" data-action="older" ?disabled=${this.loading} @click=${() => void this.#load(true)}>
              ${this.loading ? m.loading : m.older}
            </button>`
          : nothing
      }
    </section>`;
  }
}

customElements.define('ss-audit', AuditPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-audit': AuditPanel;
  }
}
