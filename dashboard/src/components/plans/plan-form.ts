// Adding or changing a plan: its name, doors (checkboxes), weekly windows (rows of days + from/to;
// none = any time), whether it opens while the gateway is offline, and its validity. Checked
// before sending; a refused save points at its field. Tells `plan-saved` with the plan, or `cancel`.
import { html, nothing, type PropertyValues } from 'lit';
import type { DoorView, PlanView } from '../../../../contracts/api/index.ts';
import { checkPlan, draftOf, planBody, type PlanDraft } from '../../data/plans.ts';
import { newRow, type WindowRow } from '../../data/plan-windows.ts';
import { manageApi } from '../../manage-api.ts';
import { LocaleController, t } from '../../words/locale.ts';
import { describedBy, FocusAfterRender, focusFirstInvalid, hintAndError, inputField, PanelPart, type FieldErrors } from '../form-bits.ts';
import { refused } from '../refused.ts';
import { noteLine, type Note } from '../notes.ts';

export class PlanForm extends PanelPart {
  static override properties = {
    plan: { attribute: false },
    doors: { attribute: false },
    draft: { state: true },
    errors: { state: true },
    saving: { state: true },
    note: { state: true },
  };
  /** The plan to change; null for a new one. */
  declare plan: PlanView | null;
  declare doors: readonly DoorView[];
  declare draft: PlanDraft;
  declare errors: FieldErrors;
  declare saving: boolean;
  declare note: Note;

  readonly #focus = new FocusAfterRender(this);

  constructor() {
    super();
    new LocaleController(this);
    this.plan = null;
    this.doors = [];
    this.draft = draftOf(null);
    this.errors = {};
    this.saving = false;
    this.note = null;
    this.#focus.next = '#plan-form-title';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('plan')) this.draft = draftOf(this.plan);
  }

  /** The site's doors, and any door a plan names that the list does not have (yet). */
  #doorChoices(d: PlanDraft): Array<{ id: string; name: string }> {
    const known = this.doors.map((x) => ({ id: x.id, name: x.name }));
    const extra = d.doors.filter((id) => !known.some((k) => k.id === id)).map((id) => ({ id, name: id }));
    return [...known, ...extra];
  }

  #set(next: Partial<PlanDraft>): void {
    this.draft = { ...this.draft, ...next };
  }

  #setRow(i: number, next: Partial<WindowRow>): void {
    this.#set({ rows: this.draft.rows.map((r, j) => (j === i ? { ...r, ...next } : r)) });
  }

  async #save(ev: Event): Promise<void> {
    ev.preventDefault();
    const d = this.draft;
    if (this.saving) return;
    this.errors = checkPlan(d);
    this.note = null;
    if (Object.keys(this.errors).length > 0) {
      this.note = { ok: false, text: t().plans.fixFields };
      await this.updateComplete;
      focusFirstInvalid(this);
      return;
    }
    this.saving = true;
    try {
      const body = planBody(d);
      const saved = d.id ? await manageApi.changePlan(d.id, body) : await manageApi.addPlan(body);
      this.tell('plan-saved', saved);
    } catch (err) {
      refused(
        err,
        { kind: 'savePlan' },
        ['name', 'doors', 'windows', 'validFrom', 'validTo'],
        (e) => (this.errors = e),
        (n) => (this.note = n),
        (f) => (f === 'windows' ? 'row0' : f),
      );
      await this.updateComplete;
      focusFirstInvalid(this);
    } finally {
      this.saving = false;
    }
  }

  #windowRow(r: WindowRow, i: number) {
    const m = t().plans;
    const id = `row${i}`;
    const error = this.errors[id];
    return html`<div class="row" data-row=${i} role="group" aria-labelledby=${`${id}-legend`}>
      <span id=${`${id}-legend`} class="visually-hidden">${m.window(i + 1)}</span>
      <fieldset
        aria-invalid=${error && error === m.noDay ? 'true' : 'false'}
        aria-describedby=${describedBy(id, false, !!error) ?? nothing}
        tabindex=${error === m.noDay ? '-1' : nothing}
      >
        <legend>${m.days}</legend>
        <div class="days">
          ${m.dayNames.map(
            (name, d) =>
              html`<label class="check"
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
          <input
            id=${`${id}-from`}
            name="from"
            type="time"
            .value=${r.from}
            aria-invalid=${error === m.badWindow ? 'true' : 'false'}
            aria-describedby=${describedBy(id, false, !!error) ?? nothing}
            @input=${(ev: Event) => this.#setRow(i, { from: (ev.target as HTMLInputElement).value })}
          />
        </div>
        <div class="field">
          <label for=${`${id}-to`}>${m.to}</label>
          <input
            id=${`${id}-to`}
            name="to"
            type="time"
            .value=${r.to}
            aria-describedby=${describedBy(id, false, !!error) ?? nothing}
            @input=${(ev: Event) => this.#setRow(i, { to: (ev.target as HTMLInputElement).value })}
          />
        </div>
        <button
          type="button"
          class="secondary"
          data-action="remove-window"
          aria-label=${`${m.removeWindow}: ${m.window(i + 1)}`}
          @click=${() => this.#removeRow(i)}
        >
          ${m.removeWindow}
        </button>
      </div>
      ${hintAndError(id, undefined, error)}
    </div>`;
  }

  #removeRow(i: number): void {
    this.#set({ rows: this.draft.rows.filter((_, j) => j !== i) });
    const { [`row${i}`]: _, ...rest } = this.errors;
    this.errors = rest;
    this.#focus.next = '[data-action=add-window]';
  }

  #addRow(): void {
    const i = this.draft.rows.length;
    this.#set({ rows: [...this.draft.rows, newRow()] });
    this.#focus.next = `#row${i}-from`;
  }

  override render() {
    const d = this.draft;
    const m = t().plans;
    return html`<section class="panel" aria-labelledby="plan-form-title">
      <h2 id="plan-form-title" tabindex="-1">${d.id ? m.editTitle(this.plan?.name ?? d.name) : m.newTitle}</h2>
      <form class="stack" data-form="plan" novalidate @submit=${(ev: Event) => void this.#save(ev)}>
        ${inputField({ form: 'plan', name: 'name', label: m.name, value: d.name, required: true, autocomplete: 'off', error: this.errors.name, onInput: (v) => this.#set({ name: v }) })}
        <fieldset>
          <legend>${m.doors}</legend>
          <div class="days">
            ${this.#doorChoices(d).map(
              (door) =>
                html`<label class="check"
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
        <label class="check"
          ><input
            type="checkbox"
            name="offline"
            .checked=${d.offline}
            @change=${(ev: Event) => this.#set({ offline: (ev.target as HTMLInputElement).checked })}
          />${m.offline}</label
        >
        <div class="grid">
          ${inputField({ form: 'plan', name: 'validFrom', label: m.validFrom, type: 'date', value: d.validFrom, error: this.errors.validFrom, onInput: (v) => this.#set({ validFrom: v }) })}
          ${inputField({ form: 'plan', name: 'validTo', label: m.validTo, type: 'date', value: d.validTo, error: this.errors.validTo, onInput: (v) => this.#set({ validTo: v }) })}
        </div>
        <div class="buttons">
          <button type="submit" data-action="save-plan" ?disabled=${this.saving}>${this.saving ? m.saving : m.save}</button>
          <button type="button" class="secondary" data-action="cancel-plan" @click=${() => this.tell('cancel')}>${m.cancel}</button>
        </div>
        <div aria-live="polite">${noteLine(this.note, 'plan-note')}</div>
      </form>
    </section>`;
  }
}

customElements.define('ss-plan-form', PlanForm);

declare global {
  interface HTMLElementTagNameMap {
    'ss-plan-form': PlanForm;
  }
}
