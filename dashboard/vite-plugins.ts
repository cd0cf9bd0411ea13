// Build-time pieces of the dashboard that Vite does not do by itself:
// - nodeRedUrl: SMARTSPACE_NODE_RED_URL (or ":" + SMARTSPACE_NODE_RED_PORT) into index.html's
//   <meta name="smartspace:node-red-url"> (read by src/data/node-red.ts);
// - serviceWorker: src/sw/sw.ts built to /sw.js (fixed name, no hash: the browser looks for it
//   there) with the list of the build's files and a version made from them.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Plugin } from 'vite';

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

const env = process.env;
const NODE_RED = env.SMARTSPACE_NODE_RED_URL || (env.SMARTSPACE_NODE_RED_PORT ? `:${env.SMARTSPACE_NODE_RED_PORT}` : '');

export function nodeRedUrl(url = NODE_RED): Plugin {
  return {
    name: 'smartspace-node-red-url',
    transformIndexHtml: (html) => html.replace('%SMARTSPACE_NODE_RED_URL%', escapeAttr(url.trim())),
  };
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

const SW_ENTRY = 'src/sw/sw.ts';
const SW_FILE = 'sw.js';
const PLACEHOLDER = /(["'`])__SS_PRECACHE__\1/;

export function serviceWorker(root: string): Plugin {
  const publicDir = join(root, 'public');
  return {
    name: 'smartspace-service-worker',
    apply: 'build',
    buildStart() {
      this.emitFile({ type: 'chunk', id: join(root, SW_ENTRY), fileName: SW_FILE });
    },
    generateBundle(_options, bundle) {
      const built = Object.keys(bundle).filter((f) => f !== SW_FILE && !f.endsWith('.map') && f !== 'index.html');
      const copied = filesUnder(publicDir).map((f) => relative(publicDir, f).split('\\').join('/'));
      const files = [...built, ...copied].map((f) => `/${f}`).sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      const sw = bundle[SW_FILE];
      if (!sw || sw.type !== 'chunk' || !PLACEHOLDER.test(sw.code)) this.error(`${SW_FILE}: precache placeholder not found`);
      sw.code = sw.code.replace(PLACEHOLDER, () => JSON.stringify(JSON.stringify({ version, files })));
    },
  };
}
