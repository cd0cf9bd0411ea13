// Closures and holidays: days the space is shut for all plans or some. Listed by first day; add
// one (name, first and last day, which plans), remove one.
import { html } from 'lit';
import type { ClosureView, PlanView } from '../../../../contracts/api/index.ts';
import { normaliseName } from '../../../../contracts/patterns.ts';
import { checkClosure, emptyClosure, type ClosureDraft } from '../../data/plans.ts';
import { errorText } from '../../error-words.ts';
import { localDate } from '../../local-date.ts';
import { manageApi } from '../../manage-api.ts';
import { LocaleController, t } from '../../words/locale.ts';
import { FocusAfterRender, focusFirstInvalid, inputField, PanelPart, type FieldErrors } from '../form-bits.ts';
import { refused } from '../refused.ts';
import { loadFailed, noteLine, type Note } from '../notes.ts';

export class PlanClosures extends PanelPart {
  static override properties = {
    plans: { attribute: false },
    closures: { state: true },
    error: { state: true },
    draft: { state: true },
    errors: { state: true },
    note: { state: true },
  };
  declare plans: readonly PlanView[];
  /** null while loading. */
  declare closures: ClosureView[] | null;
  declare error: unknown;
  declare draft: ClosureDraft;
  declare errors: FieldErrors;
  declare note: Note;

  readonly #focus = new FocusAfterRender(this);
  #loaded = false;

  constructor() {
    super();
    new LocaleController(this);
    this.plans = [];
    this.closures = null;
    this.error = null;
    this.draft = emptyClosure();
    this.errors = {};
    this.note = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#loaded) {
      this.#loaded = true;
      void this.load();
    }
  }

  async load(): Promise<void> {
    this.error = null;
    try {
      this.closures = [...(await manageApi.closures())].sort((a, b) => a.from.localeCompare(b.from));
    } catch (err) {
      this.error = err;
    }
  }

  #planName(id: string): string {
    return this.plans.find((p) => p.id === id)?.name ?? id;
  }

  async #add(ev: Event): Promise<void> {
    ev.preventDefault();
    const c = this.draft;
    const m = t().plans;
    const e = checkClosure(c);
    this.errors = e;
    this.note = null;
    if (Object.keys(e).length > 0) {
      this.note = { ok: false, text: m.fixFields };
      await this.updateComplete;
      focusFirstInvalid(this);
      return;
    }
    try {
      const added = await manageApi.addClosure({ name: normaliseName(c.name), from: c.from, to: c.to, plans: c.plans });
      this.closures = [...(this.closures ?? []), added].sort((a, b) => a.from.localeCompare(b.from));
      this.draft = emptyClosure();
      this.note = { ok: true, text: m.closureAdded(added.name) };
    } catch (err) {
      refused(
        err,
        { kind: 'saveClosure' },
        ['name', 'from', 'to'],
        (e) => (this.errors = e),
        (n) => (this.note = n),
      );
      await this.updateComplete;
      focusFirstInvalid(this);
    }
  }

  async #delete(c: ClosureView): Promise<void> {
    this.note = null;
    try {
      await manageApi.deleteClosure(c.id);
      this.closures = (this.closures ?? []).filter((x) => x.id !== c.id);
      this.note = { ok: true, text: t().plans.closureDeleted(c.name) };
      this.#focus.next = '#closures-title';
    } catch (err) {
      this.note = { ok: false, text: errorText(err, { kind: 'deleteClosure' }) };
    }
  }

  override render() {
    const m = t().plans;
    const c = this.draft;
    const set = (next: Partial<ClosureDraft>) => (this.draft = { ...this.draft, ...next });
    let list;
    if (this.error) list = loadFailed(this.error, { kind: 'closures' }, () => void this.load());
    else if (!this.closures) list = html`<p class="muted">${m.loading}</p>`;
    else if (this.closures.length === 0) list = html`<p class="muted">${m.noClosures}</p>`;
    else
      list = html`<ul class="closures">
        ${this.closures.map(
          (x) =>
            html`<li data-closure=${x.id}>
              <h3>${x.name}</h3>
              <p>
                ${t().cards.validity(localDate(x.from), localDate(x.to))} · ${x.plans.length ? x.plans.map((p) => this.#planName(p)).join(', ') : m.allPlans}
              </p>
              <button
                type="button"
                class="secondary"
                data-action="delete-closure"
                aria-label=${`${m.deleteClosure}: ${x.name}`}
                @click=${() => void this.#delete(x)}
              >
                ${m.deleteClosure}
              </button>
            </li>`,
        )}
      </ul>`;
    return html`<section class="panel" aria-labelledby="closures-title">
      <h2 id="closures-title" tabindex="-1">${m.closuresTitle}</h2>
      <p class="muted">${m.closuresText}</p>
      ${list}
      <form class="stack" data-form="closure" novalidate @submit=${(ev: Event) => void this.#add(ev)}>
        <div class="grid">
          ${inputField({ form: 'closure', name: 'name', label: m.closureName, value: c.name, required: true, autocomplete: 'off', error: this.errors.name, onInput: (v) => set({ name: v }) })}
          ${inputField({ form: 'closure', name: 'from', label: m.closureFrom, type: 'date', value: c.from, required: true, error: this.errors.from, onInput: (v) => set({ from: v, to: this.draft.to && this.draft.to >= v ? this.draft.to : v }) })}
          ${inputField({ form: 'closure', name: 'to', label: m.closureTo, type: 'date', value: c.to, required: true, error: this.errors.to, onInput: (v) => set({ to: v }) })}
        </div>
        <fieldset>
          <legend>${m.closurePlans}</legend>
          <div class="days">
            ${this.plans.map(
              (p) =>
                html`<label class="check"
                  ><input
                    type="checkbox"
                    name="closure-plan"
                    value=${p.id}
                    .checked=${c.plans.includes(p.id)}
                    @change=${(ev: Event) => {
                      const plans = this.draft.plans.filter((x) => x !== p.id);
                      set({ plans: (ev.target as HTMLInputElement).checked ? [...plans, p.id] : plans });
                    }}
                  />${p.name}</label
                >`,
            )}
          </div>
        </fieldset>
        <div class="buttons"><button type="submit" data-action="add-closure">${m.addClosure}</button></div>
      </form>
      <div aria-live="polite">${noteLine(this.note, 'closure-note')}</div>
    </section>`;
  }
}

customElements.define('ss-plan-closures', PlanClosures);

declare global {
  interface HTMLElementTagNameMap {
    'ss-plan-closures': PlanClosures;
  }
}
