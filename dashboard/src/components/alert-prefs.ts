// A host's own alert choices (GET/PUT /api/me/alert-prefs): which kinds, by e-mail and/or push,
// and quiet hours (warnings wait until they end; urgent ones still come). And the button that
// lets this phone receive web push (the service worker shows them, sw/push.ts).
import { LitElement, css, html, nothing } from 'lit';
import type { AlertChannel, AlertKind, AlertPrefs } from '../../../contracts/api/index.ts';
import { call } from '../api.ts';
import { LocaleController, t } from '../words/locale.ts';
import { baseStyles, buttonStyles } from './shared-styles.ts';

type PushState = 'idle' | 'done' | 'unavailable';

/** The contract's lists, without bundling TypeBox: the words name every kind (typed by the contract). */
const kindsOf = (words: Record<AlertKind, string>) => Object.keys(words) as AlertKind[];
const CHANNELS = ['email', 'push'] as const satisfies readonly AlertChannel[];

/** Subscribes this browser to web push with the services' VAPID key; false when it cannot. */
async function subscribePush(): Promise<boolean> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) return false;
  const { publicKey } = await call('pushKey');
  if (!publicKey) return false;
  const reg = await navigator.serviceWorker.ready;
  const key = Uint8Array.from(atob(publicKey.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  const json = sub.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
  await call('subscribePush', { body: { endpoint: json.endpoint, keys: json.keys } });
  return true;
}

export class AlertPrefsForm extends LitElement {
  static override properties = { prefs: { state: true }, saved: { state: true }, push: { state: true } };
  declare prefs: AlertPrefs | null;
  declare saved: boolean;
  declare push: PushState;

  static override styles = [
    baseStyles,
    buttonStyles,
    css`
      fieldset {
        border: 0;
        padding: 0;
        margin: 0 0 0.75rem;
        display: grid;
        gap: 0.35rem;
      }
      legend {
        font-weight: 700;
        margin-bottom: 0.25rem;
      }
      label {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        min-height: 2.75rem;
      }
      input[type='checkbox'] {
        width: 1.25rem;
        height: 1.25rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      p {
        margin: 0.5rem 0 0;
      }
    `,
  ];

  constructor() {
    super();
    new LocaleController(this);
    this.prefs = null;
    this.saved = false;
    this.push = 'idle';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void call('alertPrefs')
      .then((p) => (this.prefs = p))
      .catch(() => undefined);
  }

  #toggle<T extends string>(list: readonly T[], item: T, on: boolean): T[] {
    return on ? [...new Set([...list, item])] : list.filter((x) => x !== item);
  }

  /** The choices as they are now (several changes may come before the next render). */
  #now(): AlertPrefs {
    return this.prefs!;
  }

  #change(p: AlertPrefs): void {
    this.prefs = p;
    this.saved = false;
  }

  async #save(ev: Event): Promise<void> {
    ev.preventDefault();
    if (!this.prefs) return;
    this.prefs = await call('setAlertPrefs', { body: this.prefs });
    this.saved = true;
  }

  async #pushOn(): Promise<void> {
    this.push = (await subscribePush().catch(() => false)) ? 'done' : 'unavailable';
  }

  override render() {
    const m = t().alerts;
    const p = this.prefs;
    if (!p) return nothing;
    const quiet = p.quiet;
    return html`<form @submit=${(e: Event) => void this.#save(e)} data-testid="alert-prefs">
      <fieldset>
        <legend>${m.prefsKinds}</legend>
        ${kindsOf(m.kinds).map(
          (k: AlertKind) =>
            html`<label
              ><input
                type="checkbox"
                name="kind"
                value=${k}
                .checked=${p.kinds.includes(k)}
                @change=${(e: Event) => this.#change({ ...this.#now(), kinds: this.#toggle(this.#now().kinds, k, (e.target as HTMLInputElement).checked) })}
              />${m.kinds[k]}</label
            >`,
        )}
      </fieldset>
      <fieldset>
        <legend>${m.prefsChannels}</legend>
        ${CHANNELS.map(
          (c: AlertChannel) =>
            html`<label
              ><input
                type="checkbox"
                name="channel"
                value=${c}
                .checked=${p.channels.includes(c)}
                @change=${(e: Event) => this.#change({ ...this.#now(), channels: this.#toggle(this.#now().channels, c, (e.target as HTMLInputElement).checked) })}
              />${m.channel[c]}</label
            >`,
        )}
      </fieldset>
      <fieldset>
        <legend>
          <label
            ><input
              type="checkbox"
              name="quiet"
              .checked=${quiet !== null}
              @change=${(e: Event) => this.#change({ ...this.#now(), quiet: (e.target as HTMLInputElement).checked ? { start: '22:00', end: '07:00' } : null })}
            />${m.prefsQuiet}</label
          >
        </legend>
        ${
          quiet
            ? html`<div class="row">
                <label
                  >${m.prefsQuietFrom}
                  <input
                    type="time"
                    name="quiet-start"
                    .value=${quiet.start}
                    @change=${(e: Event) => this.#change({ ...this.#now(), quiet: { ...quiet, start: (e.target as HTMLInputElement).value } })}
                /></label>
                <label
                  >${m.prefsQuietTo}
                  <input
                    type="time"
                    name="quiet-end"
                    .value=${quiet.end}
                    @change=${(e: Event) => this.#change({ ...this.#now(), quiet: { ...quiet, end: (e.target as HTMLInputElement).value } })}
                /></label>
              </div>`
            : nothing
        }
      </fieldset>
      <div class="row">
        <button type="submit">${m.prefsSave}</button>
        <button type="button" class="secondary" data-testid="push-on" @click=${() => void this.#pushOn()}>${m.pushOn}</button>
      </div>
      ${this.saved ? html`<p role="status" data-testid="prefs-saved">${m.prefsSaved}</p>` : nothing}
      ${this.push === 'done' ? html`<p role="status">${m.pushOnDone}</p>` : nothing}
      ${this.push === 'unavailable' ? html`<p role="status">${m.pushUnavailable}</p>` : nothing}
    </form>`;
  }
}

customElements.define('ss-alert-prefs', AlertPrefsForm);

declare global {
  interface HTMLElementTagNameMap {
    'ss-alert-prefs': AlertPrefsForm;
  }
}
