// The members list: find by name or email, status, role and plan, paged with the total. Shows the
// directory (data/member-directory.ts), which outlives it; opening a member or adding one is the
// panel's to do (`open-member` with the member, `add-member`).
import { html, type PropertyValues } from 'lit';
import type { MemberView } from '../../../../contracts/api/index.ts';
import type { MemberDirectory } from '../../data/member-directory.ts';
import { MEMBERS_PAGE, type MemberFilters } from '../../data/members.ts';
import { LocaleController, t } from '../../words/locale.ts';
import { inputField, PanelPart, selectField, syncSelects } from '../form-bits.ts';
import { loadFailed, noteLine, type Note } from '../notes.ts';
import { FollowDirectory, roleOptions } from './member-fields.ts';

export class MemberList extends PanelPart {
  static override properties = {
    directory: { attribute: false },
    note: { attribute: false },
  };
  declare directory: MemberDirectory;
  /** Said above the list (e.g. just erased). */
  declare note: Note;

  constructor() {
    super();
    new LocaleController(this);
    new FollowDirectory(this, () => this.directory);
    this.note = null;
  }

  protected override updated(_: PropertyValues<this>): void {
    syncSelects(this);
  }

  #filtersForm() {
    const m = t().members;
    const d = this.directory;
    const f = d.filters;
    const set = <K extends keyof MemberFilters>(key: K, value: MemberFilters[K], now: boolean) => d.setFilter(key, value, now);
    return html`<form class="filters" role="search" aria-label=${m.filters} @submit=${(ev: Event) => (ev.preventDefault(), void d.load(0))}>
      ${inputField({ form: 'find', name: 'q', label: m.search, type: 'search', value: f.q, onInput: (v) => set('q', v, false) })}
      ${selectField(
        'find',
        'status',
        m.status,
        f.status,
        [
          ['', m.any],
          ['active', m.statuses.active],
          ['suspended', m.statuses.suspended],
        ],
        (v) => set('status', v as MemberFilters['status'], true),
      )}
      ${selectField('find', 'role', m.role, f.role, [['', m.any], ...roleOptions()], (v) => set('role', v as MemberFilters['role'], true))}
      ${selectField('find', 'plan', m.plan, f.plan, [['', m.any], ...d.plans.map((p): [string, string] => [p.id, p.name])], (v) => set('plan', v, true))}
      <button type="submit" data-action="search">${m.searchButton}</button>
    </form>`;
  }

  #row(x: MemberView) {
    const m = t().members;
    return html`<li data-member=${x.id} data-status=${x.status}>
      <span class="name"><button type="button" class="link" @click=${() => this.tell('open-member', x)}>${x.name}</button></span>
      <span class="email" data-field="email">${x.email}</span>
      <span class="metas"
        ><span data-field="role">${t().app.roles[x.role]}</span><span class="sep"> · </span
        ><span data-field="plan">${this.directory.planName(x.plan, m.noPlan)}</span><span class="sep"> · </span
        ><span class=${x.status === 'suspended' ? 'suspended' : ''} data-field="status">${m.statuses[x.status]}</span><span class="sep"> · </span
        ><span data-field="credentials">${m.credentialCount(x.credentials)}</span></span
      >
    </li>`;
  }

  #body() {
    const m = t().members;
    const d = this.directory;
    if (d.error) return loadFailed(d.error, { kind: 'members' }, () => void d.load());
    if (!d.page) return html`<p class="muted" role="status">${m.loading}</p>`;
    if (d.page.items.length === 0) return html`<p class="muted" role="status">${m.empty}</p>`;
    const { items, total } = d.page;
    return html`<ul class="members">
        <li class="header" aria-hidden="true">
          <span>${m.name}</span><span>${m.email}</span><span>${m.role}</span><span>${m.plan}</span><span>${m.status}</span><span>${t().routes.cards}</span>
        </li>
        ${items.map((x) => this.#row(x))}
      </ul>
      <div class="paging">
        <span data-testid="member-range">${m.range(d.offset + 1, d.offset + items.length, total)}</span>
        <span class="buttons">
          <button
            type="button"
            class="secondary"
            data-action="previous"
            ?disabled=${d.offset === 0}
            @click=${() => void d.load(Math.max(0, d.offset - MEMBERS_PAGE))}
          >
            ${m.previous}
          </button>
          <button
            type="button"
            class="secondary"
            data-action="next"
            ?disabled=${d.offset + items.length >= total}
            @click=${() => void d.load(d.offset + MEMBERS_PAGE)}
          >
            ${m.next}
          </button>
        </span>
      </div>`;
  }

  override render() {
    const m = t().members;
    const d = this.directory;
    return html`<section class="panel" aria-labelledby="list-heading">
      <div class="head">
        <h2 id="list-heading" tabindex="-1">${m.title}</h2>
        <button type="button" data-action="add-member" @click=${() => this.tell('add-member')}>${m.add}</button>
      </div>
      <p class="muted">${m.text}</p>
      <div aria-live="polite">${noteLine(this.note, 'list-note')}</div>
      ${this.#filtersForm()}
      <div aria-live="polite" aria-busy=${d.page === null && !d.error ? 'true' : 'false'}>${this.#body()}</div>
    </section>`;
  }
}

customElements.define('ss-member-list', MemberList);

declare global {
  interface HTMLElementTagNameMap {
    'ss-member-list': MemberList;
  }
}
