// A person's own screen: my visits (GET /api/me/visits: the days I was let in, read without
// an audit entry), a real download of all my data as a JSON file (the export, which is
// audited), and the switch for being shown to other members in "who is in".
// Every failure says what failed and what to do (error-words.ts); the switch goes back to what
// the server holds when the change did not go through.
import { LitElement, css, html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { DoorView, Me, MyVisits } from '../../../contracts/api/index.ts';
import { api } from '../api.ts';
import { errorText } from '../error-words.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { exportFileName } from '../data/my-visits.ts';
import { timeFormats } from '../time-format.ts';
import { baseStyles, buttonStyles, panelStyles, textStyles } from './shared-styles.ts';

/** Days listed at most; the download has every one. */
export const VISIT_DAYS_SHOWN = 60;

type Note = { ok: boolean; text: string } | null;

export class MyDataPanel extends LitElement {
  static override properties = {
    me: { attribute: false },
    doors: { attribute: false },
    timeZone: { attribute: 'time-zone' },
    visits: { state: true },
    visitsError: { state: true },
    downloading: { state: true },
    downloadNote: { state: true },
    saving: { state: true },
    pending: { state: true },
    presenceNote: { state: true },
  };
  declare me: Me | null;
  declare doors: readonly DoorView[];
  declare timeZone: string;
  /** null while loading. */
  declare visits: MyVisits | null;
  declare visitsError: unknown;
  declare downloading: boolean;
  declare downloadNote: Note;
  declare saving: boolean;
  /** The switch's position while a change is on its way (null: what the server holds). */
  declare pending: boolean | null;
  declare presenceNote: Note;

  static override styles = [
    baseStyles,
    buttonStyles,
    panelStyles,
    textStyles,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0.25rem 1rem;
        padding: 0.5rem 0;
        border-top: 1px solid var(--ss-line, #dedbd2);
      }
      .day {
        font-weight: 600;
      }
      .note {
        margin: 0.75rem 0 0;
      }
      .note.failed {
        color: var(--ss-open, #a1260d);
        font-weight: 600;
      }
      .switch {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        min-height: 44px;
        font-weight: 600;
      }
      .switch input {
        width: 1.5rem;
        height: 1.5rem;
        margin: 0;
        accent-color: var(--ss-accent, #0b5e7e);
      }
    `,
  ];

  #loaded = false;

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.me = null;
    this.doors = [];
    this.timeZone = 'Europe/Copenhagen';
    this.visits = null;
    this.visitsError = null;
    this.downloading = false;
    this.downloadNote = null;
    this.saving = false;
    this.pending = null;
    this.presenceNote = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#loaded) void this.loadVisits();
  }

  /** Fetches my latest visit days; on failure says so and offers to try again. */
  async loadVisits(): Promise<void> {
    this.#loaded = true;
    this.visits = null;
    this.visitsError = null;
    try {
      this.visits = await api.myVisits(VISIT_DAYS_SHOWN);
    } catch (err) {
      this.visitsError = err;
    }
  }

  async #download(): Promise<void> {
    if (this.downloading) return;
    this.downloading = true;
    this.downloadNote = null;
    try {
      const data = await api.myExport();
      const name = exportFileName(timeFormats(locale.tag, this.timeZone).dayKey(Date.now()));
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.hidden = true;
      this.renderRoot.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000); // after the browser has taken it
      this.downloadNote = { ok: true, text: t().mine.downloaded(name) };
    } catch (err) {
      this.downloadNote = { ok: false, text: errorText(err, { kind: 'export' }) };
    } finally {
      this.downloading = false;
    }
  }

  async #setPresence(ev: Event): Promise<void> {
    const input = ev.target as HTMLInputElement;
    const wanted = input.checked;
    this.pending = wanted;
    this.saving = true;
    this.presenceNote = null;
    try {
      const me = await api.setPresence(wanted);
      this.me = me;
      this.presenceNote = { ok: true, text: me.presenceOptIn ? t().mine.presenceOn : t().mine.presenceOff };
      this.dispatchEvent(new CustomEvent<Me>('me-changed', { detail: me, bubbles: true, composed: true }));
    } catch (err) {
      this.presenceNote = { ok: false, text: errorText(err, { kind: 'presence' }) };
    } finally {
      this.saving = false;
      this.pending = null;
    }
  }

  #note(note: Note, testid: string) {
    if (!note) return nothing;
    return html`<p class="note ${note.ok ? '' : 'failed'}" role=${note.ok ? 'status' : 'alert'} data-testid=${testid}>${note.text}</p>`;
  }

  #visits() {
    const m = t().mine;
    if (this.visitsError) {
      return html`<div role="alert" data-testid="visits-failed">
        <p class="note failed">${errorText(this.visitsError, { kind: 'visits' })}</p>
        <button type="button" class="secondary" @click=${() => void this.loadVisits()}>${t().app.tryAgain}</button>
      </div>`;
    }
    if (!this.visits) return html`<p class="muted">${m.loading}</p>`;
    const { days, total } = this.visits;
    if (days.length === 0) return html`<p class="muted">${m.empty}</p>`;
    const f = timeFormats(locale.tag, this.timeZone);
    const dayWords = new Intl.DateTimeFormat(locale.tag, { timeZone: this.timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
    const doorName = (id: string) => this.doors.find((d) => d.id === id)?.name ?? id;
    return html`<ol>
        ${days.map(
          (v) =>
            html`<li data-visit=${v.date}>
              <span class="day">${dayWords.format(v.first)}</span>
              <span>${v.first === v.last ? m.at(f.clock(v.first)) : m.between(f.clock(v.first), f.clock(v.last))} · ${m.entries(v.entries)}</span>
              <span class="muted">${v.doors.map(doorName).join(', ')}</span>
            </li>`,
        )}
      </ol>
      ${total > days.length ? html`<p class="note muted">${m.shown(days.length, total)}</p>` : nothing}`;
  }

  override render() {
    const m = t().mine;
    return html`
      <section class="panel" aria-labelledby="visits-title" aria-busy=${this.visits === null && !this.visitsError ? 'true' : 'false'}>
        <h2 id="visits-title">${m.visitsTitle}</h2>
        <p class="muted">${m.visitsNote}</p>
        ${this.#visits()}
      </section>
      <section class="panel" aria-labelledby="presence-title">
        <h2 id="presence-title">${m.presenceTitle}</h2>
        <label class="switch">
          <input
            type="checkbox"
            role="switch"
            data-action="presence"
            aria-describedby="presence-help"
            .checked=${live(this.pending ?? this.me?.presenceOptIn ?? false)}
            ?disabled=${this.saving || !this.me}
            @change=${(ev: Event) => void this.#setPresence(ev)}
          />
          ${m.presenceLabel}
        </label>
        <p id="presence-help" class="muted">${m.presenceHelp}</p>
        ${this.saving ? html`<p class="note muted" role="status">${m.saving}</p>` : this.#note(this.presenceNote, 'presence-note')}
      </section>
      <section class="panel" aria-labelledby="data-title">
        <h2 id="data-title">${m.dataTitle}</h2>
        <p class="muted">${m.dataText}</p>
        <button type="button" data-action="download" ?disabled=${this.downloading} @click=${() => void this.#download()}>
          ${this.downloading ? m.preparing : m.download}
        </button>
        ${this.#note(this.downloadNote, 'download-note')}
      </section>
    `;
  }
}

customElements.define('ss-my-data', MyDataPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-my-data': MyDataPanel;
  }
}
