// The gateways screen's own styles (the shared ones come from shared-styles.ts): the gateway
// cards and the device tables, folded on a phone.
import { css } from 'lit';

export const gatewaysStyles = css`
  :host {
    display: grid;
    gap: 1rem;
  }
  .list {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 1rem;
  }
  article {
    border: 1px solid var(--ss-line, #dedbd2);
    border-left: 0.5rem solid var(--ss-locked, #1e6b3a);
    border-radius: 0.5rem;
    padding: 0.75rem 1rem;
  }
  article[data-online='false'] {
    border-left-color: var(--ss-open, #a1260d);
  }
  h3 {
    margin: 0 0 0.5rem;
    font-size: 1.0625rem;
    display: flex;
    justify-content: space-between;
    gap: 0.5rem;
  }
  h4 {
    margin: 1rem 0 0.5rem;
    font-size: 1rem;
  }
  .status,
  .state {
    font-size: 0.875rem;
    padding: 0.1rem 0.6rem;
    border-radius: 999px;
    color: #fff;
    background: var(--ss-locked, #1e6b3a);
    white-space: nowrap;
  }
  [data-online='false'] .status,
  [data-state='fault'] .state {
    background: var(--ss-open, #a1260d);
  }
  [data-state='warning'] .state {
    background: var(--ss-unlocked, #8a4b00);
  }
  [data-state='unknown'] .state {
    background: var(--ss-muted, #4a525c);
  }
  .warning {
    border-left: 0.25rem solid var(--ss-unlocked, #8a4b00);
    background: var(--ss-unlocked-tint, #fdf3e7);
    padding: 0.4rem 0.6rem;
    border-radius: 0.25rem;
    margin: 0 0 0.75rem;
  }
  dl {
    margin: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(7rem, auto) minmax(8rem, 1fr));
    gap: 0.25rem 0.75rem;
  }
  dt {
    color: var(--ss-muted, #4a525c);
  }
  dd {
    margin: 0;
    font-variant-numeric: tabular-nums;
  }
  time {
    white-space: nowrap;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.9375rem;
    font-variant-numeric: tabular-nums;
  }
  th,
  td {
    text-align: left;
    vertical-align: top;
    padding: 0.35rem 0.5rem 0.35rem 0;
    border-top: 1px solid var(--ss-line, #dedbd2);
  }
  thead th {
    border-top: 0;
    color: var(--ss-muted, #4a525c);
    font-weight: 600;
  }
  .id,
  .error {
    display: block;
    font-size: 0.8125rem;
    font-weight: 400;
    color: var(--ss-muted, #4a525c);
  }
  [data-state='fault'] .error {
    color: var(--ss-open, #a1260d);
    font-weight: 600;
  }
  .enrol {
    display: block;
    margin-top: 0.35rem;
  }
  .enrol-status {
    display: block;
    font-size: 0.8125rem;
    color: var(--ss-muted, #4a525c);
  }
  [data-enrol='ok'] {
    color: var(--ss-locked, #1e6b3a);
  }
  [data-enrol='failed'],
  [data-enrol='error'] {
    color: var(--ss-open, #a1260d);
    font-weight: 600;
  }
  [data-state='warning'] .error {
    color: var(--ss-unlocked, #8a4b00);
    font-weight: 600;
  }
  /* The attention table and the folded working one keep the same columns. */
  table {
    table-layout: fixed;
  }
  th[scope='col']:nth-child(1) {
    width: 30%;
  }
  th[scope='col']:nth-child(4),
  th[scope='col']:nth-child(6) {
    width: 17%;
  }
  td,
  th {
    overflow-wrap: anywhere;
  }
  table[data-part='attention'] {
    margin-bottom: 0.5rem;
  }
  details > summary {
    cursor: pointer;
    min-height: 44px;
    display: flex;
    align-items: center;
    gap: 0.25rem;
    font-weight: 600;
    color: var(--ss-accent, #0b5e7e);
    border-top: 1px solid var(--ss-line, #dedbd2);
  }
  details > summary::before {
    content: '▸';
    display: inline-block;
    width: 1em;
  }
  details[open] > summary::before {
    content: '▾';
  }
  details > summary::-webkit-details-marker {
    display: none;
  }
  summary:focus-visible {
    outline: 3px solid var(--ss-accent, #0b5e7e);
    outline-offset: 2px;
  }
  /* A phone: each device is its name, then its facts as labelled runs that wrap. */
  @media (max-width: 40rem) {
    table,
    tbody {
      display: block;
    }
    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
    tr {
      display: flex;
      flex-wrap: wrap;
      gap: 0.15rem 0.9rem;
      border-top: 1px solid var(--ss-line, #dedbd2);
      padding: 0.5rem 0;
    }
    th,
    td {
      border: 0;
      padding: 0;
    }
    th {
      flex-basis: 100%;
    }
    th .id {
      display: inline;
      margin-left: 0.25rem;
    }
    td::before {
      content: attr(data-label) ': ';
      color: var(--ss-muted, #4a525c);
    }
    td[data-field='state']::before {
      content: none;
    }
  }
  a {
    color: var(--ss-accent, #0b5e7e);
    font-weight: 600;
  }
`;
