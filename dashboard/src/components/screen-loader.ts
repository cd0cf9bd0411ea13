// Which screen's panels are defined: the app shell asks for the route's chunk (views.ts
// loadScreen) and renders the screen once it is in, "Loading…" until then, and what failed (with
// Try again) if it did not come. An answer for a route no longer asked for is dropped.
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Role } from '../../../contracts/api/index.ts';
import { errorText } from '../error-words.ts';
import type { RouteId } from '../router.ts';
import { t } from '../words/locale.ts';
import { loadScreen } from './views.ts';

export class ScreenLoader implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  /** The route whose panels are defined; null before the first. */
  #shown: RouteId | null = null;
  #asked: RouteId | null = null;
  #failed: unknown = null;
  /** Settles when the panels last asked for are defined, or have failed. */
  done: Promise<void> = Promise.resolve();

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {}

  load(route: RouteId, role: Role): void {
    this.#asked = route;
    this.#failed = null;
    const pending = loadScreen(route, role);
    if (!pending) {
      this.#shown = route;
      return;
    }
    this.done = pending.then(
      () => this.#settle(route, () => (this.#shown = route)),
      (err: unknown) => this.#settle(route, () => (this.#failed = err)),
    );
  }

  #settle(route: RouteId, apply: () => void): void {
    if (this.#asked !== route) return;
    apply();
    this.#host.requestUpdate();
  }

  /** Logged out: the next person's first screen starts from nothing. */
  reset(): void {
    this.#shown = null;
    this.#asked = null;
    this.#failed = null;
  }

  /** `screen()` once the route's panels are defined; until then a line saying so, or why they did not come. */
  render(route: RouteId, screen: () => TemplateResult, retry: () => void): TemplateResult {
    const m = t().app;
    if (this.#failed)
      return html`<div class="message" role="alert">
        <p>${errorText(this.#failed, { kind: 'load' })}</p>
        <button type="button" @click=${retry}>${m.tryAgain}</button>
      </div>`;
    if (this.#shown !== route) return html`<p class="message" role="status">${m.loading}</p>`;
    return screen();
  }
}
