// Booking a meeting room or a desk on the phone (issue 16): pick the day, tap a free hour, confirm
// — three taps (the room too when there is more than one). Below, my bookings, each with cancel
// (after a confirm step) and, for a room, a guest pinkode to make and share. A host sees who booked
// each hour of the room's day and may cancel any of them; the rules (what, how far ahead, hours
// left) are the services' own (GET /api/bookable), and a refusal is said in words.
// The address chooses the room or desk and the day (/bookings?room=moedelokale&day=2025-06-03, as
// the floor plan links them) and follows the choice, so a reload or a shared link lands the same.
// A host (or operator) may book for a member: find them by name, then tap the hour and confirm.
import { LitElement, css, html, nothing } from 'lit';
import type { BookableView, BookingView, MemberView, Role } from '../../../contracts/api/index.ts';
import { addDays, isLocalDate, localDate, localDateTime } from '../../../contracts/local-time.ts';
import { api } from '../api.ts';
import { errorText } from '../error-words.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { baseStyles, buttonStyles, panelStyles, textStyles } from './shared-styles.ts';

/** The hours a day offers to book, as start hours (07:00–08:00 … 21:00–22:00). */
export const FIRST_HOUR = 7;
export const LAST_HOUR = 21;
/** Days shown in the picker when the plan sets no limit (hosts). */
const HOST_DAYS = 14;
/** Members offered at once when a host searches. */
const MEMBER_MATCHES = 6;
/** The screen's own path: the choice is written to the address only while it shows. */
const PATH = '/bookings';

interface Resource {
  kind: 'room' | 'desk';
  id: string;
  name: string;
}

interface Slot {
  from: string;
  to: string;
}

type Note = { ok: boolean; text: string } | null;

const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (dt: string) => dt.slice(11, 16);

export class BookingsPanel extends LitElement {
  static override properties = {
    timeZone: { attribute: 'time-zone' },
    role: {},
    bookable: { state: true },
    loadError: { state: true },
    resource: { state: true },
    day: { state: true },
    dayBookings: { state: true },
    mine: { state: true },
    pending: { state: true },
    busy: { state: true },
    note: { state: true },
    confirmCancel: { state: true },
    copied: { state: true },
    forMember: { state: true },
    memberQuery: { state: true },
    members: { state: true },
  };
  declare timeZone: string;
  declare role: Role;
  declare bookable: BookableView | null;
  declare loadError: unknown;
  declare resource: Resource | null;
  declare day: string;
  declare dayBookings: BookingView[] | null;
  declare mine: BookingView[];
  /** The hour tapped, waiting for the confirm. */
  declare pending: Slot | null;
  declare busy: boolean;
  declare note: Note;
  declare confirmCancel: number | null;
  declare copied: number | null;
  /** A host books for this member; null: for themself. */
  declare forMember: { id: string; name: string } | null;
  declare memberQuery: string;
  /** Active members (fetched when a host first searches). */
  declare members: MemberView[] | null;

  /** The clock (replaceable in tests). */
  now: () => number = () => Date.now();

  static override styles = [
    baseStyles,
    buttonStyles,
    panelStyles,
    textStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 1rem;
        min-width: 0; /* the day and room rows scroll sideways instead of widening the page */
      }
      .chips {
        display: flex;
        gap: 0.4rem;
        overflow-x: auto;
        padding-bottom: 0.25rem;
        margin-bottom: 0.75rem;
      }
      .chips button {
        flex: none;
        min-height: 2.75rem;
      }
      .chips button[aria-pressed='true'] {
        background: var(--ss-ink, #1d2430);
        color: var(--ss-paper, #fff);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .slots {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(6.5rem, 1fr));
        gap: 0.4rem;
      }
      .slots button {
        width: 100%;
        min-height: 3rem;
        display: grid;
        text-align: center;
        padding: 0.3rem;
      }
      .slots button[data-state='busy'],
      .slots button[data-state='past'] {
        background: var(--ss-line, #dedbd2);
        color: var(--ss-muted, #4a525c);
        border-color: var(--ss-line, #dedbd2);
      }
      .slots small {
        font-size: 0.8rem;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .confirm {
        border: 2px solid var(--ss-ink, #1d2430);
        border-radius: 0.5rem;
        padding: 0.75rem;
        margin-top: 0.75rem;
      }
      .confirm.danger {
        border-color: var(--ss-open, #a1260d);
        background: var(--ss-open-tint, #fbeae6);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      button.danger {
        background: var(--ss-open, #a1260d);
        border-color: var(--ss-open, #a1260d);
      }
      li.booking {
        padding: 0.6rem 0;
        border-top: 1px solid var(--ss-line, #dedbd2);
        display: grid;
        gap: 0.4rem;
      }
      .pin {
        font-size: 1.5rem;
        font-weight: 700;
        letter-spacing: 0.15em;
        font-variant-numeric: tabular-nums;
      }
      .note {
        margin: 0.75rem 0 0;
      }
      .whom {
        display: grid;
        gap: 0.4rem;
        margin-bottom: 0.75rem;
      }
      .whom p {
        margin: 0;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
      }
      .whom input {
        min-height: 2.75rem;
        font: inherit;
        padding: 0 0.6rem;
      }
      .matches {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
      }
      .matches button {
        min-height: 2.75rem;
      }
    `,
  ];

  #loaded = false;

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.timeZone = 'UTC';
    this.role = 'member';
    this.bookable = null;
    this.loadError = null;
    this.resource = null;
    this.day = '';
    this.dayBookings = null;
    this.mine = [];
    this.pending = null;
    this.busy = false;
    this.note = null;
    this.confirmCancel = null;
    this.copied = null;
    this.forMember = null;
    this.memberQuery = '';
    this.members = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#loaded) void this.load();
  }

  get #host(): boolean {
    return this.role !== 'member';
  }

  get #today(): string {
    return localDate(this.now(), this.timeZone);
  }

  async load(): Promise<void> {
    this.#loaded = true;
    this.loadError = null;
    try {
      const [bookable, mine] = await Promise.all([api.bookable(), api.myBookings()]);
      this.bookable = bookable;
      this.mine = mine;
      this.#fromAddress();
      if (!this.day) this.day = this.#today;
      const first = this.#resources()[0] ?? null;
      if (!this.resource || !this.#resources().some((r) => r.id === this.resource?.id)) this.resource = first;
      this.#toAddress();
      await this.#loadDay();
    } catch (err) {
      this.loadError = err;
    }
  }

  #resources(): Resource[] {
    const b = this.bookable;
    if (!b) return [];
    return [
      ...b.rooms.map((r) => ({ kind: 'room' as const, id: r.id, name: r.name })),
      ...b.desks.map((d) => ({ kind: 'desk' as const, id: d.id, name: d.name })),
    ];
  }

  /** The room or desk and the day the address asks for (once, at the first load). */
  #fromAddress(): void {
    if (this.resource || location.pathname !== PATH) return;
    const q = new URLSearchParams(location.search);
    const id = q.get('room') ?? q.get('desk');
    const kind = q.has('room') ? 'room' : 'desk';
    if (id !== null) {
      const found = this.#resources().find((r) => r.id === id && r.kind === kind);
      if (found) this.resource = found;
      else this.note = { ok: false, text: t().bookings.unknownPick };
    }
    const day = q.get('day');
    if (day !== null && isLocalDate(day) && this.#days().includes(day)) this.day = day;
  }

  /** The choice, in the address (replacing it: the back button leaves the screen). */
  #toAddress(): void {
    if (location.pathname !== PATH || !this.resource) return;
    const q = new URLSearchParams({ [this.resource.kind]: this.resource.id, day: this.day });
    const next = `${PATH}?${q.toString()}`;
    if (location.pathname + location.search !== next) history.replaceState(history.state, '', next);
  }

  async #loadDay(): Promise<void> {
    this.dayBookings = null;
    if (!this.resource) return;
    const [day, resource] = [this.day, this.resource.id];
    const list = await api.bookings(day, resource);
    if (day === this.day && resource === this.resource?.id) this.dayBookings = list;
  }

  #pick(changes: { resource?: Resource; day?: string }): void {
    if (changes.resource) this.resource = changes.resource;
    if (changes.day) this.day = changes.day;
    this.#toAddress();
    this.pending = null;
    this.note = null;
    this.#loadDay().catch((err: unknown) => (this.note = { ok: false, text: errorText(err, { kind: 'bookings' }) }));
  }

  /** The picker's days: today up to the plan's limit (or two weeks for a host). */
  #days(): string[] {
    const ahead = this.bookable?.aheadDays ?? HOST_DAYS;
    const n = Math.max(1, Math.min(ahead, HOST_DAYS));
    return Array.from({ length: n }, (_, i) => addDays(this.#today, i));
  }

  #dayName(day: string): string {
    const m = t().bookings;
    if (day === this.#today) return m.today;
    if (day === addDays(this.#today, 1)) return m.tomorrow;
    const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
    return new Intl.DateTimeFormat(locale.tag, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(Date.UTC(y, mo - 1, d));
  }

  #slots(): Slot[] {
    const out: Slot[] = [];
    for (let h = FIRST_HOUR; h <= LAST_HOUR; h++) out.push({ from: `${this.day}T${pad(h)}:00`, to: `${this.day}T${pad(h + 1)}:00` });
    return out;
  }

  async #book(): Promise<void> {
    const slot = this.pending;
    const res = this.resource;
    if (!slot || !res) return;
    const m = t().bookings;
    this.busy = true;
    this.note = null;
    const body = { kind: res.kind, resource: res.id, from: slot.from, to: slot.to };
    const forMember = this.#host ? this.forMember : null;
    try {
      if (forMember) await api.bookFor(forMember.id, body);
      else await api.book(body);
      const when = [res.name, this.#dayName(this.day), hhmm(slot.from), hhmm(slot.to)] as const;
      this.note = { ok: true, text: forMember ? m.bookedFor(forMember.name, ...when) : m.booked(...when) };
      this.pending = null;
      await this.#refresh();
    } catch (err) {
      this.note = { ok: false, text: errorText(err, { kind: 'book' }) };
      this.pending = null;
      await this.#refresh().catch(() => {}); // someone else may have taken the hour: show it busy
    } finally {
      this.busy = false;
    }
  }

  async #refresh(): Promise<void> {
    const [bookable, mine] = await Promise.all([api.bookable(), api.myBookings()]);
    this.bookable = bookable;
    this.mine = mine;
    await this.#loadDay();
  }

  async #cancel(id: number): Promise<void> {
    this.busy = true;
    this.note = null;
    try {
      await api.cancelBooking(id);
      this.note = { ok: true, text: t().bookings.cancelled };
      await this.#refresh();
    } catch (err) {
      this.note = { ok: false, text: errorText(err, { kind: 'cancelBooking' }) };
    } finally {
      this.confirmCancel = null;
      this.busy = false;
    }
  }

  async #makePin(id: number): Promise<void> {
    this.busy = true;
    this.note = null;
    try {
      const b = await api.bookingPin(id);
      this.mine = this.mine.map((x) => (x.id === b.id ? b : x));
    } catch (err) {
      this.note = { ok: false, text: errorText(err, { kind: 'guestPin' }) };
    } finally {
      this.busy = false;
    }
  }

  async #copy(b: BookingView): Promise<void> {
    if (!b.pin) return;
    try {
      await navigator.clipboard.writeText(b.pin);
      this.copied = b.id;
    } catch {
      // No clipboard (an old browser, or not allowed): the pinkode is on screen to copy by hand.
    }
  }

  #when(b: BookingView): string {
    return `${this.#dayName(b.from.slice(0, 10))} ${hhmm(b.from)}–${hhmm(b.to)}`;
  }

  #cancelControls(b: BookingView, where: 'mine' | 'day') {
    const m = t().bookings;
    if (this.confirmCancel !== b.id) {
      return html`<div class="actions">
        <button type="button" class="secondary" data-action="cancel-booking" @click=${() => (this.confirmCancel = b.id)}>${m.cancelBooking}</button>
      </div>`;
    }
    return html`<div class="confirm danger" role="alertdialog" aria-labelledby="cancel-q-${where}-${b.id}" data-testid="cancel-confirm">
      <p id="cancel-q-${where}-${b.id}"><strong>${m.cancelConfirm}</strong></p>
      <div class="actions">
        <button type="button" class="danger" data-action="cancel-yes" ?disabled=${this.busy} @click=${() => void this.#cancel(b.id)}>${m.cancelYes}</button>
        <button type="button" class="secondary" data-action="cancel-keep" @click=${() => (this.confirmCancel = null)}>${m.keep}</button>
      </div>
    </div>`;
  }

  #mineItem(b: BookingView) {
    const m = t().bookings;
    return html`<li class="booking" data-booking=${b.id}>
      <span><strong>${b.resourceName}</strong> ${this.#when(b)}</span>
      ${
        b.kind === 'room'
          ? b.pin
            ? html`<div data-testid="guest-pin">
                <span class="muted">${m.guestPin}</span>
                <div class="actions">
                  <span class="pin">${b.pin}</span>
                  <button type="button" class="secondary" data-action="copy-pin" @click=${() => void this.#copy(b)}>
                    ${this.copied === b.id ? m.copied : m.copy}
                  </button>
                </div>
                <p class="muted">${m.pinText}</p>
              </div>`
            : html`<div class="actions">
                <button type="button" class="secondary" data-action="make-pin" ?disabled=${this.busy} @click=${() => void this.#makePin(b.id)}>
                  ${m.makePin}
                </button>
              </div>`
          : nothing
      }
      ${this.#cancelControls(b, 'mine')}
    </li>`;
  }

  #slotButton(slot: Slot, bookings: BookingView[]) {
    const m = t().bookings;
    const taken = bookings.find((b) => b.from < slot.to && b.to > slot.from);
    const nowLocal = localDateTime(this.now(), this.timeZone);
    const state = taken ? 'busy' : slot.to <= nowLocal ? 'past' : 'free';
    const label = state === 'busy' ? (this.#host && taken?.memberName ? m.busyBy(taken.memberName) : m.busy) : state === 'past' ? m.past : m.free;
    return html`<li>
      <button
        type="button"
        class=${state === 'free' ? '' : 'secondary'}
        data-slot=${hhmm(slot.from)}
        data-state=${state}
        ?disabled=${state !== 'free' || this.busy}
        aria-pressed=${this.pending?.from === slot.from ? 'true' : 'false'}
        @click=${() => ((this.pending = slot), (this.note = null))}
      >
        <span>${hhmm(slot.from)}–${hhmm(slot.to)}</span> <small>${label}</small>
      </button>
    </li>`;
  }

  #picker() {
    const m = t().bookings;
    const res = this.resource;
    const resources = this.#resources();
    const b = this.bookable!;
    return html`<section class="panel" aria-labelledby="book-title">
      <h2 id="book-title">${m.title}</h2>
      ${b.hoursLeft !== null ? html`<p class="muted" data-testid="hours-left">${m.hoursLeft(Math.round(b.hoursLeft * 10) / 10)}</p>` : nothing}
      ${
        resources.length > 1
          ? html`<div class="chips" role="group" aria-label=${`${m.rooms} / ${m.desks}`}>
              ${resources.map(
                (r) =>
                  html`<button
                    type="button"
                    class="secondary"
                    data-resource=${r.id}
                    aria-pressed=${r.id === res?.id ? 'true' : 'false'}
                    @click=${() => this.#pick({ resource: r })}
                  >
                    ${r.name}
                  </button>`,
              )}
            </div>`
          : nothing
      }
      <div class="chips" role="group" aria-label=${m.day}>
        ${this.#days().map(
          (d) =>
            html`<button type="button" class="secondary" data-day=${d} aria-pressed=${d === this.day ? 'true' : 'false'} @click=${() => this.#pick({ day: d })}>
              ${this.#dayName(d)}
            </button>`,
        )}
      </div>
      ${this.#host ? this.#whom() : nothing} ${res ? html`<h3>${m.slotsOf(res.name, this.#dayName(this.day))}</h3>` : nothing}
      ${
        this.dayBookings === null
          ? html`<p class="muted">${m.loading}</p>`
          : html`<ul class="slots" data-testid="slots">
              ${this.#slots().map((s) => this.#slotButton(s, this.dayBookings!))}
            </ul>`
      }
      ${
        this.pending && res
          ? html`<div class="confirm" role="alertdialog" aria-labelledby="book-q" data-testid="book-confirm">
              <p id="book-q"><strong>${this.#confirmText(res, this.pending)}</strong></p>
              <div class="actions">
                <button type="button" data-action="book" ?disabled=${this.busy} @click=${() => void this.#book()}>${this.busy ? m.booking : m.book}</button>
                <button type="button" class="secondary" data-action="book-cancel" @click=${() => (this.pending = null)}>${m.cancel}</button>
              </div>
            </div>`
          : nothing
      }
      ${this.note ? html`<p class="note ${this.note.ok ? 'done' : 'failed'}" role=${this.note.ok ? 'status' : 'alert'} data-testid="note">${this.note.text}</p>` : nothing}
    </section>`;
  }

  #confirmText(res: Resource, slot: Slot): string {
    const m = t().bookings;
    const when = [res.name, this.#dayName(this.day), hhmm(slot.from), hhmm(slot.to)] as const;
    return this.#host && this.forMember ? m.confirmFor(...when, this.forMember.name) : m.confirm(...when);
  }

  async #findMember(query: string): Promise<void> {
    this.memberQuery = query;
    if (this.members || !query.trim()) return;
    try {
      this.members = (await api.members()).items;
    } catch (err) {
      this.note = { ok: false, text: errorText(err, { kind: 'members' }) };
    }
  }

  #matches(): MemberView[] {
    const q = this.memberQuery.trim().toLocaleLowerCase(locale.tag);
    if (!q || !this.members) return [];
    return this.members.filter((x) => x.name.toLocaleLowerCase(locale.tag).includes(q) || (x.email ?? '').toLowerCase().includes(q)).slice(0, MEMBER_MATCHES);
  }

  /** A host's choice of whom the booking is for: themself, or a member found by name. */
  #whom() {
    const m = t().bookings;
    const matches = this.#matches();
    return html`<div class="whom" data-testid="for-whom">
      <p>
        ${m.forWhom}: <strong data-testid="for-member">${this.forMember?.name ?? m.forMe}</strong>
        ${
          this.forMember
            ? html`<button type="button" class="secondary" data-action="for-me" @click=${() => ((this.forMember = null), (this.pending = null))}>
                ${m.forMe}
              </button>`
            : nothing
        }
      </p>
      <label for="member-find" class="muted">${m.findMember}</label>
      <input
        id="member-find"
        type="search"
        autocomplete="off"
        .value=${this.memberQuery}
        @input=${(ev: Event) => void this.#findMember((ev.target as HTMLInputElement).value)}
      />
      ${
        this.memberQuery.trim() && this.members
          ? matches.length === 0
            ? html`<p class="muted">${m.noMatch}</p>`
            : html`<ul class="matches">
                ${matches.map(
                  (x) =>
                    html`<li>
                      <button
                        type="button"
                        class="secondary"
                        data-member=${x.id}
                        @click=${() => ((this.forMember = { id: x.id, name: x.name }), (this.memberQuery = ''), (this.note = null))}
                      >
                        ${x.name}
                      </button>
                    </li>`,
                )}
              </ul>`
          : nothing
      }
    </div>`;
  }

  /** A host's view of the room's day: who booked when, each cancellable. */
  #day() {
    const m = t().bookings;
    const list = this.dayBookings ?? [];
    return html`<section class="panel" aria-labelledby="day-title" data-testid="day">
      <h2 id="day-title">${m.dayTitle(this.resource!.name)}</h2>
      ${
        list.length === 0
          ? html`<p class="muted">${m.noneDay}</p>`
          : html`<ul>
              ${list.map(
                (b) =>
                  html`<li class="booking" data-booking=${b.id}>
                    <span><strong>${hhmm(b.from)}–${hhmm(b.to)}</strong> ${b.memberName ?? ''}</span>
                    ${this.#cancelControls(b, 'day')}
                  </li>`,
              )}
            </ul>`
      }
    </section>`;
  }

  override render() {
    const m = t().bookings;
    if (this.loadError) {
      return html`<div role="alert">
        <p class="failed">${errorText(this.loadError, { kind: 'bookings' })}</p>
        <button type="button" class="secondary" @click=${() => void this.load()}>${t().app.tryAgain}</button>
      </div>`;
    }
    if (!this.bookable) return html`<p class="muted">${m.loading}</p>`;
    return html`
      ${this.resource ? this.#picker() : html`<p data-testid="nothing">${m.nothing}</p>`}
      ${this.#host && this.resource && this.dayBookings ? this.#day() : nothing}
      <section class="panel" aria-labelledby="mine-title" data-testid="mine">
        <h2 id="mine-title">${m.mineTitle}</h2>
        ${
          this.mine.length === 0
            ? html`<p class="muted">${m.noneMine}</p>`
            : html`<ul>
                ${this.mine.map((b) => this.#mineItem(b))}
              </ul>`
        }
      </section>
    `;
  }
}

customElements.define('ss-bookings', BookingsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ss-bookings': BookingsPanel;
  }
}
