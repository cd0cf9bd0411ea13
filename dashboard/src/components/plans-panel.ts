// Plans, for hosts and operators: each plan's doors, weekly opening times in words, whether it
// opens while the gateway is offline, its validity and how many are on it; add and edit one
// (plans/plan-form.ts), delete one nobody is on (the services refuse otherwise, and the words say
// what to do). Below: closures and holidays (plans/plan-closures.ts). The parts render in this
// panel's shadow root.
import { LitElement, html, nothing } from 'lit';
import type { DoorView, PlanView } from '../../../contracts/api/index.ts';
import { byName } from '../data/plans.ts';
import { windowPhrases } from '../data/plan-windows.ts';
import { errorText } from '../error-words.ts';
import { localDate } from '../local-date.ts';
import { manageApi } from '../manage-api.ts';
import { LocaleController, t } from '../words/locale.ts';
import { FocusAfterRender, formStyles } from './form-bits.ts';
import { loadFailed, noteLine, type Note } from './notes.ts';
import { plansStyles } from './plans/plans-styles.ts';
import { baseStyles, buttonStyles, fieldStyles, panelStyles, textStyles } from './shared-styles.ts';
import './plans/plan-closures.ts';
import './plans/plan-form.ts';

export class PlansPanel extends LitElement {
  static override properties = {
    doors: { attribute: false },
    plans: { state: true },
    loadError: { state: true },
    editing: { state: true },
    listNote: { state: true },
    confirmDelete: { state: true },
    failedPlan: { state: true },
  };
  declare doors: readonly DoorView[];
  /** null while loading. */
  declare plans: PlanView[] | null;
  declare loadError: unknown;
  /** The plan in the form (null: a new one); null when the form is closed. */
  declare editing: { plan: PlanView | null } | null;
  declare listNote: Note;
  /** The plan whose delete is being asked about. */
  declare confirmDelete: string | null;
  /** The plan whose delete failed: the note shows by it. */
  declare failedPlan: string | null;

  static override styles = [baseStyles, buttonStyles, panelStyles, textStyles, fieldStyles, formStyles, plansStyles];

  #loaded = false;
  readonly #focus = new FocusAfterRender(this);

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.doors = [];
    this.plans = null;
    this.loadError = null;
    this.editing = null;
    this.listNote = null;
    this.confirmDelete = null;
    this.failedPlan = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#loaded) {
      this.#loaded = true;
      void this.load();
    }
  }

  async load(): Promise<void> {
    this.loadError = null;
    try {
      this.plans = [...(await manageApi.plans())].sort(byName);
    } catch (err) {
      this.loadError = err;
    }
  }

  #doorName(id: string): string {
    return this.doors.find((d) => d.id === id)?.name ?? id;
  }

  #edit(p: PlanView | null): void {
    this.editing = { plan: p };
    this.listNote = null;
    this.confirmDelete = null;
    this.failedPlan = null;
  }

  #cancel(): void {
    const id = this.editing?.plan?.id;
    this.editing = null;
    this.#focus.next = id ? `[data-plan="${CSS.escape(id)}"] [data-action=edit-plan]` : '[data-action=add-plan]';
  }

  #saved(saved: PlanView): void {
    this.plans = [...(this.plans ?? []).filter((p) => p.id !== saved.id), saved].sort(byName);
    this.editing = null;
    this.listNote = { ok: true, text: t().plans.saved(saved.name) };
    this.#focus.next = `[data-plan="${CSS.escape(saved.id)}"] [data-action=edit-plan]`;
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
      ${
        this.confirmDelete === p.id
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
            </div>`
      }
      <div aria-live="polite">${this.failedPlan === p.id ? noteLine(this.listNote, 'plans-note') : nothing}</div>
    </li>`;
  }

  override render() {
    const m = t().plans;
    let body;
    if (this.loadError) body = loadFailed(this.loadError, { kind: 'plans' }, () => void this.load());
    else if (!this.plans) body = html`<p class="muted" role="status">${m.loading}</p>`;
    else if (this.plans.length === 0) body = html`<p class="muted">${m.empty}</p>`;
    else
      body = html`<ul class="plans">
        ${this.plans.map((p) => this.#plan(p))}
      </ul>`;
    return html`${
        this.editing
          ? html`<ss-plan-form
              .plan=${this.editing.plan}
              .doors=${this.doors}
              @plan-saved=${(ev: Event) => this.#saved((ev as CustomEvent<PlanView>).detail)}
              @cancel=${() => this.#cancel()}
            ></ss-plan-form>`
          : html`<section class="panel" aria-labelledby="plans-title">
              <div class="head">
                <h2 id="plans-title" tabindex="-1">${m.title}</h2>
                <button type="button" data-action="add-plan" @click=${() => this.#edit(null)}>${m.add}</button>
              </div>
              <p class="muted">${m.text}</p>
              <div aria-live="polite">${this.failedPlan ? nothing : noteLine(this.listNote, 'plans-note')}</div>
              ${body}
            </section>`
      } <ss-plan-closures .plans=${this.plans ?? []}></ss-plan-closures>`;
  }
}

customElements.define('ss-plans', PlansPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-plans': PlansPanel;
  }
}
