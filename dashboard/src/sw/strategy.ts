// How the service worker treats each request. The app shell (index.html, the hashed bundles,
// manifest and icons) is cached so the dashboard opens on a poor line; the API never is: doors
// and desks shown from a cache would be exactly the dishonest state the dashboard must not show.

export type Strategy =
  /** Not ours: the browser fetches as if there were no service worker. */
  | 'pass'
  /** A page load: the network first (a new deploy shows at once), the cached shell offline. */
  | 'shell'
  /** A static file: from the cache when there, else fetched and kept. */
  | 'cache-first';

export const CACHE_PREFIX = 'smartspace-shell-';
/** The cache key of the app shell page. */
export const SHELL_KEY = '/';

export function strategyFor(url: URL, origin: string, method: string, mode: RequestMode): Strategy {
  if (method !== 'GET' || url.origin !== origin) return 'pass';
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return 'pass';
  if (mode === 'navigate') return 'shell';
  return 'cache-first';
}
