// Styles every component shares: the colour tokens live in index.html (:root custom properties
// inherit into shadow roots); these are the rules that cannot.
import { css } from 'lit';

export const baseStyles = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 3px solid var(--ss-focus, #c25e00);
    outline-offset: 2px;
  }
  /* Motion is decoration here: none for those who asked the system for less. */
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation: none !important;
      transition: none !important;
      scroll-behavior: auto !important;
    }
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;

export const buttonStyles = css`
  button {
    font: inherit;
    font-weight: 600;
    min-height: 44px;
    padding: 0.5rem 1rem;
    border-radius: 0.5rem;
    border: 2px solid var(--ss-accent, #0b5e7e);
    background: var(--ss-accent, #0b5e7e);
    color: #fff;
    cursor: pointer;
  }
  button:hover {
    background: var(--ss-accent-dark, #07455d);
  }
  button:disabled {
    cursor: progress;
    opacity: 0.7;
  }
  button.secondary {
    background: transparent;
    color: var(--ss-accent, #0b5e7e);
  }
  button.secondary:hover {
    background: var(--ss-accent-tint, #e2f0f5);
  }
`;

export const panelStyles = css`
  .panel {
    background: var(--ss-surface, #fff);
    border-radius: 0.75rem;
    padding: 1rem;
    box-shadow: 0 1px 2px rgb(0 0 0 / 12%);
  }
  h2 {
    font-size: 1.125rem;
    margin: 0 0 0.75rem;
  }
`;

/** Running text in panels: paragraphs, quiet notes, and the words for failure and success. */
export const textStyles = css`
  p {
    margin: 0 0 0.75rem;
  }
  .muted {
    color: var(--ss-muted, #4a525c);
  }
  .failed {
    color: var(--ss-open, #a1260d);
    font-weight: 600;
  }
  .done {
    color: var(--ss-locked, #1e6b3a);
    font-weight: 600;
  }
`;

/** Form fields: a label above its control, touch-sized inputs and selects. */
export const fieldStyles = css`
  label {
    display: grid;
    gap: 0.25rem;
    font-weight: 600;
  }
  input:not([type='checkbox']):not([type='radio']),
  select,
  textarea {
    font: inherit;
    min-height: 44px;
    padding: 0.4rem;
    border: 1px solid var(--ss-muted, #4a525c);
    border-radius: 0.4rem;
    background: var(--ss-surface, #fff);
    color: inherit;
  }
`;
