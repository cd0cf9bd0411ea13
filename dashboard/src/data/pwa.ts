// Installable on a phone: the manifest and icons are in index.html; this registers the service
// worker (sw/sw.ts), in production builds only — in development it would serve stale files.
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // Not installable then (e.g. plain http on a LAN address); the dashboard works the same.
    });
  });
}
