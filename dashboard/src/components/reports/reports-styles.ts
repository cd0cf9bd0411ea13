// The reports screen's own styles (the shared ones come from shared-styles.ts).
import { css } from 'lit';

export const reportsStyles = css`
  :host {
    display: grid;
    gap: 1rem;
  }
  section {
    min-width: 0; /* a wide heatmap scrolls inside its panel, not the page */
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem 1.5rem;
    align-items: end;
  }
  a {
    display: inline-flex;
    align-items: center;
    min-height: 44px;
    font-weight: 600;
    color: var(--ss-accent, #0b5e7e);
  }
  .scroller {
    overflow-x: auto;
    position: relative; /* its visually hidden words stay inside it, not widening the page */
  }
  table.heat {
    border-collapse: separate;
    border-spacing: 2px;
    font-size: 0.75rem;
  }
  table.heat td {
    width: 1.6rem;
    height: 1.6rem;
    border-radius: 3px;
    background: rgb(11 94 126 / var(--u));
    outline: 1px solid var(--ss-line, #dedbd2);
    outline-offset: -1px;
  }
  /* No data (time not yet come, or no sensor reporting) is striped, never a pale 0 %. */
  table.heat td.nodata,
  .nodata-key {
    background: repeating-linear-gradient(135deg, transparent 0 3px, var(--ss-line, #dedbd2) 3px 5px);
  }
  .nodata-key {
    display: inline-block;
    width: 0.9rem;
    height: 0.9rem;
    vertical-align: -0.1rem;
    border-radius: 2px;
    outline: 1px solid var(--ss-line, #dedbd2);
  }
  table.heat td.corner {
    outline: none;
    background: none;
  }
  table.heat th {
    font-weight: 600;
    padding: 0 0.25rem;
    text-align: right;
  }
  table.heat thead th {
    text-align: center;
    font-weight: 400;
  }
  /* A phone shows all 24 hours at once: the cells share the width (each has its value in words,
     for a screen reader and as a tooltip). */
  @media (max-width: 40rem) {
    table.heat {
      width: 100%;
      table-layout: fixed;
      border-spacing: 1px;
      font-size: 0.625rem;
    }
    table.heat td {
      width: auto;
      height: 1.25rem;
    }
    table.heat td.corner {
      width: 2.25rem;
    }
    table.heat th {
      padding: 0 0.15rem 0 0;
      overflow: visible;
      white-space: nowrap;
    }
  }
  .chart {
    min-height: 220px;
  }
  select {
    max-width: 100%;
  }
  .scope {
    font-weight: 400;
    color: var(--ss-muted, #4a525c);
  }
  details {
    margin-top: 0.5rem;
  }
  details table {
    border-collapse: collapse;
  }
  details td,
  details th {
    padding: 0.2rem 0.75rem 0.2rem 0;
    text-align: left;
  }
`;
