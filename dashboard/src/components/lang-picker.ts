// Dansk / English. The choice is remembered (words/locale.ts); each language is named in itself
// and marked with its `lang`, so a screen reader says "Dansk" in Danish.
import { LitElement, css, html } from 'lit';
import { LANGS, LocaleController, isLang, locale, t } from '../words/locale.ts';
import { baseStyles } from './shared-styles.ts';

export class LangPicker extends LitElement {
  static override properties = { tone: { reflect: true } };
  /** `dark` on the header bar, `light` on a page. */
  declare tone: 'dark' | 'light';

  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-block;
      }
      select {
        font: inherit;
        font-size: 0.9375rem;
        min-height: 40px;
        padding: 0.25rem 0.5rem;
        border-radius: 0.5rem;
        border: 2px solid var(--ss-accent, #0b5e7e);
        background: var(--ss-surface, #fff);
        color: var(--ss-text, #1b1f24);
        cursor: pointer;
      }
      :host([tone='dark']) select {
        border-color: #fff;
        background: var(--ss-header, #0b3d52);
        color: #fff;
      }
    `,
  ];

  constructor() {
    super();
    new LocaleController(this); // re-renders on a change of language
    this.tone = 'light';
  }

  #onChange(ev: Event): void {
    const value = (ev.target as HTMLSelectElement).value;
    if (isLang(value)) locale.set(value);
  }

  override render() {
    return html`
      <label class="visually-hidden" for="lang">${t().lang.label}</label>
      <select id="lang" data-action="language" @change=${this.#onChange}>
        ${Object.entries(LANGS).map(([id, l]) => html`<option value=${id} lang=${id} ?selected=${id === locale.lang}>${l.name}</option>`)}
      </select>
    `;
  }
}

customElements.define('ss-lang-picker', LangPicker);

declare global {
  interface HTMLElementTagNameMap {
    'ss-lang-picker': LangPicker;
  }
}
