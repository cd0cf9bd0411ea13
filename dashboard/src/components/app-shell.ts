// The app: asks who is logged in, shows the login or the main view, and keeps the main view
// live. Owns the store and the live connection: started on entering the main view, stopped on
// leaving it (logout, session ended) and when the element leaves the page.
import { LitElement, css, html, nothing } from 'lit';
import type { Me, Role, SiteView } from '../../../contracts/api.ts';
import { api, isApiError } from '../api.ts';
import { LiveConnection, type LiveStatus } from '../live.ts';
import { EMPTY_STATE, FEED_LIMIT, Store, type LiveState } from '../store.ts';
import { baseStyles, buttonStyles } from './shared-styles.ts';
import './login-view.ts';
import './live-indicator.ts';
import './doors-panel.ts';
import './floor-plan.ts';
import './event-feed.ts';

type View = 'loading' | 'login' | 'main' | 'unreachable';

const ROLE_WORDS: Record<Role, string> = { member: 'Member', host: 'Host', operator: 'Operator' };

export class AppShell extends LitElement {
  static override properties = {
    view: { state: true },
    me: { state: true },
    site: { state: true },
    live: { state: true },
    liveStatus: { state: true },
    problem: { state: true },
  };
  declare view: View;
  declare me: Me | null;
  declare site: SiteView | null;
  declare live: LiveState;
  declare liveStatus: LiveStatus;
  declare problem: string;

  readonly #store = new Store();
  readonly #connection: LiveConnection;
  #unsubscribe: (() => void) | null = null;
  #checkingSession = false;
  #loadingSite = false;

  static override styles = [
    baseStyles,
    buttonStyles,
    css`
      :host {
        display: block;
        min-height: 100vh;
      }
      header {
        background: var(--ss-header, #0b3d52);
        color: #fff;
        padding: 0.75rem 1rem;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
      }
      h1 {
        font-size: 1.25rem;
        margin: 0;
        flex: 1 1 12rem;
      }
      .who {
        font-size: 0.9375rem;
      }
      .who .role {
        opacity: 0.85;
      }
      header button.secondary {
        color: #fff;
        border-color: #fff;
        min-height: 40px;
        padding: 0.25rem 0.9rem;
      }
      header button.secondary:hover {
        background: rgb(255 255 255 / 15%);
      }
      main {
        display: grid;
        gap: 1rem;
        padding: 1rem;
        max-width: 80rem;
        margin: 0 auto;
        grid-template-columns: minmax(0, 1fr);
        grid-template-areas: 'doors' 'floor' 'feed';
      }
      ss-doors-panel {
        grid-area: doors;
      }
      ss-floor-plan {
        grid-area: floor;
      }
      ss-event-feed {
        grid-area: feed;
      }
      @media (min-width: 56rem) {
        main {
          grid-template-columns: minmax(18rem, 24rem) minmax(0, 1fr);
          grid-template-areas: 'doors floor' 'feed floor';
          grid-template-rows: auto 1fr;
          align-items: start;
        }
        ss-floor-plan {
          position: sticky;
          top: 1rem;
        }
      }
      .message {
        max-width: 26rem;
        margin: 3rem auto;
        padding: 0 1rem;
        text-align: center;
      }
    `,
  ];

  constructor() {
    super();
    this.view = 'loading';
    this.me = null;
    this.site = null;
    this.live = EMPTY_STATE;
    this.liveStatus = 'connecting';
    this.problem = '';
    this.#connection = new LiveConnection('/api/live', {
      message: (msg) => this.#store.apply(msg),
      status: (status) => {
        this.liveStatus = status;
        if (status === 'live' && !this.site) void this.#loadSite();
      },
      error: () => void this.#checkSession(),
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#unsubscribe = this.#store.subscribe((state) => (this.live = state));
    this.addEventListener('logged-in', this.#onLoggedIn);
    this.addEventListener('session-expired', this.#onSessionExpired);
    void this.#boot();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#connection.stop();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.removeEventListener('logged-in', this.#onLoggedIn);
    this.removeEventListener('session-expired', this.#onSessionExpired);
  }

  readonly #onLoggedIn = (ev: Event): void => {
    this.#enterMain((ev as CustomEvent<Me>).detail);
  };

  readonly #onSessionExpired = (): void => {
    this.#toLogin();
  };

  async #boot(): Promise<void> {
    this.view = 'loading';
    try {
      this.#enterMain(await api.me());
    } catch (err) {
      if (isApiError(err, 401)) {
        this.#toLogin();
      } else {
        this.problem = isApiError(err) ? err.message : 'Something went wrong. Reload the page.';
        this.view = 'unreachable';
      }
    }
  }

  #enterMain(me: Me): void {
    this.me = me;
    this.view = 'main';
    this.#connection.start();
    void this.#loadSite();
    // First paint from REST; the live snapshot replaces it as soon as it arrives.
    Promise.all([api.doors(), api.desks(), api.events(FEED_LIMIT)])
      .then(([doors, desks, page]) => this.#store.seed(doors, desks, page.items))
      .catch(() => {
        // The live stream's snapshot brings the same; the indicator shows whether it came.
      });
  }

  async #loadSite(): Promise<void> {
    if (this.#loadingSite) return;
    this.#loadingSite = true;
    try {
      this.site = await api.site();
      document.title = `${this.site.name} · smartspace`;
    } catch (err) {
      if (isApiError(err, 401)) this.#toLogin();
      // Otherwise retried when the live stream (re)connects.
    } finally {
      this.#loadingSite = false;
    }
  }

  /** The stream dropped: if the session ended, go back to the login; else let it reconnect. */
  async #checkSession(): Promise<void> {
    if (this.#checkingSession || this.view !== 'main') return;
    this.#checkingSession = true;
    try {
      await api.me();
    } catch (err) {
      if (isApiError(err, 401)) this.#toLogin();
    } finally {
      this.#checkingSession = false;
    }
  }

  #toLogin(): void {
    this.#connection.stop();
    this.#store.reset();
    this.me = null;
    this.liveStatus = 'connecting';
    this.view = 'login';
  }

  async #logout(): Promise<void> {
    try {
      await api.logout();
    } catch {
      // Leaving anyway: the cookie ends with its session on the server.
    }
    this.#toLogin();
  }

  override render() {
    switch (this.view) {
      case 'loading':
        return html`<p class="message" role="status">Loading…</p>`;
      case 'unreachable':
        return html`<div class="message" role="alert">
          <p>${this.problem}</p>
          <button type="button" @click=${() => void this.#boot()}>Try again</button>
        </div>`;
      case 'login':
        return html`<ss-login></ss-login>`;
      case 'main':
        return this.#main();
    }
  }

  #main() {
    const me = this.me;
    return html`
      <header>
        <h1>${this.site?.name ?? 'smartspace'}</h1>
        ${me
          ? html`<span class="who">${me.name} <span class="role">· ${ROLE_WORDS[me.role] ?? me.role}</span></span>`
          : nothing}
        <ss-live-indicator .status=${this.liveStatus}></ss-live-indicator>
        <button type="button" class="secondary" data-action="logout" @click=${() => void this.#logout()}>Log out</button>
      </header>
      <main>
        <ss-doors-panel .doors=${this.live.doors} ?loading=${this.live.doors.length === 0}></ss-doors-panel>
        <ss-floor-plan .site=${this.site} .desks=${this.live.desks}></ss-floor-plan>
        <ss-event-feed .events=${this.live.events} time-zone=${this.site?.timeZone ?? 'Europe/Copenhagen'}></ss-event-feed>
      </main>
    `;
  }
}

customElements.define('ss-app', AppShell);

declare global {
  interface HTMLElementTagNameMap {
    'ss-app': AppShell;
  }
}
