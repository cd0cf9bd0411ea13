// Which screen the address shows, and which screens each role has. History-based: real paths
// (`/floor`), which the services answer with index.html (services/http/static.ts), so a
// reload or a shared link lands on the same screen. The login is not a route: while it shows,
// the address stays, and after logging in the person is back where they were.
import type { Me, Role } from '../../contracts/api/index.ts';

export type RouteId =
  'home' | 'bookings' | 'floor' | 'activity' | 'today' | 'gateways' | 'members' | 'plans' | 'cards' | 'audit' | 'reports' | 'network' | 'mine' | 'emergency';

export const ROUTE_PATHS: Record<RouteId, string> = {
  home: '/',
  bookings: '/bookings',
  floor: '/floor',
  activity: '/activity',
  today: '/today',
  gateways: '/gateways',
  members: '/members',
  plans: '/plans',
  cards: '/cards',
  audit: '/audit',
  reports: '/reports',
  network: '/network',
  mine: '/mine',
  emergency: '/emergency',
};

/** Each role's screens, in navigation order; the first is the role's home. */
export const ROLE_ROUTES: Record<Role, readonly RouteId[]> = {
  member: ['home', 'bookings', 'today', 'mine'],
  host: ['home', 'floor', 'activity', 'today', 'bookings', 'reports', 'members', 'plans', 'cards', 'emergency', 'mine'],
  operator: ['home', 'gateways', 'floor', 'activity', 'today', 'bookings', 'reports', 'members', 'plans', 'cards', 'audit', 'emergency', 'mine'],
};

/**
 * The screens of this person: their role's, and the network's for a network coordinator (of
 * any role: coordinating is not a rank, services/http/routes/network.ts), before "My data".
 */
export function routesOf(me: Pick<Me, 'role' | 'coordinator'>): readonly RouteId[] {
  const routes = ROLE_ROUTES[me.role] ?? ROLE_ROUTES.member;
  if (!me.coordinator) return routes;
  const at = routes.indexOf('mine');
  return [...routes.slice(0, at), 'network', ...routes.slice(at)];
}

/**
 * The places on a phone's tab bar, at most four: the rest of the role's screens are behind
 * "More" (shell-header.ts). A role with no more than five screens has them all on the bar.
 */
export const PHONE_TABS: Record<Role, readonly RouteId[]> = {
  member: ['home', 'bookings', 'today', 'mine'],
  host: ['home', 'floor', 'members', 'cards'],
  operator: ['home', 'gateways', 'floor', 'members'],
};

export interface Resolved {
  route: RouteId;
  /** The path to show in the address bar when it differs from the one asked for. */
  redirect: string | null;
}

function normalise(path: string): string {
  const bare = path.split(/[?#]/)[0] ?? '/';
  return bare.length > 1 ? bare.replace(/\/+$/, '') : '/';
}

/** The route for `path` as `role` may see it: an unknown path or another role's screen is home. */
export function resolveRoute(path: string, role: Role, coordinator = false): Resolved {
  const bare = normalise(path);
  const allowed = routesOf({ role, coordinator });
  const route = allowed.find((id) => ROUTE_PATHS[id] === bare);
  if (route) return { route, redirect: null };
  return { route: 'home', redirect: ROUTE_PATHS.home };
}

/**
 * The address bar as a source of route changes: `navigate` pushes a path, the back and forward
 * buttons come through `popstate`; either way `onChange` hears the new path.
 */
export class Router {
  readonly #onChange: (path: string) => void;
  #started = false;

  constructor(onChange: (path: string) => void) {
    this.#onChange = onChange;
  }

  get path(): string {
    return location.pathname;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    window.addEventListener('popstate', this.#onPop);
  }

  stop(): void {
    this.#started = false;
    window.removeEventListener('popstate', this.#onPop);
  }

  /** `path` may carry a query (`/bookings?desk=d01`): the screen reads it, a reload keeps it. */
  navigate(path: string, { replace = false } = {}): void {
    if (path === location.pathname + location.search) return;
    // The tab of the screen one is on (a bare path): stay where one is, with the screen's query
    // (a desk picked on the bookings screen must not fall out of the address).
    if (path === location.pathname && location.search !== '') return;
    if (replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    this.#onChange(path);
  }

  /**
   * For a click on an in-app link: navigates without a page load, unless the person asked for
   * something else (new tab, download, another site). Returns whether it did.
   */
  follow(ev: MouseEvent): boolean {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return false;
    // An SVG link too (a bookable desk on the floor plan).
    const link = ev.composedPath().find((n): n is Element => n instanceof Element && n.localName === 'a');
    const href = link?.getAttribute('href');
    if (!link || !href || link.getAttribute('target') || link.hasAttribute('download')) return false;
    const url = new URL(href, location.href);
    if (url.origin !== location.origin) return false;
    ev.preventDefault();
    this.navigate(url.pathname + url.search);
    return true;
  }

  readonly #onPop = (): void => this.#onChange(location.pathname);
}
