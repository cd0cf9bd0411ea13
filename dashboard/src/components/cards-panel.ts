// Cards, for hosts and operators: enrol a card at a reader (pick the member and the reader — no
// default, the host names the one they stand at — start, watch the 60 s countdown until a tap
// there arrives on the live stream as an `enrolment` message, check the card shown (the last 6
// hex digits of its fingerprint and the time of the tap; every different card tapped there is
// listed) and confirm it: only then is it bound. Cancel or running out binds nothing; a bound
// card can be undone right here. The countdown runs on this device's clock from the moment the
// start was accepted, for the length the server gave (expiresAt - startedAt, which grows once
// when the first card is tapped), so a skewed clock cannot cut it short or stretch it. Also: see
// and revoke a member's cards and PINs. "Replace" on a live card starts the same enrolment with
// `replaces`: the services revoke the old card when the new one is confirmed, and the reloaded
// list shows both.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { CredentialView, DoorView, EnrolmentView, MemberView, Role } from '../../../contracts/api/index.ts';
import { mayManage } from '../manage-api.ts';
import { api } from '../api.ts';
import { errorText } from '../error-words.ts';
import { timeFormats } from '../time-format.ts';
import { locale, LocaleController, t } from '../words/locale.ts';
import { cardTailOf, cardsIntent, CredentialList, credentialListStyles, credentialWords } from './credential-list.ts';
import { loadFailed, noteLine, type Note } from './notes.ts';
import { baseStyles, buttonStyles, fieldStyles, panelStyles, textStyles } from './shared-styles.ts';

export class CardsPanel extends LitElement {
  static override properties = {
    doors: { attribute: false },
    enrolments: { attribute: false },
    role: {},
    meId: { attribute: 'me' },
    timeZone: { attribute: 'time-zone' },
    members: { state: true },
    membersError: { state: true },
    memberId: { state: true },
    doorId: { state: true },
    enrolment: { state: true },
    starting: { state: true },
    acting: { state: true },
    enrolNote: { state: true },
    now: { state: true },
    replacing: { state: true },
    cardLabel: { state: true },
  };
  /** The host's name for the card being enrolled, sent on confirming. */
  declare cardLabel: string;
  declare doors: readonly DoorView[];
  /** Enrolment progress from the live stream (store.ts). */
  declare enrolments: readonly EnrolmentView[];
  /** The viewer: a host is offered only the members whose cards a host may change. */
  declare role: Role;
  declare meId: string;
  /** The site's zone: the time of a tap is shown in it. */
  declare timeZone: string;
  /** null while loading. */
  declare members: MemberView[] | null;
  declare membersError: unknown;
  declare memberId: string;
  declare doorId: string;
  /** The enrolment started here, as the start answered it. */
  declare enrolment: EnrolmentView | null;
  declare starting: boolean;
  /** A confirm or undo is on its way. */
  declare acting: boolean;
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
      .candidates {
        list-style: none;
        margin: 0 0 0.75rem;
        padding: 0;
        display: grid;
        gap: 0.5rem;
      }
      .candidates li {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        justify-content: space-between;
      }
      .candidates span {
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  #timer: ReturnType<typeof setInterval> | null = null;
  /** Local time the start was accepted: the countdown runs from it (see the file comment). */
  #localStart = 0;
  /** `id:status` of the bound or undone enrolment whose card list was reloaded. */
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
    this.timeZone = 'Europe/Copenhagen';
    this.members = null;
    this.membersError = null;
    this.memberId = '';
    this.doorId = '';
    this.enrolment = null;
    this.cardLabel = '';
    this.starting = false;
    this.acting = false;
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
    if (this.#waiting()) this.#tick();
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

  /**
   * The enrolment started here, with the latest word on it: from the live stream, unless an
   * answer here (confirm, cancel, undo) is further along than the stream has told yet.
   */
  current(): EnrolmentView | null {
    const mine = this.enrolment;
    if (!mine) return null;
    const heard = this.enrolments.find((e) => e.id === mine.id);
    return heard && STAGE[heard.status] >= STAGE[mine.status] ? heard : mine;
  }

  /** Local time the enrolment ends. */
  #deadline(e: EnrolmentView): number {
    return this.#localStart + Math.max(0, e.expiresAt - e.startedAt);
  }

  /** Its status as shown: still open once the time is up means it ran out. */
  #status(e: EnrolmentView): EnrolmentView['status'] {
    return (e.status === 'waiting' || e.status === 'tapped') && this.now >= this.#deadline(e) ? 'expired' : e.status;
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
    if (status !== 'waiting' && status !== 'tapped') this.#stopTimer();
    const key = `${e.id}:${status}`;
    if ((status === 'bound' || status === 'undone') && this.#reloadedFor !== key && (changed.has('enrolments') || changed.has('enrolment'))) {
      this.#reloadedFor = key;
      if (e.member === this.memberId) void this.list.load(e.member);
    }
  }

  #selectMember(ev: Event): void {
    this.memberId = (ev.target as HTMLSelectElement).value;
    void this.list.load(this.memberId);
  }

  /** The reader chosen: none until the host picks one (they must stand at it). */
  #door(): string {
    return this.doors.some((d) => d.id === this.doorId) ? this.doorId : '';
  }

  /** Starts an enrolment at the chosen door; with `replaces`, the new card replaces that one. */
  async #start(ev: Event | null, replaces: CredentialView | null = null): Promise<void> {
    ev?.preventDefault();
    const door = this.#door();
    if (!this.memberId || !door || this.starting || this.#waiting()) return;
    this.starting = true;
    this.enrolNote = null;
    this.cardLabel = '';
    try {
      const e = await api.startEnrolment(replaces ? { member: this.memberId, door, replaces: replaces.id } : { member: this.memberId, door });
      this.replacing = replaces;
      this.#localStart = Date.now();
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

  /** Binds the chosen card: the one step that adds it. */
  async #confirm(candidate: string): Promise<void> {
    const e = this.current();
    if (!e || this.acting) return;
    this.acting = true;
    this.enrolNote = null;
    try {
      this.enrolment = await api.confirmEnrolment(e.id, candidate, this.cardLabel.trim() || undefined);
      this.cardLabel = '';
    } catch (err) {
      this.enrolNote = { ok: false, text: errorText(err, { kind: 'confirmEnrol' }) };
    } finally {
      this.acting = false;
    }
  }

  async #undo(): Promise<void> {
    const e = this.current();
    if (!e || this.acting) return;
    this.acting = true;
    this.enrolNote = null;
    try {
      this.enrolment = await api.undoEnrolment(e.id);
    } catch (err) {
      this.enrolNote = { ok: false, text: errorText(err, { kind: 'undoEnrol' }) };
    } finally {
      this.acting = false;
    }
  }

  /** Open: waiting for a tap, or for the host to confirm one. */
  #waiting(): boolean {
    const e = this.current();
    const status = e && this.#status(e);
    return status === 'waiting' || status === 'tapped';
  }

  #progress() {
    const e = this.current();
    if (!e) return nothing;
    const m = t().cards;
    const status = this.#status(e);
    const doorName = this.doors.find((d) => d.id === e.door)?.name ?? e.door;
    let body;
    const left = Math.max(0, Math.ceil((this.#deadline(e) - this.now) / 1000));
    const replacing = this.replacing ? html`<p data-testid="replacing">${m.replacing(credentialWords(this.replacing))}</p>` : nothing;
    const cancel = html`<button type="button" class="secondary" data-action="cancel-enrolment" @click=${() => void this.#cancel()}>${m.cancel}</button>`;
    switch (status) {
      case 'waiting':
        body = html`<p class="big">${m.waiting(doorName)}</p>
          ${replacing}
          <p data-testid="countdown">${m.secondsLeft(left)}</p>
          ${cancel}`;
        break;
      case 'tapped': {
        const time = timeFormats(locale.tag, this.timeZone).clockSeconds;
        body = html`<p class="big">${m.tapped(doorName)}</p>
          <p>${m.checkCard}</p>
          ${e.candidates.length > 1 ? html`<p class="failed" data-testid="several">${m.severalCards}</p>` : nothing}
          <label
            >${m.cardLabel}
            <input
              data-field="card-label"
              maxlength="100"
              placeholder=${m.cardLabelHint}
              .value=${this.cardLabel}
              @input=${(ev: Event) => (this.cardLabel = (ev.target as HTMLInputElement).value)}
          /></label>
          <ul class="candidates">
            ${e.candidates.map(
              (c) =>
                html`<li data-candidate=${c.id}>
                  <span>${m.candidate(cardTailOf(c), time(c.at))}</span>
                  <button
                    type="button"
                    data-action="confirm-enrolment"
                    aria-label=${m.confirmLabel(cardTailOf(c))}
                    ?disabled=${this.acting}
                    @click=${() => void this.#confirm(c.id)}
                  >
                    ${this.acting ? m.confirming : m.confirm}
                  </button>
                </li>`,
            )}
          </ul>
          ${replacing}
          <p data-testid="countdown">${m.secondsLeft(left)}</p>
          ${cancel}`;
        break;
      }
      case 'bound': {
        const tail = e.credential ? cardTailOf(e.credential) : '';
        body = html`<p class="big done">${this.replacing ? m.replaced(cardTailOf(this.replacing), tail, e.memberName) : m.bound(tail, e.memberName)}</p>
          <button
            type="button"
            class="secondary"
            data-action="undo-enrolment"
            aria-label=${m.undoLabel(tail)}
            ?disabled=${this.acting}
            @click=${() => void this.#undo()}
          >
            ${m.undo}
          </button>`;
        break;
      }
      case 'undone':
        body = html`<p class="big">${m.undone(e.credential ? cardTailOf(e.credential) : '', e.memberName)}</p>
          ${this.replacing ? html`<p>${m.undoneReplaced(cardTailOf(this.replacing))}</p>` : nothing}`;
        break;
      case 'expired':
        body = html`<p class="failed">${e.candidates.length ? m.notConfirmed : m.expired}</p>`;
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
                  <select data-field="door" required ?disabled=${waiting} @change=${(ev: Event) => (this.doorId = (ev.target as HTMLSelectElement).value)}>
                    <option value="" ?selected=${!door}>${m.chooseDoor}</option>
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

/** How far along an enrolment is: a later word never gives way to an earlier one. */
const STAGE: Record<EnrolmentView['status'], number> = { waiting: 0, tapped: 1, bound: 2, expired: 2, cancelled: 2, failed: 2, undone: 3 };

customElements.define('ss-cards', CardsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-cards': CardsPanel;
  }
}
