// Erasing a member, for operators only, after typing a word to confirm. Tells `member-erased`
// with the member that was.
import { html } from 'lit';
import type { MemberView } from '../../../../contracts/api/index.ts';
import { errorText } from '../../error-words.ts';
import { manageApi } from '../../manage-api.ts';
import { LocaleController, t } from '../../words/locale.ts';
import { inputField, PanelPart } from '../form-bits.ts';
import { noteLine, type Note } from '../notes.ts';

export class MemberErase extends PanelPart {
  static override properties = {
    member: { attribute: false },
    text: { state: true },
    note: { state: true },
  };
  declare member: MemberView;
  /** As typed: the button works once it is the word. */
  declare text: string;
  declare note: Note;

  constructor() {
    super();
    new LocaleController(this);
    this.text = '';
    this.note = null;
  }

  #ready(): boolean {
    return this.text.trim().toLowerCase() === t().members.eraseWord;
  }

  async #erase(ev: Event): Promise<void> {
    ev.preventDefault();
    const m = this.member;
    if (!this.#ready()) return;
    try {
      await manageApi.eraseMember(m.id);
      this.tell('member-erased', m);
    } catch (err) {
      this.note = { ok: false, text: errorText(err, { kind: 'erase' }) };
    }
  }

  override render() {
    const m = t().members;
    return html`<section class="panel danger" aria-labelledby="erase-title">
      <h2 id="erase-title">${m.eraseTitle}</h2>
      <p>${m.eraseText}</p>
      <form class="stack" data-form="erase" @submit=${(ev: Event) => void this.#erase(ev)}>
        <div class="grid">
          ${inputField({ form: 'erase', name: 'confirm', label: m.eraseType(m.eraseWord), value: this.text, autocomplete: 'off', onInput: (v) => (this.text = v) })}
        </div>
        <div class="buttons">
          <button type="submit" class="danger-button" data-action="erase" ?disabled=${!this.#ready()} aria-label=${`${m.eraseButton}: ${this.member.name}`}>
            ${m.eraseButton}
          </button>
        </div>
        <div aria-live="polite">${noteLine(this.note, 'erase-note')}</div>
      </form>
    </section>`;
  }
}

customElements.define('ss-member-erase', MemberErase);

declare global {
  interface HTMLElementTagNameMap {
    'ss-member-erase': MemberErase;
  }
}
