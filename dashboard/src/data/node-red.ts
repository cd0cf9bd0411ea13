// Where the Node-RED editor is. The site view (contracts/api.ts SiteView) does not say, so it
// is decided when the dashboard is built (vite-plugins.ts): <meta name="smartspace:node-red-url">
// in index.html holds `SMARTSPACE_NODE_RED_URL`, else ":<SMARTSPACE_NODE_RED_PORT>". At run
// time a URL is resolved against the page ("/red/" and "https://rules.example.dk/" both work),
// ":1881" means that port on the dashboard's own host, and "off" hides the link. Without any:
// port 1880 (what `npm start` runs Node-RED on) on the dashboard's own host.
export const NODE_RED_META = 'smartspace:node-red-url';
export const NODE_RED_DEFAULT_PORT = 1880;

export function nodeRedUrl(doc: Document = document, loc: Location = location): string {
  const configured = doc.querySelector<HTMLMetaElement>(`meta[name="${NODE_RED_META}"]`)?.content.trim() ?? '';
  if (configured === 'off') return '';
  const port = /^:(\d{1,5})(\/.*)?$/.exec(configured);
  if (port) return `${loc.protocol}//${loc.hostname}:${port[1]}${port[2] ?? '/'}`;
  if (configured) {
    try {
      return new URL(configured, loc.href).href;
    } catch {
      // a bad URL falls back to the default
    }
  }
  return `${loc.protocol}//${loc.hostname}:${NODE_RED_DEFAULT_PORT}/`;
}
