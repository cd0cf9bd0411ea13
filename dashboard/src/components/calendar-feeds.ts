// »Kalender« on the bookings screen (issue 16): a member makes a secret calendar address for their
// own bookings (iCalendar, served by GET /api/calendar/:token), sees it once — the services keep
// only a hash of it — to copy or to add to the phone's calendar (webcal:), lists their addresses
// and revokes one. A host (or operator) can do the same for each room.
import { LitElement, css, html, nothing } from 'lit';
import type { BookableView, CalendarFeedView, Role } from '../../../contracts/api/index.ts';
import { api } from '../api.ts';
import { errorText } from '../error-words.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { baseStyles, buttonStyles, panelStyles, textStyles } from './shared-styles.ts';

type Note = { ok: boolean; text: string } | null;

/** The address a feed's path (relative to the dashboard) is at: https (or http) and webcal. */
export function feedAddresses(path: string, origin: string): { https: string; webcal: string } {
  const https = new URL(path, origin).href;
  return { https, webcal: https.replace(/^https?:/, 'webcal:') };
}

export class CalendarFeeds extends LitElement {
  static override properties = {
    timeZone: { attribute: 'time-zone' },
    role: {},
    feeds: { state: true },
    rooms: { state: true },
    loadError: { state: true },
    fresh: { state: true },
    busy: { state: true },
    note: { state: true },
    confirmRevoke: { state: true },
    copied: { state: true },
  };
  declare timeZone: string;
  declare role: Role;
  declare feeds: CalendarFeedView[] | null;
  /** Rooms a host may make an address for. */
  declare rooms: BookableView['rooms'];
  declare loadError: unknown;
  /** The feed just made, with its address: shown this once. */
  declare fresh: CalendarFeedView | null;
  declare busy: boolean;
  declare note: Note;
  declare confirmRevoke: number | null;
  declare copied: boolean;

  static override styles = [
    baseStyles,
    buttonStyles,
    panelStyles,
    textStyles,
    css`
      :host {
        display: block;
        min-width: 0;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li.feed {
        padding: 0.6rem 0;
        border-top: 1px solid var(--ss-line, #dedbd2);
        display: grid;
        gap: 0.4rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin: 0.5rem 0;
      }
      .actions a {
        display: inline-flex;
        align-items: center;
        min-height: 2.75rem;
        padding: 0 0.9rem;
        border-radius: 0.5rem;
        background: var(--ss-ink, #1d2430);
        color: var(--ss-paper, #fff);
        font-weight: 700;
        text-decoration: none;
      }
      .fresh {
        border: 2px solid var(--ss-ink, #1d2430);
        border-radius: 0.5rem;
        padding: 0.75rem;
        margin: 0.75rem 0;
      }
      .fresh code {
        display: block;
        overflow-wrap: anywhere;
        font-size: 0.9rem;
        padding: 0.5rem;
        background: var(--ss-floor, #faf8f3);
        border-radius: 0.3rem;
      }
      .confirm {
        border: 2px solid var(--ss-open, #a1260d);
        background: var(--ss-open-tint, #fbeae6);
        border-radius: 0.5rem;
        padding: 0.75rem;
      }
      button.danger {
        background: var(--ss-open, #a1260d);
        border-color: var(--ss-open, #a1260d);
      }
      p {
        margin: 0 0 0.5rem;
      }
    `,
  ];

  #loaded = false;

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.timeZone = 'UTC';
    this.role = 'member';
    this.feeds = null;
    this.rooms = [];
    this.loadError = null;
    this.fresh = null;
    this.busy = false;
    this.note = null;
    this.confirmRevoke = null;
    this.copied = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#loaded) void this.load();
  }

  get #host(): boolean {
    return this.role !== 'member';
  }

  async load(): Promise<void> {
    this.#loaded = true;
    this.loadError = null;
    try {
      const [feeds, bookable] = await Promise.all([api.calendarFeeds(), this.#host ? api.bookable() : null]);
      this.feeds = feeds;
      this.rooms = bookable?.rooms ?? [];
    } catch (err) {
      this.loadError = err;
    }
  }

  #roomName(id: string | null): string {
    const m = t().calendar;
    return id === null ? m.mine : m.room(this.rooms.find((r) => r.id === id)?.name ?? id);
  }

  async #make(room?: string): Promise<void> {
    this.busy = true;
    this.note = null;
    this.copied = false;
    try {
      const feed = await api.addCalendarFeed(room);
      this.fresh = feed;
      this.feeds = [...(this.feeds ?? []), { ...feed, url: null }];
    } catch (err) {
      this.note = { ok: false, text: errorText(err, { kind: 'makeFeed' }) };
    } finally {
      this.busy = false;
    }
  }

  async #revoke(id: number): Promise<void> {
    this.busy = true;
    this.note = null;
    try {
      await api.revokeCalendarFeed(id);
      this.feeds = (this.feeds ?? []).filter((f) => f.id !== id);
      if (this.fresh?.id === id) this.fresh = null;
      this.note = { ok: true, text: t().calendar.revoked };
    } catch (err) {
      this.note = { ok: false, text: errorText(err, { kind: 'revokeFeed' }) };
    } finally {
      this.confirmRevoke = null;
      this.busy = false;
    }
  }

  async #copy(address: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(address);
      this.copied = true;
    } catch {
      // No clipboard (an old browser, or not allowed): the address is on screen to copy by hand.
    }
  }

  #made(ms: number): string {
    return new Intl.DateTimeFormat(locale.tag, { day: 'numeric', month: 'short', year: 'numeric', timeZone: this.timeZone }).format(ms);
  }

  #freshBox(feed: CalendarFeedView) {
    const m = t().calendar;
    const { https, webcal } = feedAddresses(feed.url!, location.origin);
    return html`<div class="fresh" role="status" data-testid="feed-fresh">
      <p><strong>${m.onceTitle}: ${this.#roomName(feed.room)}</strong></p>
      <code data-testid="feed-url">${https}</code>
      <div class="actions">
        <a href=${webcal} data-action="subscribe">${m.subscribe}</a>
        <button type="button" class="secondary" data-action="copy-feed" @click=${() => void this.#copy(https)}>${this.copied ? m.copied : m.copy}</button>
      </div>
      <p class="muted">${m.once}</p>
      <button type="button" class="secondary" data-action="feed-done" @click=${() => (this.fresh = null)}>${m.done}</button>
    </div>`;
  }

  #item(f: CalendarFeedView) {
    const m = t().calendar;
    return html`<li class="feed" data-feed=${f.id}>
      <span><strong>${this.#roomName(f.room)}</strong> <span class="muted">${m.made(this.#made(f.createdAt))}</span></span>
      ${
        this.confirmRevoke === f.id
          ? html`<div class="confirm" role="alertdialog" aria-labelledby="revoke-q-${f.id}">
              <p id="revoke-q-${f.id}"><strong>${m.revokeConfirm}</strong></p>
              <div class="actions">
                <button type="button" class="danger" data-action="revoke-yes" ?disabled=${this.busy} @click=${() => void this.#revoke(f.id)}>
                  ${m.revokeYes}
                </button>
                <button type="button" class="secondary" data-action="revoke-keep" @click=${() => (this.confirmRevoke = null)}>${m.keep}</button>
              </div>
            </div>`
          : html`<div class="actions">
              <button type="button" class="secondary" data-action="revoke-feed" @click=${() => (this.confirmRevoke = f.id)}>${m.revoke}</button>
            </div>`
      }
    </li>`;
  }

  override render() {
    const m = t().calendar;
    return html`<section class="panel" aria-labelledby="calendar-title" data-testid="calendar">
      <h2 id="calendar-title">${m.title}</h2>
      <p>${m.what}</p>
      ${
        this.loadError
          ? html`<div role="alert">
              <p class="failed">${errorText(this.loadError, { kind: 'calendar' })}</p>
              <button type="button" class="secondary" @click=${() => void this.load()}>${t().app.tryAgain}</button>
            </div>`
          : this.feeds === null
            ? html`<p class="muted">${m.loading}</p>`
            : html`
                <div class="actions">
                  <button type="button" data-action="make-feed" ?disabled=${this.busy} @click=${() => void this.#make()}>${m.makeMine}</button>
                </div>
                ${
                  this.#host && this.rooms.length > 0
                    ? html`<p class="muted">${m.roomWhat}</p>
                        <div class="actions">
                          ${this.rooms.map(
                            (r) =>
                              html`<button
                                type="button"
                                class="secondary"
                                data-action="make-room-feed"
                                data-room=${r.id}
                                ?disabled=${this.busy}
                                @click=${() => void this.#make(r.id)}
                              >
                                ${m.makeRoom(r.name)}
                              </button>`,
                          )}
                        </div>`
                    : nothing
                }
                ${this.fresh?.url ? this.#freshBox(this.fresh) : nothing}
                ${this.note ? html`<p class="${this.note.ok ? 'done' : 'failed'}" role=${this.note.ok ? 'status' : 'alert'} data-testid="feed-note">${this.note.text}</p>` : nothing}
                <h3>${m.listTitle}</h3>
                ${
                  this.feeds.length === 0
                    ? html`<p class="muted">${m.none}</p>`
                    : html`<ul data-testid="feeds">
                        ${this.feeds.map((f) => this.#item(f))}
                      </ul>`
                }
              `
      }
    </section>`;
  }
}

customElements.define('ss-calendar-feeds', CalendarFeeds);

declare global {
  interface HTMLElementTagNameMap {
    'ss-calendar-feeds': CalendarFeeds;
  }
}
