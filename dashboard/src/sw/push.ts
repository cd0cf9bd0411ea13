// What a web push from the alert centre (services/alerts/channels.ts) shows on the phone. Pure:
// the service worker passes the decrypted JSON; anything unexpected still shows something.
export interface AlertNotification {
  title: string;
  options: { body: string; tag: string; renotify: boolean; requireInteraction: boolean; data: { url: string }; icon: string };
}

export function notificationOf(data: unknown): AlertNotification {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const str = (v: unknown, fallback: string) => (typeof v === 'string' && v ? v : fallback);
  const url = str(d.url, '/');
  return {
    title: str(d.title, 'smartspace'),
    options: {
      body: str(d.body, ''),
      // One notification per alert: a repeat replaces it rather than stacking up.
      tag: `alert-${typeof d.id === 'number' ? d.id : 'x'}`,
      renotify: true,
      // An urgent one stays until the host does something about it.
      requireInteraction: d.severity === 'critical',
      // Only our own pages open from a notification.
      data: { url: url.startsWith('/') || /^https?:\/\//.test(url) ? url : '/' },
      icon: '/icons/icon-192.png',
    },
  };
}
