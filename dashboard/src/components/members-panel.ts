// Members, for hosts and operators: find (name or email, status, role, plan; paged with the
// total), add, and open one to change their details, plan and status (suspending asks first:
// their cards stop working within a minute), set a password, see and revoke their cards and
// PINs, issue a day or guest pass (its PIN is shown once), go to the Cards screen to enrol a
// card for them, and, for operators only, erase them after typing a word to confirm.
// The panel switches between its parts (members/*.ts: the list, the add form, a member's page
// and its sections), which render in its shadow root; the list and plans live in a
// MemberDirectory (data/member-directory.ts) that outlives them.
import { LitElement, html } from 'lit';
import type { MemberView, Role } from '../../../contracts/api/index.ts';
import { MemberDirectory } from '../data/member-directory.ts';
import { LocaleController, t } from '../words/locale.ts';
import { credentialListStyles } from './credential-list.ts';
import { FocusAfterRender, formStyles } from './form-bits.ts';
import type { Note } from './notes.ts';
import { baseStyles, buttonStyles, fieldStyles, panelStyles, textStyles } from './shared-styles.ts';
import { FollowDirectory } from './members/member-fields.ts';
import { membersStyles } from './members/members-styles.ts';
import './members/member-add.ts';
import './members/member-list.ts';
import './members/member-page.ts';

type View = 'list' | 'add' | 'member';

export class MembersPanel extends LitElement {
  static override properties = {
    timeZone: { attribute: 'time-zone' },
    role: {},
    meId: { attribute: 'me' },
    view: { state: true },
    member: { state: true },
    listNote: { state: true },
    pageNote: { state: true },
  };
  declare timeZone: string;
  /** The viewer's role: operators may give roles and erase. */
  declare role: Role;
  /** The viewer's own id: a host may change their own page. */
  declare meId: string;
  declare view: View;
  /** The open member, as the services last answered. */
  declare member: MemberView | null;
  /** Said above the list (e.g. just erased). */
  declare listNote: Note;
  /** Said at the top of a member's page (e.g. just added). */
  declare pageNote: Note;

  readonly directory = new MemberDirectory();
  readonly #focus = new FocusAfterRender(this);
  #loaded = false;

  static override styles = [baseStyles, buttonStyles, panelStyles, textStyles, fieldStyles, credentialListStyles, formStyles, membersStyles];

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    new FollowDirectory(this, () => this.directory);
    this.timeZone = 'Europe/Copenhagen';
    this.role = 'host';
    this.meId = '';
    this.view = 'list';
    this.member = null;
    this.listNote = null;
    this.pageNote = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#loaded) {
      this.#loaded = true;
      void this.load();
      void this.directory.loadPlans();
    }
  }

  /** The list's page at `offset` for the current filters. */
  load(offset?: number): Promise<void> {
    return this.directory.load(offset);
  }

  #openAdd(): void {
    this.view = 'add';
    this.listNote = null;
  }

  #open(m: MemberView, note: Note = null): void {
    this.view = 'member';
    this.member = m;
    this.pageNote = note;
    this.listNote = null;
  }

  #back(): void {
    const id = this.member?.id;
    this.view = 'list';
    this.member = null;
    this.#focus.next = id ? `[data-member="${CSS.escape(id)}"] button.link` : '#list-heading';
  }

  /** The member as the services now have it: in the open page and in the list. */
  #changed(m: MemberView): void {
    this.member = m;
    this.directory.replace(m);
  }

  async #added(m: MemberView): Promise<void> {
    this.#open(m, { ok: true, text: t().members.added(m.name) });
    // The list again (it has one more), after the new member's page has asked for their cards.
    await this.updateComplete;
    await this.renderRoot.querySelector('ss-member-page')?.updateComplete;
    void this.load();
  }

  #erased(m: MemberView): void {
    this.view = 'list';
    this.member = null;
    this.listNote = { ok: true, text: t().members.erased(m.name) };
    this.#focus.next = '#list-heading';
    void this.load();
  }

  override render() {
    const d = this.directory;
    const detail = <T>(ev: Event) => (ev as CustomEvent<T>).detail;
    if (this.view === 'add')
      return html`<ss-member-add
        role=${this.role}
        .plans=${d.plans}
        @back=${() => this.#back()}
        @member-added=${(ev: Event) => void this.#added(detail<MemberView>(ev))}
      ></ss-member-add>`;
    if (this.view === 'member' && this.member)
      return html`<ss-member-page
        .member=${this.member}
        .plans=${d.plans}
        .note=${this.pageNote}
        .planName=${(id: string | null) => d.planName(id, t().members.noPlan)}
        role=${this.role}
        me=${this.meId}
        time-zone=${this.timeZone}
        @back=${() => this.#back()}
        @member-changed=${(ev: Event) => this.#changed(detail<MemberView>(ev))}
        @pass-issued=${(ev: Event) => this.#changed(detail<MemberView>(ev))}
        @member-erased=${(ev: Event) => this.#erased(detail<MemberView>(ev))}
      ></ss-member-page>`;
    return html`<ss-member-list
      .directory=${d}
      .note=${this.listNote}
      @add-member=${() => this.#openAdd()}
      @open-member=${(ev: Event) => this.#open(detail<MemberView>(ev))}
    ></ss-member-list>`;
  }
}

customElements.define('ss-members', MembersPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-members': MembersPanel;
  }
}
