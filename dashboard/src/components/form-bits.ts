// Form pieces the members and plans screens share: a labelled field with its hint and its
// error tied to the control (aria-describedby, aria-invalid), where focus goes after a render,
// and the styles for them (with the panel head: a title and its button).
import { css, html, nothing, type ReactiveController, type ReactiveElement, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';

export type FieldErrors = Record<string, string>;

export interface InputOptions {
  /** The form's prefix for ids: ids are unique in the shadow root. */
  form: string;
  name: string;
  label: string;
  value: string;
  type?: 'text' | 'email' | 'password' | 'date' | 'time' | 'search';
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  inputmode?: 'numeric' | 'email' | 'text';
  onInput: (value: string) => void;
}

export const fieldId = (form: string, name: string) => `${form}-${name}`;

/** Ids of the hint and error under a control, for aria-describedby. */
export function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export function hintAndError(id: string, hint: string | undefined, error: string | undefined): TemplateResult {
  return html`${hint ? html`<span class="hint" id=${`${id}-hint`}>${hint}</span>` : nothing}${error
    ? html`<span class="field-error" id=${`${id}-error`} data-error-for=${id}>${error}</span>`
    : nothing}`;
}

export function inputField(o: InputOptions): TemplateResult {
  const id = fieldId(o.form, o.name);
  return html`<div class="field">
    <label for=${id}>${o.label}</label>
    <input
      id=${id}
      name=${o.name}
      type=${o.type ?? 'text'}
      .value=${o.value}
      ?required=${o.required ?? false}
      autocomplete=${ifDefined(o.autocomplete)}
      inputmode=${ifDefined(o.inputmode)}
      aria-invalid=${o.error ? 'true' : 'false'}
      aria-describedby=${ifDefined(describedBy(id, !!o.hint, !!o.error))}
      @input=${(ev: Event) => o.onInput((ev.target as HTMLInputElement).value)}
    />
    ${hintAndError(id, o.hint, o.error)}
  </div>`;
}

/** Moves focus to the first control marked invalid in `root` (after a refused save). */
export function focusFirstInvalid(root: ShadowRoot | null): void {
  root?.querySelector<HTMLElement>('[aria-invalid=true]')?.focus();
}

/**
 * Where focus goes after the host's next render: `focus.next = '#member-title'` names an element
 * in its shadow root (a heading that has just appeared, the button that undoes a step).
 */
export class FocusAfterRender implements ReactiveController {
  readonly #host: ReactiveElement;
  /** A CSS selector in the host's shadow root; '' for nothing. */
  next = '';

  constructor(host: ReactiveElement) {
    this.#host = host;
    host.addController(this);
  }

  hostUpdated(): void {
    if (!this.next) return;
    const el = this.#host.renderRoot.querySelector<HTMLElement>(this.next);
    this.next = '';
    el?.focus();
  }
}

export const formStyles = css`
  .head {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: 0.5rem;
    margin-bottom: 0.5rem;
  }
  .head h2 {
    margin: 0;
  }
  /* A heading that takes focus after a step needs no ring: the screen reader reads it. */
  h2[tabindex='-1']:focus {
    outline: none;
  }
  .field {
    display: grid;
    gap: 0.25rem;
    align-content: start;
    min-width: 0;
  }
  .field > input,
  .field > select {
    width: 100%;
    min-width: 0;
  }
  .field > label {
    display: block;
  }
  .hint {
    font-size: 0.875rem;
    color: var(--ss-muted, #4a525c);
  }
  .field-error {
    font-size: 0.875rem;
    font-weight: 600;
    color: var(--ss-open, #a1260d);
  }
  [aria-invalid='true'] {
    border-color: var(--ss-open, #a1260d) !important;
    border-width: 2px !important;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    min-height: 44px;
    font-weight: 400;
  }
  .check input {
    width: 1.25rem;
    height: 1.25rem;
    margin: 0;
  }
  fieldset {
    border: 1px solid var(--ss-line, #dedbd2);
    border-radius: 0.5rem;
    padding: 0.5rem 0.75rem 0.75rem;
    margin: 0;
    min-width: 0;
  }
  legend {
    font-weight: 600;
    padding: 0 0.25rem;
  }
  .buttons {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  form.stack {
    display: grid;
    gap: 0.75rem;
  }
  .grid {
    display: grid;
    gap: 0.75rem;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 14rem), 1fr));
    align-items: start;
  }
`;
