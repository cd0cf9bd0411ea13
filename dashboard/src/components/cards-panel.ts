// Cards, for hosts and operators: enrol a card at a door's reader (pick the member and the door,
// start, watch the 60 s countdown until the tap arrives on the live stream as an `enrolment`
// message, or the time runs out), and see and revoke a member's cards and PINs. The countdown
// runs on this device's clock from the moment the start was accepted, for the length the
// server gave (expiresAt - startedAt), so a skewed clock cannot cut it short or stretch it.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { CredentialView, DoorView, EnrolmentView, MemberView } from '../../../contracts/api.ts';
import { api } from '../api.ts';
import { errorText, type FailedAction } from '../error-words.ts';
import { LocaleController, t } from '../i18n/locale.ts';
import { baseStyles, buttonStyles, fieldStyles, panelStyles, textStyles } from './shared-styles.ts';

type Note = { ok: boolean; text: string } | null;

export class CardsPanel extends LitElement {
  static override properties = {
    doors: { attribute: false },
    enrolments: { attribute: false },
    members: { state: true },
    membersError: { state: true },
    memberId: { state: true },
    doorId: { state: true },
    enrolment: { state: true },
    starting: { state: true },
    enrolNote: { state: true },
    now: { state: true },
    credentials: { state: true },
    credentialsError: { state: true },
    confirming: { state: true },
    revokeNote: { state: true },
  };
  declare doors: readonly DoorView[];
  /** Enrolment progress from the live stream (store.ts). */
  declare enrolments: readonly EnrolmentView[];
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
  /** The chosen member's cards and PINs; null while loading or before a member is chosen. */
  declare credentials: CredentialView[] | null;
  declare credentialsError: unknown;
  /** The credential whose revocation waits for a yes. */
  declare confirming: number | null;
  declare revokeNote: Note;

  static override styles = [
    baseStyles,
    buttonStyles,
    panelStyles,
    textStyles,
    fieldStyles,
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
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem 1rem;
        padding: 0.5rem 0;
        border-top: 1px solid var(--ss-line, #dedbd2);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
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
    this.members = null;
    this.membersError = null;
    this.memberId = '';
    this.doorId = '';
    this.enrolment = null;
    this.starting = false;
    this.enrolNote = null;
    this.now = Date.now();
    this.credentials = null;
    this.credentialsError = null;
    this.confirming = null;
    this.revokeNote = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#membersLoaded) void this.loadMembers();
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
      this.members = [...page.items].sort((a, b) => a.name.localeCompare(b.name));
    } catch (err) {
      this.membersError = err;
    }
  }

  async #loadCredentials(memberId: string): Promise<void> {
    this.credentials = null;
    this.credentialsError = null;
    try {
      const list = await api.memberCredentials(memberId);
      if (memberId === this.memberId) this.credentials = list;
    } catch (err) {
      if (memberId === this.memberId) this.credentialsError = err;
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
      if (e.member === this.memberId) void this.#loadCredentials(e.member);
    }
  }

  #selectMember(ev: Event): void {
    this.memberId = (ev.target as HTMLSelectElement).value;
    this.confirming = null;
    this.revokeNote = null;
    if (this.memberId) void this.#loadCredentials(this.memberId);
    else this.credentials = null;
  }

  #door(): string {
    return this.doorId || (this.doors[0]?.id ?? '');
  }

  async #start(ev: Event): Promise<void> {
    ev.preventDefault();
    const door = this.#door();
    if (!this.memberId || !door || this.starting) return;
    this.starting = true;
    this.enrolNote = null;
    try {
      const e = await api.startEnrolment({ member: this.memberId, door });
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

  #what(c: CredentialView): string {
    const m = t().cards;
    return `${m.kind[c.kind]} …${c.tail}${c.label ? ` (${c.label})` : ''}`;
  }

  async #revoke(c: CredentialView): Promise<void> {
    this.confirming = null;
    try {
      const after = await api.revokeCredential(c.id);
      this.credentials = (this.credentials ?? []).map((x) => (x.id === after.id ? after : x));
      this.revokeNote = { ok: true, text: t().cards.revoked(this.#what(c)) };
    } catch (err) {
      this.revokeNote = { ok: false, text: errorText(err, { kind: 'revoke' }) };
    }
  }

  #failure(err: unknown, action: FailedAction, retry: () => void) {
    return html`<div role="alert">
      <p class="failed">${errorText(err, action)}</p>
      <button type="button" class="secondary" @click=${retry}>${t().app.tryAgain}</button>
    </div>`;
  }

  #note(note: Note, testid: string) {
    if (!note) return nothing;
    return html`<p class=${note.ok ? 'done' : 'failed'} role=${note.ok ? 'status' : 'alert'} data-testid=${testid}>${note.text}</p>`;
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
          <p data-testid="countdown">${m.secondsLeft(left)}</p>
          <button type="button" class="secondary" data-action="cancel-enrolment" @click=${() => void this.#cancel()}>${m.cancel}</button>`;
        break;
      }
      case 'bound':
        body = html`<p class="big done">${m.bound(e.credential?.tail ?? '', e.memberName)}</p>`;
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
    const m = t().cards;
    if (!this.memberId) return nothing;
    const name = this.members?.find((x) => x.id === this.memberId)?.name ?? this.memberId;
    let body;
    if (this.credentialsError) body = this.#failure(this.credentialsError, { kind: 'credentials' }, () => void this.#loadCredentials(this.memberId));
    else if (!this.credentials) body = html`<p class="muted">${m.loadingList}</p>`;
    else if (this.credentials.length === 0) body = html`<p class="muted">${m.listEmpty}</p>`;
    else
      body = html`<ul>
        ${this.credentials.map(
          (c) => html`<li data-credential=${c.id}>
            <span>${this.#what(c)} · <span class=${c.status === 'live' ? 'done' : 'muted'}>${m.status[c.status]}</span></span>
            ${c.status === 'revoked'
              ? nothing
              : this.confirming === c.id
                ? html`<span class="actions" role="group" aria-label=${m.revokeConfirm(this.#what(c))}>
                    <span>${m.revokeConfirm(this.#what(c))}</span>
                    <button type="button" data-action="revoke-yes" @click=${() => void this.#revoke(c)}>${m.revokeYes}</button>
                    <button type="button" class="secondary" data-action="revoke-no" @click=${() => (this.confirming = null)}>${m.revokeNo}</button>
                  </span>`
                : html`<button type="button" class="secondary" data-action="revoke" @click=${() => ((this.confirming = c.id), (this.revokeNote = null))}>${m.revoke}</button>`}
          </li>`,
        )}
      </ul>`;
    return html`<section class="panel" aria-labelledby="list-title">
      <h2 id="list-title">${m.listTitle(name)}</h2>
      ${body} ${this.#note(this.revokeNote, 'revoke-note')}
    </section>`;
  }

  override render() {
    const m = t().cards;
    const waiting = this.current() !== null && this.#status(this.current()!) === 'waiting';
    const door = this.#door();
    return html`
      <section class="panel" aria-labelledby="enrol-title">
        <h2 id="enrol-title">${m.enrolTitle}</h2>
        <p class="muted">${m.enrolText}</p>
        ${this.membersError
          ? this.#failure(this.membersError, { kind: 'members' }, () => void this.loadMembers())
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
            </form>`}
        ${this.#note(this.enrolNote, 'enrol-note')} ${this.#progress()}
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
