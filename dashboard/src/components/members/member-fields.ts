// What the members screen's parts share: following the directory, the plan and role options, and
// the name, email, role and plan fields the add and edit forms both have.
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { PlanView, Role } from '../../../../contracts/api/index.ts';
import type { MemberDirectory } from '../../data/member-directory.ts';
import { ROLES, type MemberDraft } from '../../data/members.ts';
import { t } from '../../words/locale.ts';
import { inputField, selectField, type FieldErrors } from '../form-bits.ts';

/** Re-renders its host when the directory changes (list, filters, plans). */
export class FollowDirectory implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #get: () => MemberDirectory | undefined;
  #unsubscribe: (() => void) | null = null;

  constructor(host: ReactiveControllerHost, get: () => MemberDirectory | undefined) {
    this.#host = host;
    this.#get = get;
    host.addController(this);
  }

  hostConnected(): void {
    this.#unsubscribe = this.#get()?.subscribe(() => this.#host.requestUpdate()) ?? null;
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }
}

export function planOptions(plans: readonly PlanView[], none: string): Array<[string, string]> {
  return [['', none], ...plans.map((p): [string, string] => [p.id, p.name])];
}

export function roleOptions(): Array<[string, string]> {
  return ROLES.map((r): [string, string] => [r, t().app.roles[r]]);
}

/** Name, email, role (operators), plan, and being shown: the fields the add and edit forms share. */
export function memberFields(
  form: string,
  d: MemberDraft,
  errors: FieldErrors,
  viewer: Role,
  plans: readonly PlanView[],
  set: (patch: Partial<MemberDraft>) => void,
) {
  const m = t().members;
  return html`<div class="grid">
      ${inputField({ form, name: 'name', label: m.name, value: d.name, required: true, autocomplete: 'off', error: errors.name, onInput: (v) => set({ name: v }) })}
      ${inputField({ form, name: 'email', label: d.role === 'member' ? m.emailOptional : m.email, type: 'email', value: d.email, required: d.role !== 'member', autocomplete: 'off', inputmode: 'email', error: errors.email, onInput: (v) => set({ email: v }) })}
      ${viewer === 'operator' ? selectField(form, 'role', m.role, d.role, roleOptions(), (v) => set({ role: v as Role }), errors.role) : nothing}
      ${selectField(form, 'plan', m.plan, d.plan, planOptions(plans, m.noPlan), (v) => set({ plan: v }), errors.plan)}
    </div>
    <label class="check"
      ><input
        type="checkbox"
        name="presenceOptIn"
        .checked=${d.presenceOptIn}
        @change=${(ev: Event) => set({ presenceOptIn: (ev.target as HTMLInputElement).checked })}
      />${m.presence}</label
    >`;
}
