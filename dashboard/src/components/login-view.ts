// Email and password. What went wrong goes to a live region, in the reader's language; on
// success a `logged-in` event carries the Me. `notice` says why the login is back (the session
// ended) above the form.
import { LitElement, css, html, nothing } from 'lit';
import type { Me } from '../../../contracts/api/index.ts';
import { api } from '../api.ts';
import { errorText } from '../error-words.ts';
import { LocaleController, t } from '../words/locale.ts';
import { baseStyles, buttonStyles, panelStyles } from './shared-styles.ts';

type Problem = { kind: 'missing' } | { kind: 'failed'; err: unknown } | null;

export class LoginView extends LitElement {
  static override properties = {
    siteName: { attribute: 'site-name' },
    notice: {},
    busy: { state: true },
    problem: { state: true },
  };
  declare siteName: string;
  declare notice: string;
  declare busy: boolean;
  declare problem: Problem;

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
      .notice {
        margin: 0 0 1rem;
        padding: 0.6rem 0.75rem;
        border-left: 0.3rem solid var(--ss-unlocked, #8a4b00);
        background: var(--ss-unlocked-tint, #fdf3e7);
        font-weight: 600;
      }
    `,
  ];

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.siteName = '';
    this.notice = '';
    this.busy = false;
    this.problem = null;
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#email')?.focus();
  }

  async #onSubmit(ev: SubmitEvent): Promise<void> {
    ev.preventDefault();
    const form = ev.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const field = (name: string): string => {
      const v = data.get(name);
      return typeof v === 'string' ? v : '';
    };
    const email = field('email').trim();
    const password = field('password');
    if (!email || !password) {
      this.problem = { kind: 'missing' };
      return;
    }
    this.busy = true;
    this.problem = null;
    try {
      const me = await this.login(email, password);
      this.dispatchEvent(new CustomEvent<Me>('logged-in', { detail: me, bubbles: true, composed: true }));
    } catch (err) {
      this.problem = { kind: 'failed', err };
      const password = this.renderRoot.querySelector<HTMLInputElement>('#password');
      if (password) {
        password.value = '';
        password.focus();
      }
    } finally {
      this.busy = false;
    }
  }

  #problemWords(): string {
    const p = this.problem;
    if (!p) return '';
    return p.kind === 'missing' ? t().login.missing : errorText(p.err, { kind: 'login' });
  }

  override render() {
    const m = t().login;
    return html`
      <section class="panel">
        <h1>${this.siteName ? m.title(this.siteName) : m.titlePlain}</h1>
        ${this.notice ? html`<p class="notice" data-testid="login-notice" role="status">${this.notice}</p>` : nothing}
        <form @submit=${this.#onSubmit} novalidate>
          <label for="email">${m.email} <input id="email" name="email" type="email" autocomplete="username" inputmode="email" required /></label>
          <label for="password">${m.password} <input id="password" name="password" type="password" autocomplete="current-password" required /></label>
          <p class="error" data-testid="login-error" role="alert" aria-live="assertive">${this.#problemWords()}</p>
          <button type="submit" ?disabled=${this.busy}>${this.busy ? m.busy : m.submit}</button>
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
