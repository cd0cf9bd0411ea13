// Members, for hosts and operators: find (name or email, status, role, plan; paged with the
// total), add, and open one to change their details, plan and status (suspending asks first:
// their cards stop working within a minute), set a password, see and revoke their cards and
// PINs, issue a day or guest pass (its PIN is shown once), go to the Cards screen to enrol a
// card for them, and, for operators only, erase them after typing a word to confirm. A host
// may change members and themselves, not other hosts or operators (the services refuse with
// 403): those pages are read-only for a host, and say who can change them.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { MemberPage, MemberPatchBody, MemberView, NewMemberBody, PassCreated, PlanView, Role } from '../../../contracts/api/index.ts';
import { errorField, errorReason, errorText, type FailedAction } from '../error-words.ts';
import { LocaleController, locale, t } from '../i18n/locale.ts';
import { localDate } from '../local-date.ts';
import { manageApi, mayManage } from '../manage-api.ts';
import { timeFormats } from '../time-format.ts';
import { cardsIntent, CredentialList, credentialListStyles } from './credential-list.ts';
import { loadFailed, noteLine, type Note } from './notes.ts';
import { describedBy, fieldId, FocusAfterRender, focusFirstInvalid, formStyles, hintAndError, inputField, type FieldErrors } from './form-bits.ts';
import { baseStyles, buttonStyles, fieldStyles, panelStyles, textStyles } from './shared-styles.ts';

/** Members per page. */
export const MEMBERS_PAGE = 20;

const EMAIL = /^[^@\s]+@[^@\s]+$/;
const PIN = /^[0-9]{4,8}$/;
const ROLES: readonly Role[] = ['member', 'host', 'operator'];

export interface MemberFilters {
  q: string;
  status: '' | 'active' | 'suspended';
  role: '' | Role;
  plan: string;
}

interface MemberDraft {
  name: string;
  email: string;
  role: Role;
  plan: string;
  password: string;
  presenceOptIn: boolean;
}

interface PassDraft {
  kind: 'day' | 'guest';
  plan: string;
  from: string;
  to: string;
  pin: string;
}

type View = 'list' | 'add' | 'member';

export class MembersPanel extends LitElement {
  static override properties = {
    timeZone: { attribute: 'time-zone' },
    role: {},
    meId: { attribute: 'me' },
    view: { state: true },
    filters: { state: true },
    offset: { state: true },
    page: { state: true },
    listError: { state: true },
    plans: { state: true },
    listNote: { state: true },
    draft: { state: true },
    errors: { state: true },
    saving: { state: true },
    formNote: { state: true },
    member: { state: true },
    edit: { state: true },
    confirmSuspend: { state: true },
    statusNote: { state: true },
    password: { state: true },
    passwordNote: { state: true },
    pass: { state: true },
    passResult: { state: true },
    passNote: { state: true },
    pageNote: { state: true },
    eraseText: { state: true },
    eraseNote: { state: true },
  };
  declare timeZone: string;
  /** The viewer's role: operators may give roles and erase. */
  declare role: Role;
  /** The viewer's own id: a host may change their own page. */
  declare meId: string;
  declare view: View;
  /** As typed; the selects apply at once, the search on submit. */
  declare filters: MemberFilters;
  declare offset: number;
  /** null while loading. */
  declare page: MemberPage | null;
  declare listError: unknown;
  declare plans: PlanView[];
  declare listNote: Note;
  /** The add form, or the edit form of the open member. */
  declare draft: MemberDraft;
  /** Field name → what is wrong, for the form on screen. */
  declare errors: FieldErrors;
  declare saving: boolean;
  declare formNote: Note;
  declare member: MemberView | null;
  declare edit: MemberDraft;
  declare confirmSuspend: boolean;
  declare statusNote: Note;
  declare password: string;
  declare passwordNote: Note;
  declare pass: PassDraft;
  /** The pass just issued: its PIN is shown until "Done", then never again. */
  declare passResult: PassCreated | null;
  declare passNote: Note;
  /** Said at the top of a member's page (e.g. just added). */
  declare pageNote: Note;
  declare eraseText: string;
  declare eraseNote: Note;

  readonly list = new CredentialList(this);

  static override styles = [
    baseStyles,
    buttonStyles,
    panelStyles,
    textStyles,
    fieldStyles,
    credentialListStyles,
    formStyles,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      form.filters {
        display: grid;
        gap: 0.75rem;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 10rem), 1fr));
        align-items: end;
        margin-bottom: 1rem;
      }
      ul.members {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ul.members li {
        display: block;
        padding: 0.5rem 0;
        border-top: 1px solid var(--ss-line, #dedbd2);
      }
      ul.members .name,
      ul.members .email,
      ul.members .metas {
        display: block;
      }
      ul.members .sep {
        color: var(--ss-muted, #4a525c);
      }
      ul.members li.header {
        display: none;
      }
      @media (min-width: 48rem) {
        ul.members li,
        ul.members li.header {
          display: grid;
          grid-template-columns: minmax(10rem, 1.2fr) minmax(12rem, 1.5fr) repeat(4, minmax(6rem, 1fr));
          align-items: center;
          gap: 0.125rem 1rem;
        }
        ul.members .metas {
          display: contents;
        }
        ul.members li.header {
          color: var(--ss-muted, #4a525c);
          font-size: 0.875rem;
          font-weight: 600;
          border-top: none;
        }
        ul.members .sep {
          display: none;
        }
      }
      button.link {
        background: none;
        border: none;
        color: var(--ss-accent, #0b5e7e);
        text-align: left;
        text-decoration: underline;
        padding: 0.25rem 0;
      }
      button.link:hover {
        background: none;
        color: var(--ss-accent-dark, #07455d);
      }
      .email {
        overflow-wrap: anywhere;
      }
      .suspended {
        color: var(--ss-open, #a1260d);
        font-weight: 600;
      }
      .paging {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem;
        margin-top: 0.75rem;
      }
      .pin {
        padding: 1rem;
        border-radius: 0.5rem;
        border: 3px solid var(--ss-accent, #0b5e7e);
        background: var(--ss-accent-tint, #e2f0f5);
      }
      .pin output {
        display: block;
        font-size: 2.5rem;
        font-weight: 800;
        letter-spacing: 0.3em;
        font-variant-numeric: tabular-nums;
        margin: 0.25rem 0 0.5rem;
      }
      a.button {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        font-weight: 600;
        color: var(--ss-accent, #0b5e7e);
      }
      .danger {
        border: 2px solid var(--ss-open, #a1260d);
      }
      .notice {
        border-left: 0.25rem solid var(--ss-accent, #0b5e7e);
        background: var(--ss-accent-tint, #e2f0f5);
        padding: 0.5rem 0.75rem;
        border-radius: 0.25rem;
      }
      dl.facts {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.25rem 1rem;
        margin: 0;
      }
      dl.facts dt {
        color: var(--ss-muted, #4a525c);
      }
      dl.facts dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      button.danger-button {
        background: var(--ss-open, #a1260d);
        border-color: var(--ss-open, #a1260d);
      }
    `,
  ];

  #loaded = false;
  /** Answers to an older list request are dropped. */
  #request = 0;
  readonly #focus = new FocusAfterRender(this);

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.timeZone = 'Europe/Copenhagen';
    this.role = 'host';
    this.meId = '';
    this.view = 'list';
    this.filters = { q: '', status: '', role: '', plan: '' };
    this.offset = 0;
    this.page = null;
    this.listError = null;
    this.plans = [];
    this.listNote = null;
    this.draft = this.#emptyDraft();
    this.errors = {};
    this.saving = false;
    this.formNote = null;
    this.member = null;
    this.edit = this.#emptyDraft();
    this.confirmSuspend = false;
    this.statusNote = null;
    this.password = '';
    this.passwordNote = null;
    this.pass = { kind: 'day', plan: '', from: '', to: '', pin: '' };
    this.passResult = null;
    this.passNote = null;
    this.pageNote = null;
    this.eraseText = '';
    this.eraseNote = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#loaded) {
      this.#loaded = true;
      void this.load();
      void this.#loadPlans();
    }
  }

  protected override updated(_: PropertyValues<this>): void {
    // Each select shows its state's value (an option's `selected` alone is not always honoured
    // when the options are rendered after the select).
    for (const select of this.renderRoot.querySelectorAll<HTMLSelectElement>('select[data-value]')) {
      if (select.value !== select.dataset.value) select.value = select.dataset.value ?? '';
    }
  }

  #emptyDraft(): MemberDraft {
    return { name: '', email: '', role: 'member', plan: '', password: '', presenceOptIn: false };
  }

  /** Today in the site's zone, as YYYY-MM-DD. */
  #today(): string {
    return timeFormats(locale.tag, this.timeZone).dayKey(Date.now());
  }

  async #loadPlans(): Promise<void> {
    try {
      this.plans = [...(await manageApi.plans())].sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      // Plan names fall back to their ids; the plans screen says what failed.
    }
  }

  /** The page at `offset` for the current filters. */
  async load(offset = this.offset): Promise<void> {
    const id = ++this.#request;
    this.offset = offset;
    this.page = null;
    this.listError = null;
    const f = this.filters;
    try {
      const page = await manageApi.members({
        q: f.q.trim() || undefined,
        status: f.status || undefined,
        role: f.role || undefined,
        plan: f.plan || undefined,
        limit: MEMBERS_PAGE,
        offset,
      });
      if (id === this.#request) this.page = page;
    } catch (err) {
      if (id === this.#request) this.listError = err;
    }
  }

  #planName(id: string | null): string {
    if (!id) return t().members.noPlan;
    return this.plans.find((p) => p.id === id)?.name ?? id;
  }

  #setFilter<K extends keyof MemberFilters>(key: K, value: MemberFilters[K], now: boolean): void {
    this.filters = { ...this.filters, [key]: value };
    if (now) void this.load(0);
  }

  // ——— add ———

  #openAdd(): void {
    this.view = 'add';
    this.draft = this.#emptyDraft();
    this.errors = {};
    this.formNote = null;
    this.listNote = null;
    this.#focus.next = '#add-title';
  }

  /** What is wrong with a draft, per field (`password` only when one is typed). */
  #check(d: MemberDraft): FieldErrors {
    const m = t().members;
    const e: FieldErrors = {};
    if (!d.name.trim()) e.name = m.required;
    if (!d.email.trim()) e.email = m.required;
    else if (!EMAIL.test(d.email.trim())) e.email = m.badEmail;
    if (d.password && d.password.length < 8) e.password = m.shortPassword;
    return e;
  }

  /** A refused save: the field it is about gets the words and the focus, the form a line. */
  #refused(err: unknown, action: FailedAction, fields: readonly string[], set: (e: FieldErrors) => void, note: (n: Note) => void): void {
    const field = errorField(err, fields);
    set(field ? { [field]: errorReason(err) } : {});
    note({ ok: false, text: errorText(err, action) });
  }

  async #add(ev: Event): Promise<void> {
    ev.preventDefault();
    if (this.saving) return;
    const d = this.draft;
    this.errors = this.#check(d);
    if (Object.keys(this.errors).length > 0) {
      this.formNote = { ok: false, text: t().members.fixFields };
      await this.updateComplete;
      focusFirstInvalid(this.shadowRoot);
      return;
    }
    const body: NewMemberBody = { name: d.name.trim(), email: d.email.trim(), plan: d.plan || null, presenceOptIn: d.presenceOptIn };
    if (this.role === 'operator') body.role = d.role;
    if (d.password) body.password = d.password;
    this.saving = true;
    this.formNote = null;
    try {
      const added = await manageApi.addMember(body);
      this.#open(added);
      this.pageNote = { ok: true, text: t().members.added(added.name) };
      void this.load();
    } catch (err) {
      this.#refused(err, { kind: 'addMember' }, ['name', 'email', 'password', 'role', 'plan'], (e) => (this.errors = e), (n) => (this.formNote = n));
      await this.updateComplete;
      focusFirstInvalid(this.shadowRoot);
    } finally {
      this.saving = false;
    }
  }

  // ——— one member ———

  #open(m: MemberView): void {
    this.view = 'member';
    this.member = m;
    this.edit = { name: m.name, email: m.email, role: m.role, plan: m.plan ?? '', password: '', presenceOptIn: m.presenceOptIn };
    this.errors = {};
    this.formNote = null;
    this.confirmSuspend = false;
    this.statusNote = null;
    this.password = '';
    this.passwordNote = null;
    const today = this.#today();
    this.pass = { kind: 'day', plan: m.plan ?? this.plans[0]?.id ?? '', from: today, to: today, pin: '' };
    this.passResult = null;
    this.passNote = null;
    this.pageNote = null;
    this.eraseText = '';
    this.eraseNote = null;
    this.listNote = null;
    // A host may not see another host's or an operator's cards (the services answer 403).
    void this.list.load(this.mayChange(m) ? m.id : '');
    this.#focus.next = '#member-title';
  }

  /** May the viewer change `m`? Operators anyone; hosts members and themselves (services/http/routes/members.ts). */
  mayChange(m: MemberView): boolean {
    return mayManage(this.role, this.meId, m);
  }

  #back(): void {
    const id = this.member?.id;
    this.view = 'list';
    this.member = null;
    this.passResult = null;
    this.#focus.next = id ? `[data-member="${CSS.escape(id)}"] button.link` : '#list-heading';
  }

  /** The member as the services now have it: in the open page and in the list. */
  #changed(m: MemberView): void {
    this.member = m;
    if (this.page) this.page = { ...this.page, items: this.page.items.map((x) => (x.id === m.id ? m : x)) };
  }

  async #save(ev: Event): Promise<void> {
    ev.preventDefault();
    const m = this.member;
    if (!m || this.saving) return;
    const d = this.edit;
    this.errors = this.#check({ ...d, password: '' });
    if (Object.keys(this.errors).length > 0) {
      this.formNote = { ok: false, text: t().members.fixFields };
      await this.updateComplete;
      focusFirstInvalid(this.shadowRoot);
      return;
    }
    const body: MemberPatchBody = {};
    if (d.name.trim() !== m.name) body.name = d.name.trim();
    if (d.email.trim() !== m.email) body.email = d.email.trim();
    if ((d.plan || null) !== m.plan) body.plan = d.plan || null;
    if (this.role === 'operator' && d.role !== m.role) body.role = d.role;
    if (d.presenceOptIn !== m.presenceOptIn) body.presenceOptIn = d.presenceOptIn;
    this.formNote = null;
    this.pageNote = null;
    if (Object.keys(body).length === 0) {
      this.formNote = { ok: true, text: t().members.saved(m.name) };
      return;
    }
    this.saving = true;
    try {
      const after = await manageApi.changeMember(m.id, body);
      this.#changed(after);
      this.formNote = { ok: true, text: t().members.saved(after.name) };
    } catch (err) {
      this.#refused(err, { kind: 'saveMember' }, ['name', 'email', 'role', 'plan'], (e) => (this.errors = e), (n) => (this.formNote = n));
      await this.updateComplete;
      focusFirstInvalid(this.shadowRoot);
    } finally {
      this.saving = false;
    }
  }

  async #setStatus(status: 'active' | 'suspended'): Promise<void> {
    const m = this.member;
    if (!m) return;
    this.confirmSuspend = false;
    this.statusNote = null;
    this.pageNote = null;
    try {
      const after = await manageApi.changeMember(m.id, { status });
      this.#changed(after);
      const w = t().members;
      this.statusNote = { ok: true, text: status === 'suspended' ? w.suspended(after.name) : w.reactivated(after.name) };
      this.#focus.next = status === 'suspended' ? '[data-action=reactivate]' : '[data-action=suspend]';
    } catch (err) {
      this.statusNote = { ok: false, text: errorText(err, { kind: status === 'suspended' ? 'suspend' : 'reactivate' }) };
    }
  }

  async #setPassword(ev: Event): Promise<void> {
    ev.preventDefault();
    const m = this.member;
    if (!m) return;
    this.passwordNote = null;
    if (this.password.length < 8) {
      this.errors = { ...this.errors, newPassword: t().members.shortPassword };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#${fieldId('pw', 'password')}`)?.focus();
      return;
    }
    const { newPassword: _, ...rest } = this.errors;
    this.errors = rest;
    try {
      await manageApi.changeMember(m.id, { password: this.password });
      this.password = '';
      this.passwordNote = { ok: true, text: t().members.passwordSet };
    } catch (err) {
      this.passwordNote = { ok: false, text: errorText(err, { kind: 'password' }) };
    }
  }

  #checkPass(p: PassDraft): FieldErrors {
    const m = t().members;
    const e: FieldErrors = {};
    if (!p.plan) e.passPlan = m.required;
    if (!p.from) e.from = m.required;
    if (!p.to) e.to = m.required;
    else if (p.from && p.to < p.from) e.to = m.dateOrder;
    if (p.pin && !PIN.test(p.pin)) e.pin = m.badPin;
    return e;
  }

  async #issuePass(ev: Event): Promise<void> {
    ev.preventDefault();
    const m = this.member;
    if (!m || this.saving) return;
    const p = this.pass;
    const problems = this.#checkPass(p);
    this.errors = problems;
    this.passNote = null;
    this.pageNote = null;
    if (Object.keys(problems).length > 0) {
      this.passNote = { ok: false, text: t().members.fixFields };
      await this.updateComplete;
      focusFirstInvalid(this.shadowRoot);
      return;
    }
    this.saving = true;
    try {
      const label = t().members.kinds[p.kind];
      this.passResult = await manageApi.issuePass({ member: m.id, kind: p.kind, plan: p.plan, from: p.from, to: p.to, label, ...(p.pin ? { pin: p.pin } : {}) });
      this.pass = { ...p, pin: '' };
      this.#focus.next = '.pin output';
      void this.list.load(m.id);
      this.#changed({ ...m, credentials: m.credentials + 1 });
    } catch (err) {
      const field = errorField(err, ['plan', 'from', 'to', 'pin']);
      this.errors = field ? { [field === 'plan' ? 'passPlan' : field]: errorReason(err) } : {};
      this.passNote = { ok: false, text: errorText(err, { kind: 'pass' }) };
      await this.updateComplete;
      focusFirstInvalid(this.shadowRoot);
    } finally {
      this.saving = false;
    }
  }

  #closePin(): void {
    this.passResult = null;
    this.#focus.next = '#pass-title';
  }

  async #erase(ev: Event): Promise<void> {
    ev.preventDefault();
    const m = this.member;
    if (!m || this.eraseText.trim().toLowerCase() !== t().members.eraseWord) return;
    try {
      await manageApi.eraseMember(m.id);
      this.view = 'list';
      this.member = null;
      this.listNote = { ok: true, text: t().members.erased(m.name) };
      this.#focus.next = '#list-heading';
      void this.load();
    } catch (err) {
      this.eraseNote = { ok: false, text: errorText(err, { kind: 'erase' }) };
    }
  }

  #toCards(): void {
    // The app shell follows the link to /cards; the Cards screen starts with this member.
    cardsIntent.member = this.member?.id ?? '';
  }

  // ——— rendering ———

  #select(form: string, name: string, label: string, value: string, options: Array<[string, string]>, onChange: (v: string) => void, error?: string) {
    const id = fieldId(form, name);
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <select
        id=${id}
        name=${name}
        data-value=${value}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${describedBy(id, false, !!error) ?? nothing}
        @change=${(ev: Event) => onChange((ev.target as HTMLSelectElement).value)}
      >
        ${options.map(([v, text]) => html`<option value=${v} ?selected=${v === value}>${text}</option>`)}
      </select>
      ${hintAndError(id, undefined, error)}
    </div>`;
  }

  #planOptions(none: string): Array<[string, string]> {
    return [['', none], ...this.plans.map((p): [string, string] => [p.id, p.name])];
  }

  #roleOptions(): Array<[string, string]> {
    return ROLES.map((r): [string, string] => [r, t().app.roles[r]]);
  }

  #filtersForm() {
    const m = t().members;
    const f = this.filters;
    return html`<form class="filters" role="search" aria-label=${m.filters} @submit=${(ev: Event) => (ev.preventDefault(), void this.load(0))}>
      ${inputField({ form: 'find', name: 'q', label: m.search, type: 'search', value: f.q, onInput: (v) => this.#setFilter('q', v, false) })}
      ${this.#select('find', 'status', m.status, f.status, [['', m.any], ['active', m.statuses.active], ['suspended', m.statuses.suspended]], (v) =>
        this.#setFilter('status', v as MemberFilters['status'], true),
      )}
      ${this.#select('find', 'role', m.role, f.role, [['', m.any], ...this.#roleOptions()], (v) => this.#setFilter('role', v as MemberFilters['role'], true))}
      ${this.#select('find', 'plan', m.plan, f.plan, [['', m.any], ...this.plans.map((p): [string, string] => [p.id, p.name])], (v) => this.#setFilter('plan', v, true))}
      <button type="submit" data-action="search">${m.searchButton}</button>
    </form>`;
  }

  #listView() {
    const m = t().members;
    let body;
    if (this.listError)
      body = loadFailed(this.listError, { kind: 'members' }, () => void this.load());
    else if (!this.page) body = html`<p class="muted" role="status">${m.loading}</p>`;
    else if (this.page.items.length === 0) body = html`<p class="muted" role="status">${m.empty}</p>`;
    else {
      const { items, total } = this.page;
      body = html`<ul class="members">
          <li class="header" aria-hidden="true">
            <span>${m.name}</span><span>${m.email}</span><span>${m.role}</span><span>${m.plan}</span><span>${m.status}</span><span>${t().routes.cards}</span>
          </li>
          ${items.map(
            (x) => html`<li data-member=${x.id} data-status=${x.status}>
              <span class="name"><button type="button" class="link" @click=${() => this.#open(x)}>${x.name}</button></span>
              <span class="email" data-field="email">${x.email}</span>
              <span class="metas"
                ><span data-field="role">${t().app.roles[x.role]}</span><span class="sep"> · </span><span data-field="plan">${this.#planName(x.plan)}</span
                ><span class="sep"> · </span><span class=${x.status === 'suspended' ? 'suspended' : ''} data-field="status">${m.statuses[x.status]}</span
                ><span class="sep"> · </span><span data-field="credentials">${m.credentialCount(x.credentials)}</span></span
              >
            </li>`,
          )}
        </ul>
        <div class="paging">
          <span data-testid="member-range">${m.range(this.offset + 1, this.offset + items.length, total)}</span>
          <span class="buttons">
            <button type="button" class="secondary" data-action="previous" ?disabled=${this.offset === 0} @click=${() => void this.load(Math.max(0, this.offset - MEMBERS_PAGE))}>
              ${m.previous}
            </button>
            <button type="button" class="secondary" data-action="next" ?disabled=${this.offset + items.length >= total} @click=${() => void this.load(this.offset + MEMBERS_PAGE)}>
              ${m.next}
            </button>
          </span>
        </div>`;
    }
    return html`<section class="panel" aria-labelledby="list-heading">
      <div class="head">
        <h2 id="list-heading" tabindex="-1">${m.title}</h2>
        <button type="button" data-action="add-member" @click=${() => this.#openAdd()}>${m.add}</button>
      </div>
      <p class="muted">${m.text}</p>
      <div aria-live="polite">${noteLine(this.listNote, 'list-note')}</div>
      ${this.#filtersForm()}
      <div aria-live="polite" aria-busy=${this.page === null && !this.listError ? 'true' : 'false'}>${body}</div>
    </section>`;
  }

  /** Name, email, role (operators), plan: the fields the add and edit forms share. */
  #memberFields(form: string, d: MemberDraft, set: (patch: Partial<MemberDraft>) => void) {
    const m = t().members;
    return html`<div class="grid">
      ${inputField({ form, name: 'name', label: m.name, value: d.name, required: true, autocomplete: 'off', error: this.errors.name, onInput: (v) => set({ name: v }) })}
      ${inputField({ form, name: 'email', label: m.email, type: 'email', value: d.email, required: true, autocomplete: 'off', inputmode: 'email', error: this.errors.email, onInput: (v) => set({ email: v }) })}
      ${this.role === 'operator' ? this.#select(form, 'role', m.role, d.role, this.#roleOptions(), (v) => set({ role: v as Role }), this.errors.role) : nothing}
      ${this.#select(form, 'plan', m.plan, d.plan, this.#planOptions(m.noPlan), (v) => set({ plan: v }), this.errors.plan)}
    </div>
    <label class="check"><input type="checkbox" name="presenceOptIn" .checked=${d.presenceOptIn} @change=${(ev: Event) => set({ presenceOptIn: (ev.target as HTMLInputElement).checked })} />${m.presence}</label>`;
  }

  #addView() {
    const m = t().members;
    const d = this.draft;
    return html`<section class="panel" aria-labelledby="add-title">
      <p><button type="button" class="secondary" data-action="back" @click=${() => this.#back()}>← ${m.back}</button></p>
      <h2 id="add-title" tabindex="-1">${m.addTitle}</h2>
      <form class="stack" data-form="add" novalidate @submit=${(ev: Event) => void this.#add(ev)}>
        ${this.#memberFields('add', d, (x) => (this.draft = { ...this.draft, ...x }))}
        <div class="grid">
          ${inputField({ form: 'add', name: 'password', label: m.password, type: 'password', value: d.password, autocomplete: 'new-password', hint: m.passwordHint, error: this.errors.password, onInput: (v) => (this.draft = { ...this.draft, password: v }) })}
        </div>
        <div class="buttons">
          <button type="submit" data-action="save-member" ?disabled=${this.saving}>${this.saving ? m.saving : m.save}</button>
          <button type="button" class="secondary" @click=${() => this.#back()}>${m.cancel}</button>
        </div>
        <div aria-live="polite">${noteLine(this.formNote, 'form-note')}</div>
      </form>
    </section>`;
  }

  #statusSection(x: MemberView) {
    const m = t().members;
    let controls;
    if (x.status === 'suspended')
      controls = html`<button type="button" data-action="reactivate" @click=${() => void this.#setStatus('active')}>${m.reactivate}</button>`;
    else if (this.confirmSuspend)
      controls = html`<div class="buttons" role="group" aria-labelledby="suspend-question" data-testid="suspend-confirm">
        <p id="suspend-question" class="failed">${m.suspendConfirm(x.name)}</p>
        <button type="button" class="danger-button" data-action="suspend-yes" @click=${() => void this.#setStatus('suspended')}>${m.suspendYes}</button>
        <button type="button" class="secondary" data-action="suspend-no" @click=${() => ((this.confirmSuspend = false), (this.#focus.next = '[data-action=suspend]'))}>${m.suspendNo}</button>
      </div>`;
    else
      controls = html`<button type="button" class="secondary" data-action="suspend" @click=${() => ((this.confirmSuspend = true), (this.statusNote = null), (this.#focus.next = '[data-action=suspend-no]'))}>
        ${m.suspend}
      </button>`;
    return html`<section class="panel" aria-labelledby="status-title">
      <h2 id="status-title">${m.statusTitle}</h2>
      <p data-testid="member-status">${x.status === 'active' ? m.isActive : m.isSuspended}</p>
      ${controls}
      <div aria-live="polite">${noteLine(this.statusNote, 'status-note')}</div>
    </section>`;
  }

  #passSection(x: MemberView) {
    const m = t().members;
    const p = this.pass;
    const set = (next: Partial<PassDraft>) => (this.pass = { ...this.pass, ...next });
    const shown = this.passResult;
    return html`<section class="panel" aria-labelledby="pass-title">
      <h2 id="pass-title" tabindex="-1">${m.passTitle}</h2>
      <div aria-live="assertive">
        ${shown
          ? html`<div class="pin" data-testid="pass-pin">
              <p>${m.kinds[p.kind]} · ${x.name} · ${t().cards.validity(localDate(shown.credential.validFrom), localDate(shown.credential.validTo))}</p>
              <label for="pin-output">${m.pinIs}</label>
              <output id="pin-output" tabindex="-1" data-testid="pin">${shown.pin}</output>
              <p><strong>${m.pinOnce}</strong></p>
              <button type="button" data-action="pin-done" @click=${() => this.#closePin()}>${m.pinDone}</button>
            </div>`
          : nothing}
      </div>
      ${shown
        ? nothing
        : html`<p class="muted">${m.passText}</p>
            <form class="stack" data-form="pass" novalidate @submit=${(ev: Event) => void this.#issuePass(ev)}>
              <div class="grid">
                ${this.#select('pass', 'kind', m.passKind, p.kind, [['day', m.kinds.day], ['guest', m.kinds.guest]], (v) => set({ kind: v as PassDraft['kind'] }))}
                ${this.#select('pass', 'plan', m.plan, p.plan, this.#planOptions('—'), (v) => set({ plan: v }), this.errors.passPlan)}
                ${inputField({ form: 'pass', name: 'from', label: m.from, type: 'date', value: p.from, required: true, error: this.errors.from, onInput: (v) => set({ from: v, to: this.pass.to < v ? v : this.pass.to }) })}
                ${inputField({ form: 'pass', name: 'to', label: m.to, type: 'date', value: p.to, required: true, error: this.errors.to, onInput: (v) => set({ to: v }) })}
                ${inputField({ form: 'pass', name: 'pin', label: m.pin, value: p.pin, inputmode: 'numeric', autocomplete: 'off', hint: m.pinHint, error: this.errors.pin, onInput: (v) => set({ pin: v.trim() }) })}
              </div>
              <div class="buttons">
                <button type="submit" data-action="issue-pass" ?disabled=${this.saving}>${this.saving ? m.issuing : m.issue}</button>
              </div>
              <div aria-live="polite">${noteLine(this.passNote, 'pass-note')}</div>
            </form>`}
    </section>`;
  }

  #eraseSection(x: MemberView) {
    if (this.role !== 'operator') return nothing;
    const m = t().members;
    const ready = this.eraseText.trim().toLowerCase() === m.eraseWord;
    return html`<section class="panel danger" aria-labelledby="erase-title">
      <h2 id="erase-title">${m.eraseTitle}</h2>
      <p>${m.eraseText}</p>
      <form class="stack" data-form="erase" @submit=${(ev: Event) => void this.#erase(ev)}>
        <div class="grid">
          ${inputField({ form: 'erase', name: 'confirm', label: m.eraseType(m.eraseWord), value: this.eraseText, autocomplete: 'off', onInput: (v) => (this.eraseText = v) })}
        </div>
        <div class="buttons">
          <button type="submit" class="danger-button" data-action="erase" ?disabled=${!ready} aria-label=${`${m.eraseButton}: ${x.name}`}>${m.eraseButton}</button>
        </div>
        <div aria-live="polite">${noteLine(this.eraseNote, 'erase-note')}</div>
      </form>
    </section>`;
  }

  /** Back, name, any page note, and role · plan · status: the top of a member's page. */
  #memberHead(x: MemberView) {
    const m = t().members;
    return html`<p><button type="button" class="secondary" data-action="back" @click=${() => this.#back()}>← ${m.back}</button></p>
      <h2 id="member-title" tabindex="-1">${x.name}</h2>
      <div aria-live="polite">${noteLine(this.pageNote, 'page-note')}</div>
      <p class="muted">
        ${t().app.roles[x.role]} · ${this.#planName(x.plan)} ·
        <span class=${x.status === 'suspended' ? 'suspended' : ''} data-field="status">${m.statuses[x.status]}</span>
      </p>`;
  }

  /** A host or operator as a host sees them: what is known, and who can change it. */
  #readOnlyView(x: MemberView) {
    const m = t().members;
    return html`<section class="panel" aria-labelledby="member-title" data-open-member=${x.id} data-read-only>
      ${this.#memberHead(x)}
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

  #memberView(x: MemberView) {
    const m = t().members;
    if (!this.mayChange(x)) return this.#readOnlyView(x);
    return html`<section class="panel" aria-labelledby="member-title" data-open-member=${x.id}>
        ${this.#memberHead(x)}
        <h3>${m.detailsTitle}</h3>
        <form class="stack" data-form="edit" novalidate @submit=${(ev: Event) => void this.#save(ev)}>
          ${this.#memberFields('edit', this.edit, (x) => (this.edit = { ...this.edit, ...x }))}
          <div class="buttons"><button type="submit" data-action="save-member" ?disabled=${this.saving}>${this.saving ? m.saving : m.save}</button></div>
          <div aria-live="polite">${noteLine(this.formNote, 'form-note')}</div>
        </form>
      </section>
      ${this.#passSection(x)}
      ${this.list.render(t().cards.listTitle(x.name), {
        suspended: x.status === 'suspended',
        footer: html`<p><a class="button" href="/cards" data-action="enrol-card" @click=${() => this.#toCards()}>${m.enrolCard} →</a></p>`,
      })}
      ${this.#statusSection(x)}
      <section class="panel" aria-labelledby="password-title">
        <h2 id="password-title">${m.passwordTitle}</h2>
        <form class="stack" data-form="password" novalidate @submit=${(ev: Event) => void this.#setPassword(ev)}>
          <div class="grid">
            ${inputField({ form: 'pw', name: 'password', label: m.password, type: 'password', value: this.password, autocomplete: 'new-password', hint: m.shortPassword, error: this.errors.newPassword, onInput: (v) => (this.password = v) })}
          </div>
          <div class="buttons"><button type="submit" data-action="set-password">${m.setPassword}</button></div>
          <div aria-live="polite">${noteLine(this.passwordNote, 'password-note')}</div>
        </form>
      </section>
      ${this.#eraseSection(x)}`;
  }

  override render() {
    if (this.view === 'add') return this.#addView();
    if (this.view === 'member' && this.member) return this.#memberView(this.member);
    return this.#listView();
  }
}

customElements.define('ss-members', MembersPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-members': MembersPanel;
  }
}
