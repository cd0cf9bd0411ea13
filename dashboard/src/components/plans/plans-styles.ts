// The plans screen's own styles (the shared ones come from shared-styles.ts and form-bits.ts).
// Its parts render in its shadow root and take no box of their own.
import { css } from 'lit';

export const plansStyles = css`
  ss-plan-form,
  ss-plan-closures {
    display: contents;
  }
  :host {
    display: grid;
    gap: 1rem;
  }
  ul.plans,
  ul.closures {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  ul.plans > li,
  ul.closures > li {
    padding: 0.75rem 0;
    border-top: 1px solid var(--ss-line, #dedbd2);
  }
  @media (min-width: 48rem) {
    ul.plans {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr));
      column-gap: 1.5rem;
    }
  }
  h3 {
    margin: 0 0 0.25rem;
    font-size: 1rem;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.125rem 0.75rem;
    margin: 0 0 0.5rem;
  }
  dt {
    color: var(--ss-muted, #4a525c);
  }
  dd {
    margin: 0;
  }
  .phrase {
    white-space: nowrap;
  }
  .row {
    display: grid;
    gap: 0.5rem;
    padding: 0.5rem 0;
    border-top: 1px solid var(--ss-line, #dedbd2);
  }
  .days {
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.75rem;
  }
  .times {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: end;
  }
  .times .field {
    min-width: 8rem;
  }
`;
