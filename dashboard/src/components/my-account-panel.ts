// A member's own account, next to their data (my-data-panel.ts): when their plan lets them in
// (days and hours in the site's local time, doors), their own cards and passes, changing their
// password (current and new; their other sessions end), and erasing themselves after a confirm
// step (the same erasure a host's operator uses; the session ends with it).
import { cardTailOf } from './credential-list.ts';
import { LitElement, css, html, nothing } from 'lit';
import type { CredentialView, MyAccess } from '../../../contracts/api/index.ts';
import type { TimeWindow } from '../../../contracts/payloads.ts';
import { api } from '../api.ts';
import { errorText } from '../error-words.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { formStyles, inputField } from './form-bits.ts';
import { baseStyles, buttonStyles, fieldStyles, panelStyles, textStyles } from './shared-styles.ts';

type Note = { ok: boolean; text: string } | null;

/** "Mon–Fri", "Sat, Sun": a window's days (1 = Monday) in the reader's language. */
export function dayRange(days: readonly number[], tag: string): string {
  // 2 June 2025 was a Monday.
  const name = new Intl.DateTimeFormat(tag, { weekday: 'short', timeZone: 'UTC' });
  const day = (d: number) => name.format(Date.UTC(2025, 5, 1 + d));
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const d of sorted) {
    const run = runs.at(-1);
    if (run && run.at(-1) === d - 1) run.push(d);
    else runs.push([d]);
  }
  return runs.map((r) => (r.length >= 3 ? `${day(r[0]!)}–${day(r.at(-1)!)}` : r.map(day).join(', '))).join(', ');
}

export class MyAccountPanel extends LitElement {
  static override properties = {
    access: { state: true },
    accessError: { state: true },
    current: { state: true },
    next: { state: true },
    passwordError: { state: true },
    passwordNote: { state: true },
    changing: { state: true },
    confirmErase: { state: true },
    erasing: { state: true },
    eraseNote: { state: true },
  };
  declare access: MyAccess | null;
  declare accessError: unknown;
  declare current: string;
  declare next: string;
  declare passwordError: { field: 'current' | 'next'; text: string } | null;
  declare passwordNote: Note;
  declare changing: boolean;
  declare confirmErase: boolean;
  declare erasing: boolean;
  declare eraseNote: Note;

  /** After the erasure: back to the start (the session is gone; replaceable in tests). */
  afterErase: () => void = () => location.assign('/');

  static override styles = [
    baseStyles,
    buttonStyles,
    panelStyles,
    textStyles,
    fieldStyles,
    formStyles,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      ul {
        list-style: none;
        margin: 0 0 0.75rem;
        padding: 0;
      }
      li {
        padding: 0.4rem 0;
        border-top: 1px solid var(--ss-line, #dedbd2);
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0.25rem 1rem;
      }
      .window {
        font-weight: 600;
      }
      form {
        display: grid;
        gap: 0.75rem;
        max-width: 24rem;
      }
      .confirm {
        border: 2px solid var(--ss-open, #a1260d);
        border-radius: 0.5rem;
        padding: 0.75rem;
        background: var(--ss-open-tint, #fbeae6);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      button.danger {
        background: var(--ss-open, #a1260d);
        border-color: var(--ss-open, #a1260d);
      }
      .note {
        margin: 0.75rem 0 0;
      }
    `,
  ];

  #loaded = false;

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.access = null;
    this.accessError = null;
    this.current = '';
    this.next = '';
    this.passwordError = null;
    this.passwordNote = null;
    this.changing = false;
    this.confirmErase = false;
    this.erasing = false;
    this.eraseNote = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#loaded) void this.load();
  }

  async load(): Promise<void> {
    this.#loaded = true;
    this.access = null;
    this.accessError = null;
    try {
      this.access = await api.myAccess();
    } catch (err) {
      this.accessError = err;
    }
  }

  async #changePassword(ev: Event): Promise<void> {
    ev.preventDefault();
    const m = t().self;
    this.passwordNote = null;
    if (!this.current) return void (this.passwordError = { field: 'current', text: m.missing });
    if (this.next.length < 8) return void (this.passwordError = { field: 'next', text: m.tooShort });
    this.passwordError = null;
    this.changing = true;
    try {
      await api.changePassword(this.current, this.next);
      this.current = '';
      this.next = '';
      this.passwordNote = { ok: true, text: m.changed };
    } catch (err) {
      this.passwordNote = { ok: false, text: errorText(err, { kind: 'changePassword' }) };
    } finally {
      this.changing = false;
    }
  }

  async #erase(): Promise<void> {
    this.erasing = true;
    this.eraseNote = null;
    try {
      await api.eraseMe();
      this.afterErase();
    } catch (err) {
      this.eraseNote = { ok: false, text: errorText(err, { kind: 'eraseMe' }) };
      this.confirmErase = false;
    } finally {
      this.erasing = false;
    }
  }

  #window(w: TimeWindow) {
    return t().self.window(dayRange(w.days, locale.tag), w.from, w.to);
  }

  #credential(c: CredentialView, date: (d: string) => string) {
    const m = t().self;
    const dates = [c.validFrom ? m.validFrom(date(c.validFrom)) : '', c.validTo ? m.validTo(date(c.validTo)) : ''].filter(Boolean).join(' · ');
    return html`<li data-credential=${c.id} data-kind=${c.kind}>
      <span
        ><strong>${c.label ?? (c.kind === 'card' ? m.card : m.pass)}</strong> <span class="muted">${c.kind === 'card' ? `…${cardTailOf(c)}` : ''}</span></span
      >
      <span>${m.status[c.status]}${dates ? html` <span class="muted">· ${dates}</span>` : nothing}</span>
    </li>`;
  }

  #access() {
    const m = t().self;
    if (this.accessError) {
      return html`<div role="alert">
        <p class="failed">${errorText(this.accessError, { kind: 'myAccess' })}</p>
        <button type="button" class="secondary" @click=${() => void this.load()}>${t().app.tryAgain}</button>
      </div>`;
    }
    const a = this.access;
    if (!a) return html`<p class="muted">${m.loading}</p>`;
    const dateWords = new Intl.DateTimeFormat(locale.tag, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    const date = (d: string) => dateWords.format(Date.parse(`${d}T12:00:00Z`));
    const plan = a.plan;
    return html`<section class="panel" aria-labelledby="access-title" data-testid="my-access">
        <h2 id="access-title">${m.accessTitle}</h2>
        ${
          plan
            ? html`<p><strong data-testid="plan-name">${m.plan(plan.name)}</strong></p>
                <ul data-testid="windows">
                  ${plan.windows.length === 0 ? html`<li class="window">${m.anyTime}</li>` : plan.windows.map((w) => html`<li class="window">${this.#window(w)}</li>`)}
                </ul>
                <p>${m.doors(plan.doors.map((d) => d.name).join(', '))}</p>
                ${plan.validFrom ? html`<p>${m.validFrom(date(plan.validFrom))}</p>` : nothing}
                ${plan.validTo ? html`<p>${m.validTo(date(plan.validTo))}</p>` : nothing}
                <p class="muted">${m.timeZone(a.timeZone)}</p>`
            : html`<p data-testid="no-plan">${m.noPlan}</p>`
        }
      </section>
      <section class="panel" aria-labelledby="cards-title">
        <h2 id="cards-title">${m.cardsTitle}</h2>
        ${
          a.credentials.length === 0
            ? html`<p class="muted">${m.noCards}</p>`
            : html`<ul data-testid="my-credentials">
                ${a.credentials.map((c) => this.#credential(c, date))}
              </ul>`
        }
        ${a.passesLeft > 0 ? html`<p data-testid="passes-left">${m.passes(a.passesLeft)}</p>` : nothing}
      </section>`;
  }

  override render() {
    const m = t().self;
    const e = this.passwordError;
    return html`
      ${this.#access()}
      <section class="panel" aria-labelledby="password-title">
        <h2 id="password-title">${m.passwordTitle}</h2>
        <form novalidate @submit=${(ev: Event) => void this.#changePassword(ev)}>
          ${inputField({
            form: 'pw',
            name: 'current',
            label: m.current,
            type: 'password',
            value: this.current,
            autocomplete: 'current-password',
            error: e?.field === 'current' ? e.text : undefined,
            onInput: (v) => (this.current = v),
          })}
          ${inputField({
            form: 'pw',
            name: 'next',
            label: m.next,
            type: 'password',
            value: this.next,
            hint: m.nextHint,
            autocomplete: 'new-password',
            error: e?.field === 'next' ? e.text : undefined,
            onInput: (v) => (this.next = v),
          })}
          <div><button type="submit" data-action="change-password" ?disabled=${this.changing}>${this.changing ? m.changing : m.change}</button></div>
        </form>
        ${
          this.passwordNote
            ? html`<p class="note ${this.passwordNote.ok ? 'done' : 'failed'}" role=${this.passwordNote.ok ? 'status' : 'alert'} data-testid="password-note">
                ${this.passwordNote.text}
              </p>`
            : nothing
        }
      </section>
      <section class="panel" aria-labelledby="erase-title">
        <h2 id="erase-title">${m.eraseTitle}</h2>
        <p class="muted">${m.eraseText}</p>
        ${
          this.confirmErase
            ? html`<div class="confirm" role="alertdialog" aria-labelledby="erase-q" data-testid="erase-confirm">
                <p id="erase-q"><strong>${m.eraseConfirm}</strong></p>
                <div class="actions">
                  <button type="button" class="danger" data-action="erase-confirm" ?disabled=${this.erasing} @click=${() => void this.#erase()}>
                    ${this.erasing ? m.erasing : m.eraseYes}
                  </button>
                  <button type="button" class="secondary" data-action="erase-cancel" @click=${() => (this.confirmErase = false)}>
                    ${t().emergency.cancel}
                  </button>
                </div>
              </div>`
            : html`<button type="button" class="secondary" data-action="erase" @click=${() => (this.confirmErase = true)}>${m.erase}</button>`
        }
        ${this.eraseNote ? html`<p class="note failed" role="alert" data-testid="erase-note">${this.eraseNote.text}</p>` : nothing}
      </section>
    `;
  }
}

customElements.define('ss-my-account', MyAccountPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-my-account': MyAccountPanel;
  }
}
