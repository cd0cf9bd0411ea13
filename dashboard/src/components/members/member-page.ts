// One member's page: their details (name, email, role for operators, plan, being shown), a day
// or guest pass, their cards and PINs (revoke; enrol one on the Cards screen), status, password
// and, for operators, erase. A host may change members and themselves, not other hosts or
// operators (the services refuse with 403): those pages are read-only for a host, and say who
// can change them. Tells the panel `member-changed`, `member-erased` and `back`.
import { html, nothing, type PropertyValues } from 'lit';
import type { MemberView, PlanView, Role } from '../../../../contracts/api/index.ts';
import { checkMember, draftOf, memberPatch, type MemberDraft } from '../../data/members.ts';
import { manageApi, mayManage } from '../../manage-api.ts';
import { LocaleController, t } from '../../words/locale.ts';
import { cardsIntent, CredentialList } from '../credential-list.ts';
import { FocusAfterRender, focusFirstInvalid, PanelPart, syncSelects, type FieldErrors } from '../form-bits.ts';
import { noteLine, type Note } from '../notes.ts';
import { memberFields } from './member-fields.ts';
import { refused } from '../refused.ts';
import './member-erase.ts';
import './member-pass.ts';
import './member-password.ts';
import './member-status.ts';

export class MemberPage extends PanelPart {
  static override properties = {
    member: { attribute: false },
    plans: { attribute: false },
    role: {},
    meId: { attribute: 'me' },
    timeZone: { attribute: 'time-zone' },
    note: { attribute: false },
    planName: { attribute: false },
    edit: { state: true },
    errors: { state: true },
    saving: { state: true },
    formNote: { state: true },
  };
  declare member: MemberView;
  declare plans: readonly PlanView[];
  /** The viewer's role and id: who may change this member. */
  declare role: Role;
  declare meId: string;
  declare timeZone: string;
  /** Said at the top (e.g. just added); cleared when something is done on the page. */
  declare note: Note;
  declare planName: (id: string | null) => string;
  declare edit: MemberDraft;
  declare errors: FieldErrors;
  declare saving: boolean;
  declare formNote: Note;

  readonly list = new CredentialList(this);
  readonly #focus = new FocusAfterRender(this);

  constructor() {
    super();
    new LocaleController(this);
    this.plans = [];
    this.role = 'host';
    this.meId = '';
    this.timeZone = 'Europe/Copenhagen';
    this.note = null;
    this.planName = (id) => id ?? t().members.noPlan;
    this.errors = {};
    this.saving = false;
    this.formNote = null;
    this.addEventListener('acted', () => (this.note = null));
    this.addEventListener('pass-issued', () => void this.list.load(this.member.id));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('member') && changed.get('member')?.id !== this.member.id) {
      this.edit = draftOf(this.member);
      // A host may not see another host's or an operator's cards (the services answer 403).
      void this.list.load(this.mayChange() ? this.member.id : '');
      this.#focus.next = '#member-title';
    }
  }

  protected override updated(_: PropertyValues<this>): void {
    syncSelects(this);
  }

  /** May the viewer change this member? Operators anyone; hosts members and themselves (services/http/routes/members.ts). */
  mayChange(): boolean {
    return mayManage(this.role, this.meId, this.member);
  }

  async #save(ev: Event): Promise<void> {
    ev.preventDefault();
    const m = this.member;
    if (this.saving) return;
    this.errors = checkMember({ ...this.edit, password: '' });
    if (Object.keys(this.errors).length > 0) {
      this.formNote = { ok: false, text: t().members.fixFields };
      await this.updateComplete;
      focusFirstInvalid(this);
      return;
    }
    const body = memberPatch(this.edit, m, this.role);
    this.formNote = null;
    this.note = null;
    if (Object.keys(body).length === 0) {
      this.formNote = { ok: true, text: t().members.saved(m.name) };
      return;
    }
    this.saving = true;
    try {
      const after = await manageApi.changeMember(m.id, body);
      this.tell('member-changed', after);
      this.formNote = { ok: true, text: t().members.saved(after.name) };
    } catch (err) {
      refused(
        err,
        { kind: 'saveMember' },
        ['name', 'email', 'role', 'plan'],
        (e) => (this.errors = e),
        (n) => (this.formNote = n),
      );
      await this.updateComplete;
      focusFirstInvalid(this);
    } finally {
      this.saving = false;
    }
  }

  /** Back, name, any page note, and role · plan · status: the top of a member's page. */
  #head(x: MemberView) {
    const m = t().members;
    return html`<p><button type="button" class="secondary" data-action="back" @click=${() => this.tell('back')}>← ${m.back}</button></p>
      <h2 id="member-title" tabindex="-1">${x.name}</h2>
      <div aria-live="polite">${noteLine(this.note, 'page-note')}</div>
      <p class="muted">
        ${t().app.roles[x.role]} · ${this.planName(x.plan)} ·
        <span class=${x.status === 'suspended' ? 'suspended' : ''} data-field="status">${m.statuses[x.status]}</span>
      </p>`;
  }

  /** A host or operator as a host sees them: what is known, and who can change it. */
  #readOnly(x: MemberView) {
    const m = t().members;
    return html`<section class="panel" aria-labelledby="member-title" data-open-member=${x.id} data-read-only>
      ${this.#head(x)}
      <p class="notice" data-testid="only-operator">${m.onlyOperator}</p>
      <h3>${m.detailsTitle}</h3>
      <dl class="facts">
        <dt>${m.email}</dt>
        <dd data-field="email">${x.email}</dd>
        <dt>${t().routes.cards}</dt>
        <dd data-field="credentials">${m.credentialCount(x.credentials)}</dd>
      </dl>
    </section>`;
  }

  override render() {
    const x = this.member;
    const m = t().members;
    if (!this.mayChange()) return this.#readOnly(x);
    return html`<section class="panel" aria-labelledby="member-title" data-open-member=${x.id}>
        ${this.#head(x)}
        <h3>${m.detailsTitle}</h3>
        <form class="stack" data-form="edit" novalidate @submit=${(ev: Event) => void this.#save(ev)}>
          ${memberFields('edit', this.edit, this.errors, this.role, this.plans, (d) => (this.edit = { ...this.edit, ...d }))}
          <div class="buttons"><button type="submit" data-action="save-member" ?disabled=${this.saving}>${this.saving ? m.saving : m.save}</button></div>
          <div aria-live="polite">${noteLine(this.formNote, 'form-note')}</div>
        </form>
      </section>
      <ss-member-pass .member=${x} .plans=${this.plans} time-zone=${this.timeZone}></ss-member-pass>
      ${this.list.render(t().cards.listTitle(x.name), {
        suspended: x.status === 'suspended',
        // The app shell follows the link to /cards; the Cards screen starts with this member.
        footer: html`<p><a class="button" href="/cards" data-action="enrol-card" @click=${() => (cardsIntent.member = x.id)}>${m.enrolCard} →</a></p>`,
      })}
      <ss-member-status .member=${x}></ss-member-status>
      <ss-member-password .member=${x}></ss-member-password>
      ${this.role === 'operator' ? html`<ss-member-erase .member=${x}></ss-member-erase>` : nothing}`;
  }
}

customElements.define('ss-member-page', MemberPage);

declare global {
  interface HTMLElementTagNameMap {
    'ss-member-page': MemberPage;
  }
}
