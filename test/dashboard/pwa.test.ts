// Installable on a phone: manifest and icons, the service worker's rules (app shell cached,
// API never), and where the operators' Node-RED link points.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeRedUrl } from '../../dashboard/src/data/node-red.ts';
import { strategyFor } from '../../dashboard/src/sw/strategy.ts';

// From the repository root, where vitest runs (under happy-dom, import.meta.url is no file URL).
const DASHBOARD = resolve('dashboard') + '/';
const read = (path: string) => readFileSync(DASHBOARD + path);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('web app manifest', () => {
  const manifest = JSON.parse(read('public/manifest.webmanifest').toString('utf8')) as {
    name: string;
    start_url: string;
    display: string;
    icons: Array<{ src: string; sizes: string; type: string; purpose: string }>;
  };

  it('is linked from the page and opens the app standalone', () => {
    const html = read('index.html').toString('utf8');
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest" />');
    expect(html).toContain('rel="apple-touch-icon"');
    expect(manifest).toMatchObject({ name: 'smartspace', start_url: '/', display: 'standalone' });
  });

  it('has icons that exist at the sizes they claim, including a maskable one', () => {
    for (const icon of manifest.icons) {
      const file = `${DASHBOARD}public${icon.src}`;
      expect(existsSync(file), icon.src).toBe(true);
      if (icon.type === 'image/png') {
        const [w, h] = icon.sizes.split('x').map(Number);
        expect(pngSize(readFileSync(file)), icon.src).toEqual([w, h]);
      }
    }
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
  });
});

describe('service worker', () => {
  const origin = 'https://kystkontor.example';
  const at = (path: string, method = 'GET', mode: RequestMode = 'cors') => strategyFor(new URL(path, origin), origin, method, mode);

  it('never touches the API, other sites or anything but GET', () => {
    expect(at('/api/live')).toBe('pass');
    expect(at('/api/doors')).toBe('pass');
    expect(at('/api')).toBe('pass');
    expect(at('/assets/index-abc.js', 'POST')).toBe('pass');
    expect(at('https://elsewhere.example/x.js')).toBe('pass');
  });

  it('serves pages network first (the shell when offline) and files from the cache', () => {
    expect(at('/', 'GET', 'navigate')).toBe('shell');
    expect(at('/floor', 'GET', 'navigate')).toBe('shell');
    expect(at('/assets/index-abc.js')).toBe('cache-first');
    expect(at('/icons/icon-192.png')).toBe('cache-first');
    expect(at('/apiary.png')).toBe('cache-first');
  });

  it('is registered only in production builds', () => {
    const main = read('src/main.ts').toString('utf8');
    expect(main).toMatch(/if \(import\.meta\.env\.PROD\) registerServiceWorker\(\)/);
  });
});

describe('Node-RED link', () => {
  function page(content: string | null): Document {
    const doc = document.implementation.createHTMLDocument('t');
    if (content !== null) {
      const meta = doc.createElement('meta');
      meta.name = 'smartspace:node-red-url';
      meta.content = content;
      doc.head.append(meta);
    }
    return doc;
  }
  const loc = new URL('http://192.168.1.20:8080/gateways') as unknown as Location;

  it('defaults to Node-RED’s port on the dashboard’s host', () => {
    expect(nodeRedUrl(page(null), loc)).toBe('http://192.168.1.20:1880/');
    expect(nodeRedUrl(page(''), loc)).toBe('http://192.168.1.20:1880/');
  });

  it('takes the URL set at build time, relative to the page, or none', () => {
    expect(nodeRedUrl(page('/red/'), loc)).toBe('http://192.168.1.20:8080/red/');
    expect(nodeRedUrl(page('https://rules.kystkontor.dk/'), loc)).toBe('https://rules.kystkontor.dk/');
    expect(nodeRedUrl(page(':1881'), loc)).toBe('http://192.168.1.20:1881/');
    expect(nodeRedUrl(page(':1881/admin/'), loc)).toBe('http://192.168.1.20:1881/admin/');
    expect(nodeRedUrl(page('off'), loc)).toBe('');
  });
});
