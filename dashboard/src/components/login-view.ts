// Email and password. The server's words for a failure go to a live region; on success a
// `logged-in` event carries the Me.
import { LitElement, css, html } from 'lit';
import type { Me } from '../../../contracts/api.ts';
import { api, isApiError } from '../api.ts';
import { baseStyles, buttonStyles, panelStyles } from './shared-styles.ts';

export class LoginView extends LitElement {
  static override properties = {
    siteName: { attribute: 'site-name' },
    busy: { state: true },
    error: { state: true },
  };
  declare siteName: string;
  declare busy: boolean;
  declare error: string;

  /** Logs in (replaceable in tests). */
  login: (email: string, password: string) => Promise<Me> = api.login;

  static override styles = [
    baseStyles,
    buttonStyles,
    panelStyles,
    css`
      :host {
        display: block;
        max-width: 26rem;
        margin: 2rem auto;
        padding: 0 1rem;
      }
      h1 {
        font-size: 1.5rem;
        margin: 0 0 1rem;
      }
      form {
        display: grid;
        gap: 1rem;
      }
      label {
        display: grid;
        gap: 0.35rem;
        font-weight: 600;
      }
      input {
        font: inherit;
        min-height: 44px;
        padding: 0.5rem 0.75rem;
        border: 2px solid var(--ss-muted, #4a525c);
        border-radius: 0.5rem;
        background: #fff;
        color: var(--ss-text, #1b1f24);
      }
      button {
        min-height: 3rem;
      }
      .error {
        margin: 0;
        min-height: 1.5em;
        color: var(--ss-open, #a1260d);
        font-weight: 600;
      }
    `,
  ];

  constructor() {
    super();
    this.siteName = '';
    this.busy = false;
    this.error = '';
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#email')?.focus();
  }

  async #onSubmit(ev: SubmitEvent): Promise<void> {
    ev.preventDefault();
    const form = ev.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');
    if (!email || !password) {
      this.error = 'Enter your email and password.';
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const me = await this.login(email, password);
      this.dispatchEvent(new CustomEvent<Me>('logged-in', { detail: me, bubbles: true, composed: true }));
    } catch (err) {
      this.error = isApiError(err) ? err.message : 'Could not log in. Try again.';
      const password = this.renderRoot.querySelector<HTMLInputElement>('#password');
      if (password) {
        password.value = '';
        password.focus();
      }
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`
      <section class="panel">
        <h1>${this.siteName ? `Log in to ${this.siteName}` : 'Log in'}</h1>
        <form @submit=${this.#onSubmit} novalidate>
          <label for="email"
            >Email
            <input id="email" name="email" type="email" autocomplete="username" inputmode="email" required
          /></label>
          <label for="password"
            >Password
            <input id="password" name="password" type="password" autocomplete="current-password" required
          /></label>
          <p class="error" data-testid="login-error" role="alert" aria-live="assertive">${this.error}</p>
          <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Logging in…' : 'Log in'}</button>
        </form>
      </section>
    `;
  }
}

customElements.define('ss-login', LoginView);

declare global {
  interface HTMLElementTagNameMap {
    'ss-login': LoginView;
  }
}
