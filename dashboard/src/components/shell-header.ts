// The top of the app once logged in: the site, who is logged in and as what, the live mark, the
// language, log out, and the navigation to the role's screens (with the number of alerts on the
// overview). Rendered in the app shell's shadow root (app-shell-styles.ts lays it out): on a
// desktop one row under the bar; on a phone a tab bar at the bottom with the role's main places
// (PHONE_TABS) and "More", which opens a sheet with the rest.
import { html, nothing } from 'lit';
import type { Me } from '../../../contracts/api/index.ts';
import type { LiveStatus } from '../data/live.ts';
import { PHONE_TABS, ROUTE_PATHS, routesOf, type RouteId } from '../router.ts';
import { t } from '../words/locale.ts';
import './lang-picker.ts';
import './live-indicator.ts';

export interface ShellHeader {
  me: Me;
  siteName: string;
  liveStatus: LiveStatus;
  route: RouteId;
  /** Alerts now (0 for a member, who has none). */
  alerts: number;
  routeName: (id: RouteId) => string;
  logout: () => void;
  /** The phone's "More" sheet is open. */
  moreOpen: boolean;
  toggleMore: () => void;
}

function link(h: ShellHeader, id: RouteId) {
  const { alerts } = h;
  return html`<li>
    <a href=${ROUTE_PATHS[id]} data-route=${id} aria-current=${id === h.route ? 'page' : 'false'}
      >${h.routeName(id)}${
        id === 'home' && alerts > 0
          ? html` <span class="badge" data-testid="alert-count">${alerts}<span class="visually-hidden"> ${t().alerts.title}</span></span>`
          : nothing
      }</a
    >
  </li>`;
}

function nav(h: ShellHeader) {
  const routes = routesOf(h.me);
  const tabs = PHONE_TABS[h.me.role].filter((id) => routes.includes(id));
  const more = routes.filter((id) => !tabs.includes(id));
  const m = t().app;
  return html`<nav aria-label=${m.nav} class=${h.moreOpen ? 'open' : ''}>
    <ul class="tabs">
      ${tabs.map((id) => link(h, id))}
      ${
        more.length
          ? html`<li class="more-tab">
              <button
                type="button"
                data-action="more"
                aria-expanded=${h.moreOpen ? 'true' : 'false'}
                aria-controls="more-sheet"
                data-current=${more.includes(h.route) ? 'true' : 'false'}
                @click=${h.toggleMore}
              >
                ${m.more}
              </button>
            </li>`
          : nothing
      }
    </ul>
    ${
      more.length
        ? html`<ul class="sheet" id="more-sheet">
            ${more.map((id) => link(h, id))}
          </ul>`
        : nothing
    }
  </nav>`;
}

export function shellHeader(h: ShellHeader) {
  const m = t().app;
  const { me } = h;
  const role = m.roles[me.role] ?? me.role;
  return html`<header>
    <div class="bar">
      <h1>${h.siteName}</h1>
      <span class="who" title=${m.signedInAs(me.name, role)}>${me.name} <span class="role">· ${role}</span></span>
      <ss-live-indicator .status=${h.liveStatus}></ss-live-indicator>
      <ss-lang-picker tone="dark"></ss-lang-picker>
      <button type="button" class="secondary" data-action="logout" @click=${h.logout}>${m.logout}</button>
    </div>
    ${routesOf(me).length > 1 ? nav(h) : nothing}
  </header>`;
}
