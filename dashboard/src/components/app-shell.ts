// The app: asks who is logged in, shows the login or the screen the address names (router.ts),
// as that person's role may see it, and keeps it live. Owns the store and the live connection:
// started on entering the app, stopped on leaving it (logout, session ended) and when the
// element leaves the page. A session that ends (a 401 from any call) brings the login back
// with a word on why; the address stays, so logging in returns to the same screen.
import { LitElement, html, nothing } from 'lit';
import type { Me, SiteView } from '../../../contracts/api/index.ts';
import { deriveAlerts } from '../data/alerts.ts';
import { alertCount } from '../data/alert-centre.ts';
import { api, isApiError, onSessionEnded } from '../api.ts';
import { errorText } from '../error-words.ts';
import { LocaleController, locale, t } from '../words/locale.ts';
import { LiveConnection, type LiveStatus } from '../data/live.ts';
import { nodeRedUrl } from '../data/node-red.ts';
import { Router, resolveRoute, type RouteId } from '../router.ts';
import { EMPTY_STATE, FEED_LIMIT, Store, type LiveState } from '../data/store.ts';
import { timeFormats } from '../time-format.ts';
import { shellStyles } from './app-shell-styles.ts';
import { shellHeader } from './shell-header.ts';
import { baseStyles, buttonStyles } from './shared-styles.ts';
import { ScreenLoader } from './screen-loader.ts';
import { emergencyBanner } from './emergency-banner.ts';
import { renderView } from './views.ts';
import type { HistoryStatus } from './visitors-panel.ts';
import './lang-picker.ts';
import './live-indicator.ts';
import './login-view.ts';

type View = 'loading' | 'login' | 'main' | 'unreachable';

/** Pages of events fetched for "who is in today" at most (200 each, the API's maximum). */
const TODAY_PAGES = 10;

export class AppShell extends LitElement {
  static override properties = {
    view: { state: true },
    me: { state: true },
    site: { state: true },
    live: { state: true },
    liveStatus: { state: true },
    route: { state: true },
    problem: { state: true },
    sessionEnded: { state: true },
    todayHistory: { state: true },
    moreOpen: { state: true },
  };
  declare view: View;
  declare me: Me | null;
  declare site: SiteView | null;
  declare live: LiveState;
  declare liveStatus: LiveStatus;
  declare route: RouteId;
  declare problem: unknown;
  /** The login is back because the session ended (not a first visit or a logout). */
  declare sessionEnded: boolean;
  declare todayHistory: HistoryStatus;
  /** The phone's "More" sheet is open. */
  declare moreOpen: boolean;

  readonly #store = new Store();
  readonly #connection: LiveConnection;
  readonly #router = new Router(() => this.#resolve(true));
  #unsubscribe: (() => void) | null = null;
  #checkingSession = false;
  #loadingSite = false;
  /** The site day whose earlier arrivals are loaded ('' when none). */
  #todayLoaded = '';
  readonly #screens = new ScreenLoader(this);

  static override styles = [baseStyles, buttonStyles, shellStyles];

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.view = 'loading';
    this.me = null;
    this.site = null;
    this.live = EMPTY_STATE;
    this.liveStatus = 'connecting';
    this.route = 'home';
    this.problem = null;
    this.sessionEnded = false;
    this.todayHistory = 'complete';
    this.moreOpen = false;
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
    this.addEventListener('me-changed', this.#onMeChanged);
    this.addEventListener('click', this.#onClick);
    this.addEventListener('keydown', this.#onKey);
    onSessionEnded(this.#onSessionEnded);
    this.#router.start();
    void this.#boot();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#connection.stop();
    this.#router.stop();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    onSessionEnded(null);
    this.removeEventListener('logged-in', this.#onLoggedIn);
    this.removeEventListener('me-changed', this.#onMeChanged);
    this.removeEventListener('click', this.#onClick);
    this.removeEventListener('keydown', this.#onKey);
  }

  readonly #onLoggedIn = (ev: Event): void => this.#enterMain((ev as CustomEvent<Me>).detail);

  /** The person changed something about themself (e.g. being shown): the server's answer. */
  readonly #onMeChanged = (ev: Event): void => {
    if (this.view === 'main') this.me = (ev as CustomEvent<Me>).detail;
  };

  /** In-app links anywhere below (nav, panels) change the screen without a page load. */
  readonly #onClick = (ev: MouseEvent): void => void this.#router.follow(ev);

  /** Escape closes the phone's "More" sheet and gives the focus back to its button. */
  readonly #onKey = (ev: KeyboardEvent): void => {
    if (ev.key !== 'Escape' || !this.moreOpen) return;
    this.moreOpen = false;
    this.renderRoot.querySelector<HTMLElement>('[data-action=more]')?.focus();
  };

  /** A 401 from any call while inside the app: only then is it "your session ended". */
  readonly #onSessionEnded = (): void => {
    if (this.view === 'main') this.#toLogin(true);
  };

  async #boot(): Promise<void> {
    this.view = 'loading';
    try {
      this.#enterMain(await api.me());
    } catch (err) {
      if (isApiError(err, 401)) {
        this.#toLogin(false);
      } else {
        this.problem = err;
        this.view = 'unreachable';
      }
    }
  }

  #enterMain(me: Me): void {
    this.me = me;
    this.sessionEnded = false;
    this.view = 'main';
    this.#resolve(false);
    this.#connection.start();
    void this.#loadSite();
    // First paint from REST; the live snapshot replaces it as soon as it arrives.
    Promise.all([api.doors(), api.desks(), api.events(FEED_LIMIT)])
      .then(([doors, desks, page]) => this.#store.seed(doors, desks, page.items))
      .catch(() => {
        // The live stream's snapshot brings the same; the indicator shows whether it came.
      });
  }

  /** The screen for the address, as this role may see it. `moved`: the person navigated. */
  #resolve(moved: boolean): void {
    if (!this.me) return;
    const { route, redirect } = resolveRoute(this.#router.path, this.me.role, this.me.coordinator ?? false);
    if (redirect) history.replaceState(null, '', redirect);
    this.route = route;
    this.moreOpen = false;
    this.#loadScreen();
    if (route === 'today') void this.#loadToday();
    if (moved) {
      // Where a screen reader and the keyboard continue: the new screen, from its top.
      void this.updateComplete.then(() => {
        this.renderRoot.querySelector<HTMLElement>('main')?.focus({ preventScroll: true });
        window.scrollTo({ top: 0 });
      });
    }
  }

  #loadScreen(): void {
    this.#screens.load(this.route, this.me?.role ?? 'member');
  }

  /** Done when rendered and the screen's panels are defined (tests and focus wait for both). */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    await this.#screens.done;
    return done && (await super.getUpdateComplete());
  }

  #routeName(route: RouteId): string {
    const r = t().routes;
    return route === 'home' ? r.home[this.me?.role ?? 'member'] : r[route];
  }

  /** "Floor plan · Klitmøller Kystkontor", in the current language. */
  protected override updated(): void {
    const site = this.site?.name ?? 'smartspace';
    const title = this.view === 'main' ? `${this.#routeName(this.route)} · ${site}` : site;
    if (document.title !== title) document.title = title; // not on every live update
  }

  async #loadSite(): Promise<void> {
    if (this.#loadingSite) return;
    this.#loadingSite = true;
    try {
      this.site = await api.site();
    } catch {
      // A 401 shows the login (onSessionEnded); otherwise retried when the stream (re)connects.
    } finally {
      this.#loadingSite = false;
    }
  }

  /** Today's earlier arrivals, page by page back to midnight in the site's zone. */
  async #loadToday(): Promise<void> {
    const f = timeFormats(locale.tag, this.site?.timeZone ?? 'Europe/Copenhagen');
    const today = f.dayKey(Date.now());
    if (this.todayHistory === 'loading' || this.#todayLoaded === today) return;
    this.todayHistory = 'loading';
    try {
      let before: string | undefined;
      for (let i = 0; i < TODAY_PAGES; i++) {
        const page = await api.events(200, before);
        this.#store.addHistory(page.items);
        const oldest = page.items.at(-1);
        if (!page.next || !oldest || f.dayKey(oldest.ts) !== today) break;
        before = page.next;
      }
      this.#todayLoaded = today;
      this.todayHistory = 'complete';
    } catch {
      this.todayHistory = 'partial';
    }
  }

  /** The stream dropped: a 401 from /api/me shows the login; otherwise it reconnects. */
  async #checkSession(): Promise<void> {
    if (this.#checkingSession || this.view !== 'main') return;
    this.#checkingSession = true;
    try {
      await api.me();
    } catch {
      // 401: onSessionEnded has acted; anything else: the server is away, the stream retries.
    } finally {
      this.#checkingSession = false;
    }
  }

  #toLogin(sessionEnded: boolean): void {
    this.#connection.stop();
    this.#store.reset();
    this.#todayLoaded = '';
    this.#screens.reset();
    this.me = null;
    this.liveStatus = 'connecting';
    this.sessionEnded = sessionEnded;
    this.view = 'login';
  }

  async #logout(): Promise<void> {
    try {
      await api.logout();
    } catch {
      // Leaving anyway: the cookie ends with its session on the server.
    }
    this.#toLogin(false);
  }

  #skipToMain(ev: Event): void {
    ev.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  override render() {
    const m = t().app;
    switch (this.view) {
      case 'loading':
        return html`<p class="message" role="status">${m.loading}</p>`;
      case 'unreachable':
        return html`<div class="message" role="alert">
          <p>${errorText(this.problem, { kind: 'load' })}</p>
          <button type="button" @click=${() => void this.#boot()}>${m.tryAgain}</button>
        </div>`;
      case 'login':
        return html`
          <div class="login-bar"><ss-lang-picker></ss-lang-picker></div>
          <ss-login notice=${this.sessionEnded ? t().login.sessionEnded : ''}></ss-login>
        `;
      case 'main':
        return this.#main();
    }
  }

  #screen(me: Me) {
    const screen = () =>
      renderView(this.route, {
        me,
        site: this.site,
        live: this.live,
        timeZone: this.site?.timeZone ?? 'Europe/Copenhagen',
        todayHistory: this.todayHistory,
        nodeRedUrl: me.role === 'operator' ? nodeRedUrl() : '',
      });
    return this.#screens.render(this.route, screen, () => this.#loadScreen());
  }

  #main() {
    const me = this.me!;
    return html`
      <a class="skip" href="#main" @click=${this.#skipToMain}>${t().app.skip}</a>
      ${shellHeader({
        me,
        siteName: this.site?.name ?? 'smartspace',
        liveStatus: this.liveStatus,
        route: this.route,
        alerts: me.role === 'member' ? 0 : alertCount(deriveAlerts(this.live, Date.now()), this.live.alerts),
        routeName: (id) => this.#routeName(id),
        logout: () => void this.#logout(),
        moreOpen: this.moreOpen,
        toggleMore: () => (this.moreOpen = !this.moreOpen),
      })}
      ${me.role === 'member' ? nothing : emergencyBanner(this.live.doors, this.route)}
      <main id="main" tabindex="-1" data-route=${this.route} aria-label=${this.#routeName(this.route)}>${this.#screen(me)}</main>
    `;
  }
}

customElements.define('ss-app', AppShell);

declare global {
  interface HTMLElementTagNameMap {
    'ss-app': AppShell;
  }
}
