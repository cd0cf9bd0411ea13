// Plans, for hosts and operators: each plan's doors, weekly opening times in words, whether it
// opens while the gateway is offline, its validity and how many are on it; add and edit one
// (doors as checkboxes, rows of days + from/to, none = any time), delete one nobody is on (the
// services refuse otherwise, and the words say what to do). Below: closures and holidays.
import { LitElement, css, html, nothing } from 'lit';
import type { ClosureView, DoorView, PlanBody, PlanView } from '../../../contracts/api/index.ts';
import { errorField, errorReason, errorText } from '../error-words.ts';
import { LocaleController, t } from '../i18n/locale.ts';
import { localDate } from '../local-date.ts';
import { manageApi } from '../manage-api.ts';
import { newRow, rowProblem, toRows, toWindows, windowPhrases, type WindowRow } from '../plan-windows.ts';
import { loadFailed, noteLine, type Note } from './notes.ts';
import { describedBy, FocusAfterRender, focusFirstInvalid, formStyles, hintAndError, inputField, type FieldErrors } from './form-bits.ts';
import { baseStyles, buttonStyles, fieldStyles, panelStyles, textStyles } from './shared-styles.ts';

export interface PlanDraft {
  /** null for a new plan. */
  id: string | null;
  name: string;
  doors: string[];
  rows: WindowRow[];
  offline: boolean;
  validFrom: string;
  validTo: string;
}

interface ClosureDraft {
  name: string;
  from: string;
  to: string;
  plans: string[];
}

export function draftOf(p: PlanView | null): PlanDraft {
  if (!p) return { id: null, name: '', doors: [], rows: [], offline: false, validFrom: '', validTo: '' };
  return { id: p.id, name: p.name, doors: [...p.doors], rows: toRows(p.windows), offline: p.offline, validFrom: p.validFrom ?? '', validTo: p.validTo ?? '' };
}

/** The body a draft saves as (the same for a new plan and a change). */
export function planBody(d: PlanDraft): PlanBody {
  return { name: d.name.trim(), doors: [...d.doors].sort(), windows: toWindows(d.rows), offline: d.offline, validFrom: d.validFrom || null, validTo: d.validTo || null };
}

export class PlansPanel extends LitElement {
  static override properties = {
    doors: { attribute: false },
    plans: { state: true },
    loadError: { state: true },
    draft: { state: true },
    errors: { state: true },
    saving: { state: true },
    formNote: { state: true },
    listNote: { state: true },
    confirmDelete: { state: true },
    failedPlan: { state: true },
    closures: { state: true },
    closuresError: { state: true },
    closure: { state: true },
    closureErrors: { state: true },
    closureNote: { state: true },
  };
  declare doors: readonly DoorView[];
  /** null while loading. */
  declare plans: PlanView[] | null;
  declare loadError: unknown;
  /** The plan being added or edited, if any. */
  declare draft: PlanDraft | null;
  declare errors: FieldErrors;
  declare saving: boolean;
  declare formNote: Note;
  declare listNote: Note;
  /** The plan whose deletion waits for a yes. */
  declare confirmDelete: string | null;
  /** The plan the last refused delete was about: its words show in that plan. */
  declare failedPlan: string | null;
  declare closures: ClosureView[] | null;
  declare closuresError: unknown;
  declare closure: ClosureDraft;
  declare closureErrors: FieldErrors;
  declare closureNote: Note;

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
      ul.plans,
      ul.closures {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ul.plans > li,
      ul.closures > li {
        padding: 0.75rem 0;
        border-top: 1px solid var(--ss-line, #dedbd2);
      }
      @media (min-width: 48rem) {
        ul.plans {
          display: grid;
          grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr));
          column-gap: 1.5rem;
        }
      }
      h3 {
        margin: 0 0 0.25rem;
        font-size: 1rem;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.125rem 0.75rem;
        margin: 0 0 0.5rem;
      }
      dt {
        color: var(--ss-muted, #4a525c);
      }
      dd {
        margin: 0;
      }
      .phrase {
        white-space: nowrap;
      }
      .row {
        display: grid;
        gap: 0.5rem;
        padding: 0.5rem 0;
        border-top: 1px solid var(--ss-line, #dedbd2);
      }
      .days {
        display: flex;
        flex-wrap: wrap;
        gap: 0 0.75rem;
      }
      .times {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
      }
      .times .field {
        min-width: 8rem;
      }
    `,
  ];

  #loaded = false;
  readonly #focus = new FocusAfterRender(this);

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.doors = [];
    this.plans = null;
    this.loadError = null;
    this.draft = null;
    this.errors = {};
    this.saving = false;
    this.formNote = null;
    this.listNote = null;
    this.confirmDelete = null;
    this.failedPlan = null;
    this.closures = null;
    this.closuresError = null;
    this.closure = { name: '', from: '', to: '', plans: [] };
    this.closureErrors = {};
    this.closureNote = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#loaded) {
      this.#loaded = true;
      void this.load();
      void this.loadClosures();
    }
  }

  async load(): Promise<void> {
    this.loadError = null;
    try {
      this.plans = [...(await manageApi.plans())].sort((a, b) => a.name.localeCompare(b.name));
    } catch (err) {
      this.loadError = err;
    }
  }

  async loadClosures(): Promise<void> {
    this.closuresError = null;
    try {
      this.closures = [...(await manageApi.closures())].sort((a, b) => a.from.localeCompare(b.from));
    } catch (err) {
      this.closuresError = err;
    }
  }

  #doorName(id: string): string {
    return this.doors.find((d) => d.id === id)?.name ?? id;
  }

  #planName(id: string): string {
    return this.plans?.find((p) => p.id === id)?.name ?? id;
  }

  /** The site's doors, and any door a plan names that the list does not have (yet). */
  #doorChoices(d: PlanDraft): Array<{ id: string; name: string }> {
    const known = this.doors.map((x) => ({ id: x.id, name: x.name }));
    const extra = d.doors.filter((id) => !known.some((k) => k.id === id)).map((id) => ({ id, name: id }));
    return [...known, ...extra];
  }

  // ——— add / edit ———

  #edit(p: PlanView | null): void {
    this.draft = draftOf(p);
    this.errors = {};
    this.formNote = null;
    this.listNote = null;
    this.confirmDelete = null;
    this.failedPlan = null;
    this.#focus.next = '#plan-form-title';
  }

  #cancel(): void {
    const id = this.draft?.id;
    this.draft = null;
    this.#focus.next = id ? `[data-plan="${CSS.escape(id)}"] [data-action=edit-plan]` : '[data-action=add-plan]';
  }

  #set(next: Partial<PlanDraft>): void {
    if (this.draft) this.draft = { ...this.draft, ...next };
  }

  #setRow(i: number, next: Partial<WindowRow>): void {
    if (!this.draft) return;
    this.#set({ rows: this.draft.rows.map((r, j) => (j === i ? { ...r, ...next } : r)) });
  }

  #check(d: PlanDraft): FieldErrors {
    const m = t().plans;
    const e: FieldErrors = {};
    if (!d.name.trim()) e.name = m.required;
    if (d.validFrom && d.validTo && d.validTo < d.validFrom) e.validTo = m.dateOrder;
    d.rows.forEach((r, i) => {
      const problem = rowProblem(r);
      if (problem) e[`row${i}`] = m[problem];
    });
    return e;
  }

  async #save(ev: Event): Promise<void> {
    ev.preventDefault();
    const d = this.draft;
    if (!d || this.saving) return;
    this.errors = this.#check(d);
    this.formNote = null;
    if (Object.keys(this.errors).length > 0) {
      this.formNote = { ok: false, text: t().plans.fixFields };
      await this.updateComplete;
      focusFirstInvalid(this.shadowRoot);
      return;
    }
    this.saving = true;
    try {
      const body = planBody(d);
      const saved = d.id ? await manageApi.changePlan(d.id, body) : await manageApi.addPlan(body);
      this.plans = [...(this.plans ?? []).filter((p) => p.id !== saved.id), saved].sort((a, b) => a.name.localeCompare(b.name));
      this.draft = null;
      this.listNote = { ok: true, text: t().plans.saved(saved.name) };
      this.#focus.next = `[data-plan="${CSS.escape(saved.id)}"] [data-action=edit-plan]`;
    } catch (err) {
      const field = errorField(err, ['name', 'doors', 'windows', 'validFrom', 'validTo']);
      this.errors = field ? { [field === 'windows' ? 'row0' : field]: errorReason(err) } : {};
      this.formNote = { ok: false, text: errorText(err, { kind: 'savePlan' }) };
      await this.updateComplete;
      focusFirstInvalid(this.shadowRoot);
    } finally {
      this.saving = false;
    }
  }

  async #delete(p: PlanView): Promise<void> {
    this.confirmDelete = null;
    this.listNote = null;
    this.failedPlan = null;
    try {
      await manageApi.deletePlan(p.id);
      this.plans = (this.plans ?? []).filter((x) => x.id !== p.id);
      this.listNote = { ok: true, text: t().plans.deleted(p.name) };
      this.#focus.next = '#plans-title';
    } catch (err) {
      this.failedPlan = p.id;
      this.listNote = { ok: false, text: errorText(err, { kind: 'deletePlan' }) };
      this.#focus.next = `[data-plan="${CSS.escape(p.id)}"] [data-action=delete-plan]`;
    }
  }

  // ——— closures ———

  async #addClosure(ev: Event): Promise<void> {
    ev.preventDefault();
    const c = this.closure;
    const m = t().plans;
    const e: FieldErrors = {};
    if (!c.name.trim()) e.name = m.required;
    if (!c.from) e.from = m.required;
    if (!c.to) e.to = m.required;
    else if (c.from && c.to < c.from) e.to = m.dateOrder;
    this.closureErrors = e;
    this.closureNote = null;
    if (Object.keys(e).length > 0) {
      this.closureNote = { ok: false, text: m.fixFields };
      await this.updateComplete;
      focusFirstInvalid(this.shadowRoot);
      return;
    }
    try {
      const added = await manageApi.addClosure({ name: c.name.trim(), from: c.from, to: c.to, plans: c.plans });
      this.closures = [...(this.closures ?? []), added].sort((a, b) => a.from.localeCompare(b.from));
      this.closure = { name: '', from: '', to: '', plans: [] };
      this.closureNote = { ok: true, text: m.closureAdded(added.name) };
    } catch (err) {
      const field = errorField(err, ['name', 'from', 'to']);
      this.closureErrors = field ? { [field]: errorReason(err) } : {};
      this.closureNote = { ok: false, text: errorText(err, { kind: 'saveClosure' }) };
      await this.updateComplete;
      focusFirstInvalid(this.shadowRoot);
    }
  }

  async #deleteClosure(c: ClosureView): Promise<void> {
    this.closureNote = null;
    try {
      await manageApi.deleteClosure(c.id);
      this.closures = (this.closures ?? []).filter((x) => x.id !== c.id);
      this.closureNote = { ok: true, text: t().plans.closureDeleted(c.name) };
      this.#focus.next = '#closures-title';
    } catch (err) {
      this.closureNote = { ok: false, text: errorText(err, { kind: 'deleteClosure' }) };
    }
  }

  // ——— rendering ———

  #plan(p: PlanView) {
    const m = t().plans;
    return html`<li data-plan=${p.id}>
      <h3>${p.name}</h3>
      <dl>
        <dt>${m.doors}</dt>
        <dd data-field="doors">${p.doors.length ? p.doors.map((d) => this.#doorName(d)).join(', ') : m.noDoors}</dd>
        <dt>${m.when}</dt>
        <dd data-field="windows">${windowPhrases(p.windows).map((w, i) => html`${i > 0 ? '; ' : ''}<span class="phrase">${w}</span>`)}</dd>
        <dt>${m.valid}</dt>
        <dd data-field="validity">${m.validRange(localDate(p.validFrom), localDate(p.validTo))} · ${p.offline ? m.offlineYes : m.offlineNo}</dd>
        <dt>${t().members.title}</dt>
        <dd data-field="in-use">${m.inUse(p.inUse)}</dd>
      </dl>
      ${this.confirmDelete === p.id
        ? html`<div class="buttons" role="group" aria-labelledby=${`delete-q-${p.id}`}>
            <span id=${`delete-q-${p.id}`}>${m.deleteConfirm(p.name)}</span>
            <button type="button" data-action="delete-yes" @click=${() => void this.#delete(p)}>${m.deleteYes}</button>
            <button type="button" class="secondary" data-action="delete-no" @click=${() => (this.confirmDelete = null)}>${m.deleteNo}</button>
          </div>`
        : html`<div class="buttons">
            <button type="button" class="secondary" data-action="edit-plan" aria-label=${m.editTitle(p.name)} @click=${() => this.#edit(p)}>${m.edit}</button>
            <button
              type="button"
              class="secondary"
              data-action="delete-plan"
              aria-label=${`${m.delete}: ${p.name}`}
              @click=${() => ((this.confirmDelete = p.id), (this.listNote = null), (this.failedPlan = null))}
            >
              ${m.delete}
            </button>
          </div>`}
      <div aria-live="polite">${this.failedPlan === p.id ? noteLine(this.listNote, 'plans-note') : nothing}</div>
    </li>`;
  }

  #windowRow(r: WindowRow, i: number) {
    const m = t().plans;
    const id = `row${i}`;
    const error = this.errors[id];
    return html`<div class="row" data-row=${i} role="group" aria-labelledby=${`${id}-legend`}>
      <span id=${`${id}-legend`} class="visually-hidden">${m.window(i + 1)}</span>
      <fieldset aria-invalid=${error && error === m.noDay ? 'true' : 'false'} aria-describedby=${describedBy(id, false, !!error) ?? nothing} tabindex=${error === m.noDay ? '-1' : nothing}>
        <legend>${m.days}</legend>
        <div class="days">
          ${m.dayNames.map(
            (name, d) => html`<label class="check"
              ><input
                type="checkbox"
                name=${`day${d + 1}`}
                aria-label=${m.dayNamesLong[d]!}
                .checked=${r.days.includes(d + 1)}
                @change=${(ev: Event) => {
                  const on = (ev.target as HTMLInputElement).checked;
                  const days = this.draft?.rows[i]?.days ?? [];
                  this.#setRow(i, { days: on ? [...days.filter((x) => x !== d + 1), d + 1].sort((a, b) => a - b) : days.filter((x) => x !== d + 1) });
                }}
              /><span aria-hidden="true">${name}</span></label
            >`,
          )}
        </div>
      </fieldset>
      <div class="times">
        <div class="field">
          <label for=${`${id}-from`}>${m.from}</label>
          <input id=${`${id}-from`} name="from" type="time" .value=${r.from} aria-invalid=${error === m.badWindow ? 'true' : 'false'} aria-describedby=${describedBy(id, false, !!error) ?? nothing} @input=${(ev: Event) => this.#setRow(i, { from: (ev.target as HTMLInputElement).value })} />
        </div>
        <div class="field">
          <label for=${`${id}-to`}>${m.to}</label>
          <input id=${`${id}-to`} name="to" type="time" .value=${r.to} aria-describedby=${describedBy(id, false, !!error) ?? nothing} @input=${(ev: Event) => this.#setRow(i, { to: (ev.target as HTMLInputElement).value })} />
        </div>
        <button type="button" class="secondary" data-action="remove-window" aria-label=${`${m.removeWindow}: ${m.window(i + 1)}`} @click=${() => this.#removeRow(i)}>${m.removeWindow}</button>
      </div>
      ${hintAndError(id, undefined, error)}
    </div>`;
  }

  #removeRow(i: number): void {
    if (!this.draft) return;
    this.#set({ rows: this.draft.rows.filter((_, j) => j !== i) });
    const { [`row${i}`]: _, ...rest } = this.errors;
    this.errors = rest;
    this.#focus.next = '[data-action=add-window]';
  }

  #addRow(): void {
    if (!this.draft) return;
    const i = this.draft.rows.length;
    this.#set({ rows: [...this.draft.rows, newRow()] });
    this.#focus.next = `#row${i}-from`;
  }

  #form(d: PlanDraft) {
    const m = t().plans;
    return html`<section class="panel" aria-labelledby="plan-form-title">
      <h2 id="plan-form-title" tabindex="-1">${d.id ? m.editTitle(this.plans?.find((p) => p.id === d.id)?.name ?? d.name) : m.newTitle}</h2>
      <form class="stack" data-form="plan" novalidate @submit=${(ev: Event) => void this.#save(ev)}>
        ${inputField({ form: 'plan', name: 'name', label: m.name, value: d.name, required: true, autocomplete: 'off', error: this.errors.name, onInput: (v) => this.#set({ name: v }) })}
        <fieldset>
          <legend>${m.doors}</legend>
          <div class="days">
            ${this.#doorChoices(d).map(
              (door) => html`<label class="check"
                ><input
                  type="checkbox"
                  name="door"
                  value=${door.id}
                  .checked=${d.doors.includes(door.id)}
                  @change=${(ev: Event) => {
                    const on = (ev.target as HTMLInputElement).checked;
                    const doors = (this.draft?.doors ?? []).filter((x) => x !== door.id);
                    this.#set({ doors: on ? [...doors, door.id] : doors });
                  }}
                />${door.name}</label
              >`,
            )}
          </div>
        </fieldset>
        <fieldset data-testid="windows">
          <legend>${m.windowsTitle}</legend>
          <p class="hint">${m.windowsHint}</p>
          ${d.rows.map((r, i) => this.#windowRow(r, i))}
          <button type="button" class="secondary" data-action="add-window" @click=${() => this.#addRow()}>${m.addWindow}</button>
        </fieldset>
        <label class="check"><input type="checkbox" name="offline" .checked=${d.offline} @change=${(ev: Event) => this.#set({ offline: (ev.target as HTMLInputElement).checked })} />${m.offline}</label>
        <div class="grid">
          ${inputField({ form: 'plan', name: 'validFrom', label: m.validFrom, type: 'date', value: d.validFrom, error: this.errors.validFrom, onInput: (v) => this.#set({ validFrom: v }) })}
          ${inputField({ form: 'plan', name: 'validTo', label: m.validTo, type: 'date', value: d.validTo, error: this.errors.validTo, onInput: (v) => this.#set({ validTo: v }) })}
        </div>
        <div class="buttons">
          <button type="submit" data-action="save-plan" ?disabled=${this.saving}>${this.saving ? m.saving : m.save}</button>
          <button type="button" class="secondary" data-action="cancel-plan" @click=${() => this.#cancel()}>${m.cancel}</button>
        </div>
        <div aria-live="polite">${noteLine(this.formNote, 'plan-note')}</div>
      </form>
    </section>`;
  }

  #closuresSection() {
    const m = t().plans;
    const c = this.closure;
    const set = (next: Partial<ClosureDraft>) => (this.closure = { ...this.closure, ...next });
    let list;
    if (this.closuresError) list = loadFailed(this.closuresError, { kind: 'closures' }, () => void this.loadClosures());
    else if (!this.closures) list = html`<p class="muted">${m.loading}</p>`;
    else if (this.closures.length === 0) list = html`<p class="muted">${m.noClosures}</p>`;
    else
      list = html`<ul class="closures">
        ${this.closures.map(
          (x) => html`<li data-closure=${x.id}>
            <h3>${x.name}</h3>
            <p>${t().cards.validity(localDate(x.from), localDate(x.to))} · ${x.plans.length ? x.plans.map((p) => this.#planName(p)).join(', ') : m.allPlans}</p>
            <button type="button" class="secondary" data-action="delete-closure" aria-label=${`${m.deleteClosure}: ${x.name}`} @click=${() => void this.#deleteClosure(x)}>
              ${m.deleteClosure}
            </button>
          </li>`,
        )}
      </ul>`;
    return html`<section class="panel" aria-labelledby="closures-title">
      <h2 id="closures-title" tabindex="-1">${m.closuresTitle}</h2>
      <p class="muted">${m.closuresText}</p>
      ${list}
      <form class="stack" data-form="closure" novalidate @submit=${(ev: Event) => void this.#addClosure(ev)}>
        <div class="grid">
          ${inputField({ form: 'closure', name: 'name', label: m.closureName, value: c.name, required: true, autocomplete: 'off', error: this.closureErrors.name, onInput: (v) => set({ name: v }) })}
          ${inputField({ form: 'closure', name: 'from', label: m.closureFrom, type: 'date', value: c.from, required: true, error: this.closureErrors.from, onInput: (v) => set({ from: v, to: this.closure.to && this.closure.to >= v ? this.closure.to : v }) })}
          ${inputField({ form: 'closure', name: 'to', label: m.closureTo, type: 'date', value: c.to, required: true, error: this.closureErrors.to, onInput: (v) => set({ to: v }) })}
        </div>
        <fieldset>
          <legend>${m.closurePlans}</legend>
          <div class="days">
            ${(this.plans ?? []).map(
              (p) => html`<label class="check"
                ><input
                  type="checkbox"
                  name="closure-plan"
                  value=${p.id}
                  .checked=${c.plans.includes(p.id)}
                  @change=${(ev: Event) => {
                    const plans = this.closure.plans.filter((x) => x !== p.id);
                    set({ plans: (ev.target as HTMLInputElement).checked ? [...plans, p.id] : plans });
                  }}
                />${p.name}</label
              >`,
            )}
          </div>
        </fieldset>
        <div class="buttons"><button type="submit" data-action="add-closure">${m.addClosure}</button></div>
      </form>
      <div aria-live="polite">${noteLine(this.closureNote, 'closure-note')}</div>
    </section>`;
  }

  override render() {
    const m = t().plans;
    let body;
    if (this.loadError) body = loadFailed(this.loadError, { kind: 'plans' }, () => void this.load());
    else if (!this.plans) body = html`<p class="muted" role="status">${m.loading}</p>`;
    else if (this.plans.length === 0) body = html`<p class="muted">${m.empty}</p>`;
    else body = html`<ul class="plans">${this.plans.map((p) => this.#plan(p))}</ul>`;
    return html`${this.draft
        ? this.#form(this.draft)
        : html`<section class="panel" aria-labelledby="plans-title">
            <div class="head">
              <h2 id="plans-title" tabindex="-1">${m.title}</h2>
              <button type="button" data-action="add-plan" @click=${() => this.#edit(null)}>${m.add}</button>
            </div>
            <p class="muted">${m.text}</p>
            <div aria-live="polite">${this.failedPlan ? nothing : noteLine(this.listNote, 'plans-note')}</div>
            ${body}
          </section>`}
      ${this.#closuresSection()}`;
  }
}

customElements.define('ss-plans', PlansPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-plans': PlansPanel;
  }
}
