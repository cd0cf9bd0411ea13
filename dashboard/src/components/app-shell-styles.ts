// Layout of the app shell: header bar, role navigation, and each screen's grid (views.ts).
// Phone first: one column; from 56rem the floor plan gets the right-hand side and stays in view.
import { css } from 'lit';

export const shellStyles = css`
  :host {
    display: block;
    min-height: 100vh;
    /* Focus ring on the dark header: light, ≥ 3:1 against it. */
    --ss-focus-on-dark: var(--ss-on-dark-accent, #ffd58a);
  }
  .skip {
    position: absolute;
    left: 0.5rem;
    top: -4rem;
    z-index: 10;
    padding: 0.5rem 1rem;
    background: var(--ss-surface, #fff);
    color: var(--ss-accent-dark, #07455d);
    font-weight: 700;
    border-radius: 0.5rem;
  }
  .skip:focus {
    top: 0.5rem;
  }
  header {
    background: var(--ss-header, #0b3d52);
    color: #fff;
  }
  header :focus-visible {
    outline-color: var(--ss-focus-on-dark);
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 0.75rem;
    padding: 0.75rem 1rem 0.5rem;
    max-width: 80rem;
    margin: 0 auto;
  }
  h1 {
    font-size: 1.25rem;
    margin: 0;
    flex: 1 1 12rem;
  }
  .who {
    font-size: 0.9375rem;
  }
  .who .role {
    opacity: 0.9;
  }
  /* A phone has room for the live state, language and logout on one row: the name goes
     (it is in the tooltip and on the login). */
  @media (max-width: 30rem) {
    .who {
      display: none;
    }
    h1 {
      flex-basis: 100%;
    }
    ss-live-indicator {
      margin-right: auto;
    }
  }
  header button.secondary {
    color: #fff;
    border-color: #fff;
    min-height: 40px;
    padding: 0.25rem 0.9rem;
  }
  header button.secondary:hover {
    background: rgb(255 255 255 / 15%);
  }
  /* Desktop: every place in one row under the bar ("More" is for phones). */
  nav {
    max-width: 80rem;
    margin: 0 auto;
    padding: 0 0.5rem;
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.25rem;
  }
  nav ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: contents;
  }
  nav .more-tab {
    display: none;
  }
  nav a,
  nav button[data-action='more'] {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    min-height: 44px;
    padding: 0 0.7rem;
    color: #fff;
    font: inherit;
    font-weight: 600;
    text-decoration: none;
    white-space: nowrap;
    background: none;
    border: 0;
    border-radius: 0;
    border-bottom: 4px solid transparent;
  }
  nav a:hover,
  nav button[data-action='more']:hover {
    background: rgb(255 255 255 / 12%);
  }
  nav a[aria-current='page'] {
    border-bottom-color: var(--ss-focus-on-dark);
  }
  nav a:focus-visible,
  nav button:focus-visible {
    outline-offset: -3px;
  }
  nav a[data-route='emergency'] {
    text-decoration: underline;
    text-decoration-color: var(--ss-focus-on-dark);
    text-underline-offset: 0.3em;
  }
  /* Phone: a tab bar at the bottom, in reach of the thumb, one row whatever the language; the
     rest of the places in a sheet above it. */
  @media (max-width: 40rem) {
    nav {
      position: fixed;
      left: 0;
      right: 0;
      bottom: 0;
      z-index: 5;
      display: block;
      max-width: none;
      padding: 0 0 env(safe-area-inset-bottom);
      background: var(--ss-header, #0b3d52);
      box-shadow: 0 -1px 4px rgb(0 0 0 / 25%);
    }
    nav ul.tabs {
      display: grid;
      grid-auto-flow: column;
      grid-auto-columns: minmax(0, 1fr);
    }
    nav .more-tab {
      display: block;
    }
    nav ul.tabs a,
    nav button[data-action='more'] {
      display: flex;
      flex-wrap: wrap;
      align-content: center;
      justify-content: center;
      gap: 0.15rem;
      width: 100%;
      min-height: 56px;
      padding: 0 0.125rem;
      font-size: 0.75rem;
      line-height: 1.15;
      text-align: center;
      white-space: normal;
      hyphens: auto;
      border-bottom: 0;
      border-top: 4px solid transparent;
    }
    nav ul.tabs a[aria-current='page'],
    nav button[data-current='true'] {
      border-top-color: var(--ss-focus-on-dark);
    }
    nav ul.sheet {
      display: none;
      position: absolute;
      left: 0;
      right: 0;
      bottom: 100%;
      max-height: 70vh;
      overflow-y: auto;
      padding: 0.5rem;
      background: var(--ss-header, #0b3d52);
      box-shadow: 0 -4px 12px rgb(0 0 0 / 30%);
    }
    nav.open ul.sheet {
      display: grid;
      gap: 0.25rem;
    }
    nav ul.sheet a {
      display: flex;
      min-height: 48px;
      padding: 0 1rem;
      border-bottom: 0;
      border-left: 4px solid transparent;
    }
    nav ul.sheet a[aria-current='page'] {
      border-left-color: var(--ss-focus-on-dark);
    }
    /* Room below the last line for the tab bar (after the general rule below: more specific). */
    :host main {
      padding-bottom: 6rem;
    }
  }
  .badge {
    font-size: 0.8125rem;
    min-width: 1.4rem;
    padding: 0 0.4rem;
    border-radius: 999px;
    background: var(--ss-focus-on-dark);
    color: var(--ss-text, #1b1f24);
    text-align: center;
  }
  .emergency-banner {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.25rem 1rem;
    padding: 0.5rem 1rem;
    background: var(--ss-open, #a1260d);
    color: #fff;
  }
  .emergency-banner p {
    margin: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.75rem;
  }
  .emergency-banner[data-mode='held'] {
    background: var(--ss-unlocked, #8a4b00);
  }
  .emergency-banner a {
    display: inline-flex;
    align-items: center;
    min-height: 44px;
    color: #fff;
    font-weight: 700;
  }
  .emergency-banner a:focus-visible {
    outline-color: var(--ss-focus-on-dark);
  }
  main {
    padding: 1rem;
    max-width: 80rem;
    margin: 0 auto;
  }
  main:focus {
    outline: none;
  }
  .layout {
    display: grid;
    gap: 1rem;
    grid-template-columns: minmax(0, 1fr);
  }
  .member-home {
    grid-template-areas: 'doors' 'floor' 'feed';
  }
  .host-home {
    grid-template-areas: 'alerts' 'doors' 'floor' 'feed';
  }
  .alerts {
    grid-area: alerts;
  }
  .doors {
    grid-area: doors;
  }
  .floor {
    grid-area: floor;
  }
  .feed {
    grid-area: feed;
  }
  .narrow {
    max-width: 48rem;
    margin: 0 auto;
  }
  @media (min-width: 56rem) {
    .member-home,
    .host-home {
      grid-template-columns: minmax(18rem, 24rem) minmax(0, 1fr);
      align-items: start;
    }
    .member-home {
      grid-template-areas: 'doors floor' 'feed floor';
      grid-template-rows: auto 1fr;
    }
    .host-home {
      grid-template-areas: 'alerts floor' 'doors floor' 'feed floor';
      grid-template-rows: auto auto 1fr;
    }
    .floor {
      position: sticky;
      top: 1rem;
    }
  }
  .message {
    max-width: 26rem;
    margin: 3rem auto;
    padding: 0 1rem;
    text-align: center;
  }
  .login-bar {
    display: flex;
    justify-content: flex-end;
    max-width: 26rem;
    margin: 0 auto;
    padding: 1rem 1rem 0;
  }
`;
