// The service worker (built to /sw.js by dashboard/vite-plugins.ts, which writes the list of
// the build's files in place of __SS_PRECACHE__). Registered only in production builds
// (pwa.ts). Each build is its own cache; older ones are deleted on activation.
import { CACHE_PREFIX, SHELL_KEY, strategyFor } from './strategy.ts';
import { notificationOf } from './push.ts';

interface SwExtendableEvent extends Event {
  waitUntil(work: Promise<unknown>): void;
}
interface SwFetchEvent extends SwExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface SwPushEvent extends SwExtendableEvent {
  readonly data: { json(): unknown } | null;
}
interface SwNotificationEvent extends SwExtendableEvent {
  readonly notification: { close(): void; readonly data: { url?: string } | null };
}
interface SwWindow {
  readonly url: string;
  focus(): Promise<unknown>;
}
interface SwScope {
  addEventListener(type: 'install' | 'activate', listener: (ev: SwExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (ev: SwFetchEvent) => void): void;
  addEventListener(type: 'push', listener: (ev: SwPushEvent) => void): void;
  addEventListener(type: 'notificationclick', listener: (ev: SwNotificationEvent) => void): void;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void>; matchAll(o: { type: 'window' }): Promise<SwWindow[]>; openWindow(url: string): Promise<unknown> };
  readonly registration: { showNotification(title: string, options: object): Promise<void> };
  readonly location: Location;
}

const sw = self as unknown as SwScope;
const build = JSON.parse('__SS_PRECACHE__') as { version: string; files: string[] };
const CACHE = CACHE_PREFIX + build.version;

sw.addEventListener('install', (ev) => {
  ev.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([SHELL_KEY, ...build.files]))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (ev) => {
  ev.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(CACHE_PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => sw.clients.claim()),
  );
});

async function shell(request: Request): Promise<Response> {
  try {
    const res = await fetch(request);
    if (res.ok) {
      const copy = res.clone();
      void caches.open(CACHE).then((c) => c.put(SHELL_KEY, copy));
    }
    return res;
  } catch (err) {
    const cached = await caches.match(SHELL_KEY, { cacheName: CACHE });
    if (cached) return cached;
    throw err;
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cached = await caches.match(request, { cacheName: CACHE });
  if (cached) return cached;
  const res = await fetch(request);
  if (res.ok && new URL(request.url).pathname.startsWith('/assets/')) {
    const copy = res.clone();
    void caches.open(CACHE).then((c) => c.put(request, copy));
  }
  return res;
}

sw.addEventListener('fetch', (ev) => {
  const { request } = ev;
  const strategy = strategyFor(new URL(request.url), sw.location.origin, request.method, request.mode);
  if (strategy === 'shell') ev.respondWith(shell(request));
  else if (strategy === 'cache-first') ev.respondWith(cacheFirst(request));
});

// An alert from the services' alert centre (web push, VAPID): shown even with the app closed.
sw.addEventListener('push', (ev) => {
  let data: unknown = null;
  try {
    data = ev.data?.json() ?? null;
  } catch {
    // Not JSON: shown with the defaults.
  }
  const n = notificationOf(data);
  ev.waitUntil(sw.registration.showNotification(n.title, n.options));
});

// A press on the notification opens the dashboard (an open window is brought forward).
sw.addEventListener('notificationclick', (ev) => {
  ev.notification.close();
  const url = ev.notification.data?.url ?? '/';
  ev.waitUntil(
    sw.clients.matchAll({ type: 'window' }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).origin === sw.location.origin);
      return open ? open.focus() : sw.clients.openWindow(url);
    }),
  );
});
