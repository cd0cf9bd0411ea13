// Cards, for hosts and operators: enrol a card at a door's reader (pick the member and the door,
// start, watch the 60 s countdown until the tap arrives on the live stream as an `enrolment`
// message, or the time runs out), and see and revoke a member's cards and PINs. The countdown
// runs on this device's clock from the moment the start was accepted, for the length the
// server gave (expiresAt - startedAt), so a skewed clock cannot cut it short or stretch it.
// "Replace" on a live card starts the same enrolment with `replaces`: the services revoke the
// old card when the new one is bound, and the reloaded list shows both.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { CredentialView, DoorView, EnrolmentView, MemberView, Role } from '../../../contracts/api/index.ts';
import { mayManage } from '../manage-api.ts';
import { api } from '../api.ts';
import { errorText } from '../error-words.ts';
import { LocaleController, t } from '../words/locale.ts';
import { cardsIntent, CredentialList, credentialListStyles, credentialWords } from './credential-list.ts';
import { loadFailed, noteLine, type Note } from './notes.ts';
import { baseStyles, buttonStyles, fieldStyles, panelStyles, textStyles } from './shared-styles.ts';

export class CardsPanel extends LitElement {
  static override properties = {
    doors: { attribute: false },
    enrolments: { attribute: false },
    role: {},
    meId: { attribute: 'me' },
    members: { state: true },
    membersError: { state: true },
    memberId: { state: true },
    doorId: { state: true },
    enrolment: { state: true },
    starting: { state: true },
    enrolNote: { state: true },
    now: { state: true },
    replacing: { state: true },
  };
  declare doors: readonly DoorView[];
  /** Enrolment progress from the live stream (store.ts). */
  declare enrolments: readonly EnrolmentView[];
  /** The viewer: a host is offered only the members whose cards a host may change. */
  declare role: Role;
  declare meId: string;
  /** null while loading. */
  declare members: MemberView[] | null;
  declare membersError: unknown;
  declare memberId: string;
  declare doorId: string;
  /** The enrolment started here, as the start answered it. */
  declare enrolment: EnrolmentView | null;
  declare starting: boolean;
  declare enrolNote: Note;
  declare now: number;
  /** The card the enrolment started here replaces, if it does. */
  declare replacing: CredentialView | null;
  /** The chosen member's cards and PINs. */
  readonly list = new CredentialList(this);

  static override styles = [
    baseStyles,
    buttonStyles,
    panelStyles,
    textStyles,
    fieldStyles,
    credentialListStyles,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      form {
        display: grid;
        gap: 0.75rem;
        grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
        align-items: end;
      }
      .progress {
        margin-top: 1rem;
        padding: 0.75rem;
        border-radius: 0.5rem;
        background: var(--ss-accent-tint, #e2f0f5);
      }
      .progress p {
        margin: 0 0 0.5rem;
      }
      .big {
        font-size: 1.25rem;
        font-weight: 700;
      }
    `,
  ];

  #timer: ReturnType<typeof setInterval> | null = null;
  /** Local time the countdown ends (see the file comment). */
  #deadline = 0;
  /** The bound enrolment whose card list was reloaded. */
  #reloadedFor = '';
  #membersLoaded = false;

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.doors = [];
    this.enrolments = [];
    // Until told otherwise, the narrowest choice: members only.
    this.role = 'member';
    this.meId = '';
    this.members = null;
    this.membersError = null;
    this.memberId = '';
    this.doorId = '';
    this.enrolment = null;
    this.starting = false;
    this.enrolNote = null;
    this.now = Date.now();
    this.replacing = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#membersLoaded) void this.loadMembers();
    if (cardsIntent.member) {
      // Sent here from a member's page: that member is chosen.
      this.memberId = cardsIntent.member;
      cardsIntent.member = '';
      void this.list.load(this.memberId);
    }
    if (this.current()?.status === 'waiting') this.#tick();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopTimer();
  }

  async loadMembers(): Promise<void> {
    this.#membersLoaded = true;
    this.members = null;
    this.membersError = null;
    try {
      const page = await api.members();
      this.members = page.items.filter((m) => mayManage(this.role, this.meId, m)).sort((a, b) => a.name.localeCompare(b.name));
    } catch (err) {
      this.membersError = err;
    }
  }

  /** The enrolment started here, with the latest word on it from the live stream. */
  current(): EnrolmentView | null {
    const mine = this.enrolment;
    if (!mine) return null;
    return this.enrolments.find((e) => e.id === mine.id) ?? mine;
  }

  /** Its status as shown: still "waiting" once the time is up means it ran out. */
  #status(e: EnrolmentView): EnrolmentView['status'] {
    return e.status === 'waiting' && this.now >= this.#deadline ? 'expired' : e.status;
  }

  #tick(): void {
    this.now = Date.now();
    if (this.#timer === null) this.#timer = setInterval(() => (this.now = Date.now()), 1000);
  }

  #stopTimer(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const e = this.current();
    if (!e) return;
    const status = this.#status(e);
    if (status !== 'waiting') this.#stopTimer();
    if (status === 'bound' && this.#reloadedFor !== e.id && (changed.has('enrolments') || changed.has('enrolment'))) {
      this.#reloadedFor = e.id;
      if (e.member === this.memberId) void this.list.load(e.member);
    }
  }

  #selectMember(ev: Event): void {
    this.memberId = (ev.target as HTMLSelectElement).value;
    void this.list.load(this.memberId);
  }

  #door(): string {
    return this.doorId || (this.doors[0]?.id ?? '');
  }

  /** Starts an enrolment at the chosen door; with `replaces`, the new card replaces that one. */
  async #start(ev: Event | null, replaces: CredentialView | null = null): Promise<void> {
    ev?.preventDefault();
    const door = this.#door();
    if (!this.memberId || !door || this.starting || this.#waiting()) return;
    this.starting = true;
    this.enrolNote = null;
    try {
      const e = await api.startEnrolment(replaces ? { member: this.memberId, door, replaces: replaces.id } : { member: this.memberId, door });
      this.replacing = replaces;
      this.#deadline = Date.now() + Math.max(0, e.expiresAt - e.startedAt);
      this.enrolment = e;
      this.#tick();
    } catch (err) {
      this.enrolNote = { ok: false, text: errorText(err, { kind: 'enrol' }) };
    } finally {
      this.starting = false;
    }
  }

  async #cancel(): Promise<void> {
    const e = this.current();
    if (!e) return;
    try {
      this.enrolment = await api.cancelEnrolment(e.id);
    } catch (err) {
      this.enrolNote = { ok: false, text: errorText(err, { kind: 'cancelEnrol' }) };
    }
  }

  #waiting(): boolean {
    const e = this.current();
    return e !== null && this.#status(e) === 'waiting';
  }

  #progress() {
    const e = this.current();
    if (!e) return nothing;
    const m = t().cards;
    const status = this.#status(e);
    const doorName = this.doors.find((d) => d.id === e.door)?.name ?? e.door;
    let body;
    switch (status) {
      case 'waiting': {
        const left = Math.max(0, Math.ceil((this.#deadline - this.now) / 1000));
        body = html`<p class="big">${m.waiting(doorName)}</p>
          ${this.replacing ? html`<p data-testid="replacing">${m.replacing(credentialWords(this.replacing))}</p>` : nothing}
          <p data-testid="countdown">${m.secondsLeft(left)}</p>
          <button type="button" class="secondary" data-action="cancel-enrolment" @click=${() => void this.#cancel()}>${m.cancel}</button>`;
        break;
      }
      case 'bound':
        body = html`<p class="big done">
          ${this.replacing ? m.replaced(this.replacing.tail, e.credential?.tail ?? '', e.memberName) : m.bound(e.credential?.tail ?? '', e.memberName)}
        </p>`;
        break;
      case 'expired':
        body = html`<p class="failed">${m.expired}</p>`;
        break;
      case 'cancelled':
        body = html`<p>${m.cancelled}</p>`;
        break;
      case 'failed':
        body = html`<p class="failed">${m.failed}</p>`;
        break;
    }
    return html`<div class="progress" role="status" aria-live="polite" data-testid="enrolment" data-status=${status}>${body}</div>`;
  }

  #credentialList() {
    if (!this.memberId) return nothing;
    const member = this.members?.find((x) => x.id === this.memberId);
    return this.list.render(t().cards.listTitle(member?.name ?? this.memberId), {
      replace: (c) => void this.#start(null, c),
      busy: this.starting || this.#waiting(),
      suspended: member?.status === 'suspended',
    });
  }

  override render() {
    const m = t().cards;
    const waiting = this.#waiting();
    const door = this.#door();
    return html`
      <section class="panel" aria-labelledby="enrol-title">
        <h2 id="enrol-title">${m.enrolTitle}</h2>
        <p class="muted">${m.enrolText}</p>
        ${
          this.membersError
            ? loadFailed(this.membersError, { kind: 'members' }, () => void this.loadMembers())
            : html`<form @submit=${(ev: Event) => void this.#start(ev)}>
                <label
                  >${m.member}
                  <select data-field="member" ?disabled=${!this.members || waiting} @change=${this.#selectMember}>
                    <option value="" ?selected=${!this.memberId}>${this.members ? m.chooseMember : m.loadingMembers}</option>
                    ${(this.members ?? []).map((x) => html`<option value=${x.id} ?selected=${x.id === this.memberId}>${x.name}</option>`)}
                  </select>
                </label>
                <label
                  >${m.door}
                  <select data-field="door" ?disabled=${waiting} @change=${(ev: Event) => (this.doorId = (ev.target as HTMLSelectElement).value)}>
                    ${this.doors.map((d) => html`<option value=${d.id} ?selected=${d.id === door}>${d.name}</option>`)}
                  </select>
                </label>
                <button type="submit" data-action="start-enrolment" ?disabled=${!this.memberId || !door || this.starting || waiting}>
                  ${this.starting ? m.starting : m.start}
                </button>
              </form>`
        }
        ${noteLine(this.enrolNote, 'enrol-note')} ${this.#progress()}
      </section>
      ${this.#credentialList()}
    `;
  }
}

customElements.define('ss-cards', CardsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-cards': CardsPanel;
  }
}
