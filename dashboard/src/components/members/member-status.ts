// A member's status: suspend (after a yes: their cards stop working within a minute) or
// reactivate. Tells `member-changed` with the member as the services now have them.
import { html } from 'lit';
import type { MemberView } from '../../../../contracts/api/index.ts';
import { errorText } from '../../error-words.ts';
import { manageApi } from '../../manage-api.ts';
import { LocaleController, t } from '../../words/locale.ts';
import { FocusAfterRender, PanelPart } from '../form-bits.ts';
import { noteLine, type Note } from '../notes.ts';

export class MemberStatus extends PanelPart {
  static override properties = {
    member: { attribute: false },
    confirm: { state: true },
    note: { state: true },
  };
  declare member: MemberView;
  /** "Suspend?" is being asked. */
  declare confirm: boolean;
  declare note: Note;

  readonly #focus = new FocusAfterRender(this);

  constructor() {
    super();
    new LocaleController(this);
    this.confirm = false;
    this.note = null;
  }

  async #set(status: 'active' | 'suspended'): Promise<void> {
    const m = this.member;
    this.confirm = false;
    this.note = null;
    this.tell('acted');
    try {
      const after = await manageApi.changeMember(m.id, { status });
      this.member = after; // at once: the focus goes to a button of the new status
      this.tell('member-changed', after);
      const w = t().members;
      this.note = { ok: true, text: status === 'suspended' ? w.suspended(after.name) : w.reactivated(after.name) };
      this.#focus.next = status === 'suspended' ? '[data-action=reactivate]' : '[data-action=suspend]';
    } catch (err) {
      this.note = { ok: false, text: errorText(err, { kind: status === 'suspended' ? 'suspend' : 'reactivate' }) };
    }
  }

  #controls() {
    const m = t().members;
    const x = this.member;
    if (x.status === 'suspended') return html`<button type="button" data-action="reactivate" @click=${() => void this.#set('active')}>${m.reactivate}</button>`;
    if (this.confirm)
      return html`<div class="buttons" role="group" aria-labelledby="suspend-question" data-testid="suspend-confirm">
        <p id="suspend-question" class="failed">${m.suspendConfirm(x.name)}</p>
        <button type="button" class="danger-button" data-action="suspend-yes" @click=${() => void this.#set('suspended')}>${m.suspendYes}</button>
        <button type="button" class="secondary" data-action="suspend-no" @click=${() => ((this.confirm = false), (this.#focus.next = '[data-action=suspend]'))}>
          ${m.suspendNo}
        </button>
      </div>`;
    return html`<button
      type="button"
      class="secondary"
      data-action="suspend"
      @click=${() => ((this.confirm = true), (this.note = null), (this.#focus.next = '[data-action=suspend-no]'))}
    >
      ${m.suspend}
    </button>`;
  }

  override render() {
    const m = t().members;
    return html`<section class="panel" aria-labelledby="status-title">
      <h2 id="status-title">${m.statusTitle}</h2>
      <p data-testid="member-status">${this.member.status === 'active' ? m.isActive : m.isSuspended}</p>
      ${this.#controls()}
      <div aria-live="polite">${noteLine(this.note, 'status-note')}</div>
    </section>`;
  }
}

customElements.define('ss-member-status', MemberStatus);

declare global {
  interface HTMLElementTagNameMap {
    'ss-member-status': MemberStatus;
  }
}
