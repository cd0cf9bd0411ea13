// Adding a member: checked before sending; a refused save points at the field it is about. Tells
// the panel `member-added` with the new member, or `back`.
import { html, type PropertyValues } from 'lit';
import type { PlanView, Role } from '../../../../contracts/api/index.ts';
import { checkMember, emptyDraft, newMemberBody, type MemberDraft } from '../../data/members.ts';
import { manageApi } from '../../manage-api.ts';
import { LocaleController, t } from '../../words/locale.ts';
import { FocusAfterRender, focusFirstInvalid, inputField, PanelPart, syncSelects, type FieldErrors } from '../form-bits.ts';
import { noteLine, type Note } from '../notes.ts';
import { memberFields } from './member-fields.ts';
import { refused } from '../refused.ts';

export class MemberAdd extends PanelPart {
  static override properties = {
    role: {},
    plans: { attribute: false },
    draft: { state: true },
    errors: { state: true },
    saving: { state: true },
    note: { state: true },
  };
  /** The viewer's role: operators may give roles. */
  declare role: Role;
  declare plans: readonly PlanView[];
  declare draft: MemberDraft;
  declare errors: FieldErrors;
  declare saving: boolean;
  declare note: Note;

  readonly #focus = new FocusAfterRender(this);

  constructor() {
    super();
    new LocaleController(this);
    this.role = 'host';
    this.plans = [];
    this.draft = emptyDraft();
    this.errors = {};
    this.saving = false;
    this.note = null;
    this.#focus.next = '#add-title';
  }

  protected override updated(_: PropertyValues<this>): void {
    syncSelects(this);
  }

  async #add(ev: Event): Promise<void> {
    ev.preventDefault();
    if (this.saving) return;
    const d = this.draft;
    this.errors = checkMember(d);
    if (Object.keys(this.errors).length > 0) {
      this.note = { ok: false, text: t().members.fixFields };
      await this.updateComplete;
      focusFirstInvalid(this);
      return;
    }
    this.saving = true;
    this.note = null;
    try {
      this.tell('member-added', await manageApi.addMember(newMemberBody(d, this.role)));
    } catch (err) {
      refused(
        err,
        { kind: 'addMember' },
        ['name', 'email', 'password', 'role', 'plan'],
        (e) => (this.errors = e),
        (n) => (this.note = n),
      );
      await this.updateComplete;
      focusFirstInvalid(this);
    } finally {
      this.saving = false;
    }
  }

  override render() {
    const m = t().members;
    const d = this.draft;
    const set = (x: Partial<MemberDraft>) => (this.draft = { ...this.draft, ...x });
    return html`<section class="panel" aria-labelledby="add-title">
      <p><button type="button" class="secondary" data-action="back" @click=${() => this.tell('back')}>← ${m.back}</button></p>
      <h2 id="add-title" tabindex="-1">${m.addTitle}</h2>
      <form class="stack" data-form="add" novalidate @submit=${(ev: Event) => void this.#add(ev)}>
        ${memberFields('add', d, this.errors, this.role, this.plans, set)}
        <div class="grid">
          ${inputField({ form: 'add', name: 'password', label: m.password, type: 'password', value: d.password, autocomplete: 'new-password', hint: m.passwordHint, error: this.errors.password, onInput: (v) => set({ password: v }) })}
        </div>
        <div class="buttons">
          <button type="submit" data-action="save-member" ?disabled=${this.saving}>${this.saving ? m.saving : m.save}</button>
          <button type="button" class="secondary" @click=${() => this.tell('back')}>${m.cancel}</button>
        </div>
        <div aria-live="polite">${noteLine(this.note, 'form-note')}</div>
      </form>
    </section>`;
  }
}

customElements.define('ss-member-add', MemberAdd);

declare global {
  interface HTMLElementTagNameMap {
    'ss-member-add': MemberAdd;
  }
}
