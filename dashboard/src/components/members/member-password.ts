// Setting a member's password (at least 8 characters, checked before sending).
import { html } from 'lit';
import type { MemberView } from '../../../../contracts/api/index.ts';
import { errorText } from '../../error-words.ts';
import { manageApi } from '../../manage-api.ts';
import { LocaleController, t } from '../../words/locale.ts';
import { fieldId, inputField, PanelPart } from '../form-bits.ts';
import { noteLine, type Note } from '../notes.ts';

export class MemberPassword extends PanelPart {
  static override properties = {
    member: { attribute: false },
    password: { state: true },
    error: { state: true },
    note: { state: true },
  };
  declare member: MemberView;
  declare password: string;
  declare error: string | undefined;
  declare note: Note;

  constructor() {
    super();
    new LocaleController(this);
    this.password = '';
    this.error = undefined;
    this.note = null;
  }

  async #set(ev: Event): Promise<void> {
    ev.preventDefault();
    this.note = null;
    if (this.password.length < 8) {
      this.error = t().members.shortPassword;
      await this.updateComplete;
      this.querySelector<HTMLElement>(`#${fieldId('pw', 'password')}`)?.focus();
      return;
    }
    this.error = undefined;
    try {
      await manageApi.changeMember(this.member.id, { password: this.password });
      this.password = '';
      this.note = { ok: true, text: t().members.passwordSet };
    } catch (err) {
      this.note = { ok: false, text: errorText(err, { kind: 'password' }) };
    }
  }

  override render() {
    const m = t().members;
    return html`<section class="panel" aria-labelledby="password-title">
      <h2 id="password-title">${m.passwordTitle}</h2>
      <form class="stack" data-form="password" novalidate @submit=${(ev: Event) => void this.#set(ev)}>
        <div class="grid">
          ${inputField({ form: 'pw', name: 'password', label: m.password, type: 'password', value: this.password, autocomplete: 'new-password', hint: m.shortPassword, error: this.error, onInput: (v) => (this.password = v) })}
        </div>
        <div class="buttons"><button type="submit" data-action="set-password">${m.setPassword}</button></div>
        <div aria-live="polite">${noteLine(this.note, 'password-note')}</div>
      </form>
    </section>`;
  }
}

customElements.define('ss-member-password', MemberPassword);

declare global {
  interface HTMLElementTagNameMap {
    'ss-member-password': MemberPassword;
  }
}
