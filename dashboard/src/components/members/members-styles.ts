// The members screen's own styles (the shared ones come from shared-styles.ts and form-bits.ts).
// Its parts render in its shadow root and take no box of their own.
import { css } from 'lit';

export const membersStyles = css`
  ss-member-list,
  ss-member-add,
  ss-member-page,
  ss-member-pass,
  ss-member-status,
  ss-member-password,
  ss-member-erase {
    display: contents;
  }
  :host {
    display: grid;
    gap: 1rem;
  }
  form.filters {
    display: grid;
    gap: 0.75rem;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 10rem), 1fr));
    align-items: end;
    margin-bottom: 1rem;
  }
  ul.members {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  ul.members li {
    display: block;
    padding: 0.5rem 0;
    border-top: 1px solid var(--ss-line, #dedbd2);
  }
  ul.members .name,
  ul.members .email,
  ul.members .metas {
    display: block;
  }
  ul.members .sep {
    color: var(--ss-muted, #4a525c);
  }
  ul.members li.header {
    display: none;
  }
  @media (min-width: 48rem) {
    ul.members li,
    ul.members li.header {
      display: grid;
      grid-template-columns: minmax(10rem, 1.2fr) minmax(12rem, 1.5fr) repeat(4, minmax(6rem, 1fr));
      align-items: center;
      gap: 0.125rem 1rem;
    }
    ul.members .metas {
      display: contents;
    }
    ul.members li.header {
      color: var(--ss-muted, #4a525c);
      font-size: 0.875rem;
      font-weight: 600;
      border-top: none;
    }
    ul.members .sep {
      display: none;
    }
  }
  button.link {
    background: none;
    border: none;
    color: var(--ss-accent, #0b5e7e);
    text-align: left;
    text-decoration: underline;
    padding: 0.25rem 0;
  }
  button.link:hover {
    background: none;
    color: var(--ss-accent-dark, #07455d);
  }
  .email {
    overflow-wrap: anywhere;
  }
  .suspended {
    color: var(--ss-open, #a1260d);
    font-weight: 600;
  }
  .paging {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
    margin-top: 0.75rem;
  }
  .pin {
    padding: 1rem;
    border-radius: 0.5rem;
    border: 3px solid var(--ss-accent, #0b5e7e);
    background: var(--ss-accent-tint, #e2f0f5);
  }
  .pin output {
    display: block;
    font-size: 2.5rem;
    font-weight: 800;
    letter-spacing: 0.3em;
    font-variant-numeric: tabular-nums;
    margin: 0.25rem 0 0.5rem;
  }
  a.button {
    display: inline-flex;
    align-items: center;
    min-height: 44px;
    font-weight: 600;
    color: var(--ss-accent, #0b5e7e);
  }
  .danger {
    border: 2px solid var(--ss-open, #a1260d);
  }
  .notice {
    border-left: 0.25rem solid var(--ss-accent, #0b5e7e);
    background: var(--ss-accent-tint, #e2f0f5);
    padding: 0.5rem 0.75rem;
    border-radius: 0.25rem;
  }
  dl.facts {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.25rem 1rem;
    margin: 0;
  }
  dl.facts dt {
    color: var(--ss-muted, #4a525c);
  }
  dl.facts dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  button.danger-button {
    background: var(--ss-open, #a1260d);
    border-color: var(--ss-open, #a1260d);
  }
`;
