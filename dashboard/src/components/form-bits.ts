// Form pieces the members and plans screens share: a labelled field with its hint and its
// error tied to the control (aria-describedby, aria-invalid), where focus goes after a render,
// and the styles for them (with the panel head: a title and its button).
import { LitElement, css, html, nothing, type ReactiveController, type ReactiveElement, type TemplateResult } from 'lit';
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
  return html`${hint ? html`<span class="hint" id=${`${id}-hint`}>${hint}</span>` : nothing}${
    error ? html`<span class="field-error" id=${`${id}-error`} data-error-for=${id}>${error}</span>` : nothing
  }`;
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
export function focusFirstInvalid(root: ParentNode | null): void {
  root?.querySelector<HTMLElement>('[aria-invalid=true]')?.focus();
}

/** Lit elements rendered in `root` (a panel's parts): their pending renders, for what comes after. */
async function partsRendered(root: ParentNode): Promise<void> {
  // A part renders after the panel that made it, and may make parts of its own: a few rounds.
  for (let round = 0; round < 3; round++) {
    const pending = [...root.querySelectorAll('*')].flatMap((el) => ('updateComplete' in el ? [(el as ReactiveElement).updateComplete] : []));
    if (pending.length === 0) return;
    await Promise.all(pending);
  }
}

/**
 * Where focus goes after the host's next render: `focus.next = '#member-title'` names an element
 * in its render root (a heading that has just appeared, the button that undoes a step), also one
 * a part of the panel (PanelPart) renders.
 */
export class FocusAfterRender implements ReactiveController {
  readonly #host: ReactiveElement;
  /** A CSS selector in the host's render root; '' for nothing. */
  next = '';

  constructor(host: ReactiveElement) {
    this.#host = host;
    host.addController(this);
  }

  hostUpdated(): void {
    const selector = this.next;
    if (!selector) return;
    this.next = '';
    const root = this.#host.renderRoot;
    const now = root.querySelector<HTMLElement>(selector);
    if (now) now.focus();
    else void partsRendered(root).then(() => root.querySelector<HTMLElement>(selector)?.focus());
  }
}

/**
 * A part of a panel (a list, a form, a section of a page) as an element of its own, rendered in
 * the panel's shadow root: the panel's styles apply, ids stay unique in one root, and tests and
 * screen readers see one tree. The panel styles these as `display: contents`.
 */
export class PanelPart extends LitElement {
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Tells the panel (and parts around this one) what happened: a bubbling event in its root. */
  protected tell<T>(type: string, detail?: T): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));
  }
}

/** A labelled select with its error; options are [value, words]. */
export function selectField(
  form: string,
  name: string,
  label: string,
  value: string,
  options: ReadonlyArray<readonly [string, string]>,
  onChange: (v: string) => void,
  error?: string,
): TemplateResult {
  const id = fieldId(form, name);
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <select
      id=${id}
      name=${name}
      data-value=${value}
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby=${describedBy(id, false, !!error) ?? nothing}
      @change=${(ev: Event) => onChange((ev.target as HTMLSelectElement).value)}
    >
      ${options.map(([v, text]) => html`<option value=${v} ?selected=${v === value}>${text}</option>`)}
    </select>
    ${hintAndError(id, undefined, error)}
  </div>`;
}

/**
 * Each select shows its state's value (an option's `selected` alone is not always honoured when
 * the options are rendered after the select). Call from `updated()`.
 */
export function syncSelects(root: ParentNode): void {
  for (const select of root.querySelectorAll<HTMLSelectElement>('select[data-value]')) {
    if (select.value !== select.dataset.value) select.value = select.dataset.value ?? '';
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
