// Issuing a day or guest pass to a member: plan, first and last day, an optional PIN. The PIN is
// shown once, until "Done", then never again. Tells `pass-issued` with the member, one
// credential more.
import { html, nothing, type PropertyValues } from 'lit';
import type { MemberView, PassCreated, PlanView } from '../../../../contracts/api/index.ts';
import { checkPass, type PassDraft } from '../../data/members.ts';
import { localDate } from '../../local-date.ts';
import { manageApi } from '../../manage-api.ts';
import { timeFormats } from '../../time-format.ts';
import { LocaleController, locale, t } from '../../words/locale.ts';
import { FocusAfterRender, focusFirstInvalid, inputField, PanelPart, selectField, syncSelects, type FieldErrors } from '../form-bits.ts';
import { noteLine, type Note } from '../notes.ts';
import { planOptions } from './member-fields.ts';
import { refused } from '../refused.ts';

export class MemberPass extends PanelPart {
  static override properties = {
    member: { attribute: false },
    plans: { attribute: false },
    timeZone: { attribute: 'time-zone' },
    pass: { state: true },
    shown: { state: true },
    errors: { state: true },
    saving: { state: true },
    note: { state: true },
  };
  declare member: MemberView;
  declare plans: readonly PlanView[];
  declare timeZone: string;
  declare pass: PassDraft;
  /** The pass just issued: its PIN is shown until "Done". */
  declare shown: PassCreated | null;
  declare errors: FieldErrors;
  declare saving: boolean;
  declare note: Note;

  readonly #focus = new FocusAfterRender(this);

  constructor() {
    super();
    new LocaleController(this);
    this.plans = [];
    this.timeZone = 'Europe/Copenhagen';
    this.shown = null;
    this.errors = {};
    this.saving = false;
    this.note = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('member') && changed.get('member')?.id !== this.member.id) {
      // A day or guest pass for today, on the member's plan (or the first), by default.
      const today = timeFormats(locale.tag, this.timeZone).dayKey(Date.now());
      this.pass = { kind: 'day', plan: this.member.plan ?? this.plans[0]?.id ?? '', from: today, to: today, pin: '' };
    }
  }

  protected override updated(_: PropertyValues<this>): void {
    syncSelects(this);
  }

  async #issue(ev: Event): Promise<void> {
    ev.preventDefault();
    const m = this.member;
    if (this.saving) return;
    const p = this.pass;
    this.errors = checkPass(p);
    this.note = null;
    this.tell('acted');
    if (Object.keys(this.errors).length > 0) {
      this.note = { ok: false, text: t().members.fixFields };
      await this.updateComplete;
      focusFirstInvalid(this);
      return;
    }
    this.saving = true;
    try {
      const label = t().members.kinds[p.kind];
      this.shown = await manageApi.issuePass({ member: m.id, kind: p.kind, plan: p.plan, from: p.from, to: p.to, label, ...(p.pin ? { pin: p.pin } : {}) });
      this.pass = { ...p, pin: '' };
      this.#focus.next = '.pin output';
      this.tell('pass-issued', { ...m, credentials: m.credentials + 1 });
    } catch (err) {
      refused(
        err,
        { kind: 'pass' },
        ['plan', 'from', 'to', 'pin'],
        (e) => (this.errors = e),
        (n) => (this.note = n),
        (f) => (f === 'plan' ? 'passPlan' : f),
      );
      await this.updateComplete;
      focusFirstInvalid(this);
    } finally {
      this.saving = false;
    }
  }

  #pin(shown: PassCreated) {
    const m = t().members;
    return html`<div class="pin" data-testid="pass-pin">
      <p>
        ${m.kinds[this.pass.kind]} · ${this.member.name} · ${t().cards.validity(localDate(shown.credential.validFrom), localDate(shown.credential.validTo))}
      </p>
      <label for="pin-output">${m.pinIs}</label>
      <output id="pin-output" tabindex="-1" data-testid="pin">${shown.pin}</output>
      <p><strong>${m.pinOnce}</strong></p>
      <button type="button" data-action="pin-done" @click=${() => ((this.shown = null), (this.#focus.next = '#pass-title'))}>${m.pinDone}</button>
    </div>`;
  }

  #form() {
    const m = t().members;
    const p = this.pass;
    const set = (next: Partial<PassDraft>) => (this.pass = { ...this.pass, ...next });
    return html`<p class="muted">${m.passText}</p>
      <form class="stack" data-form="pass" novalidate @submit=${(ev: Event) => void this.#issue(ev)}>
        <div class="grid">
          ${selectField(
            'pass',
            'kind',
            m.passKind,
            p.kind,
            [
              ['day', m.kinds.day],
              ['guest', m.kinds.guest],
            ],
            (v) => set({ kind: v as PassDraft['kind'] }),
          )}
          ${selectField('pass', 'plan', m.plan, p.plan, planOptions(this.plans, '—'), (v) => set({ plan: v }), this.errors.passPlan)}
          ${inputField({ form: 'pass', name: 'from', label: m.from, type: 'date', value: p.from, required: true, error: this.errors.from, onInput: (v) => set({ from: v, to: this.pass.to < v ? v : this.pass.to }) })}
          ${inputField({ form: 'pass', name: 'to', label: m.to, type: 'date', value: p.to, required: true, error: this.errors.to, onInput: (v) => set({ to: v }) })}
          ${inputField({ form: 'pass', name: 'pin', label: m.pin, value: p.pin, inputmode: 'numeric', autocomplete: 'off', hint: m.pinHint, error: this.errors.pin, onInput: (v) => set({ pin: v.trim() }) })}
        </div>
        <div class="buttons">
          <button type="submit" data-action="issue-pass" ?disabled=${this.saving}>${this.saving ? m.issuing : m.issue}</button>
        </div>
        <div aria-live="polite">${noteLine(this.note, 'pass-note')}</div>
      </form>`;
  }

  override render() {
    const shown = this.shown;
    return html`<section class="panel" aria-labelledby="pass-title">
      <h2 id="pass-title" tabindex="-1">${t().members.passTitle}</h2>
      <div aria-live="assertive">${shown ? this.#pin(shown) : nothing}</div>
      ${shown ? nothing : this.#form()}
    </section>`;
  }
}

customElements.define('ss-member-pass', MemberPass);

declare global {
  interface HTMLElementTagNameMap {
    'ss-member-pass': MemberPass;
  }
}
